import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import HTTPTypes
import RideRequestStore
import Testing

/// Standing bookings through the live server, on a pinned clock: a Monday–Wednesday–Friday ride to
/// the hospital around Labour Thanksgiving Day (Monday 2026-11-23), with a 14-day horizon.
@Suite struct StandingBookingTests {
    /// A moment in the zone's time (Japan).
    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text + "+09:00")! }

    static func pinned(_ moment: String) -> (inout ServerConfiguration) -> Void {
        { configuration in
            let now = Self.at(moment)
            configuration.now = { now }
            configuration.bookingHorizonDays = 14
        }
    }

    nonisolated(unsafe) static let body: [String: Any] = [
        "passenger_ref": "P-dialysis", "municipality": "okukawa-mura", "pickup": ["stop_id": "okukawa-yakuba-mae-meetingpoint"],
        "dropoff": ["stop_id": "hanaoka-prefectural-hospital-hospital"], "pickup_time": "10:00", "weekdays": ["mon", "wed", "fri"],
        "from": "2026-11-18", "until": "2026-12-11", "skip_holidays": true,
    ]

    typealias Answer = ServerHarness.Client.Answer

    static func occurrences(_ answer: Answer) -> [[String: Any]] { answer["occurrences"] as? [[String: Any]] ?? [] }
    static func dates(_ answer: Answer) -> [String] { occurrences(answer).compactMap { $0["date"] as? String } }
    static func statuses(_ answer: Answer) -> [String: String] {
        Dictionary(uniqueKeysWithValues: occurrences(answer).compactMap { o in (o["date"] as? String).map { ($0, o["status"] as? String ?? "") } })
    }

    /// Each occurrence is a normal booking, answered like one: accepted with a promised window or
    /// rejected with a reason, and readable under its id with the same status.
    static func expectAnsweredLikeBookings(_ answer: Answer, _ client: ServerHarness.Client) async throws {
        var accepted = 0
        for o in occurrences(answer) {
            let id = try #require(o["booking_id"] as? String, "\(o)")
            let status = o["status"] as? String
            if status == "accepted" {
                accepted += 1
                let window = try #require(o["promised_pickup"] as? [String: Any], "\(o)")
                #expect(minutes(window["from"]) >= 590 && minutes(window["to"]) <= 620, "\(window)")
            } else {
                #expect(status == "rejected", "\(o)")
                #expect((o["reason"] as? [String: Any])?["code"] is String, "\(o)")
            }
            let booking = try await client.call(.get, "/v1/bookings/\(id)", as: "booking")
            #expect(booking.status == .ok)
            #expect(booking["status"] as? String == status)
            #expect(booking["date"] as? String == o["date"] as? String)
            #expect(booking["pickup_time"] as? String == "10:00:00")
            #expect(booking["passenger_ref"] as? String == "P-dialysis")
        }
        #expect(accepted > 0, "\(occurrences(answer))")
    }

    @Test func aMondayWednesdayFridayPatternBooksEveryDateWithinTheHorizonAndSkipsTheHoliday() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run(configure: Self.pinned("2026-11-17T12:00:00")) { client in
            let created = try await client.call(.post, "/v1/standing-bookings", as: "booking", json: Self.body)
            #expect(created.status == .created, "\(created.json)")
            #expect(created["status"] as? String == "active")
            #expect(created["weekdays"] as? [String] == ["mon", "wed", "fri"])
            // Today is Tuesday the 17th and the horizon 14 days: Wednesday the 18th to Monday the 30th, without the holiday.
            #expect(Self.dates(created) == ["2026-11-18", "2026-11-20", "2026-11-25", "2026-11-27", "2026-11-30"])
            let skipped = created["skipped"] as? [[String: Any]] ?? []
            #expect(skipped.compactMap { $0["date"] as? String } == ["2026-11-23"])
            #expect((skipped.first?["reason"] as? [String: Any])?["code"] as? String == "holiday")
            try await Self.expectAnsweredLikeBookings(created, client)

            let id = try #require(created["id"] as? String)
            let read = try await client.call(.get, "/v1/standing-bookings/\(id)", as: "booking")
            #expect(read.status == .ok)
            #expect(Self.statuses(read) == Self.statuses(created))
            // Seen as bookings are: by its key, the resident's operator, dispatchers; not by others.
            #expect(try await client.call(.get, "/v1/standing-bookings/\(id)", as: "okukawa").status == .ok)
            #expect(try await client.call(.get, "/v1/standing-bookings/\(id)", as: "dispatcher").status == .ok)
            #expect(try await client.call(.get, "/v1/standing-bookings/\(id)", as: "booking2").status == .notFound)
            #expect(try await client.call(.get, "/v1/standing-bookings/\(id)", as: "kitazawa").status == .notFound)
            func listed(_ who: String) async throws -> [String] {
                let list = try await client.call(.get, "/v1/standing-bookings", as: who)
                #expect(list.status == .ok)
                return (list["standing_bookings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(try await listed("booking") == [id])
            #expect(try await listed("booking2") == [])
            #expect(try await listed("okukawa") == [id])
            #expect(try await listed("kitazawa") == [])
            // Without skip_holidays the holiday is booked like any other date (and answered like any other booking).
            var every = Self.body
            every["skip_holidays"] = false
            every["passenger_ref"] = "P-2"
            let all = try await client.call(.post, "/v1/standing-bookings", as: "okukawa", json: every)
            #expect(all.status == .created, "\(all.json)")
            #expect(Self.dates(all).contains("2026-11-23"))
            #expect(all["channel"] as? String == "phone")
        }
    }

    @Test func theSameIdempotencyKeyAndBodyReplayTheFirstPatternAndAnotherBodyConflicts() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run(configure: Self.pinned("2026-11-17T12:00:00")) { client in
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "dialysis-1"]
            let first = try await client.call(.post, "/v1/standing-bookings", as: "booking", json: Self.body, headers: key)
            #expect(first.status == .created, "\(first.json)")
            let again = try await client.call(.post, "/v1/standing-bookings", as: "booking", json: Self.body, headers: key)
            #expect(again.status == .created)
            #expect(again["id"] as? String == first["id"] as? String)
            #expect(Self.statuses(again) == Self.statuses(first))
            var other = Self.body
            other["pickup_time"] = "11:00"
            let conflict = try await client.call(.post, "/v1/standing-bookings", as: "booking", json: other, headers: key)
            #expect(conflict.status == .conflict && conflict.field == "Idempotency-Key", "\(conflict.json)")
            // One pattern, one booking per date.
            #expect((try await client.call(.get, "/v1/standing-bookings", as: "booking")["standing_bookings"] as? [Any])?.count == 1)
            #expect((try await client.call(.get, "/v1/bookings?date=2026-11-18", as: "dispatcher")["bookings"] as? [Any])?.count == 1)
            // Another key's same Idempotency-Key is its own.
            let theirs = try await client.call(.post, "/v1/standing-bookings", as: "booking2", json: Self.body, headers: key)
            #expect(theirs.status == .created && theirs["id"] as? String != first["id"] as? String)
        }
    }

    @Test func aDateTheRulesOfTheDayRefuseIsAnsweredRejectedWithoutABookingAndTheOthersAreBooked() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run(configure: Self.pinned("2026-11-18T12:00:00")) { client in
            // Wednesday noon: today's 10:00 ride has passed; Friday's and later are still to come.
            let created = try await client.call(.post, "/v1/standing-bookings", as: "booking", json: Self.body)
            #expect(created.status == .created, "\(created.json)")
            let first = try #require(Self.occurrences(created).first)
            #expect(first["date"] as? String == "2026-11-18")
            #expect(first["status"] as? String == "rejected" && first["booking_id"] is NSNull, "\(first)")
            let reason = try #require(first["reason"] as? [String: Any])
            #expect(reason["code"] as? String == "invalid_field" && (reason["message"] as? String ?? "").contains("passed"), "\(reason)")
            #expect(Self.dates(created).dropFirst().first == "2026-11-20")
            #expect(Self.occurrences(created).dropFirst().allSatisfy { $0["booking_id"] is String })
            #expect((try await client.call(.get, "/v1/bookings?date=2026-11-18", as: "dispatcher")["bookings"] as? [Any])?.isEmpty == true)
            // Read back the same.
            let id = try #require(created["id"] as? String)
            let read = try await client.call(.get, "/v1/standing-bookings/\(id)", as: "booking")
            #expect(Self.statuses(read) == Self.statuses(created))
        }
    }

    @Test func aBadPatternIsRefusedNamingTheField() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run(configure: Self.pinned("2026-11-17T12:00:00")) { client in
            func refused(_ change: (inout [String: Any]) -> Void, as who: String = "booking") async throws -> Answer {
                var body = Self.body
                change(&body)
                return try await client.call(.post, "/v1/standing-bookings", as: who, json: body)
            }
            let cases: [(String, (inout [String: Any]) -> Void)] = [
                ("weekdays[1]", { $0["weekdays"] = ["mon", "funday"] }),
                ("weekdays[1]", { $0["weekdays"] = ["mon", "mon"] }),
                ("weekdays", { $0["weekdays"] = [String]() }),
                ("weekdays", { $0["weekdays"] = nil }),
                ("from", { $0["from"] = "2026-13-01" }),
                ("from", { $0["from"] = nil }),
                ("until", { $0["until"] = "2026-11-01" }),
                ("exceptions[0]", { $0["exceptions"] = ["next week"] }),
                ("skip_holidays", { $0["skip_holidays"] = "yes" }),
                ("date", { $0["date"] = "2026-11-18" }),
                ("pickup.stop_id", { $0["pickup"] = ["stop_id": "nowhere"] }),
                ("pickup_time", { $0["pickup_time"] = "25:00" }),
                ("wheelchairs", { $0["wheelchairs"] = 3 }),
            ]
            for (field, change) in cases {
                let answer = try await refused(change)
                #expect(answer.status == .unprocessableContent, "\(field): \(answer.json)")
                #expect(answer.field == field, "\(answer.json)")
            }
            #expect(try await refused({ _ in }, as: "dispatcher").status == .forbidden)
            #expect(try await refused({ _ in }, as: "nobody").status == .unauthorized)
            // Nothing was stored.
            let list = try await client.call(.get, "/v1/standing-bookings", as: "admin")
            #expect((list["standing_bookings"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func extendingIsIdempotentAndCancellingKeepsThePastAndThePatternUntilItIsCancelled() async throws {
        let harness = try await ServerHarness.make()
        var configuration = ServerConfiguration(zone: ServerHarness.zone, store: harness.store)
        let id: String = try await harness.run(configure: Self.pinned("2026-11-17T12:00:00")) { client in
            let created = try await client.call(.post, "/v1/standing-bookings", as: "booking", json: Self.body)
            #expect(created.status == .created, "\(created.json)")
            return try #require(created["id"] as? String)
        }
        // A week later the horizon reaches Tuesday 8 December: the 2nd, 4th and 7th enter it, once.
        Self.pinned("2026-11-24T07:00:00")(&configuration)
        let first = try await DispatchAPI.extendStandingBookings(configuration)
        #expect(first.map(\.date) == ["2026-12-02", "2026-12-04", "2026-12-07"])
        #expect(first.allSatisfy { $0.booking?.createdBy == $0.standing.createdBy && $0.booking?.serviceDate == $0.date })
        #expect(try await DispatchAPI.extendStandingBookings(configuration).isEmpty)
        var wednesday = configuration
        Self.pinned("2026-11-25T12:00:00")(&wednesday)
        let later = wednesday

        try await harness.run(configure: Self.pinned("2026-11-25T12:00:00")) { client in
            let before = try await client.call(.get, "/v1/standing-bookings/\(id)", as: "booking")
            #expect(Self.dates(before) == ["2026-11-18", "2026-11-20", "2026-11-25", "2026-11-27", "2026-11-30", "2026-12-02", "2026-12-04", "2026-12-07"])
            try await Self.expectAnsweredLikeBookings(before, client)
            for date in ["2026-12-02", "2026-12-04", "2026-12-07"] {
                let day = try await client.call(.get, "/v1/bookings?date=\(date)", as: "dispatcher")
                #expect((day["bookings"] as? [Any])?.count == 1, "\(date)")
            }

            // Cancelling one occurrence leaves the pattern, and extending does not book it again.
            let friday = try #require(Self.occurrences(before).first { $0["date"] as? String == "2026-11-27" })
            let fridayID = try #require(friday["booking_id"] as? String)
            if friday["status"] as? String == "accepted" {
                #expect(try await client.call(.delete, "/v1/bookings/\(fridayID)", as: "booking").status == .ok)
            }
            let afterOne = try await client.call(.get, "/v1/standing-bookings/\(id)", as: "booking")
            #expect(afterOne["status"] as? String == "active")
            var expected = Self.statuses(before)
            if friday["status"] as? String == "accepted" { expected["2026-11-27"] = "cancelled" }
            #expect(Self.statuses(afterOne) == expected)
            let second = try await DispatchAPI.extendStandingBookings(later)
            #expect(second.map(\.date) == ["2026-12-09"])
            #expect((try await client.call(.get, "/v1/bookings?date=2026-11-27", as: "dispatcher")["bookings"] as? [Any])?.count == 1)

            // Cancelling the pattern at noon on Wednesday the 25th: that morning's ride and earlier ones stay as they were.
            let withNinth = try await client.call(.get, "/v1/standing-bookings/\(id)", as: "booking")
            let cancelled = try await client.call(.delete, "/v1/standing-bookings/\(id)", as: "booking")
            #expect(cancelled.status == .ok, "\(cancelled.json)")
            #expect(cancelled["status"] as? String == "cancelled")
            let was = Self.statuses(withNinth), now = Self.statuses(cancelled)
            #expect(Set(now.keys) == Set(was.keys))
            for (date, status) in was {
                if date <= "2026-11-25" {
                    #expect(now[date] == status, "\(date) is past and must stay \(status)")
                } else {
                    #expect(now[date] == (status == "accepted" ? "cancelled" : status), "\(date) was \(status)")
                }
            }
            #expect(was.values.contains("accepted"))
            #expect(try await client.call(.delete, "/v1/standing-bookings/\(id)", as: "booking").status == .conflict)
            #expect((try await client.call(.get, "/v1/standing-bookings?status=cancelled", as: "booking")["standing_bookings"] as? [Any])?.count == 1)
        }
        // A cancelled pattern books nothing more.
        Self.pinned("2026-12-03T12:00:00")(&configuration)
        #expect(try await DispatchAPI.extendStandingBookings(configuration).isEmpty)
    }
}
