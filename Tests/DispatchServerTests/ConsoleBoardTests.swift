import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import HTTPTypes
import NIOCore
import RideRequestStore
import StoreTestSupport
import Testing

/// The console's day board (`/console/board`) through the real server: a dispatcher signs in with
/// its key, reads the date's bookings and plan, re-plans through the form (CSRF checked, progress
/// as server-sent events) and opens a vehicle's manifest.
@Suite struct ConsoleBoardTests {
    static let date = ServerHarness.summer

    /// A dispatcher's (or another key's) signed-in browser and the session's CSRF token.
    static func signIn(_ client: ServerHarness.Client, as who: String) async throws -> (ConsoleSession, String) {
        let browser = ConsoleSession(client)
        let home = try await browser.signIn(who)
        return (browser, home.hidden("csrf") ?? "")
    }

    static let json: HTTPFields = [.accept: "application/json"]

    /// Books rides of the date and plans it through the API; the plan document.
    static func bookAndPlan(_ client: ServerHarness.Client) async throws -> [String: Any] {
        let ids = try await ManifestAPITests.bookDay(client)
        #expect(!ids.isEmpty)
        let plan = try await client.call(.post, "/v1/plans/\(date)", as: "dispatcher", json: ["time_limit": 1])
        #expect(plan.status == .created, "\(plan.json)")
        return plan.json
    }

    /// The bookings a plan serves, with their duties.
    static func planned(_ plan: [String: Any]) -> [(booking: String, duty: String)] {
        (plan["vehicles"] as? [[String: Any]] ?? []).flatMap { route in
            (route["stops"] as? [[String: Any]] ?? []).compactMap { s in
                s["action"] as? String == "pickup" ? (s["booking_id"] as? String ?? "", route["id"] as? String ?? "") : nil
            }
        }
    }

    /// The part of `html` from the element with `id` to the end of that element's kind (`</svg>`, `</table>`, …).
    static func element(_ tag: String, id: String, in html: String) -> String? {
        guard let start = html.range(of: "<\(tag) "), let idRange = html.range(of: "id=\"\(id)\"") else { return nil }
        let open = html[..<idRange.lowerBound].range(of: "<\(tag)", options: .backwards) ?? start
        guard let end = html[open.lowerBound...].range(of: "</\(tag)>") else { return nil }
        return String(html[open.lowerBound..<end.upperBound])
    }

