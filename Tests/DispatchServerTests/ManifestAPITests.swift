import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HTTPTypes
import RideRequestStore
import Testing

/// Drivers' manifests (`GET /v1/vehicles/{id}/manifest`) and driver keys, through the real server:
/// rides booked on a summer weekday, a plan run through the API, then each role reads manifests.
@Suite struct ManifestAPITests {
    static let date = ServerHarness.summer

    /// Rides from two villages in the morning and the afternoon (so that both duties of a
    /// two-shift vehicle may get work), one with notes that need escaping and a concession.
    static func bookDay(_ client: ServerHarness.Client) async throws -> [String] {
        var ids: [String] = []
        let rides: [(String, String, String, String, String)] = [
            ("okukawa", "okukawa-yakuba-mae-meetingpoint", "hanaoka-prefectural-hospital-hospital", "okukawa-mura", "08:30"),
            ("okukawa", "yuzawa-hamlet", "okukawa-mura-towncentre", "okukawa-mura", "09:15"),
            ("booking", "kumoi-onsen-hamlet", "kitazawa-mura-towncentre", "kitazawa-mura", "10:00"),
            ("booking", "hanaoka-prefectural-hospital-hospital", "okukawa-yakuba-mae-meetingpoint", "okukawa-mura", "14:00"),
            ("booking", "kitazawa-mura-towncentre", "momose-hamlet", "kitazawa-mura", "15:30"),
        ]
        for (n, (who, from, to, municipality, time)) in rides.enumerated() {
            var body: [String: Any] = ["passenger_ref": "P-\(n + 1)", "pickup": ["stop_id": from], "dropoff": ["stop_id": to], "date": date,
                                       "pickup_time": time, "party_size": 1 + n % 2, "wheelchairs": n == 1 ? 1 : 0]
            if who == "booking" { body["municipality"] = municipality }
            if n == 0 {
                body["notes"] = "cane <b>& \"stairs\""
                body["concession"] = "elderly"
            }
            let answer = try await client.call(.post, "/v1/bookings", as: who, json: body)
            #expect(answer.status == .created, "\(answer.json)")
            if answer["status"] as? String == "accepted", let id = answer["id"] as? String { ids.append(id) }
        }
        return ids
    }

    /// The plan's stops of a vehicle's duties as (booking, action, time, place).
    static func planStops(_ plan: [String: Any], vehicle: String) -> [[String]] {
        let routes = (plan["vehicles"] as? [[String: Any]] ?? []).filter { ServiceZone.vehicleID(ofDuty: $0["id"] as? String ?? "") == vehicle }
        return routes.flatMap { ($0["stops"] as? [[String: Any]] ?? []).map { s in
            [s["booking_id"] as? String ?? "", s["action"] as? String ?? "", s["time"] as? String ?? "", s["place"] as? String ?? ""]
        } }
    }

    static func manifestStops(_ manifest: [String: Any]) -> [[String]] {
        (manifest["stops"] as? [[String: Any]] ?? []).map { s in
            [s["booking_id"] as? String ?? "", s["action"] as? String ?? "", s["time"] as? String ?? "",
             (s["place"] as? [String: Any])?["id"] as? String ?? ""]
        }
    }

