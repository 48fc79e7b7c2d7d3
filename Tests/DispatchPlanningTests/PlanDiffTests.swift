import DispatchPlanning
import DispatchWire
import Foundation
import RoadNetwork
import Testing

/// The call list between two plan documents, on hand-made documents.
@Suite struct PlanDiffTests {
    /// A plan document: per duty its pickups (booking, "HH:MM:SS"; each drop-off 20 minutes
    /// later), the unserved bookings (id, reason) and the broken promises (id, reason).
    static func document(_ routes: [(String, [(String, String)])], unserved: [(String, String)] = [],
                         broken: [(String, String)] = []) throws -> DayPlanDocument {
        func stop(_ booking: String, _ action: String, _ time: String) -> String {
            #"{"booking_id":"\#(booking)","action":"\#(action)","place":"s","time":"\#(time)","seats_after":0,"wheelchairs_after":0}"#
        }
        let vehicles = routes.map { duty, pickups in
            let stops = pickups.flatMap { booking, time in
                [stop(booking, "pickup", time), stop(booking, "dropoff", TimeText.clock(TimeText.seconds(ofClock: time)! + 1200))]
            }
            return #"{"id":"\#(duty)","stops":[\#(stops.joined(separator: ","))]}"#
        }
        let unservedJSON = unserved.map { #"{"booking_id":"\#($0.0)","reason":"\#($0.1)","message":"why \#($0.0)"}"# }
        let brokenJSON = broken.map {
            #"{"booking_id":"\#($0.0)","passenger_ref":"P-\#($0.0)","promised_earliest":"13:00:00","promised_latest":"13:20:00","reason":"\#($0.1)","change":"what changed"}"#
        }
        let text = """
            {"date":"2026-12-01","created_at":"2026-11-30T02:12:42.000Z","solver":"heuristic","solver_reason":"r","status":"feasible","seconds":1,
             "vehicles":[\(vehicles.joined(separator: ","))],"unserved":[\(unservedJSON.joined(separator: ","))],
             "summary":{"bookings":0,"served":0,"vehicles_used":0,"driving_hours":0},"broken_promises":[\(brokenJSON.joined(separator: ","))]}
            """
        return try DayPlanDocument.decode(Array(text.utf8))
    }

    static let passengers: [String: PlanDiff.Passenger] = Dictionary(uniqueKeysWithValues: ["a", "b", "c", "d", "e", "g", "h", "p"].map {
        ($0, PlanDiff.Passenger(ref: "P-\($0)", municipality: $0 < "e" ? "okukawa-mura" : "hanaoka-shi"))
    })

    @Test func eachKindOfChangeIsListedOncePerBookingMostSeriousFirst() throws {
        let old = try Self.document([("okukawa-mura-1", [("a", "09:00:00"), ("b", "09:30:00"), ("c", "10:00:00"), ("g", "11:00:00")]),
                                     ("okukawa-mura-2", [("d", "09:00:00"), ("p", "13:00:00")])],
                                    unserved: [("e", "no_vehicle_free"), ("h", "cancelled")])
        let new = try Self.document([("okukawa-mura-1", [("b", "09:45:00"), ("g", "11:00:00"), ("p", "13:30:00")]),
                                     ("okukawa-mura-2", [("a", "09:05:00"), ("e", "12:00:00")])],
                                    unserved: [("c", "no_vehicle_free"), ("d", "cancelled"), ("h", "cancelled")],
                                    broken: [("p", "outside_window")])
        let changes = PlanDiff.changes(from: old, version: 3, to: new, passengers: Self.passengers)
        #expect(changes.fromVersion == 3 && changes.thresholdMinutes == 10)
        // g did not change; d and h were cancelled by their passengers: nobody to call.
        #expect(changes.entries.map(\.bookingId) == ["p", "c", "a", "b", "e"])
        #expect(changes.entries.map(\.kind) == [.brokenPromise, .newlyUnserved, .movedVehicle, .pickupMoved, .newlyServed])
        let byID = Dictionary(uniqueKeysWithValues: changes.entries.map { ($0.bookingId, $0) })

        let p = try #require(byID["p"])
        #expect(p.reason == "outside_window" && p.oldVehicle == "okukawa-mura-2" && p.newVehicle == "okukawa-mura-1")
        #expect(p.oldPickup == "13:00:00" && p.newPickup == "13:30:00" && p.minutesMoved == 30)
        #expect(p.message.contains("13:00–13:20") && p.message.contains("13:30"), "\(p.message)")

        let c = try #require(byID["c"])
        #expect(c.reason == "no_vehicle_free" && c.oldVehicle == "okukawa-mura-1" && c.newVehicle == nil)
        #expect(c.oldPickup == "10:00:00" && c.newPickup == nil && c.minutesMoved == nil)
        #expect(c.passengerRef == "P-c" && c.municipality == "okukawa-mura")
        #expect(c.message.contains("10:00") && c.message.contains("why c"), "\(c.message)")

        let a = try #require(byID["a"])
        #expect(a.oldVehicle == "okukawa-mura-1" && a.newVehicle == "okukawa-mura-2" && a.minutesMoved == 5 && a.reason == nil)
        #expect(a.message.contains("okukawa-mura-2") && a.message.contains("09:05"), "\(a.message)")

        let b = try #require(byID["b"])
        #expect(b.oldPickup == "09:30:00" && b.newPickup == "09:45:00" && b.minutesMoved == 15 && b.oldVehicle == b.newVehicle)
        #expect(b.message.contains("15 min later"), "\(b.message)")

        let e = try #require(byID["e"])
        #expect(e.oldVehicle == nil && e.newVehicle == "okukawa-mura-2" && e.newPickup == "12:00:00" && e.municipality == "hanaoka-shi")
    }

    @Test func aPickupMovedByExactlyTheThresholdIsNotListedAndOneSecondMoreIs() throws {
        let old = try Self.document([("v", [("a", "09:00:00"), ("b", "09:00:00"), ("c", "09:00:00"), ("d", "09:00:00")])])
        let new = try Self.document([("v", [("a", "09:10:00"), ("b", "09:10:01"), ("c", "08:49:59"), ("d", "08:50:00")])])
        let changes = PlanDiff.changes(from: old, version: 1, to: new, passengers: Self.passengers)
        #expect(changes.entries.map(\.bookingId) == ["c", "b"])   // by new pickup time
        #expect(changes.entries.allSatisfy { $0.kind == .pickupMoved })
        #expect(changes.entries.map(\.minutesMoved) == [-10.02, 10.02])
        // Another threshold: 0 lists every move, 15 none of these.
        #expect(PlanDiff.changes(from: old, version: 1, to: new, passengers: [:], thresholdMinutes: 0).entries.count == 4)
        #expect(PlanDiff.changes(from: old, version: 1, to: new, passengers: [:], thresholdMinutes: 15).entries.isEmpty)
    }

    @Test func anotherDutyOfTheSameVehicleIsNoMoveButAnotherVehicleIs() throws {
        let old = try Self.document([("okukawa-mura-1#1", [("a", "09:00:00"), ("b", "09:30:00")]), ("okukawa-mura-1#2", [])])
        let new = try Self.document([("okukawa-mura-1#1", []), ("okukawa-mura-1#2", [("a", "09:05:00")]), ("okukawa-mura-2", [("b", "09:30:00")])])
        let changes = PlanDiff.changes(from: old, version: 1, to: new, passengers: Self.passengers)
        #expect(changes.entries.count == 1)
        let b = try #require(changes.entries.first)
        #expect(b.bookingId == "b" && b.kind == .movedVehicle && b.oldVehicle == "okukawa-mura-1" && b.newVehicle == "okukawa-mura-2")
        #expect(b.minutesMoved == 0 && b.message.contains("as before"), "\(b.message)")
    }

    @Test func identicalPlansNeedNoCall() throws {
        let plan = try Self.document([("v", [("a", "09:00:00")])], unserved: [("b", "no_vehicle_free")], broken: [])
        #expect(PlanDiff.changes(from: plan, version: 1, to: plan, passengers: Self.passengers).entries.isEmpty)
    }

    @Test func theChangesSectionIsSnakeCaseAndOldDocumentsWithoutItStillRead() throws {
        var new = try Self.document([("v", [("a", "09:30:00")])])
        #expect(new.changes == nil)
        let old = try Self.document([("v", [("a", "09:00:00")])])
        new.changes = PlanDiff.changes(from: old, version: 1, to: new, passengers: Self.passengers)
        let text = try encodeJSON(new)
        for key in ["\"changes\"", "\"from_version\"", "\"threshold_minutes\"", "\"entries\"", "\"booking_id\"", "\"passenger_ref\"",
                    "\"old_pickup\"", "\"new_pickup\"", "\"minutes_moved\"", "\"pickup_moved\""] {
            #expect(text.contains(key), "\(key) missing in \(text)")
        }
        #expect(try DayPlanDocument.decode(Array(text.utf8)) == new)
    }
}
