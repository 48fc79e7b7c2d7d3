import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import RideRequestStore
import StoreTestSupport
import Testing
@testable import DispatchServer

@Suite("Console: sign-in and phone booking")
struct ConsoleBookingTests {
    static let date = ServerHarness.summer

    static func bookingForm(passenger: String, pickup: String, dropoff: String, time: String = "10:00", party: String = "1",
                            token: String = "") -> [(String, String)] {
        [("passenger_ref", passenger), ("pickup_text", pickup), ("pickup_stop", ""), ("dropoff_text", dropoff), ("dropoff_stop", ""),
         ("date", date), ("time_kind", "pickup"), ("time", time), ("party_size", party), ("wheelchairs", "0"), ("concession", ""),
         ("notes", ""), ("form_token", token)]
    }

    @Test("an operator signs in, books by typing stop names in kana and kanji, and the promised window is the stored booking's",
          arguments: ServerHarness.backends)
    func operatorBooksByKana(_ backend: ServerHarness.Backend) async throws {
        let harness = try await ServerHarness.make(backend)
        try await harness.run { client in
            let browser = ConsoleSession(client)
            let home = try await browser.signIn("okukawa")
            #expect(home.status == .ok)
            #expect(home.contains("id=\"booking\""))
            #expect(browser.cookies["dispatch_session"] != nil)
            let answer = try await browser.post("/console/book", Self.bookingForm(passenger: "R-100", pickup: "おくかわやくばまえ", dropoff: "県立花岡病院"),
                                                 csrfFrom: home)
            #expect(answer.status == .ok)
            #expect(answer.contains("data-outcome=\"accepted\""), "\(answer.html.prefix(3000))")
            let window = try #require(answer.text(id: "promised-window"))
            let id = try #require(answer.text(id: "booking-id"))
            let stored = try await client.call(.get, "/v1/bookings/\(id)", as: "admin")
            #expect(stored["status"] as? String == "accepted")
            #expect(stored["channel"] as? String == "phone")
            #expect((stored["pickup"] as? [String: Any])?["stop_id"] as? String == "okukawa-yakuba-mae-meetingpoint")
            #expect((stored["dropoff"] as? [String: Any])?["stop_id"] as? String == "hanaoka-prefectural-hospital-hospital")
            let promised = try #require(stored["promised_pickup"] as? [String: String])
            #expect(window == "\(promised["from"]!.prefix(5))–\(promised["to"]!.prefix(5))")
            // The caller's trips list it, with one-click rebooking that fills the form with the same trip.
            let trips = try await browser.get("/console/book?passenger=R-100")
            #expect(trips.contains("data-booking=\"\(id)\""))
            // The trip names its stops (Japanese name, romanized name).
            #expect(trips.contains("奥川役場前 (Okukawa Yakuba-mae)"))
            #expect(trips.contains("県立花岡病院 (Hanaoka Prefectural Hospital)"))
            let rebook = try await browser.get("/console/book?passenger=R-100&rebook=\(id)")
            #expect(rebook.hidden("pickup_stop") == "okukawa-yakuba-mae-meetingpoint")
            #expect(rebook.hidden("dropoff_stop") == "hanaoka-prefectural-hospital-hospital")
            #expect(rebook.contains("value=\"奥川役場前 (Okukawa Yakuba-mae)\""))
        }
    }

