@testable import DispatchServer
import Foundation
import RideRequestStore
import Testing

@Suite struct BookingWriterTests {
    @Test func concurrentInsertsShareCommitsAndEachGetsItsOwnAnswer() async throws {
        let harness = try await ServerHarness.make()
        let writer = BookingWriter(store: harness.store)
        let keyID = try await harness.store.createAPIKey(role: .booking, municipality: nil, label: "writer", actor: "test").key.id
        let count = 60
        let results = try await withThrowingTaskGroup(of: BookingWrite.self) { group in
            for i in 0..<count {
                group.addTask {
                    let b = BookingRecord(id: "bk-w\(i)", serviceDate: ServerHarness.summer, municipality: "okukawa-mura", passengerRef: "W-\(i)",
                                          pickup: BookingPlace(stopID: "okukawa-yakuba-mae-meetingpoint"),
                                          dropoff: BookingPlace(stopID: "hanaoka-station-station"), timeKind: .pickup, requestedTime: 36_000,
                                          partySize: 1, wheelchairs: 0, notes: "", status: .accepted, createdBy: "test",
                                          createdAt: storeNow(), updatedAt: storeNow())
                    // Every fifth request repeats the idempotency key of the one before it.
                    let key = "k-\(i - (i % 5 == 4 ? 1 : 0))"
                    return try await writer.write(BookingInsert(booking: b, history: [.requested, .accepted], actor: "test", detail: "",
                                                                idempotency: IdempotencyRecord(keyID: keyID, key: key, requestHash: "h",
                                                                                               statusCode: 201, responseBody: Array(b.id.utf8))))
                }
            }
            var out: [BookingWrite] = []
            for try await r in group { out.append(r) }
            return out
        }
        let created = results.filter { if case .created = $0 { true } else { false } }.count
        #expect(created == count - count / 5)
        #expect(results.count == count)
        #expect(await writer.inserts == count)
        #expect(await writer.batches < count)
        #expect(try await harness.store.bookings(serviceDate: ServerHarness.summer, municipality: nil, createdBy: nil).count == created)
    }
}
