import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import HTTPTypes
import Testing

/// Vehicle events through the live server on a pinned clock: rides of Tuesday 2026-12-01 booked
/// the day before and planned, then reported from the road.
@Suite struct VehicleEventTests {
    typealias Client = ServerHarness.Client
    typealias Answer = ServerHarness.Client.Answer
    static let date = "2026-12-01"

    /// Books three rides on the day before and plans the date; then moves the clock to 12:30 of the
    /// day and hands the test the bookings' ids and the vehicle each one is planned on.
    func run(_ backend: ServerHarness.Backend,
             _ test: @Sendable (Client, _ bookings: [String], _ vehicleOf: [String: String]) async throws -> Void) async throws {
        let harness = try await ServerHarness.make(backend)
        let clock = BookingRulesAPITests.Clock("2026-11-30 12:00:00")
        try await harness.run(configure: { $0.now = { clock.now() } }) { client in
            var bookings: [String] = []
            for (n, time) in ["10:00", "10:30", "11:00"].enumerated() {
                let answer = try await client.book(date: Self.date, pickupTime: time, passenger: "P-\(n)")
                #expect(answer["status"] as? String == "accepted", "\(answer.json)")
                bookings.append(try #require(answer["id"] as? String))
            }
            let plan = try await client.call(.post, "/v1/plans/\(Self.date)", as: "dispatcher", json: ["time_limit": 0.5])
            #expect(plan.status == .created, "\(plan.json)")
            var vehicleOf: [String: String] = [:]
            for route in plan["vehicles"] as? [[String: Any]] ?? [] {
                for stop in route["stops"] as? [[String: Any]] ?? [] {
                    vehicleOf[stop["booking_id"] as? String ?? ""] = ServiceZone.vehicleID(ofDuty: route["id"] as? String ?? "")
                }
            }
            #expect(bookings.allSatisfy { vehicleOf[$0] != nil }, "every booking is planned: \(vehicleOf)")
            clock.set("2026-12-01 12:30:00")
            try await test(client, bookings, vehicleOf)
        }
    }

    static func report(_ client: Client, _ vehicle: String?, _ body: [String: Any], as who: String = "dispatcher") async throws -> Answer {
        try await client.call(.post, "/v1/vehicles/\(vehicle ?? "none")/events", as: who, json: body)
    }

    static func expectConflict(_ answer: Answer, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == .conflict, "\(answer.json)", sourceLocation: sourceLocation)
        #expect(answer.error?["code"] as? String == code, "\(answer.json)", sourceLocation: sourceLocation)
    }

    static func status(_ client: Client, _ booking: String) async throws -> String? {
        try await client.call(.get, "/v1/bookings/\(booking)", as: "dispatcher")["status"] as? String
    }