    @Test("a resubmitted booking form replays its first answer instead of booking twice", arguments: ServerHarness.backends)
    func doubleSubmitReplays(_ backend: ServerHarness.Backend) async throws {
        let harness = try await ServerHarness.make(backend)
        try await harness.run { client in
            let browser = ConsoleSession(client)
            let home = try await browser.signIn("okukawa")
            let form = Self.bookingForm(passenger: "R-200", pickup: "Okukawa Yakuba-mae", dropoff: "Hanaoka Prefectural Hospital",
                                        token: try #require(home.hidden("form_token")))
            let first = try await browser.post("/console/book", form, csrfFrom: home)
            let second = try await browser.post("/console/book", form, csrfFrom: home)
            #expect(first.text(id: "booking-id") != nil)
            #expect(first.text(id: "booking-id") == second.text(id: "booking-id"))
            let listed = try await client.call(.get, "/v1/bookings?date=\(Self.date)", as: "admin")
            #expect((listed["bookings"] as? [[String: Any]])?.filter { $0["passenger_ref"] as? String == "R-200" }.count == 1)
        }
    }

    @Test("a form posted without its CSRF token is refused with 403 and nothing is stored", arguments: ServerHarness.backends)
    func missingCSRFIsRefused(_ backend: ServerHarness.Backend) async throws {
        let harness = try await ServerHarness.make(backend)
        try await harness.run { client in
            let browser = ConsoleSession(client)
            try await browser.signIn("okukawa")
            let refused = try await browser.post("/console/book", Self.bookingForm(passenger: "R-300", pickup: "奥川役場前", dropoff: "県立花岡病院"),
                                                 csrfFrom: nil)
            #expect(refused.status == .forbidden)
            #expect(refused.contains("CSRF"))
            var forged = Self.bookingForm(passenger: "R-300", pickup: "奥川役場前", dropoff: "県立花岡病院")
            forged.append(("csrf", "abcdefghijkmnpqrstuvwxyz23456789"))
            #expect(try await browser.send(.post, "/console/book", form: forged).status == .forbidden)
            let listed = try await client.call(.get, "/v1/bookings?date=\(Self.date)", as: "admin")
            #expect((listed["bookings"] as? [[String: Any]])?.isEmpty == true)
            // Signing in needs the sign-in page's token too.
            let outsider = ConsoleSession(client)
            #expect(try await outsider.send(.post, "/console/sign-in", form: [("key", client.keys["okukawa"]!)]).status == .forbidden)
            #expect(outsider.cookies["dispatch_session"] == nil)
        }
    }

    @Test("the session cookie is HttpOnly and SameSite=Strict, wrong keys and driver keys cannot sign in, and revoking a key ends its session")
    func sessionRules() async throws {
        let harness = try await ServerHarness.make(.sqlite)
        let driver = try await harness.store.createAPIKey(role: .driver, municipality: nil, vehicle: "okukawa-1", label: "d", actor: "test").secret
        try await harness.run { client in
            let browser = ConsoleSession(client)
            let form = try await browser.get("/console/sign-in")
            let signedIn = try await browser.post("/console/sign-in", [("key", client.keys["dispatcher"]!)], csrfFrom: form)
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("dispatch_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console"))
            #expect(!cookie.contains("Secure"))
            #expect(try await browser.get("/console/board").status == .ok)
            // An operator page is not for a dispatcher.
            #expect(try await browser.get("/console/book").status == .forbidden)

            let wrong = ConsoleSession(client)
            let wrongForm = try await wrong.get("/console/sign-in")
            #expect(try await wrong.post("/console/sign-in", [("key", "dk_" + String(repeating: "a", count: 32))], csrfFrom: wrongForm).status == .unauthorized)
            let driverForm = try await wrong.get("/console/sign-in")
            #expect(try await wrong.post("/console/sign-in", [("key", driver)], csrfFrom: driverForm).status == .forbidden)
            #expect(wrong.cookies["dispatch_session"] == nil)

            // Over TLS (a proxy says so) the cookie is Secure.
            let proxied = ConsoleSession(client)
            let proxiedForm = try await proxied.get("/console/sign-in")
            var fields = [("key", client.keys["dispatcher"]!)]
            fields.append(("csrf", proxiedForm.hidden("csrf")!))
            let secure = try await proxied.send(.post, "/console/sign-in", form: fields, extraHeaders: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(secure.headers[values: .setCookie].contains { $0.hasPrefix("dispatch_session=") && $0.contains("Secure") })

            let keyID = try #require(try await harness.store.apiKey(secret: client.keys["dispatcher"]!)?.id)
            #expect(try await harness.store.revokeAPIKey(id: keyID, actor: "test"))
            let after = try await browser.get("/console/board")
            #expect(after.status == .seeOther)
            #expect(after.location == "/console/sign-in")
        }
    }

    @Test("signing out ends the session on the server, not only in the browser")
    func signOut() async throws {
        let harness = try await ServerHarness.make(.sqlite)
        try await harness.run { client in
            let browser = ConsoleSession(client)
            let home = try await browser.signIn("okukawa")
            let token = try #require(browser.cookies["dispatch_session"])
            let out = try await browser.post("/console/sign-out", [], csrfFrom: home)
            #expect(out.status == .seeOther)
            #expect(try await harness.store.consoleSession(token: token) == nil)
            let replay = ConsoleSession(client)
            replay.cookies["dispatch_session"] = token
            #expect(try await replay.get("/console/book").status == .seeOther)
        }
    }

    @Test("an operator of another municipality sees none of a resident's trips and cannot cancel them", arguments: ServerHarness.backends)
    func otherMunicipalitySeesNothing(_ backend: ServerHarness.Backend) async throws {
        let harness = try await ServerHarness.make(backend)
        try await harness.run { client in
            let booked = try await client.book("okukawa", passenger: "R-400")
            let id = try #require(booked["id"] as? String)
            let other = ConsoleSession(client)
            let home = try await other.signIn("kitazawa")
            let search = try await other.get("/console/book?passenger=R-400")
            #expect(!search.contains(id))
            #expect(search.contains("class=\"none\""))
            #expect(try await other.get("/console/book?passenger=R-400&rebook=\(id)").hidden("pickup_stop") == "")
            let cancel = try await other.post("/console/bookings/\(id)/cancel", [], csrfFrom: home)
            #expect(cancel.status == .notFound)
            #expect(try await client.call(.get, "/v1/bookings/\(id)", as: "admin")["status"] as? String == "accepted")
            // Its own operator cancels it from the trips list.
            let own = ConsoleSession(client)
            let ownHome = try await own.signIn("okukawa")
            #expect(try await own.post("/console/bookings/\(id)/cancel", [], csrfFrom: ownHome).status == .seeOther)
            #expect(try await client.call(.get, "/v1/bookings/\(id)", as: "admin")["status"] as? String == "cancelled")
        }
    }

    @Test("a rejected phone booking offers nearby times, and one click on an alternative books it")
    func alternativeInOneClick() async throws {
        let harness = try await ServerHarness.make(.sqlite)
        try await harness.run { client in
            let browser = ConsoleSession(client)
            let home = try await browser.signIn("okukawa")
            var rejected: ConsoleSession.Page?
            for i in 0..<40 {
                let page = try await browser.post("/console/book", Self.bookingForm(passenger: "R-5\(i)", pickup: "奥川役場前", dropoff: "県立花岡病院",
                                                                                   party: "3"), csrfFrom: home)
                if page.contains("data-outcome=\"rejected\"") && page.contains("class=\"alternative\"") { rejected = page; break }
            }
            let page = try #require(rejected, "40 bookings of 3 at the same time never filled the village's vehicles")
            #expect(page.text(id: "reason")?.isEmpty == false)
            // The first alternative's form, posted as it is.
            let start = try #require(page.html.range(of: "<form class=\"alternative\""))
            let formHTML = String(page.html[start.lowerBound...].prefix { $0 != "/" || true }.prefix(4000))
            let end = try #require(formHTML.range(of: "</form>"))
            var fields: [(String, String)] = []
            var rest = formHTML[..<end.lowerBound]
            while let r = rest.range(of: "name=\"") {
                let name = String(rest[r.upperBound...].prefix { $0 != "\"" })
                let v = try #require(rest[r.upperBound...].range(of: "value=\""))
                let value = String(rest[v.upperBound...].prefix { $0 != "\"" })
                fields.append((name, value.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")))
                rest = rest[v.upperBound...]
            }
            let taken = try await browser.send(.post, "/console/book", form: fields)
            #expect(taken.contains("data-outcome=\"accepted\""))
            let time = try #require(fields.first { $0.0 == "time" }?.1)
            let id = try #require(taken.text(id: "booking-id"))
            #expect(try await client.call(.get, "/v1/bookings/\(id)", as: "admin")["pickup_time"] as? String == time + ":00")
        }
    }

    @Test("a stop name that fits several stops is refused naming them, and bad numbers name their field")
    func ambiguousStopsAndBadNumbers() async throws {
        let harness = try await ServerHarness.make(.sqlite)
        try await harness.run { client in
            let browser = ConsoleSession(client)
            let home = try await browser.signIn("okukawa")
            let page = try await browser.post("/console/book", Self.bookingForm(passenger: "R-600", pickup: "湯沢", dropoff: "県立花岡病院", party: "two"),
                                              csrfFrom: home)
            #expect(page.status == .unprocessableContent)
            #expect(page.contains("data-field=\"party_size\""))
            let none = try await browser.post("/console/book", Self.bookingForm(passenger: "R-600", pickup: "存在しない停留所", dropoff: "県立花岡病院"),
                                              csrfFrom: home)
            #expect(none.contains("data-field=\"pickup\""))
            // A date outside the rules names the date field, as the API does.
            var past = Self.bookingForm(passenger: "R-600", pickup: "奥川役場前", dropoff: "県立花岡病院")
            past[5] = ("date", "2001-01-01")
            let refused = try await browser.post("/console/book", past, csrfFrom: home)
            #expect(refused.contains("data-field=\"date\""))
            let listed = try await client.call(.get, "/v1/bookings?date=\(Self.date)", as: "admin")
            #expect((listed["bookings"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test("the language follows Accept-Language, and ?lang= switches it and is remembered")
    func language() async throws {
        let harness = try await ServerHarness.make(.sqlite)
        try await harness.run { client in
            let japanese = ConsoleSession(client, language: "ja,en;q=0.5")
            let ja = try await japanese.get("/console/sign-in")
            #expect(ja.contains("<html lang=\"ja\">"))
            let english = ConsoleSession(client, language: "en-GB,en;q=0.9,ja;q=0.8")
            let en = try await english.get("/console/sign-in")
            #expect(en.contains("<html lang=\"en\">"))
            let switched = try await english.get("/console/sign-in?lang=ja")
            #expect(switched.contains("<html lang=\"ja\">"))
            #expect(english.cookies["dispatch_lang"] == "ja")
            let remembered = try await english.get("/console/sign-in")
            #expect(remembered.contains("<html lang=\"ja\">"))
        }
    }
}

@Suite("Console: finding stops by what an operator types")
struct StopFinderTests {
    let finder = StopFinder(zone: ServerHarness.zone)

    @Test("kana, katakana, romaji with or without macrons and kanji find the same stop")
    func spellings() {
        for typed in ["おおくぼ", "オオクボ", "Ōkubo", "okubo", "Okubo", "大久保"] {
            #expect(finder.exact(typed).map(\.id) == ["okubo-hamlet"], "\(typed)")
        }
        #expect(finder.exact("おくかわしょうがっこうまえ").map(\.id) == ["okukawa-shogakko-mae-meetingpoint"])
        #expect(finder.find("ゆざわ").map(\.id).contains("yuzawa-kominkan-mae-meetingpoint"))
        #expect(finder.find("ゆざわ").first?.id == "yuzawa-hamlet")
        #expect(finder.find("xyzzy").isEmpty)
    }

    @Test("kana becomes Hepburn romaji: contracted sounds, small tsu, long vowels")
    func romaji() {
        #expect(StopFinder.romaji(ofKana: "しんばし") == "shinbashi")
        #expect(StopFinder.fold(romaji: "Shimbashi") == StopFinder.fold(romaji: StopFinder.romaji(ofKana: "しんばし")))
        #expect(StopFinder.romaji(ofKana: "きょうと") == "kyouto")
        #expect(StopFinder.fold(romaji: "Kyōto") == StopFinder.fold(romaji: "kyouto"))
        #expect(StopFinder.romaji(ofKana: "はっとり") == "hattori")
        #expect(StopFinder.romaji(ofKana: "チャーハン") == "chahan")
        #expect(StopFinder.romaji(ofKana: "つじ") == "tsuji")
    }

    @Test("an operator's own municipality's stops come first among equal matches")
    func ownMunicipalityFirst() {
        let all = finder.find("公民館前", preferring: "kitazawa-mura", limit: 50)
        let firstOther = all.firstIndex { $0.municipality != "kitazawa-mura" } ?? all.count
        #expect(firstOther > 0)
        #expect(all[firstOther...].allSatisfy { $0.municipality != "kitazawa-mura" })
    }
}

@Suite("Console: standing bookings")
struct ConsoleStandingTests {
    @Test("an operator creates a weekly pattern from the console: its dates are booked through the desk, listed, and cancelled with it",
          arguments: ServerHarness.backends)
    func createListCancel(_ backend: ServerHarness.Backend) async throws {
        let harness = try await ServerHarness.make(backend)
        try await harness.run { client in
            let browser = ConsoleSession(client)
            try await browser.signIn("okukawa")
            let page = try await browser.get("/console/standing")
            #expect(page.contains("id=\"standing-create\""))
            let created = try await browser.post("/console/standing", [
                ("passenger_ref", "R-700"), ("pickup_text", "おくかわやくばまえ"), ("pickup_stop", ""), ("dropoff_text", "県立花岡病院"),
                ("dropoff_stop", ""), ("weekday_wed", "on"), ("from", "2099-07-01"), ("until", "2099-07-15"), ("time_kind", "pickup"),
                ("time", "09:30"), ("party_size", "1"), ("wheelchairs", "0"), ("skip_holidays", "on"),
            ], csrfFrom: page)
            #expect(created.status == .ok)
            #expect(created.contains("id=\"standing-created\""), "\(created.html.suffix(2500))")
            let standing = try await client.call(.get, "/v1/standing-bookings", as: "admin")
            let list = try #require(standing["standing_bookings"] as? [[String: Any]])
            #expect(list.count == 1)
            let id = try #require(list.first?["id"] as? String)
            #expect(list.first?["weekdays"] as? [String] == ["wed"])
            // Wednesdays 07-01, 07-08 and 07-15 were booked through the desk.
            let document = try await client.call(.get, "/v1/standing-bookings/\(id)", as: "admin")
            let occurrences = try #require(document["occurrences"] as? [[String: Any]])
            #expect(occurrences.compactMap { $0["date"] as? String }.sorted() == ["2099-07-01", "2099-07-08", "2099-07-15"])
            #expect(created.contains("data-standing=\"\(id)\""))
            // No weekday: refused naming the field, nothing stored.
            let refused = try await browser.post("/console/standing", [
                ("passenger_ref", "R-701"), ("pickup_text", "奥川役場前"), ("dropoff_text", "県立花岡病院"), ("from", "2099-07-01"),
                ("time_kind", "pickup"), ("time", "09:30"), ("party_size", "1"), ("wheelchairs", "0"),
            ], csrfFrom: page)
            #expect(refused.contains("data-field=\"weekdays\""))
            let cancelled = try await browser.post("/console/standing/\(id)/cancel", [], csrfFrom: page)
            #expect(cancelled.status == .seeOther)
            let after = try await client.call(.get, "/v1/standing-bookings/\(id)", as: "admin")
            #expect(after["status"] as? String == "cancelled")
        }
    }
}

@Suite("Console: choosing a place on the map")
struct ConsoleMapTests {
    @Test("the booking map marks every stop of the zone and carries its projection; a typed point books like a stop")
    func mapAndPoint() async throws {
        let harness = try await ServerHarness.make(.sqlite)
        try await harness.run { client in
            let browser = ConsoleSession(client)
            let home = try await browser.signIn("okukawa")
            #expect(home.contains("id=\"map-picker\""))
            let map = try await browser.get("/console/book/map")
            #expect(map.status == .ok)
            #expect(map.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
            for stop in ServerHarness.zone.file.stops { #expect(map.contains("data-stop=\"\(stop.id)\""), "\(stop.id)") }
            for attribute in ["data-min-lon", "data-max-lat", "data-scale", "data-k"] { #expect(map.contains(attribute)) }
            // The projection the page's script inverts: a stop's circle is where its position projects to.
            func number(_ name: String) throws -> Double {
                let r = try #require(map.html.range(of: "\(name)=\""))
                return try #require(Double(map.html[r.upperBound...].prefix { $0 != "\"" }))
            }
            let minLon = try number("data-min-lon"), maxLat = try number("data-max-lat"), scale = try number("data-scale"), k = try number("data-k")
            let stop = try #require(ServerHarness.zone.file.stops.first { $0.id == "okukawa-yakuba-mae-meetingpoint" })
            let circle = try #require(map.html.range(of: "data-stop=\"\(stop.id)\" cx=\""))
            let cx = try #require(Double(map.html[circle.upperBound...].prefix { $0 != "\"" }))
            #expect(abs((stop.position[0] - minLon) * k * scale - cx) < 0.2)
            let cy = try #require(Double(map.html[circle.upperBound...].drop { $0 != "y" }.dropFirst(3).prefix { $0 != "\"" }))
            #expect(abs((minLon + cx / (k * scale)) - stop.position[0]) < 1e-3)
            #expect(abs((maxLat - cy / scale) - stop.position[1]) < 1e-3)
            // A point given as "lat, lon" (what a click off the stops fills in) is booked as a point.
            var form = ConsoleBookingTests.bookingForm(passenger: "R-800", pickup: String(format: "%.6f, %.6f", stop.position[1], stop.position[0]),
                                                       dropoff: "県立花岡病院")
            form.append(("csrf", home.hidden("csrf")!))
            let answer = try await browser.send(.post, "/console/book", form: form)
            #expect(answer.contains("data-outcome=\"accepted\""), "\(answer.html.suffix(1500))")
            let id = try #require(answer.text(id: "booking-id"))
            let stored = try await client.call(.get, "/v1/bookings/\(id)", as: "admin")
            let pickup = try #require(stored["pickup"] as? [String: Any])
            #expect(pickup["stop_id"] == nil)
            #expect(abs((pickup["lat"] as? Double ?? 0) - stop.position[1]) < 1e-5)
        }
    }
}
