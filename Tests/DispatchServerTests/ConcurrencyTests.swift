import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RideRequestStore
import Testing

/// Several clients at once, over separate connections.
@Suite struct ConcurrencyTests {
    /// Opens `count` more connections to the live server of `client`.
    static func clients(_ count: Int, like client: ServerHarness.Client) -> [ServerHarness.Client] {
        (0..<count).map { _ in client.newConnection() }
    }

    @Test func concurrentBookingsDuringPlanRunsAreNeitherLostNorDoubleAssigned() async throws {
        let harness = try await ServerHarness.make()
        let store = harness.store
        try await harness.run { client in
            let clients = Self.clients(4, like: client)
            let times = ["07:45", "08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "13:00", "14:00"]
            let answers = try await withThrowingTaskGroup(of: (String, String)?.self) { group in
                for i in 0..<40 {
                    let c = clients[i % clients.count]
                    group.addTask {
                        let a = try await c.book(from: i % 2 == 0 ? "okukawa-yakuba-mae-meetingpoint" : "hanaoka-station-station",
                                                 to: i % 2 == 0 ? "hanaoka-prefectural-hospital-hospital" : "okukawa-yakuba-mae-meetingpoint",
                                                 pickupTime: times[i % times.count], party: 1 + i % 3, passenger: "P-\(i)")
                        return (a["id"] as? String ?? "?", a["status"] as? String ?? "\(a.status)")
                    }
                }
                // Two plan runs while the bookings arrive.
                group.addTask {
                    _ = try await clients[0].call(.post, "/v1/plans/\(ServerHarness.summer)", as: "dispatcher", json: ["time_limit": 0.5])
                    return nil
                }
                group.addTask {
                    _ = try await clients[1].call(.post, "/v1/plans/\(ServerHarness.summer)", as: "dispatcher", json: ["time_limit": 0.5])
                    return nil
                }
                var out: [(String, String)] = []
                for try await answer in group { if let answer { out.append(answer) } }
                return out
            }
            #expect(answers.count == 40)
            #expect(answers.allSatisfy { $0.1 == "accepted" || $0.1 == "rejected" }, "\(answers)")
            let accepted = Set(answers.filter { $0.1 == "accepted" }.map(\.0))
            #expect(!accepted.isEmpty)

            // A final plan holds every accepted booking exactly once (they were promised).
            let plan = try await client.call(.post, "/v1/plans/\(ServerHarness.summer)", as: "dispatcher", json: ["time_limit": 1])
            #expect(plan.status == .created)
            let pickups = (plan["vehicles"] as? [[String: Any]] ?? []).flatMap { $0["stops"] as? [[String: Any]] ?? [] }
                .filter { $0["action"] as? String == "pickup" }.compactMap { $0["booking_id"] as? String }
            #expect(pickups.count == Set(pickups).count)
            #expect(Set(pickups) == accepted)
            #expect(plan["version"] as? Int == 3)
        }
        let stored = try await store.bookings(serviceDate: ServerHarness.summer, municipality: nil, createdBy: nil)
        #expect(stored.count == 40)
        #expect(Set(stored.map(\.passengerRef)).count == 40)
    }

    @Test func theSameIdempotencyKeySentAtOnceFromManyConnectionsStoresOneBooking() async throws {
        let harness = try await ServerHarness.make()
        let store = harness.store
        try await harness.run { client in
            let clients = Self.clients(8, like: client)
            let bodies = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for c in clients {
                    group.addTask { try await c.book(passenger: "same", idempotencyKey: "retry-42").bytes }
                }
                var out: [[UInt8]] = []
                for try await body in group { out.append(body) }
                return out
            }
            #expect(Set(bodies).count == 1)
        }
        #expect(try await store.bookings(serviceDate: ServerHarness.summer, municipality: nil, createdBy: nil).count == 1)
    }
}


/// Several server instances on one store (the PostgreSQL deployment; SQLite with two processes).
@Suite struct MultiInstanceTests {
    @Test(arguments: ServerHarness.backends)
    func twoServerInstancesOnOneStoreNeverPromiseTheSameCapacityTwice(_ backend: ServerHarness.Backend) async throws {
        let harness = try await ServerHarness.make(backend)
        try await harness.run { a in
            try await harness.run { b in
                // Parties of three to the hospital by 08:00, alternately through the two instances,
                // until the fleet is full on both.
                var accepted: [String] = []
                var rejectedInARow = 0
                let slots = ["08:00", "08:30", "09:00", "09:30", "10:00"]
                for i in 0..<120 where rejectedInARow < 10 {
                    let answer = try await (i % 2 == 0 ? a : b).book(pickupTime: nil, arriveBy: slots[(i / 2) % slots.count], party: 3,
                                                                     passenger: "M-\(i)")
                    #expect(answer.status == .created)
                    if answer["status"] as? String == "accepted" {
                        accepted.append(answer["id"] as! String)
                        rejectedInARow = 0
                    } else {
                        rejectedInARow += 1
                    }
                }
                #expect(accepted.count >= 6)
                // One plan holds every accepted booking: no promise was made twice.
                let plan = try await b.call(.post, "/v1/plans/\(ServerHarness.summer)", as: "dispatcher", json: ["time_limit": 2])
                #expect(plan.status == .created)
                let pickups = (plan["vehicles"] as? [[String: Any]] ?? []).flatMap { $0["stops"] as? [[String: Any]] ?? [] }
                    .filter { $0["action"] as? String == "pickup" }.compactMap { $0["booking_id"] as? String }
                #expect(Set(pickups) == Set(accepted), "served \(pickups.count) of \(accepted.count) accepted")
            }
        }
    }
}
