import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import HTTPTypes
import NIOCore
import RideRequestStore
import Testing

/// The console's day board (`/console/board`) through the real server: a dispatcher signs in with
/// its key, reads the date's bookings and plan, re-plans through the form (CSRF checked, progress
/// as server-sent events) and opens a vehicle's manifest.
@Suite struct ConsoleBoardTests {
    static let date = ServerHarness.summer

    /// A signed-in browser: the session cookie and the session's CSRF token.
    struct Browser {
        let client: ServerHarness.Client
        let cookie: String
        var csrf = ""

        struct Page {
            var status: HTTPResponse.Status
            var headers: HTTPFields
            var text: String
        }

        /// Signs in with the harness key `who` as a browser does: the sign-in page's CSRF cookie
        /// and field, then the key.
        static func signIn(_ client: ServerHarness.Client, as who: String) async throws -> Browser {
            let (_, signInHeaders, _) = try await client.send("/console/sign-in", .get, [:], nil)
            let csrfCookie = try #require(cookie("dispatch_csrf", in: signInHeaders))
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "dispatch_csrf=\(csrfCookie)"]
            headers[.accept] = "text/html"
            let key = client.keys[who]!.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let (status, answer, _) = try await client.send("/console/sign-in", .post, headers, ByteBuffer(string: "csrf=\(csrfCookie)&key=\(key)"))
            #expect(status == .seeOther)
            let session = try #require(cookie("dispatch_session", in: answer))
            var browser = Browser(client: client, cookie: "dispatch_session=\(session)")
            let home = try await browser.get("/console/board")
            browser.csrf = Self.field("csrf", in: home.text) ?? ""
            return browser
        }

