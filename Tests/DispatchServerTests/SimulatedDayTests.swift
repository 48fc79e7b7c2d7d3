import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import HTTPTypes
import RideRequestStore
import RoadNetwork
import StoreTestSupport
import Testing

/// A day driven through the API on a pinned clock: bookings the day before, a plan, then the road
/// reports (a driver's key for one vehicle) — stops on time, a no-show, a pickup 20 minutes late —
/// a cancellation and a same-day booking, and three re-plans from what happened. Every booking
/// ends in exactly one final state, and every promise the plan keeps is inside its window.
@Suite struct SimulatedDayTests {
    typealias Client = ServerHarness.Client
    static let date = "2026-12-01"   // a Tuesday

    static func plan(_ client: Client, now: String?) async throws -> [String: Any] {
        var body: [String: Any] = ["time_limit": 0.5]
        if let now { body["now"] = now }
        let answer = try await client.call(.post, "/v1/plans/\(date)", as: "dispatcher", json: body)
        #expect(answer.status == .created, "\(answer.json)")
        return answer.json
    }

    /// Stops of a plan document per duty: (booking, action, time, done).
    static func stops(_ plan: [String: Any]) -> [(duty: String, booking: String, action: String, time: String, done: Bool)] {
        (plan["vehicles"] as? [[String: Any]] ?? []).flatMap { route in
            (route["stops"] as? [[String: Any]] ?? []).map {
                (route["id"] as! String, $0["booking_id"] as! String, $0["action"] as! String, $0["time"] as! String, $0["done"] as? Bool == true)
            }
        }
    }

    static func local(_ clock: String) -> String { "\(date)T\(clock)+09:00" }

    static func status(_ client: Client, _ booking: String) async throws -> String? {
        try await client.call(.get, "/v1/bookings/\(booking)", as: "dispatcher")["status"] as? String
    }

