import StoreTestSupport
import Foundation
@testable import RideRequestStore
import Testing

/// Vehicle events and the booking changes they cause, on every backend.
@Suite struct VehicleEventStoreTests {
    func openStore(_ backend: StoreFixture.Backend) async throws -> any RideRequestStore {
        let store = try await StoreFixture.open(backend)
        try await store.replaceZone(municipalities: StoreTests.municipalities, vehicles: StoreTests.vehicles, actor: "test")
        for id in ["b1", "b2"] {
            _ = try await store.insertBooking(StoreTests.booking(id, status: .scheduled), history: [.accepted, .scheduled], actor: "key-a",
                                              detail: "", idempotency: nil)
        }
        return store
    }

    /// 2026-12-01 09:00 in Japan (UTC+9) plus `minutes`.
    static func event(_ id: String, _ type: VehicleEventType, minutes: Int, booking: String? = nil, vehicle: String = "n-1") -> VehicleEventRecord {
        let seconds = 9 * 3600 + minutes * 60
        return VehicleEventRecord(eventID: id, vehicleID: vehicle, serviceDate: "2026-12-01", at: 1_796_083_200_000 + Int64(minutes) * 60_000,
                                  localSeconds: seconds, type: type, bookingID: booking, stopID: type == .arrived ? "stop-1" : nil,
                                  latitude: type == .position ? 36.1 : nil, longitude: type == .position ? 137.8 : nil,
                                  recordedBy: "key-d", recordedAt: 1_796_083_300_000)
    }

    @Test(arguments: StoreFixture.backends) func eventsAreStoredWithTheBookingChangeTheyCause(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        let arrived = Self.event("e1", .arrived, minutes: 0)
        #expect(try await store.recordVehicleEvent(arrived, requestHash: "h1") == .recorded(arrived))
        var pickup = Self.event("e2", .pickedUp, minutes: 2, booking: "b1")
        guard case .recorded(let stored) = try await store.recordVehicleEvent(pickup, requestHash: "h2") else {
            Issue.record("the pickup was not recorded")
            return
        }
        pickup.bookingStatus = .onBoard
        #expect(stored == pickup)
        #expect(try await store.booking(id: "b1")?.status == .onBoard)
        #expect(try await store.history(bookingID: "b1").map(\.status) == [.accepted, .scheduled, .onBoard])
        let drop = Self.event("e3", .droppedOff, minutes: 30, booking: "b1")
        _ = try await store.recordVehicleEvent(drop, requestHash: "h3")
        #expect(try await store.booking(id: "b1")?.status == .completed)
        // Reported late, but it happened first: ordered by `at`, then by when it was reported.
        let position = Self.event("e4", .position, minutes: 0)
        _ = try await store.recordVehicleEvent(position, requestHash: "h4")
        let events = try await store.vehicleEvents(serviceDate: "2026-12-01")
        #expect(events.map(\.eventID) == ["e1", "e4", "e2", "e3"])
        #expect(events[1] == position)
        #expect(events.map(\.bookingStatus) == [nil, nil, .onBoard, .completed])
        #expect(try await store.vehicleEvents(serviceDate: "2026-12-01", vehicleID: "n-2").isEmpty)
        #expect(try await store.vehicleEvents(serviceDate: "2026-12-02").isEmpty)
        #expect(try await store.dayRevision(serviceDate: "2026-12-01") >= 4, "each status change raises the date's revision")
    }

    @Test(arguments: StoreFixture.backends) func anEventIdIsStoredOnceAndAnotherRequestWithItConflicts(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        var pickup = Self.event("e1", .pickedUp, minutes: 2, booking: "b1")
        _ = try await store.recordVehicleEvent(pickup, requestHash: "h1")
        pickup.bookingStatus = .onBoard
        #expect(try await store.recordVehicleEvent(Self.event("e1", .pickedUp, minutes: 2, booking: "b1"), requestHash: "h1") == .replayed(pickup))
        #expect(try await store.vehicleEvent(eventID: "e1", requestHash: "h1") == .replayed(pickup))
        #expect(try await store.recordVehicleEvent(Self.event("e1", .noShow, minutes: 9, booking: "b2"), requestHash: "h2") == .conflict(pickup))
        #expect(try await store.vehicleEvent(eventID: "e1", requestHash: "h2") == .conflict(pickup))
        #expect(try await store.vehicleEvent(eventID: "e9", requestHash: "h1") == nil)
        #expect(try await store.vehicleEvents(serviceDate: "2026-12-01").count == 1)
        #expect(try await store.booking(id: "b2")?.status == .scheduled, "the conflicting no-show changed nothing")
        #expect(try await store.history(bookingID: "b1").map(\.status) == [.accepted, .scheduled, .onBoard])
    }

    @Test(arguments: StoreFixture.backends) func anEventTheBookingIsNotReadyForStoresNothing(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        await #expect(throws: StoreError.self) {
            try await store.recordVehicleEvent(Self.event("e1", .droppedOff, minutes: 2, booking: "b1"), requestHash: "h1")
        }
        _ = try await store.recordVehicleEvent(Self.event("e2", .noShow, minutes: 10, booking: "b2"), requestHash: "h2")
        await #expect(throws: StoreError.self) {
            try await store.recordVehicleEvent(Self.event("e3", .pickedUp, minutes: 11, booking: "b2"), requestHash: "h3")
        }
        await #expect(throws: StoreError.self) {
            try await store.recordVehicleEvent(Self.event("e4", .pickedUp, minutes: 11, booking: "b-none"), requestHash: "h4")
        }
        #expect(try await store.vehicleEvents(serviceDate: "2026-12-01").map(\.eventID) == ["e2"])
        #expect(try await store.booking(id: "b1")?.status == .scheduled)
        #expect(try await store.booking(id: "b2")?.status == .noShow)
    }

    @Test(arguments: StoreFixture.backends) func aPlanSavedWhileAPassengerIsOnBoardKeepsThemOnBoard(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        _ = try await store.recordVehicleEvent(Self.event("e1", .pickedUp, minutes: 2, booking: "b1"), requestHash: "h1")
        let route = DayRoute(vehicleID: "n-1", stops: [.init(bookingID: "b1", pickup: true), .init(bookingID: "b1", pickup: false),
                                                      .init(bookingID: "b2", pickup: true), .init(bookingID: "b2", pickup: false)])
        _ = try await store.savePlan(serviceDate: "2026-12-01", payload: Array("{}".utf8), createdBy: "planner", scheduled: ["b1", "b2"],
                                     routes: [route], expectedRevision: nil)
        #expect(try await store.booking(id: "b1")?.status == .onBoard)
        #expect(try await store.booking(id: "b2")?.status == .scheduled)
        #expect(BookingStatus.onBoard.isActive && !BookingStatus.onBoard.successors.contains(.cancelled))
    }
}