        static func cookie(_ name: String, in headers: HTTPFields) -> String? {
            for value in headers[values: .setCookie] {
                let first = value.split(separator: ";")[0]
                let kv = first.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0] == name { return String(kv[1]) }
            }
            return nil
        }

        /// The value of the first hidden input named `name`.
        static func field(_ name: String, in html: String) -> String? {
            guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }

        func get(_ uri: String, accept: String = "text/html") async throws -> Page {
            let (status, headers, body) = try await client.send(uri, .get, [.cookie: cookie, .accept: accept], nil)
            return Page(status: status, headers: headers, text: String(buffer: body))
        }

        func post(_ uri: String, _ fields: [(String, String)], accept: String = "text/html") async throws -> Page {
            let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded", .accept: accept]
            let (status, answer, bytes) = try await client.send(uri, .post, headers, ByteBuffer(string: body))
            return Page(status: status, headers: answer, text: String(buffer: bytes))
        }
    }

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

            let browser = try await Browser.signIn(client, as: "dispatcher")
            let page = try await browser.get("/console/board?date=\(Self.date)&lang=en")
            #expect(page.status == .ok)
            #expect(page.text.contains("<html lang=\"en\">"))
            let table = try #require(Self.element("table", id: "bookings", in: page.text))
            for id in all { #expect(table.contains("data-booking=\"\(id)\""), "booking \(id) is listed") }
            // Stop names as the zone writes them (Japanese) with the romanized name beside.
            let stop = try #require(ServerHarness.zone.file.stops.first { $0.id == "okukawa-yakuba-mae-meetingpoint" })
            #expect(table.contains(stop.localName) && table.contains(stop.name))

            let map = try #require(Self.element("svg", id: "plan-map", in: page.text))
            #expect(map.contains("<g class=\"route\" data-vehicle=\"\(duty)\">"))
            #expect(map.contains("data-booking=\"\(booking)\""))
            // One route per duty with stops, one vehicle button for each.
            let duties = Set(served.map(\.duty))
            #expect(map.components(separatedBy: "<g class=\"route\"").count - 1 == duties.count)
            for d in duties { #expect(page.text.contains("class=\"vehicle\" data-vehicle=\"\(d)\"")) }
            let vehicle = ServiceZone.vehicleID(ofDuty: duty)
            #expect(page.text.contains("class=\"manifest-link\" data-vehicle=\"\(vehicle)\""))
            #expect(page.text.contains("id=\"timeline\"") && page.text.contains("id=\"unserved\"") && page.text.contains("id=\"call-list\""))
            #expect(page.text.contains("form id=\"replan\"") && page.text.contains("/console/static/board.js"))

            // The same filters on the server: a status no booking has lists none; a booking id finds that one.
            let cancelled = try await browser.get("/console/board?date=\(Self.date)&status=cancelled")
            #expect(cancelled.status == .ok && !cancelled.text.contains("<tr class=\"booking\""))
            let found = try await browser.get("/console/board?date=\(Self.date)&q=\(booking)")
            #expect(found.text.components(separatedBy: "<tr class=\"booking\"").count - 1 == 1 && found.text.contains("data-booking=\"\(booking)\" data-status"))
            let bad = try await browser.get("/console/board?date=2099-13-01")
            #expect(bad.status == .unprocessableContent && bad.text.contains("class=\"error\""))
            let badStatus = try await browser.get("/console/board?date=\(Self.date)&status=flying")
            #expect(badStatus.status == .unprocessableContent)

            // The script and styles it loads are served.
            let script = try await browser.get("/console/static/board.js")
            #expect(script.status == .ok && script.text.contains("EventSource"))
            let styles = try await browser.get("/console/static/board.css")
            #expect(styles.status == .ok && styles.text.contains("g.route"))
        }
    }

    @Test func anOperatorKeysSessionIsRefusedTheBoardItsReplanAndManifests() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let browser = try await Browser.signIn(client, as: "okukawa")
            let board = try await browser.get("/console/board?date=\(Self.date)")
            #expect(board.status == .forbidden && board.text.contains("class=\"error\""))
            let manifest = try await browser.get("/console/manifest?date=\(Self.date)&vehicle=okukawa-1")
            #expect(manifest.status == .forbidden)
            let replan = try await browser.post("/console/board/replan", [("date", Self.date), ("csrf", browser.csrf)])
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
            let browser = try await Browser.signIn(client, as: "dispatcher")
            #expect(browser.csrf.count >= 16)

            let missing = try await browser.post("/console/board/replan", [("date", Self.date), ("time_limit", "1")], accept: "application/json")
            #expect(missing.status == .forbidden && missing.text.contains("CSRF"))
            let wrong = try await browser.post("/console/board/replan", [("date", Self.date), ("time_limit", "1"), ("csrf", "x" + browser.csrf.dropFirst())],
                                               accept: "application/json")
            #expect(wrong.status == .forbidden)
            #expect(try await harness.store.latestPlan(serviceDate: Self.date) == nil, "no plan without the token")
            let badLimit = try await browser.post("/console/board/replan", [("date", Self.date), ("time_limit", "9999"), ("csrf", browser.csrf)])
            #expect(badLimit.status == .unprocessableContent && badLimit.text.contains("time_limit"))

            // With the token: the run starts in the background and its events end with `done`.
            let started = try await browser.post("/console/board/replan", [("date", Self.date), ("time_limit", "1"), ("csrf", browser.csrf)],
                                                 accept: "application/json")
            #expect(started.status == .accepted, "\(started.text)")
            let run = try #require(try JSONSerialization.jsonObject(with: Data(started.text.utf8)) as? [String: Any])
            let events = try #require(run["events"] as? String)
            let stream = try await browser.get(events, accept: "text/event-stream")
            #expect(stream.status == .ok && stream.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let names = stream.text.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
            #expect(names.first == "started" && names.last == "done", "\(stream.text)")
            let latest = try #require(try await harness.store.latestPlan(serviceDate: Self.date))
            #expect(stream.text.contains("\"version\":\(latest.version)"))
            #expect(latest.version == 1)

            // Another key's session cannot follow this run.
            let admin = try await Browser.signIn(client, as: "admin")
            let foreign = try await admin.get(events, accept: "text/event-stream")
            #expect(foreign.status == .notFound)

            // Without a script the form waits for the run and returns to the board with the new version.
            let plain = try await browser.post("/console/board/replan", [("date", Self.date), ("time_limit", "1"), ("csrf", browser.csrf)])
            #expect(plain.status == .seeOther)
            #expect(plain.headers[.location] == "/console/board?date=\(Self.date)&replanned=2")
            let board = try await browser.get("/console/board?date=\(Self.date)&replanned=2&lang=en")
            #expect(board.text.contains("Plan version 2 saved") && board.text.contains("data-version=\"2\""))
            // The second version's call list is shown (changes against version 1).
            let callList = try #require(Self.element("section", id: "call-list", in: board.text))
            #expect(callList.contains("version 1 → 2"))
        }
    }

    @Test func theManifestPageShowsAPlannedBookingOfTheVehicle() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let plan = try await Self.bookAndPlan(client)
            let (booking, duty) = try #require(Self.planned(plan).first)
            let vehicle = ServiceZone.vehicleID(ofDuty: duty)
            let browser = try await Browser.signIn(client, as: "dispatcher")
            let page = try await browser.get("/console/manifest?date=\(Self.date)&vehicle=\(vehicle)")
            #expect(page.status == .ok)
            #expect(page.text.contains(booking) && page.text.contains("Manifest — \(vehicle)"))
            let unknown = try await browser.get("/console/manifest?date=\(Self.date)&vehicle=nope")
            #expect(unknown.status == .notFound)
            let noPlan = try await browser.get("/console/manifest?date=2099-07-02&vehicle=\(vehicle)")
            #expect(noPlan.status == .notFound)
        }
    }
}
