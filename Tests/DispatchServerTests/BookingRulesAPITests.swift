import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import HTTPTypes
import Testing

/// The municipalities' booking rules through the real server with a pinned clock: each broken rule
/// is 422 `booking_rule` naming the rule and when the ride could be booked or served, and nothing is stored.
@Suite struct BookingRulesAPITests {
    /// The server's clock, moved by the test (the zone's time is Asia/Tokyo, UTC+9).
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var current: Date
        init(_ local: String) { current = Self.date(local) }
        func set(_ local: String) { lock.withLock { current = Self.date(local) } }
        func now() -> Date { lock.withLock { current } }
        /// "2026-11-30 17:00:00" in Tokyo.
        static func date(_ local: String) -> Date {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
            return formatter.date(from: local)!
        }
    }

    /// The embedded zone written as a zone file with booking rules for Okukawa-mura (trips before
    /// 10:00 by 17:00 the day before, 60 minutes' notice, 14 days ahead, weekdays and Saturdays),
    /// phone-only booking in Kitazawa-mura, and a closing day on 2026-12-03; read back as any zone file is.
    static let zone: ServiceZone = {
        let embedded = ServerHarness.root.appendingPathComponent("Networks/default-zone.zone.json")
        var object = try! JSONSerialization.jsonObject(with: Data(contentsOf: embedded)) as! [String: Any]
        let okukawa = """
            {"service_days": ["weekday", "saturday"],
             "booking": {"horizon_days": 14, "cutoff": {"trips_before": "10:00", "book_by": "17:00", "days_before": 1},
                         "min_notice_minutes": 60, "phone": "0265-88-0001"}}
            """
        let kitazawa = """
            {"booking": {"operator_only": true, "phone": "0265-88-0002", "message": "Book by phone, weekdays 8:30-17:00."}}
            """
        var municipalities = object["municipalities"] as! [[String: Any]]
        for i in municipalities.indices {
            let extra: String? = switch municipalities[i]["id"] as? String {
            case "okukawa-mura": okukawa
            case "kitazawa-mura": kitazawa
            default: nil
            }
            guard let extra else { continue }
            let fields = try! JSONSerialization.jsonObject(with: Data(extra.utf8)) as! [String: Any]
            municipalities[i].merge(fields) { _, new in new }
        }
        object["municipalities"] = municipalities
        object["calendar"] = ["holidays": "japan", "closing_days": [["from": "2026-12-03", "name": "road works in every village"]]]
        object["network"] = ServerHarness.root.appendingPathComponent("Networks").appendingPathComponent(object["network"] as! String).path
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dispatch-rules-\(UUID().uuidString).zone.json")
        try! JSONSerialization.data(withJSONObject: object).write(to: path)
        let file = try! ZoneFile.load(path: path.path)
        return try! ServiceZone(file: file, graph: ServerHarness.zone.graph, hierarchy: nil)
    }()

    func run(_ backend: ServerHarness.Backend, at local: String,
             _ test: @Sendable (ServerHarness.Client, Clock) async throws -> Void) async throws {
        let harness = try await ServerHarness.make(backend)
        let clock = Clock(local)
        try await harness.run(zone: Self.zone, configure: { $0.now = { clock.now() } }) { client in try await test(client, clock) }
    }

    static func expectRefused(_ answer: ServerHarness.Client.Answer, rule: String, field: String, bookFrom: String?, earliestService: String?,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == .unprocessableContent, "\(answer.json)", sourceLocation: sourceLocation)
        let error = answer.error ?? [:]
        #expect(error["code"] as? String == "booking_rule", "\(answer.json)", sourceLocation: sourceLocation)
        #expect(error["rule"] as? String == rule, "\(answer.json)", sourceLocation: sourceLocation)
        #expect(error["field"] as? String == field, "\(answer.json)", sourceLocation: sourceLocation)
        #expect(error["book_from"] as? String == bookFrom, "\(answer.json)", sourceLocation: sourceLocation)
        #expect(error["earliest_service"] as? String == earliestService, "\(answer.json)", sourceLocation: sourceLocation)
        #expect((error["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    }

    func stored(_ client: ServerHarness.Client, on date: String) async throws -> Int {
        let list = try await client.call(.get, "/v1/bookings?date=\(date)", as: "dispatcher")
        return (list["bookings"] as? [Any])?.count ?? -1
    }

    @Test(arguments: ServerHarness.backends)
    func aBookingExactlyAtTheCutoffIsTakenAndOneSecondLaterIs422WithTheEarliestServiceAndNothingStored(_ backend: ServerHarness.Backend) async throws {
        try await run(backend, at: "2026-11-30 17:00:00") { client, clock in
            let inTime = try await client.book(date: "2026-12-01", pickupTime: "09:00", passenger: "P-IN-TIME")
            #expect(inTime.status == .created, "\(inTime.json)")
            clock.set("2026-11-30 17:00:01")
            let late = try await client.book(date: "2026-12-01", pickupTime: "09:00", passenger: "P-LATE", idempotencyKey: "late-1")
            Self.expectRefused(late, rule: "cutoff", field: "pickup_time", bookFrom: nil, earliestService: "2026-12-01T10:00:00.000+09:00")
            #expect((late.error?["phone"] as? String) == "0265-88-0001")
            // The README's example answer.
            #expect(late.error?["message"] as? String
                    == "rides of Okukawa-mura before 10:00 must be booked by 17:00 the day before; for 2026-12-01 09:00 that was 2026-11-30 17:00")
            // An arrival time is checked the same way and named as such.
            let arrival = try await client.book(date: "2026-12-01", pickupTime: nil, arriveBy: "09:30", passenger: "P-LATE")
            Self.expectRefused(arrival, rule: "cutoff", field: "arrive_by", bookFrom: nil, earliestService: "2026-12-01T10:00:00.000+09:00")
            // Trips from 10:00 are not cut off; the operator is bound by the cut-off as well.
            #expect(try await client.book(date: "2026-12-01", pickupTime: "10:00", passenger: "P-TEN").status == .created)
            let desk = try await client.book("okukawa", municipality: nil, date: "2026-12-01", pickupTime: "09:00", passenger: "P-DESK")
            Self.expectRefused(desk, rule: "cutoff", field: "pickup_time", bookFrom: nil, earliestService: "2026-12-01T10:00:00.000+09:00")
            // Residents of another municipality are not bound by Okukawa's rules.
            let town = try await client.book(from: "hanaoka-yakuba-mae-meetingpoint", to: "hanaoka-station-station", municipality: "hanaoka-shi",
                                             date: "2026-12-01", pickupTime: "09:00", passenger: "P-TOWN")
            #expect(town.status == .created, "\(town.json)")
            #expect(try await stored(client, on: "2026-12-01") == 3)
            let metrics = MetricsTests.samples(String(decoding: try await client.call(.get, "/metrics", as: nil).bytes, as: UTF8.self))
            #expect(metrics[#"dispatch_booking_rule_refusals_total{rule="cutoff"}"#] == 3)
            // The refused booking left no idempotent answer: the same key and body, once allowed, books.
            clock.set("2026-11-29 12:00:00")
            let again = try await client.book(date: "2026-12-01", pickupTime: "09:00", passenger: "P-LATE", idempotencyKey: "late-1")
            #expect(again.status == .created, "\(again.json)")
            #expect(try await stored(client, on: "2026-12-01") == 4)
        }
    }

    @Test(arguments: ServerHarness.backends)
    func theMunicipalitysHorizonLetsItsLastDayBeBookedAndTheNextSaysWhenItCanBe(_ backend: ServerHarness.Backend) async throws {
        try await run(backend, at: "2026-11-30 12:00:00") { client, _ in
            // 14 days from 2026-11-30: up to 2026-12-14 (a Monday).
            let last = try await client.book(date: "2026-12-14", pickupTime: "11:00")
            #expect(last.status == .created, "\(last.json)")
            let far = try await client.book(date: "2026-12-15", pickupTime: "11:00")
            Self.expectRefused(far, rule: "horizon", field: "date", bookFrom: "2026-12-01T00:00:00.000+09:00", earliestService: nil)
            #expect(try await stored(client, on: "2026-12-15") == 0)
            // Elsewhere the server's horizon holds (the tests' server books far ahead).
            let town = try await client.book(from: "hanaoka-yakuba-mae-meetingpoint", to: "hanaoka-station-station", municipality: "hanaoka-shi",
                                             date: "2027-02-02", pickupTime: "11:00")
            #expect(town.status == .created, "\(town.json)")
        }
    }

    @Test(arguments: ServerHarness.backends)
    func aDayWithoutServiceOrAClosingDayIs422WithTheNextServiceAndSameDayTripsNeedNotice(_ backend: ServerHarness.Backend) async throws {
        try await run(backend, at: "2026-12-01 10:00:00") { client, _ in
            // 2026-12-06 is a Sunday: Okukawa rides on weekdays and Saturdays; Monday's service starts at 07:00.
            let sunday = try await client.book(date: "2026-12-06", pickupTime: "11:00")
            Self.expectRefused(sunday, rule: "service_days", field: "date", bookFrom: nil, earliestService: "2026-12-07T07:00:00.000+09:00")
            // 2026-12-03 is closed for everyone; the next service is 2026-12-04.
            let closed = try await client.book(from: "hanaoka-yakuba-mae-meetingpoint", to: "hanaoka-station-station", municipality: "hanaoka-shi",
                                               date: "2026-12-03", pickupTime: "11:00")
            Self.expectRefused(closed, rule: "closed_day", field: "date", bookFrom: nil, earliestService: "2026-12-04T06:30:00.000+09:00")
            // Today at 10:00: 60 minutes' notice.
            let soon = try await client.book(date: "2026-12-01", pickupTime: "10:59")
            Self.expectRefused(soon, rule: "min_notice", field: "pickup_time", bookFrom: nil, earliestService: "2026-12-01T11:00:00.000+09:00")
            let enough = try await client.book(date: "2026-12-01", pickupTime: "11:00")
            #expect(enough.status == .created, "\(enough.json)")
            for date in ["2026-12-01", "2026-12-03", "2026-12-06"] {
                #expect(try await stored(client, on: date) == (date == "2026-12-01" ? 1 : 0), "\(date)")
            }
        }
    }

    @Test(arguments: ServerHarness.backends)
    func wherePhoneBookingIsTheRuleABookingClientGets422AndTheOperatorBooks(_ backend: ServerHarness.Backend) async throws {
        try await run(backend, at: "2026-11-30 12:00:00") { client, _ in
            let app = try await client.book(from: "kitazawa-yakuba-mae-meetingpoint", to: "kitazawa-shogakko-mae-meetingpoint",
                                            municipality: "kitazawa-mura", date: "2026-12-01", pickupTime: "11:00")
            Self.expectRefused(app, rule: "operator_only", field: "municipality", bookFrom: nil, earliestService: nil)
            #expect(app.error?["phone"] as? String == "0265-88-0002")
            #expect((app.error?["message"] as? String)?.contains("0265-88-0002") == true)
            let desk = try await client.book("kitazawa", from: "kitazawa-yakuba-mae-meetingpoint", to: "kitazawa-shogakko-mae-meetingpoint",
                                             municipality: nil, date: "2026-12-01", pickupTime: "11:00")
            #expect(desk.status == .created, "\(desk.json)")
            let admin = try await client.book("admin", from: "kitazawa-yakuba-mae-meetingpoint", to: "kitazawa-shogakko-mae-meetingpoint",
                                              municipality: "kitazawa-mura", date: "2026-12-01", pickupTime: "12:00", passenger: "P-2")
            #expect(admin.status == .created, "\(admin.json)")
            #expect(try await stored(client, on: "2026-12-01") == 2)
        }
    }
}
