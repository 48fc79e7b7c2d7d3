import DispatchCore
import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork
import Testing

/// Re-planning from what vehicles reported: done stops from events at the times they happened,
/// passengers on board from their pickups, no-shows freed, a late vehicle restarting from where it
/// was last seen (its later stops pushed; a promise it broke is listed).
@Suite struct EventReplanTests {
    @Test func aReplanUsesTheEventsNotTheClock() async throws {
        let zone = ServerHarness.zone
        let (store, office) = try await PromiseTests.fresh(zone)
        let date = ServiceDate(parsing: "2099-07-01")!   // a Wednesday
        for request in PromiseTests.bookings(zone: zone, date: date, count: 30, seed: 11) { _ = try await office.book(request, createdBy: "test") }
        let limits = SolveLimits(iterationLimit: 150, seed: 1)
        let first = try await PlanRun.run(store: store, zone: zone, date: date, strategy: SolveStrategy(.heuristic), limits: limits, holder: "test")
        // A duty with at least three bookings: the first rides on time, the second does not show,
        // the third is picked up 20 minutes late and is still on board.
        let route = try #require(first.document.vehicles.first { $0.stops.filter { $0.action == "pickup" }.count >= 3 })
        let pickups = route.stops.filter { $0.action == "pickup" }.map(\.bookingId)
        let (onTime, absent, late) = (pickups[0], pickups[1], pickups[2])
        func planned(_ id: String, _ action: String) -> Int { TimeText.seconds(ofClock: route.stops.first { $0.bookingId == id && $0.action == action }!.time)! }
        let vehicle = ServiceZone.vehicleID(ofDuty: route.id)
        let latePickup = planned(late, "pickup") + 20 * 60
        var events = [Replanning.ObservedEvent(vehicleID: vehicle, seconds: planned(onTime, "pickup"), kind: .pickedUp, bookingID: onTime),
                      Replanning.ObservedEvent(vehicleID: vehicle, seconds: planned(absent, "pickup") + 300, kind: .noShow, bookingID: absent),
                      Replanning.ObservedEvent(vehicleID: vehicle, seconds: latePickup, kind: .pickedUp, bookingID: late)]
        // The on-time passenger may still be on board when the late one boards: drop them when the plan says, if before.
        if planned(onTime, "dropoff") < latePickup {
            events.append(Replanning.ObservedEvent(vehicleID: vehicle, seconds: planned(onTime, "dropoff"), kind: .droppedOff, bookingID: onTime))
        }
        let now = latePickup + 60
        let replanned = try await PlanRun.run(store: store, zone: zone, date: date, strategy: SolveStrategy(.heuristic), limits: limits, holder: "test",
                                              replan: Replanning.Options(now: now, pin: false, events: events.sorted { $0.seconds < $1.seconds }))
        let document = replanned.document
        let after = try #require(document.vehicles.first { $0.id == route.id })
        // The reported stops are done, at the reported times, in the order they happened.
        let done = after.stops.filter { $0.done == true }
        #expect(done.map { "\($0.bookingId) \($0.action) \($0.time)" }
                == events.filter { $0.kind != .noShow }.sorted { $0.seconds < $1.seconds }.map {
                    "\($0.bookingID!) \($0.kind == .pickedUp ? "pickup" : "dropoff") \(TimeText.clock($0.seconds))" })
        // The no-show is off every route and unserved as a no-show.
        #expect(!document.vehicles.contains { $0.stops.contains { $0.bookingId == absent } })
        #expect(document.unserved.first { $0.bookingId == absent }?.reason == "no_show")
        // The late passenger is still carried by the same vehicle, dropped off after the restart.
        let drop = try #require(after.stops.first { $0.bookingId == late && $0.action == "dropoff" })
        #expect(drop.done == nil && TimeText.seconds(ofClock: drop.time)! >= latePickup)
        // Later stops start from where and when the vehicle was last seen.
        #expect(after.stops.filter { $0.done == nil }.allSatisfy { TimeText.seconds(ofClock: $0.time)! >= latePickup })
        // The late pickup broke its promise if it fell outside the window: then the plan says so.
        let record = try #require(try await store.booking(id: late))
        if let latest = record.promisedLatest, latePickup > latest {
            #expect(document.brokenPromises?.contains { $0.bookingId == late && $0.reason == "outside_window" } == true)
        }
        // Every booking once: picked up in a route or listed unserved.
        let records = try await store.bookings(serviceDate: date.description, municipality: nil, createdBy: nil)
        let seen = document.vehicles.flatMap { $0.stops.filter { $0.action == "pickup" }.map(\.bookingId) } + document.unserved.map(\.bookingId)
        #expect(seen.sorted() == records.map(\.id).sorted())
    }
}