    @Test func aDayOfEventsCancellationsAndASameDayBookingReplannedThreeTimes() async throws {
        let harness = try await ServerHarness.make(.sqlite)
        let clock = BookingRulesAPITests.Clock("2026-11-30 12:00:00")
        try await harness.run(configure: { $0.now = { clock.now() } }) { client in
            // The day before: ten rides from two villages to the hub's hospital.
            var booked: [String] = []
            for (n, time) in ["08:30", "08:40", "08:50", "09:00", "09:10", "09:20", "09:40", "10:00", "10:20", "10:40"].enumerated() {
                let (from, municipality) = n % 2 == 0 ? ("okukawa-yakuba-mae-meetingpoint", "okukawa-mura") : ("kitazawa-yakuba-mae-meetingpoint", "kitazawa-mura")
                let answer = try await client.book(from: from, municipality: municipality, date: Self.date, pickupTime: time, passenger: "P-\(n)")
                if answer["status"] as? String == "accepted", let id = answer["id"] as? String { booked.append(id) }
            }
            #expect(booked.count >= 6, "most rides fit: \(booked.count)")
            let first = try await Self.plan(client, now: nil)
            // The duty with the most bookings reports through a driver's key bound to its vehicle.
            let byDuty = Dictionary(grouping: Self.stops(first).filter { $0.action == "pickup" }, by: \.duty)
            let (duty, pickups) = try #require(byDuty.max { $0.value.count < $1.value.count })
            #expect(pickups.count >= 3, "a duty with three bookings: \(byDuty.mapValues(\.count))")
            let vehicle = ServiceZone.vehicleID(ofDuty: duty)
            let driver = try await harness.store.createAPIKey(role: .driver, municipality: nil, vehicle: vehicle, label: "driver", actor: "test").secret
            let ordered = pickups.sorted { $0.time < $1.time }
            let (onTime, absent, late) = (ordered[0].booking, ordered[1].booking, ordered[2].booking)
            func planned(_ plan: [String: Any], _ booking: String, _ action: String) -> Int {
                TimeText.seconds(ofClock: Self.stops(plan).first { $0.booking == booking && $0.action == action }!.time)!
            }
            var n = 0
            func report(_ type: String, at seconds: Int, booking: String? = nil) async throws -> ServerHarness.Client.Answer {
                n += 1
                var body: [String: Any] = ["event_id": "ev-\(n)", "at": Self.local(TimeText.clock(seconds)), "type": type]
                if let booking { body["booking_id"] = booking }
                return try await client.call(.post, "/v1/vehicles/\(vehicle)/events", as: driver, json: body)
            }

            // A driver reports only for the vehicle its key is bound to.
            let other = try #require(ServerHarness.zone.file.vehicles.first { $0.id != vehicle }?.id)
            let foreign = try await client.call(.post, "/v1/vehicles/\(other)/events", as: driver,
                                                json: ["event_id": "ev-foreign", "at": Self.local("08:00:00"), "type": "departed"])
            #expect(foreign.status == .forbidden, "\(foreign.json)")
            #expect(try await client.call(.get, "/v1/vehicles/\(other)/events?date=\(Self.date)", as: driver).status == .forbidden)
            #expect(try await client.call(.get, "/v1/vehicles/\(vehicle)/events?date=\(Self.date)", as: driver).status == .ok)

            // On the day. The first passenger rides on time.
            let pickupOnTime = planned(first, onTime, "pickup"), dropOnTime = planned(first, onTime, "dropoff")
            clock.set("2026-12-01 \(TimeText.clock(pickupOnTime + 60))")
            #expect(try await report("departed", at: pickupOnTime - 900).status == .created)
            #expect(try await report("picked_up", at: pickupOnTime, booking: onTime)["booking_status"] as? String == "on_board")
            // The second does not show: reported after the wait.
            let absentWindow = try #require(try await harness.store.booking(id: absent)?.promisedEarliest)
            clock.set("2026-12-01 \(TimeText.clock(max(absentWindow + 6 * 60, pickupOnTime + 120)))")
            let noShow = try await report("no_show", at: max(absentWindow + 6 * 60, pickupOnTime + 60), booking: absent)
            #expect(noShow["booking_status"] as? String == "no_show", "\(noShow.json)")
            // The third is picked up 20 minutes late (after the first got off, if the plan had it so).
            let latePickup = planned(first, late, "pickup") + 20 * 60
            if dropOnTime < latePickup {
                clock.set("2026-12-01 \(TimeText.clock(max(dropOnTime, pickupOnTime) + 60))")
                #expect(try await report("dropped_off", at: dropOnTime, booking: onTime)["booking_status"] as? String == "completed")
            }
            clock.set("2026-12-01 \(TimeText.clock(latePickup + 60))")
            #expect(try await report("picked_up", at: latePickup, booking: late)["booking_status"] as? String == "on_board")
            // A passenger of another vehicle cancels; a same-day ride is booked for later.
            let cancelled = try #require(booked.first { id in ![onTime, absent, late].contains(id) && Self.stops(first).contains { $0.booking == id && $0.duty != duty } }
                                         ?? booked.first { ![onTime, absent, late].contains($0) })
            #expect(try await client.call(.delete, "/v1/bookings/\(cancelled)", as: "booking").status == .ok)
            let sameDay = try await client.book(from: "okukawa-yakuba-mae-meetingpoint", municipality: "okukawa-mura", date: Self.date,
                                                pickupTime: TimeText.clockMinutes(latePickup + 2 * 3600), passenger: "P-same-day")
            #expect(sameDay["status"] as? String == "accepted", "\(sameDay.json)")

            // Re-plan 1, from now.
            let second = try await Self.plan(client, now: TimeText.clock(latePickup + 120))
            let secondStops = Self.stops(second)
            #expect(secondStops.contains { $0.booking == onTime && $0.action == "pickup" && $0.done && $0.time == TimeText.clock(pickupOnTime) })
            #expect(!secondStops.contains { $0.booking == absent })
            #expect((second["unserved"] as? [[String: Any]] ?? []).contains { $0["booking_id"] as? String == absent && $0["reason"] as? String == "no_show" })
            // The late passenger: picked up (done, at the reported time) and dropped off by the same duty, after the restart.
            #expect(secondStops.contains { $0.booking == late && $0.action == "pickup" && $0.done && $0.time == TimeText.clock(latePickup) && $0.duty == duty })
            let lateDrop = try #require(secondStops.first { $0.booking == late && $0.action == "dropoff" })
            #expect(lateDrop.duty == duty && !lateDrop.done && TimeText.seconds(ofClock: lateDrop.time)! > latePickup)

            // The duty drives the re-plan until the late passenger is off (five minutes behind by then); re-plan 2.
            var dropLate = latePickup
            for stop in secondStops.filter({ $0.duty == duty && !$0.done }).sorted(by: { $0.time < $1.time }) {
                let lastOne = stop.booking == late && stop.action == "dropoff"
                let at = max(TimeText.seconds(ofClock: stop.time)! + (lastOne ? 300 : 0), dropLate + 60)
                clock.set("2026-12-01 \(TimeText.clock(at + 30))")
                let answer = try await report(stop.action == "pickup" ? "picked_up" : "dropped_off", at: at, booking: stop.booking)
                #expect(answer.status == .created, "\(answer.json)")
                dropLate = at
                if lastOne { break }
            }
            #expect(try await Self.status(client, late) == "completed")
            let third = try await Self.plan(client, now: TimeText.clock(dropLate + 120))

            // The rest of the duty's stops happen as planned; re-plan 3 at the end of the day.
            var last = dropLate
            for stop in Self.stops(third).filter({ $0.duty == duty && !$0.done }).sorted(by: { $0.time < $1.time }) {
                let at = max(TimeText.seconds(ofClock: stop.time)!, last + 60)
                clock.set("2026-12-01 \(TimeText.clock(at + 30))")
                let answer = try await report(stop.action == "pickup" ? "picked_up" : "dropped_off", at: at, booking: stop.booking)
                #expect(answer.status == .created, "\(answer.json)")
                last = at
            }
            clock.set("2026-12-01 18:00:00")
            let final = try await Self.plan(client, now: "18:00:00")

            // Every booking of the date in exactly one final state.
            let list = try await client.call(.get, "/v1/bookings?date=\(Self.date)", as: "dispatcher")
            let records = list["bookings"] as? [[String: Any]] ?? []
            var statuses: [String: String] = [:]
            for r in records { statuses[r["id"] as! String] = r["status"] as? String }
            #expect(statuses[onTime] == "completed" && statuses[late] == "completed" && statuses[absent] == "no_show" && statuses[cancelled] == "cancelled")
            let finalStates: Set<String> = ["completed", "no_show", "cancelled", "rejected", "scheduled"]
            #expect(statuses.values.allSatisfy(finalStates.contains), "\(statuses)")
            // In the last plan each booking is once: in one route, or unserved with its reason.
            let finalStops = Self.stops(final)
            let served = finalStops.filter { $0.action == "pickup" }.map(\.booking)
            let unserved = (final["unserved"] as? [[String: Any]] ?? []).compactMap { $0["booking_id"] as? String }
            #expect((served + unserved).sorted() == statuses.keys.sorted())
            // The duty's reported stops are all done; bookings still `scheduled` belong to vehicles that reported nothing.
            #expect(finalStops.filter { $0.duty == duty }.allSatisfy { $0.done })
            // Every promise the final plan keeps is inside its window; the broken one (the late pickup, if late beyond the window) is listed.
            let broken = Set((final["broken_promises"] as? [[String: Any]] ?? []).compactMap { $0["booking_id"] as? String })
            for stop in finalStops where stop.action == "pickup" && !broken.contains(stop.booking) {
                let record = try #require(try await harness.store.booking(id: stop.booking))
                guard let a = record.promisedEarliest, let b = record.promisedLatest else { continue }
                #expect((a...b).contains(TimeText.seconds(ofClock: stop.time)!), "\(stop.booking) at \(stop.time), promised \(TimeText.clock(a))–\(TimeText.clock(b))")
            }
            if let latest = try await harness.store.booking(id: late)?.promisedLatest, latePickup > latest { #expect(broken.contains(late)) }
            #expect(broken.subtracting([late]).isEmpty, "only the late pickup may break its promise: \(broken)")
        }
    }

    @Test func aReplanWithABadNowOrAPinWithoutNowIs422NamingTheField() async throws {
        let harness = try await ServerHarness.make(.sqlite)
        try await harness.run { client in
            for (body, field) in [(["now": "25:00"], "now"), (["now": "9h"], "now"), (["pin": true], "pin"), (["now": "09:00", "pin": "yes"], "pin")] as [([String: Any], String)] {
                let answer = try await client.call(.post, "/v1/plans/\(Self.date)", as: "dispatcher", json: body)
                #expect(answer.status == .unprocessableContent, "\(body): \(answer.json)")
                #expect(answer.error?["field"] as? String == field, "\(body): \(answer.json)")
            }
        }
    }
}
