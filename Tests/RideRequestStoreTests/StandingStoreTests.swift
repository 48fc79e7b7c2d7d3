import StoreTestSupport
import Foundation
@testable import RideRequestStore
import Testing

/// Standing bookings and their claimed dates, on every backend.
@Suite struct StandingStoreTests {
    static func standing(_ id: String, municipality: String = "north", by key: String = "key-a", until: String? = "2026-12-31",
                         pickup: BookingPlace = BookingPlace(stopID: "stop-1")) -> StandingBookingRecord {
        StandingBookingRecord(id: id, municipality: municipality, passengerRef: "P-\(id)", pickup: pickup,
                              dropoff: BookingPlace(latitude: 36.1, longitude: 137.8), timeKind: .arrival, requestedTime: 30_600, partySize: 2,
                              wheelchairs: 1, notes: "dialysis", concession: .disabled, channel: .phone, weekdays: ["mon", "wed", "fri"],
                              from: "2026-12-01", until: until, skipHolidays: true, exceptions: ["2026-12-09", "2026-12-16"],
                              createdBy: key, createdAt: storeNow(), updatedAt: storeNow())
    }

    func openStore(_ backend: StoreFixture.Backend) async throws -> any RideRequestStore {
        let store = try await StoreFixture.open(backend)
        try await store.replaceZone(municipalities: StoreTests.municipalities, vehicles: StoreTests.vehicles, actor: "test")
        return store
    }

    @Test(arguments: StoreFixture.backends) func aStandingBookingIsStoredAndReadBackExactly(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        let s = Self.standing("sb-1")
        try await store.insertStandingBooking(s, actor: "key-a")
        #expect(try await store.standingBooking(id: "sb-1") == s)
        // Open-ended, from coordinates, without exceptions: the optional parts come back as they went in.
        let open = Self.standing("sb-2", until: nil, pickup: BookingPlace(latitude: 36.05, longitude: 137.75))
        var bare = open
        bare.exceptions = []
        bare.concession = nil
        try await store.insertStandingBooking(bare, actor: "key-a")
        #expect(try await store.standingBooking(id: "sb-2") == bare)
        #expect(try await store.standingBooking(id: "sb-none") == nil)
        #expect(try await store.auditLog(limit: 5).contains { $0.action == "standing.create" && $0.subject == "sb-1" })
    }

    @Test(arguments: StoreFixture.backends) func listingsFilterByMunicipalityKeyAndStatus(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        for (id, m, key) in [("sb-1", "north", "key-a"), ("sb-2", "south", "key-a"), ("sb-3", "south", "key-b")] {
            try await store.insertStandingBooking(Self.standing(id, municipality: m, by: key), actor: key)
        }
        #expect(try await store.standingBookings(municipality: nil, createdBy: nil, status: nil).map(\.id) == ["sb-1", "sb-2", "sb-3"])
        #expect(try await store.standingBookings(municipality: "south", createdBy: nil, status: nil).map(\.id) == ["sb-2", "sb-3"])
        #expect(try await store.standingBookings(municipality: nil, createdBy: "key-a", status: nil).map(\.id) == ["sb-1", "sb-2"])
        #expect(try await store.cancelStandingBooking(id: "sb-2", actor: "key-a"))
        #expect(try await store.cancelStandingBooking(id: "sb-2", actor: "key-a") == false)
        #expect(try await store.standingBooking(id: "sb-2")?.status == .cancelled)
        #expect(try await store.standingBookings(municipality: nil, createdBy: nil, status: .active).map(\.id) == ["sb-1", "sb-3"])
        #expect(try await store.standingBookings(municipality: nil, createdBy: nil, status: .cancelled).map(\.id) == ["sb-2"])
        await #expect(throws: StoreError.self) { try await store.cancelStandingBooking(id: "sb-none", actor: "key-a") }
    }