    @Test(arguments: ServerHarness.backends)
    func aDispatchersBoardListsTheDatesBookingsAndDrawsThePlanWithItsBookings(_ backend: ServerHarness.Backend) async throws {
        let harness = try await ServerHarness.make(backend)
        try await harness.run { client in
            let plan = try await Self.bookAndPlan(client)
            let bookings = try await client.call(.get, "/v1/bookings?date=\(Self.date)", as: "dispatcher")
            let all = (bookings["bookings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(all.count >= 2)
            let served = Self.planned(plan)
            let (booking, duty) = try #require(served.first)

            let (browser, _) = try await Self.signIn(client, as: "dispatcher")
            let page = try await browser.get("/console/board?date=\(Self.date)")
            #expect(page.status == .ok)
            #expect(page.html.contains("<html lang=\"en\">"))
            let table = try #require(Self.element("table", id: "bookings", in: page.html))
            for id in all { #expect(table.contains("data-booking=\"\(id)\""), "booking \(id) is listed") }
            // Stop names as the zone writes them (Japanese) with the romanized name beside.
            let stop = try #require(ServerHarness.zone.file.stops.first { $0.id == "okukawa-yakuba-mae-meetingpoint" })
            #expect(table.contains(stop.localName) && table.contains(stop.name))

            let map = try #require(Self.element("svg", id: "plan-map", in: page.html))
            #expect(map.contains("<g class=\"route\" data-vehicle=\"\(duty)\">"))
            #expect(map.contains("data-booking=\"\(booking)\""))
            // One route per duty with stops, one vehicle button for each.
            let duties = Set(served.map(\.duty))
            #expect(map.components(separatedBy: "<g class=\"route\"").count - 1 == duties.count)
            for d in duties { #expect(page.html.contains("class=\"vehicle\" data-vehicle=\"\(d)\"")) }
            // Every stop of the plan is drawn at its place, on the map and on the timeline.
            let stops = (plan["vehicles"] as? [[String: Any]] ?? []).reduce(0) { $0 + (($1["stops"] as? [Any])?.count ?? 0) }
            #expect(map.components(separatedBy: "<circle class=\"stop").count - 1 == stops)
            let timeline = try #require(Self.element("div", id: "timeline", in: page.html))
            #expect(timeline.components(separatedBy: "class=\"service\" data-booking=").count - 1 == stops)
            let vehicle = ServiceZone.vehicleID(ofDuty: duty)
            #expect(page.html.contains("class=\"manifest-link\" data-vehicle=\"\(vehicle)\""))
            #expect(page.html.contains("id=\"timeline\"") && page.html.contains("id=\"unserved\"") && page.html.contains("id=\"call-list\""))
            #expect(page.html.contains("form id=\"replan\"") && page.html.contains("/console/static/board.js"))

            // The same filters on the server: a status no booking has lists none; a booking id finds that one.
            let cancelled = try await browser.get("/console/board?date=\(Self.date)&status=cancelled")
            #expect(cancelled.status == .ok && !cancelled.html.contains("<tr class=\"booking\""))
            let found = try await browser.get("/console/board?date=\(Self.date)&q=\(booking)")
            #expect(found.html.components(separatedBy: "<tr class=\"booking\"").count - 1 == 1 && found.html.contains("data-booking=\"\(booking)\" data-status"))
            let bad = try await browser.get("/console/board?date=2099-13-01")
            #expect(bad.status == .unprocessableContent && bad.html.contains("class=\"error\""))
            let badStatus = try await browser.get("/console/board?date=\(Self.date)&status=flying")
            #expect(badStatus.status == .unprocessableContent)

            // The script and styles it loads are served.
            let script = try await browser.get("/console/static/board.js")
            #expect(script.status == .ok && script.html.contains("EventSource"))
            let styles = try await browser.get("/console/static/board.css")
            #expect(styles.status == .ok && styles.html.contains("g.route"))
        }
    }

    @Test func anOperatorKeysSessionIsRefusedTheBoardItsReplanAndManifests() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let (browser, csrf) = try await Self.signIn(client, as: "okukawa")
            let board = try await browser.get("/console/board?date=\(Self.date)")
            #expect(board.status == .forbidden && board.html.contains("class=\"error\""))
            let manifest = try await browser.get("/console/manifest?date=\(Self.date)&vehicle=okukawa-1")
            #expect(manifest.status == .forbidden)
            let replan = try await browser.post("/console/board/replan", [("date", Self.date), ("csrf", csrf)], csrfFrom: nil)
            #expect(replan.status == .forbidden)
            #expect(try await harness.store.latestPlan(serviceDate: Self.date) == nil)
            // Without a session the board sends the browser to sign in.
            let (status, headers, _) = try await client.send("/console/board", .get, [:], nil)
            #expect(status == .seeOther && headers[.location] == "/console/sign-in")
        }
    }

    @Test(arguments: ServerHarness.backends)
    func aReplanThroughTheFormNeedsTheCSRFTokenAndStreamsItsRunToDone(_ backend: ServerHarness.Backend) async throws {
        let harness = try await ServerHarness.make(backend)
        try await harness.run { client in
            _ = try await ManifestAPITests.bookDay(client)
            let (browser, csrf) = try await Self.signIn(client, as: "dispatcher")
            #expect(csrf.count >= 16)

            let missing = try await browser.send(.post, "/console/board/replan", form: [("date", Self.date), ("time_limit", "1")], extraHeaders: Self.json)
            #expect(missing.status == .forbidden && missing.html.contains("CSRF"))
            let wrong = try await browser.send(.post, "/console/board/replan", form: [("date", Self.date), ("time_limit", "1"), ("csrf", "x" + csrf.dropFirst())],
                                               extraHeaders: Self.json)
            #expect(wrong.status == .forbidden)
            #expect(try await harness.store.latestPlan(serviceDate: Self.date) == nil, "no plan without the token")
            let badLimit = try await browser.send(.post, "/console/board/replan", form: [("date", Self.date), ("time_limit", "9999"), ("csrf", csrf)])
            #expect(badLimit.status == .unprocessableContent && badLimit.html.contains("time_limit"))

            // With the token: the run starts in the background and its events end with `done`.
            let started = try await browser.send(.post, "/console/board/replan", form: [("date", Self.date), ("time_limit", "1"), ("csrf", csrf)],
                                                 extraHeaders: Self.json)
            #expect(started.status == .accepted, "\(started.html)")
            let run = try #require(try JSONSerialization.jsonObject(with: Data(started.html.utf8)) as? [String: Any])
            let events = try #require(run["events"] as? String)
            let stream = try await browser.send(.get, events, extraHeaders: [.accept: "text/event-stream"])
            #expect(stream.status == .ok && stream.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let names = stream.html.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
            #expect(names.first == "started" && names.last == "done", "\(stream.html)")
            let latest = try #require(try await harness.store.latestPlan(serviceDate: Self.date))
            #expect(stream.html.contains("\"version\":\(latest.version)"))
            #expect(latest.version == 1)

            // Another key's session cannot follow this run.
            let (admin, _) = try await Self.signIn(client, as: "admin")
            let foreign = try await admin.send(.get, events, extraHeaders: [.accept: "text/event-stream"])
            #expect(foreign.status == .notFound)

            // Without a script the form waits for the run and returns to the board with the new version.
            let plain = try await browser.send(.post, "/console/board/replan", form: [("date", Self.date), ("time_limit", "1"), ("csrf", csrf)])
            #expect(plain.status == .seeOther)
            #expect(plain.headers[.location] == "/console/board?date=\(Self.date)&replanned=2")
            let board = try await browser.get("/console/board?date=\(Self.date)&replanned=2")
            #expect(board.html.contains("Plan version 2 saved") && board.html.contains("data-version=\"2\""))
            // The second version's call list is shown (changes against version 1).
            let callList = try #require(Self.element("section", id: "call-list", in: board.html))
            #expect(callList.contains("version 1 → 2"))
        }
    }

    @Test func onTheServiceDayTheBoardReplansTheRestOfTheDayFromNow() async throws {
        let harness = try await ServerHarness.make(.sqlite)
        let clock = BookingRulesAPITests.Clock("2026-11-30 12:00:00")
        try await harness.run(configure: { $0.now = { clock.now() } }) { client in
            let date = "2026-12-01"
            for (n, time) in ["08:30", "09:00", "13:00", "15:00"].enumerated() {
                let answer = try await client.book(date: date, pickupTime: time, passenger: "P-\(n)")
                #expect(answer["status"] as? String == "accepted", "\(answer.json)")
            }
            #expect(try await client.call(.post, "/v1/plans/\(date)", as: "dispatcher", json: ["time_limit": 1]).status == .created)
            let (browser, csrf) = try await Self.signIn(client, as: "dispatcher")
            // The day before, "from now" is not offered, and asking for it anyway names the field.
            let before = try await browser.get("/console/board?date=\(date)")
            #expect(!before.html.contains("id=\"replan-from-now\""))
            let refused = try await browser.send(.post, "/console/board/replan", form: [("date", date), ("time_limit", "1"), ("from_now", "on"), ("csrf", csrf)])
            #expect(refused.status == .unprocessableContent && refused.html.contains("data-field=\"from_now\""))
            // On the day at 11:00: the morning's stops stay as they were (done), the rest is planned after 11:00.
            clock.set("2026-12-01 11:00:00")
            let board = try await browser.get("/console/board?date=\(date)")
            #expect(board.html.contains("id=\"replan-from-now\""))
            let replanned = try await browser.send(.post, "/console/board/replan", form: [("date", date), ("time_limit", "1"), ("from_now", "on"), ("csrf", csrf)])
            #expect(replanned.status == .seeOther)
            let plan = try await client.call(.get, "/v1/plans/\(date)", as: "dispatcher")
            #expect(plan["version"] as? Int == 2)
            let stops = (plan["vehicles"] as? [[String: Any]] ?? []).flatMap { $0["stops"] as? [[String: Any]] ?? [] }
            let done = stops.filter { $0["done"] as? Bool == true }
            #expect(!done.isEmpty, "the morning's stops are kept as done")
            // Done: what was planned before 11:00, and at most one stop per vehicle after it (the
            // stop a vehicle that has left is heading for is not diverted; README "Re-plans").
            #expect(done.contains { ($0["time"] as? String ?? "") < "11:00" })
            for route in plan["vehicles"] as? [[String: Any]] ?? [] {
                let late = (route["stops"] as? [[String: Any]] ?? []).filter { $0["done"] as? Bool == true && ($0["time"] as? String ?? "") >= "11:00" }
                #expect(late.count <= 1, "\(route["id"] ?? "")")
            }
            #expect(stops.filter { $0["done"] as? Bool != true }.allSatisfy { ($0["time"] as? String ?? "") >= "11:00" })
        }
    }

    @Test func theManifestPageShowsAPlannedBookingOfTheVehicle() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let plan = try await Self.bookAndPlan(client)
            let (booking, duty) = try #require(Self.planned(plan).first)
            let vehicle = ServiceZone.vehicleID(ofDuty: duty)
            let (browser, _) = try await Self.signIn(client, as: "dispatcher")
            let page = try await browser.get("/console/manifest?date=\(Self.date)&vehicle=\(vehicle)")
            #expect(page.status == .ok)
            #expect(page.html.contains(booking) && page.html.contains("Manifest — \(vehicle)"))
            let unknown = try await browser.get("/console/manifest?date=\(Self.date)&vehicle=nope")
            #expect(unknown.status == .notFound)
            let noPlan = try await browser.get("/console/manifest?date=2099-07-02&vehicle=\(vehicle)")
            #expect(noPlan.status == .notFound)
        }
    }
}