    @Test(arguments: ServerHarness.backends) func pickupAndDropOffMoveTheBookingOnBoardThenCompleted(_ backend: ServerHarness.Backend) async throws {
        try await run(backend) { client, bookings, vehicleOf in
            let a = bookings[0], vehicle = vehicleOf[a]
            let departed = try await Self.report(client, vehicle, ["event_id": "e-1", "at": "2026-12-01T09:30:00+09:00", "type": "departed"])
            #expect(departed.status == .created, "\(departed.json)")
            #expect(departed["booking_status"] is NSNull)
            let arrived = try await Self.report(client, vehicle, ["event_id": "e-2", "at": "2026-12-01T09:58:00+09:00", "type": "arrived",
                                                                  "stop_id": "okukawa-yakuba-mae-meetingpoint"])
            #expect(arrived.status == .created, "\(arrived.json)")
            #expect(arrived["stop_id"] as? String == "okukawa-yakuba-mae-meetingpoint")
            #expect(arrived["local_time"] as? String == "09:58:00")
            #expect(arrived["at"] as? String == "2026-12-01T00:58:00.000Z")
            let pickup = try await Self.report(client, vehicle, ["event_id": "e-3", "at": "2026-12-01T10:01:00+09:00", "type": "picked_up",
                                                                 "booking_id": a])
            #expect(pickup.status == .created, "\(pickup.json)")
            #expect(pickup["booking_status"] as? String == "on_board")
            #expect(try await Self.status(client, a) == "on_board")
            // A passenger on board cannot be cancelled, nor picked up again.
            let cancel = try await client.call(.delete, "/v1/bookings/\(a)", as: "booking")
            #expect(cancel.status == .conflict, "\(cancel.json)")
            Self.expectConflict(try await Self.report(client, vehicle, ["event_id": "e-4", "at": "2026-12-01T10:02:00+09:00",
                                                                        "type": "picked_up", "booking_id": a]), "already_picked_up")
            let drop = try await Self.report(client, vehicle, ["event_id": "e-5", "at": "2026-12-01T10:40:00+09:00", "type": "dropped_off",
                                                               "booking_id": a])
            #expect(drop.status == .created, "\(drop.json)")
            #expect(drop["booking_status"] as? String == "completed")
            #expect(try await Self.status(client, a) == "completed")
            Self.expectConflict(try await Self.report(client, vehicle, ["event_id": "e-6", "at": "2026-12-01T10:41:00+09:00",
                                                                        "type": "picked_up", "booking_id": a]), "booking_closed")
            // Reported late, in UTC: listed where it happened.
            let position = try await Self.report(client, vehicle, ["event_id": "e-7", "at": "2026-12-01T01:10:00.5Z", "type": "position",
                                                                   "lat": 36.1, "lon": 137.8])
            #expect(position.status == .created, "\(position.json)")
            #expect((position["position"] as? [String: Any])?["lat"] as? Double == 36.1)
            #expect(position["local_time"] as? String == "10:10:00")
            #expect(position["at"] as? String == "2026-12-01T01:10:00.500Z")

            let history = try await client.call(.get, "/v1/vehicles/\(vehicle ?? "")/events?date=\(Self.date)", as: "dispatcher")
            #expect(history.status == .ok, "\(history.json)")
            let events = history["events"] as? [[String: Any]] ?? []
            #expect(events.compactMap { $0["event_id"] as? String } == ["e-1", "e-2", "e-3", "e-7", "e-5"])
            #expect(events.compactMap { $0["type"] as? String } == ["departed", "arrived", "picked_up", "position", "dropped_off"])
            let stored = try await client.call(.get, "/v1/bookings/\(a)", as: "dispatcher")
            let statuses = (stored["history"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
            #expect(statuses.suffix(2) == ["on_board", "completed"], "\(statuses)")
        }
    }

    @Test(arguments: ServerHarness.backends) func impossibleSequencesAreConflictsWithTheirReason(_ backend: ServerHarness.Backend) async throws {
        try await run(backend) { client, bookings, vehicleOf in
            let b = bookings[1], c = bookings[2]
            // Drop-off before pickup.
            Self.expectConflict(try await Self.report(client, vehicleOf[c], ["event_id": "x-1", "at": "2026-12-01T11:00:00+09:00",
                                                                             "type": "dropped_off", "booking_id": c]), "not_picked_up")
            // Another vehicle's booking (any duty of it), and a booking of no plan.
            let other = try #require(ServerHarness.zone.file.vehicles.map(\.id).first { $0 != vehicleOf[c] })
            let foreign = try await Self.report(client, other, ["event_id": "x-2", "at": "2026-12-01T11:00:00+09:00", "type": "picked_up",
                                                                "booking_id": c])
            Self.expectConflict(foreign, "not_this_vehicle")
            #expect(foreign.field == "booking_id")
            Self.expectConflict(try await Self.report(client, other, ["event_id": "x-3", "at": "2026-12-01T11:00:00+09:00",
                                                                      "type": "no_show", "booking_id": "bk-none"]), "not_this_vehicle")
            #expect(try await Self.status(client, c) == "scheduled")
            // No-show: refused before the wait (5 minutes from the start of the promised window), then recorded.
            let booking = try await client.call(.get, "/v1/bookings/\(b)", as: "dispatcher")
            let opens = minutes((booking["promised_pickup"] as? [String: Any])?["from"])
            func at(_ minute: Int) -> String { String(format: "2026-12-01T%02d:%02d:00+09:00", minute / 60, minute % 60) }
            let early = try await Self.report(client, vehicleOf[b], ["event_id": "x-4", "at": at(opens + 4), "type": "no_show", "booking_id": b])
            Self.expectConflict(early, "no_show_too_early")
            #expect(early.field == "at")
            let noShow = try await Self.report(client, vehicleOf[b], ["event_id": "x-5", "at": at(opens + 5), "type": "no_show", "booking_id": b])
            #expect(noShow.status == .created, "\(noShow.json)")
            #expect(noShow["booking_status"] as? String == "no_show")
            #expect(try await Self.status(client, b) == "no_show")
            Self.expectConflict(try await Self.report(client, vehicleOf[b], ["event_id": "x-6", "at": at(opens + 7), "type": "picked_up",
                                                                             "booking_id": b]), "booking_closed")
            // Breaks come in pairs.
            let vehicle = vehicleOf[c]
            Self.expectConflict(try await Self.report(client, vehicle, ["event_id": "x-7", "at": "2026-12-01T12:00:00+09:00", "type": "break_ended"]),
                                "no_break_started")
            #expect(try await Self.report(client, vehicle, ["event_id": "x-8", "at": "2026-12-01T12:00:00+09:00", "type": "break_started"]).status == .created)
            Self.expectConflict(try await Self.report(client, vehicle, ["event_id": "x-9", "at": "2026-12-01T12:05:00+09:00", "type": "break_started"]),
                                "break_already_started")
            #expect(try await Self.report(client, vehicle, ["event_id": "x-10", "at": "2026-12-01T12:30:00+09:00", "type": "break_ended"]).status == .created)
        }
    }

    @Test(arguments: ServerHarness.backends) func theSameEventIdReplaysTheFirstAnswerAndStoresNothingTwice(_ backend: ServerHarness.Backend) async throws {
        try await run(backend) { client, bookings, vehicleOf in
            let a = bookings[0], vehicle = vehicleOf[a]
            let body: [String: Any] = ["event_id": "r-1", "at": "2026-12-01T10:01:00+09:00", "type": "picked_up", "booking_id": a]
            let first = try await Self.report(client, vehicle, body)
            #expect(first.status == .created, "\(first.json)")
            let again = try await Self.report(client, vehicle, body)
            #expect(again.status == .ok, "\(again.json)")
            #expect(again.bytes == first.bytes)
            var other = body
            other["at"] = "2026-12-01T10:02:00+09:00"
            let reused = try await Self.report(client, vehicle, other)
            Self.expectConflict(reused, "event_id_reused")
            #expect(reused.field == "event_id")
            let history = try await client.call(.get, "/v1/vehicles/\(vehicle ?? "")/events?date=\(Self.date)", as: "admin")
            #expect((history["events"] as? [[String: Any]])?.count == 1, "\(history.json)")
            let stored = try await client.call(.get, "/v1/bookings/\(a)", as: "dispatcher")
            let statuses = (stored["history"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
            #expect(statuses.filter { $0 == "on_board" }.count == 1, "\(statuses)")
        }
    }

    @Test(arguments: ServerHarness.backends) func rolesAndBadFieldsAreRefused(_ backend: ServerHarness.Backend) async throws {
        try await run(backend) { client, bookings, vehicleOf in
            let a = bookings[0], vehicle = vehicleOf[a]
            let good: [String: Any] = ["event_id": "f-1", "at": "2026-12-01T10:01:00+09:00", "type": "picked_up", "booking_id": a]
            for who in ["booking", "okukawa"] {
                let refused = try await Self.report(client, vehicle, good, as: who)
                #expect(refused.status == .forbidden, "\(who): \(refused.json)")
                #expect(try await client.call(.get, "/v1/vehicles/\(vehicle ?? "")/events?date=\(Self.date)", as: who).status == .forbidden)
            }
            #expect(try await Self.report(client, "no-such-vehicle", good).status == .notFound)
            func expectInvalid(_ change: [String: Any?], field: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                var body = good
                for (key, value) in change { body[key] = value }
                let answer = try await Self.report(client, vehicle, body)
                #expect(answer.status == .unprocessableContent, "\(change): \(answer.json)", sourceLocation: sourceLocation)
                #expect(answer.field == field, "\(change): \(answer.json)", sourceLocation: sourceLocation)
            }
            try await expectInvalid(["at": "2026-12-01 10:01"], field: "at")
            try await expectInvalid(["at": "2026-12-01T10:01:00"], field: "at")
            try await expectInvalid(["at": "2026-13-01T10:01:00+09:00"], field: "at")
            try await expectInvalid(["at": "2026-12-01T13:00:00+09:00"], field: "at")  // half an hour ahead of the clock
            try await expectInvalid(["type": "teleported"], field: "type")
            try await expectInvalid(["booking_id": nil], field: "booking_id")
            try await expectInvalid(["type": "departed"], field: "booking_id")
            try await expectInvalid(["type": "position", "booking_id": nil], field: "lat")
            try await expectInvalid(["type": "arrived", "booking_id": nil, "stop_id": "atlantis"], field: "stop_id")
            try await expectInvalid(["event_id": "two words"], field: "event_id")
            try await expectInvalid(["colour": "red"], field: "colour")
            // Nothing of it was stored.
            let history = try await client.call(.get, "/v1/vehicles/\(vehicle ?? "")/events?date=\(Self.date)", as: "dispatcher")
            #expect((history["events"] as? [[String: Any]])?.isEmpty == true, "\(history.json)")
            #expect(try await Self.status(client, a) == "scheduled")
            let noDate = try await client.call(.get, "/v1/vehicles/\(vehicle ?? "")/events", as: "dispatcher")
            #expect(noDate.status == .unprocessableContent && noDate.field == "date", "\(noDate.json)")
        }
    }
}