    @Test(arguments: StoreFixture.backends) func aDateIsClaimedOnceAndARefusalKeepsItsReason(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        try await store.insertStandingBooking(Self.standing("sb-1"), actor: "key-a")
        try await store.insertStandingBooking(Self.standing("sb-2"), actor: "key-a")
        #expect(try await store.claimOccurrence(standingID: "sb-1", serviceDate: "2026-12-04", bookingID: "bk-a"))
        #expect(try await store.claimOccurrence(standingID: "sb-1", serviceDate: "2026-12-02", bookingID: "bk-b"))
        // The same date again, with another booking id: refused, the first claim stands.
        #expect(try await store.claimOccurrence(standingID: "sb-1", serviceDate: "2026-12-04", bookingID: "bk-c") == false)
        // Another pattern's date is its own.
        #expect(try await store.claimOccurrence(standingID: "sb-2", serviceDate: "2026-12-04", bookingID: "bk-d"))
        try await store.refuseOccurrence(standingID: "sb-1", serviceDate: "2026-12-02", reason: "invalid_field", message: "too late")
        let occurrences = try await store.occurrences(standingID: "sb-1")
        #expect(occurrences.map(\.serviceDate) == ["2026-12-02", "2026-12-04"])
        #expect(occurrences.map(\.bookingID) == [nil, "bk-a"])
        #expect(occurrences[0].reason == "invalid_field" && occurrences[0].message == "too late")
        #expect(occurrences[1].reason == nil && occurrences[1].message == nil)
        #expect(try await store.occurrences(standingID: "sb-2").map(\.bookingID) == ["bk-d"])
        // A cancelled pattern claims nothing more.
        #expect(try await store.cancelStandingBooking(id: "sb-2", actor: "key-a"))
        #expect(try await store.claimOccurrence(standingID: "sb-2", serviceDate: "2026-12-07", bookingID: "bk-e") == false)
        #expect(try await store.claimOccurrence(standingID: "sb-none", serviceDate: "2026-12-07", bookingID: "bk-f") == false)
        #expect(try await store.occurrences(standingID: "sb-2").count == 1)
    }

    @Test(arguments: StoreFixture.backends) func aClaimWhoseBookingWasNeverStoredCanBeTakenOverOnceAndOnlyWhenOld(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        try await store.insertStandingBooking(Self.standing("sb-1"), actor: "key-a")
        #expect(try await store.claimOccurrence(standingID: "sb-1", serviceDate: "2026-12-02", bookingID: "bk-stored"))
        #expect(try await store.claimOccurrence(standingID: "sb-1", serviceDate: "2026-12-04", bookingID: "bk-lost"))
        _ = try await store.insertBooking(StoreTests.booking("bk-stored", date: "2026-12-02"), history: [.accepted], actor: "key-a", detail: "",
                                          idempotency: nil)
        #expect(try await store.occurrences(standingID: "sb-1").map(\.bookingStatus) == [.accepted, nil])
        // Too recent: the claiming process may still be answering.
        #expect(try await store.reclaimOccurrence(standingID: "sb-1", serviceDate: "2026-12-04", from: "bk-lost", to: "bk-new",
                                                  claimedBefore: storeNow() - 60_000) == false)
        let later = storeNow() + 1_000
        // A claim whose booking is stored is never taken over.
        #expect(try await store.reclaimOccurrence(standingID: "sb-1", serviceDate: "2026-12-02", from: "bk-stored", to: "bk-new",
                                                  claimedBefore: later) == false)
        #expect(try await store.reclaimOccurrence(standingID: "sb-1", serviceDate: "2026-12-04", from: "bk-lost", to: "bk-new", claimedBefore: later))
        // Once: a second taker finds the claim changed.
        #expect(try await store.reclaimOccurrence(standingID: "sb-1", serviceDate: "2026-12-04", from: "bk-lost", to: "bk-other",
                                                  claimedBefore: later) == false)
        #expect(try await store.occurrences(standingID: "sb-1").map(\.bookingID) == ["bk-stored", "bk-new"])
    }

    @Test(arguments: StoreFixture.backends) func concurrentClaimsOfOneDateLetExactlyOneWin(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        try await store.insertStandingBooking(Self.standing("sb-1"), actor: "key-a")
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<8 { group.addTask { try await store.claimOccurrence(standingID: "sb-1", serviceDate: "2026-12-07", bookingID: "bk-\(i)") } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
        #expect(try await store.occurrences(standingID: "sb-1").count == 1)
    }
}