    @Test func theManifestHoldsEveryStopOfTheVehiclesDutiesFromTheLatestPlanInTimeOrder() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let ids = try await Self.bookDay(client)
            #expect(ids.count >= 3)
            let run = try await client.call(.post, "/v1/plans/\(Self.date)", as: "dispatcher", json: ["time_limit": 0.5, "seed": 1])
            #expect(run.status == .created, "\(run.json)")
            let plan = try await client.call(.get, "/v1/plans/\(Self.date)", as: "dispatcher")
            var total = 0
            for vehicle in ServerHarness.zone.file.vehicles {
                let answer = try await client.call(.get, "/v1/vehicles/\(vehicle.id)/manifest?date=\(Self.date)", as: "dispatcher")
                #expect(answer.status == .ok, "\(vehicle.id): \(answer.json)")
                #expect(answer["vehicle"] as? String == vehicle.id && answer["date"] as? String == Self.date)
                #expect(answer["plan_version"] as? Int == plan["version"] as? Int)
                let stops = Self.manifestStops(answer.json)
                let expected = Self.planStops(plan.json, vehicle: vehicle.id)
                #expect(stops.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) }, "\(vehicle.id)")
                #expect(stops.map { $0[2] } == stops.map { $0[2] }.sorted(), "\(vehicle.id): stops in time order")
                total += stops.count
                // Every duty of the vehicle in the plan, with its departure and return.
                let duties = (answer["duties"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                let planDuties = (plan["vehicles"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    .filter { ServiceZone.vehicleID(ofDuty: $0) == vehicle.id }
                #expect(Set(duties) == Set(planDuties), "\(vehicle.id)")
            }
            // All duties of all vehicles: every stop of the plan is on exactly one manifest.
            let planTotal = (plan["vehicles"] as? [[String: Any]] ?? []).reduce(0) { $0 + (($1["stops"] as? [Any])?.count ?? 0) }
            #expect(total == planTotal && total == 2 * ids.count - 2 * ((plan["unserved"] as? [Any])?.count ?? 0))
            // A two-shift vehicle on a weekday has two duties.
            let two = try await client.call(.get, "/v1/vehicles/okukawa-mura-2/manifest?date=\(Self.date)", as: "dispatcher")
            #expect(Set((two["duties"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }) == ["okukawa-mura-2#1", "okukawa-mura-2#2"])
        }
    }

    @Test func aStopCarriesThePlaceAndThePassengersBookingDetails() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let ids = try await Self.bookDay(client)
            _ = try await client.call(.post, "/v1/plans/\(Self.date)", as: "dispatcher", json: ["time_limit": 0.5, "seed": 1])
            let plan = try await client.call(.get, "/v1/plans/\(Self.date)", as: "dispatcher")
            let first = try #require(ids.first)
            let route = try #require((plan["vehicles"] as? [[String: Any]])?.first { ($0["stops"] as? [[String: Any]] ?? []).contains { $0["booking_id"] as? String == first } })
            let vehicle = ServiceZone.vehicleID(ofDuty: try #require(route["id"] as? String))
            let manifest = try await client.call(.get, "/v1/vehicles/\(vehicle)/manifest?date=\(Self.date)", as: "dispatcher")
            let pickup = try #require((manifest["stops"] as? [[String: Any]])?.first { $0["booking_id"] as? String == first && $0["action"] as? String == "pickup" })
            let booking = try await client.call(.get, "/v1/bookings/\(first)", as: "dispatcher")
            #expect(pickup["passenger_ref"] as? String == booking["passenger_ref"] as? String)
            #expect(pickup["party_size"] as? Int == booking["party_size"] as? Int)
            #expect(pickup["wheelchairs"] as? Int == booking["wheelchairs"] as? Int)
            #expect(pickup["notes"] as? String == "cane <b>& \"stairs\"")
            #expect(pickup["concession"] as? String == "elderly")
            #expect(pickup["done"] as? Bool == false)
            let place = try #require(pickup["place"] as? [String: Any])
            let stop = try #require(ServerHarness.zone.file.stops.first { $0.id == "okukawa-yakuba-mae-meetingpoint" })
            #expect(place["id"] as? String == stop.id && place["name"] as? String == stop.name && place["local_name"] as? String == stop.localName)
            #expect(place["lat"] as? Double == stop.position[1] && place["lon"] as? Double == stop.position[0])
        }
    }

    @Test func eachRoleReadsOnlyTheManifestsItMay() async throws {
        var harness = try await ServerHarness.make()
        let own = try await harness.store.createAPIKey(role: .driver, municipality: nil, vehicle: "okukawa-mura-1", label: "tablet 1", actor: "test")
        let other = try await harness.store.createAPIKey(role: .driver, municipality: nil, vehicle: "kitazawa-mura-1", label: "tablet 2", actor: "test")
        harness.keys["driver"] = own.secret
        harness.keys["other-driver"] = other.secret
        try await harness.run { client in
            _ = try await Self.bookDay(client)
            _ = try await client.call(.post, "/v1/plans/\(Self.date)", as: "dispatcher", json: ["time_limit": 0.5, "seed": 1])
            func status(_ vehicle: String, as who: String?) async throws -> Int {
                Int(try await client.call(.get, "/v1/vehicles/\(vehicle)/manifest?date=\(Self.date)", as: who).status.code)
            }
            #expect(try await status("okukawa-mura-1", as: "driver") == 200)
            #expect(try await status("kitazawa-mura-1", as: "driver") == 403)
            #expect(try await status("okukawa-mura-1", as: "other-driver") == 403)
            #expect(try await status("kitazawa-mura-1", as: "other-driver") == 200)
            #expect(try await status("no-such-vehicle", as: "driver") == 403)
            #expect(try await status("okukawa-mura-1", as: "booking") == 403)
            #expect(try await status("okukawa-mura-1", as: "okukawa") == 200)
            #expect(try await status("kitazawa-mura-1", as: "okukawa") == 403)
            #expect(try await status("okukawa-mura-1", as: nil) == 401)
            for vehicle in ServerHarness.zone.file.vehicles.map(\.id) {
                #expect(try await status(vehicle, as: "dispatcher") == 200)
                #expect(try await status(vehicle, as: "admin") == 200)
            }
            let forbidden = try await client.call(.get, "/v1/vehicles/kitazawa-mura-1/manifest?date=\(Self.date)", as: "driver")
            #expect(forbidden.error?["code"] as? String == "forbidden")
        }
    }

    @Test func aDriverKeyMayNotBookListBookingsPlanOrManageKeys() async throws {
        var harness = try await ServerHarness.make()
        harness.keys["driver"] = try await harness.store.createAPIKey(role: .driver, municipality: nil, vehicle: "okukawa-mura-1", label: "", actor: "test").secret
        try await harness.run { client in
            let booked = try await client.book()
            let id = try #require(booked["id"] as? String)
            let calls: [(HTTPRequest.Method, String, [String: Any]?)] = [
                (.post, "/v1/bookings", ["passenger_ref": "P-9", "municipality": "okukawa-mura", "pickup": ["stop_id": "okukawa-yakuba-mae-meetingpoint"],
                                         "dropoff": ["stop_id": "hanaoka-prefectural-hospital-hospital"], "date": Self.date, "pickup_time": "11:00"]),
                (.get, "/v1/bookings?date=\(Self.date)", nil),
                (.get, "/v1/bookings/\(id)", nil),
                (.delete, "/v1/bookings/\(id)", nil),
                (.get, "/v1/standing-bookings", nil),
                (.get, "/v1/plans/\(Self.date)", nil),
                (.post, "/v1/plans/\(Self.date)", ["time_limit": 0.5]),
                (.post, "/v1/keys", ["role": "admin"]),
                (.delete, "/v1/keys/key-anything", nil),
            ]
            for (method, path, body) in calls {
                let answer = try await client.call(method, path, as: "driver", json: body)
                #expect(answer.status == .forbidden, "\(method) \(path): \(answer.status) \(answer.json)")
            }
            #expect(try await client.call(.get, "/v1/bookings/\(id)", as: "booking")["status"] as? String == "accepted")
        }
    }

    @Test func badManifestRequestsAreAnsweredWithTheFieldOrNotFound() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let noPlan = try await client.call(.get, "/v1/vehicles/okukawa-mura-1/manifest?date=\(Self.date)", as: "dispatcher")
            #expect(noPlan.status == .notFound && (noPlan.error?["message"] as? String ?? "").contains("no plan for \(Self.date)"), "\(noPlan.json)")
            let unknown = try await client.call(.get, "/v1/vehicles/okukawa-mura-9/manifest?date=\(Self.date)", as: "dispatcher")
            #expect(unknown.status == .notFound && (unknown.error?["message"] as? String ?? "").contains("okukawa-mura-9"))
            let noDate = try await client.call(.get, "/v1/vehicles/okukawa-mura-1/manifest", as: "dispatcher")
            #expect(noDate.status == .unprocessableContent && noDate.field == "date")
            let badDate = try await client.call(.get, "/v1/vehicles/okukawa-mura-1/manifest?date=2099-02-30", as: "dispatcher")
            #expect(badDate.status == .unprocessableContent && badDate.field == "date")
            let badFormat = try await client.call(.get, "/v1/vehicles/okukawa-mura-1/manifest?date=\(Self.date)&format=pdf", as: "dispatcher")
            #expect(badFormat.status == .unprocessableContent && badFormat.field == "format")
        }
    }

    @Test func thePrintedManifestIsAWellFormedA4PageWithTheJapaneseNamesAndEveryStop() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let ids = try await Self.bookDay(client)
            _ = try await client.call(.post, "/v1/plans/\(Self.date)", as: "dispatcher", json: ["time_limit": 0.5, "seed": 1])
            var pages = 0
            for vehicle in ServerHarness.zone.file.vehicles.map(\.id) {
                let json = try await client.call(.get, "/v1/vehicles/\(vehicle)/manifest?date=\(Self.date)", as: "dispatcher")
                let stops = json["stops"] as? [[String: Any]] ?? []
                guard !stops.isEmpty else { continue }
                pages += 1
                let page = try await client.call(.get, "/v1/vehicles/\(vehicle)/manifest?date=\(Self.date)&format=html", as: "dispatcher")
                #expect(page.status == .ok)
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                let html = String(decoding: page.bytes, as: UTF8.self)
                #expect(html.contains("@page { size: A4"))
                #expect(!html.replacingOccurrences(of: "http://www.w3.org/1999/xhtml", with: "").contains("http"), "no external resources")
                #expect(!html.contains("<script") && !html.contains("<link"))
                let document = try XMLDocument(xmlString: html, options: [])
                let rows = try document.nodes(forXPath: "//*[local-name()='tbody']/*[local-name()='tr'][contains(@class, 'stop')]")
                #expect(rows.count == stops.count, "\(vehicle)")
                let breaks = (json["duties"] as? [[String: Any]] ?? []).reduce(0) { $0 + (($1["breaks"] as? [Any])?.count ?? 0) }
                #expect(try document.nodes(forXPath: "//*[local-name()='tr'][@class='break']").count == breaks)
                let text = document.rootElement()?.stringValue ?? ""
                #expect(text.contains(vehicle) && text.contains(Self.date))
                for stop in stops {
                    let place = stop["place"] as? [String: Any] ?? [:]
                    if let local = place["local_name"] as? String, let name = place["name"] as? String {
                        #expect(text.contains(local) && text.contains(name), "\(local) \(name)")
                    }
                    if stop["booking_id"] as? String == ids.first {
                        // Escaped in the page, the text itself once parsed.
                        #expect(text.contains("cane <b>& \"stairs\""))
                        #expect(!html.contains("<b>&"))
                    }
                }
            }
            #expect(pages >= 1)
        }
    }

    @Test func anAdminCreatesADriverKeyForAVehicleOfTheZoneOnly() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let created = try await client.call(.post, "/v1/keys", as: "admin", json: ["role": "driver", "vehicle": "okukawa-mura-2", "label": "tablet"])
            #expect(created.status == .created, "\(created.json)")
            #expect(created["role"] as? String == "driver" && created["vehicle"] as? String == "okukawa-mura-2")
            let secret = try #require(created["secret"] as? String)
            let own = try await client.call(.get, "/v1/vehicles/okukawa-mura-2/manifest?date=\(Self.date)", as: secret)
            #expect(own.status == .notFound, "the key works; there is no plan yet: \(own.json)")
            let other = try await client.call(.get, "/v1/vehicles/okukawa-mura-1/manifest?date=\(Self.date)", as: secret)
            #expect(other.status == .forbidden)
            for (body, field) in [(["role": "driver"], "vehicle"), (["role": "driver", "vehicle": "okukawa-mura-9"], "vehicle"),
                                  (["role": "dispatcher", "vehicle": "okukawa-mura-1"], "vehicle")] {
                let answer = try await client.call(.post, "/v1/keys", as: "admin", json: body)
                #expect(answer.status == .unprocessableContent && answer.field == field, "\(body): \(answer.json)")
            }
        }
    }
}
