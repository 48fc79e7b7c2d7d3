import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import RideRequestStore
import Testing

@Suite struct BookingAPITests {
    @Test func healthAndTheOpenAPIDocumentArePublicAndTheDocumentCoversEveryEndpoint() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let health = try await client.call(.get, "/healthz", as: nil)
            #expect(health.status == .ok && health["status"] as? String == "ok")
            let doc = try await client.call(.get, "/openapi.json", as: nil)
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = (doc["paths"] as? [String: Any] ?? [:])
            let operations = Set(paths.flatMap { path, value in ((value as? [String: Any]) ?? [:]).keys.map { "\($0.uppercased()) \(path)" } })
            #expect(operations == ["GET /healthz", "GET /readyz", "GET /openapi.json", "POST /v1/bookings", "GET /v1/bookings", "GET /v1/bookings/{id}",
                                   "DELETE /v1/bookings/{id}", "GET /v1/plans/{date}", "POST /v1/plans/{date}", "GET /v1/vehicles", "POST /v1/keys",
                                   "DELETE /v1/keys/{id}", "POST /v1/standing-bookings", "GET /v1/standing-bookings",
                                   "GET /v1/standing-bookings/{id}", "DELETE /v1/standing-bookings/{id}",
                                   "GET /v1/vehicles/{id}/manifest", "POST /v1/vehicles/{id}/events", "GET /v1/vehicles/{id}/events"])
        }
    }

    @Test func aBookingThatFitsIsAcceptedAtOnceWithAPromisedWindowAroundTheRequestedTime() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let answer = try await client.book(pickupTime: "10:00")
            #expect(answer.status == .created)
            #expect(answer["status"] as? String == "accepted")
            let promise = try #require(answer["promised_pickup"] as? [String: Any])
            let from = minutes(promise["from"]), to = minutes(promise["to"])
            // Inside the policy's window for a pickup at 10:00 (09:50–10:20), 20 minutes wide.
            #expect(from >= 590 && to <= 620 && to - from == 20, "\(promise)")
            let id = try #require(answer["id"] as? String)
            let read = try await client.call(.get, "/v1/bookings/\(id)", as: "booking")
            #expect(read.status == .ok)
            #expect((read["history"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["requested", "accepted"])
            #expect(read["passenger_ref"] as? String == "P-1")
        }
    }

    @Test func aTripOverTheClosedPassInWinterIsRejectedWithTheRoadClosedReason() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            // Kumoi Onsen sits at the pass, which is closed from December to mid-April.
            let winter = try await client.book(from: "tanohara-hamlet", to: "kumoi-onsen-hamlet", municipality: "kitazawa-mura", date: ServerHarness.winter)
            #expect(winter.status == .created)
            #expect(winter["status"] as? String == "rejected")
            #expect((winter["reason"] as? [String: Any])?["code"] as? String == "road_closed")
            let summer = try await client.book(from: "tanohara-hamlet", to: "kumoi-onsen-hamlet", municipality: "kitazawa-mura", date: ServerHarness.summer)
            #expect(summer["status"] as? String == "accepted")
        }
    }

    @Test(arguments: ["arrive_by", "pickup_time"])
    func whenEveryVehicleIsTakenTheAnswerIsNoVehicleFreeWithNearbyTimesThatReallyFit(_ kind: String) async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            // Parties of three to the hospital around 08:00 from the far valley: the fleet runs out.
            func book(_ time: String, _ passenger: String) async throws -> ServerHarness.Client.Answer {
                kind == "arrive_by" ? try await client.book(pickupTime: nil, arriveBy: time, party: 3, passenger: passenger)
                                    : try await client.book(pickupTime: time, party: 3, passenger: passenger)
            }
            var rejected: ServerHarness.Client.Answer?
            for i in 0..<40 {
                let answer = try await book(kind == "arrive_by" ? "08:00" : "07:15", "P-\(i)")
                #expect(answer.status == .created)
                if answer["status"] as? String == "rejected" { rejected = answer; break }
            }
            let full = try #require(rejected)
            #expect((full["reason"] as? [String: Any])?["code"] as? String == "no_vehicle_free")
            // Nearby times named like the asked time (arrival times for an arrive-by booking).
            let offered = full["alternatives"] as? [[String: Any]] ?? []
            #expect(offered.allSatisfy { $0.keys.sorted() == [kind] }, "\(offered)")
            let alternatives = offered.compactMap { $0[kind] as? String }
            #expect(!alternatives.isEmpty)
            // Each offered time is honest: booking it is accepted.
            for time in alternatives {
                let retry = try await book(time, "P-retry")
                #expect(retry["status"] as? String == "accepted", "\(time)")
            }
        }
    }

    @Test func aKnownPathWithAnotherMethodIs405NamingTheMethodsAndAnUnknownPathIs404() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            for (method, path, allowed) in [(HTTPRequest.Method.put, "/v1/bookings", "GET, POST"), (.post, "/v1/vehicles", "GET"),
                                            (.patch, "/v1/bookings/bk-x", "DELETE, GET"), (.get, "/v1/keys", "POST")] {
                let answer = try await client.call(method, path, as: "admin")
                #expect(answer.status == .methodNotAllowed, "\(method) \(path)")
                #expect(answer.headers[.allow] == allowed)
                #expect((answer["error"] as? [String: Any])?["code"] as? String == "method_not_allowed")
            }
            let unknown = try await client.call(.get, "/v1/nothing-here", as: "admin")
            #expect(unknown.status == .notFound)
            #expect((unknown["error"] as? [String: Any])?["code"] as? String == "not_found")
        }
    }

    @Test func badInputGetsA4xxNamingTheFieldAndNeverA500() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let good: [String: Any] = ["passenger_ref": "P", "municipality": "okukawa-mura", "pickup": ["stop_id": "okukawa-yakuba-mae-meetingpoint"],
                                       "dropoff": ["stop_id": "hanaoka-prefectural-hospital-hospital"], "date": ServerHarness.summer, "pickup_time": "10:00"]
            func with(_ key: String, _ value: Any?) -> [String: Any] {
                var body = good
                body[key] = value
                return body
            }
            let cases: [(String, [String: Any], HTTPResponse.Status, String?)] = [
                ("missing passenger", with("passenger_ref", nil), .unprocessableContent, "passenger_ref"),
                ("wrong type", with("party_size", "two"), .unprocessableContent, "party_size"),
                ("fraction", with("party_size", 1.5), .unprocessableContent, "party_size"),
                ("boolean for a number", with("party_size", true), .unprocessableContent, "party_size"),
                ("too many", with("party_size", 9), .unprocessableContent, "party_size"),
                ("wheelchairs above party", with("wheelchairs", 2), .unprocessableContent, "wheelchairs"),
                ("unknown field", with("colour", "red"), .unprocessableContent, "colour"),
                ("unknown stop", with("pickup", ["stop_id": "nowhere"]), .unprocessableContent, "pickup.stop_id"),
                ("outside every municipality", with("pickup", ["lat": 35.0, "lon": 139.0]), .unprocessableContent, "pickup"),
                ("latitude out of range", with("pickup", ["lat": 95.0, "lon": 137.8]), .unprocessableContent, "pickup.lat"),
                ("stop and coordinates", with("pickup", ["stop_id": "okukawa-yakuba-mae-meetingpoint", "lat": 35.9, "lon": 137.8]), .unprocessableContent, "pickup"),
                ("same place", with("dropoff", ["stop_id": "okukawa-yakuba-mae-meetingpoint"]), .unprocessableContent, "dropoff"),
                ("impossible date", with("date", "2099-02-30"), .unprocessableContent, "date"),
                ("past date", with("date", "2020-01-01"), .unprocessableContent, "date"),
                ("bad time", with("pickup_time", "25:00"), .unprocessableContent, "pickup_time"),
                ("outside service hours", with("pickup_time", "23:30"), .unprocessableContent, "pickup_time"),
                ("both times", with("arrive_by", "11:00"), .unprocessableContent, "arrive_by"),
                ("unknown municipality", with("municipality", "atlantis"), .unprocessableContent, "municipality"),
                ("notes too long", with("notes", String(repeating: "x", count: 501)), .unprocessableContent, "notes"),
            ]
            for (name, body, status, field) in cases {
                let answer = try await client.call(.post, "/v1/bookings", as: "booking", json: body)
                #expect(answer.status == status, "\(name): \(answer.status)")
                #expect(answer.field == field, "\(name): \(answer.json)")
                #expect(answer.error?["message"] is String, "\(name)")
            }
            for (name, raw, field) in [("not JSON", "{\"passenger_ref\": ", nil), ("not an object", "[1, 2]", nil), ("empty", "", nil)] as [(String, String, String?)] {
                let answer = try await client.call(.post, "/v1/bookings", as: "booking", raw: raw)
                #expect(answer.status == .badRequest, "\(name)")
                #expect(answer.field == field && answer.error?["code"] as? String == "malformed_request", "\(name)")
            }
            let huge = try await client.call(.post, "/v1/bookings", as: "booking", raw: "{\"notes\": \"" + String(repeating: "x", count: 100_000) + "\"}")
            #expect(huge.status == .contentTooLarge && huge.error?["code"] as? String == "body_too_large", "\(huge.status) \(huge.json)")
            // Nothing was stored by any of them.
            let list = try await client.call(.get, "/v1/bookings?date=\(ServerHarness.summer)", as: "dispatcher")
            #expect((list["bookings"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func unknownIdsRoutesAndKeysAreJSONErrors() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let missing = try await client.call(.get, "/v1/bookings/bk-nope", as: "booking")
            #expect(missing.status == .notFound && missing.error?["code"] as? String == "not_found")
            let route = try await client.call(.get, "/v1/nothing", as: "booking")
            #expect(route.status == .notFound && route.error != nil)
            let none = try await client.call(.get, "/v1/vehicles", as: nil)
            #expect(none.status == .unauthorized && none.field == "Authorization")
            let wrong = try await client.call(.get, "/v1/vehicles", as: "dk_not_a_key")
            #expect(wrong.status == .unauthorized)
            let badDate = try await client.call(.get, "/v1/bookings?date=tomorrow", as: "dispatcher")
            #expect(badDate.status == .unprocessableContent && badDate.field == "date")
            let noDate = try await client.call(.get, "/v1/bookings", as: "dispatcher")
            #expect(noDate.status == .unprocessableContent && noDate.field == "date")
            let vehicles = try await client.call(.get, "/v1/vehicles", as: "booking")
            #expect((vehicles["vehicles"] as? [Any])?.count == ServerHarness.zone.file.vehicles.count)
        }
    }

    @Test func eachRoleSeesAndDoesOnlyWhatItMay() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            // An operator books for its own residents (municipality by default), never for others.
            let own = try await client.book("okukawa", municipality: nil, passenger: "Okukawa resident")
            #expect(own.status == .created && own["municipality"] as? String == "okukawa-mura")
            let foreign = try await client.book("okukawa", municipality: "kitazawa-mura")
            #expect(foreign.status == .forbidden && foreign.field == "municipality")
            let kitazawa = try await client.book("kitazawa", from: "tanohara-hamlet", to: "kitazawa-yakuba-mae-meetingpoint", municipality: nil,
                                                 passenger: "Kitazawa resident")
            let app = try await client.book("booking", passenger: "App user")
            let ids = [own, kitazawa, app].map { $0["id"] as! String }

            func listed(_ who: String) async throws -> Set<String> {
                let list = try await client.call(.get, "/v1/bookings?date=\(ServerHarness.summer)", as: who)
                return Set((list["bookings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            }
            #expect(try await listed("okukawa") == [ids[0], ids[2]])      // Okukawa's residents, whoever booked
            #expect(try await listed("kitazawa") == [ids[1]])
            #expect(try await listed("booking") == [ids[2]])              // a partner app: its own bookings
            #expect(try await listed("booking2") == [])
            #expect(try await listed("dispatcher") == Set(ids))
            // Another municipality's resident is not found (not even "forbidden": no data leaks).
            #expect(try await client.call(.get, "/v1/bookings/\(ids[1])", as: "okukawa").status == .notFound)
            #expect(try await client.call(.delete, "/v1/bookings/\(ids[2])", as: "booking2").status == .notFound)
            // Plans are for dispatchers; keys for admins.
            #expect(try await client.call(.post, "/v1/plans/\(ServerHarness.summer)", as: "booking").status == .forbidden)
            #expect(try await client.call(.post, "/v1/bookings", as: "dispatcher", json: [:]).status == .forbidden)
            #expect(try await client.call(.post, "/v1/keys", as: "dispatcher", json: ["role": "admin"]).status == .forbidden)
            let created = try await client.call(.post, "/v1/keys", as: "admin", json: ["role": "operator", "municipality": "okukawa-mura", "label": "desk 2"])
            #expect(created.status == .created)
            let secret = try #require(created["secret"] as? String)
            #expect(try await client.call(.get, "/v1/bookings?date=\(ServerHarness.summer)", as: secret).status == .ok)
            let badRole = try await client.call(.post, "/v1/keys", as: "admin", json: ["role": "king"])
            #expect(badRole.status == .unprocessableContent && badRole.field == "role")
        }
    }

    @Test func theSameIdempotencyKeyGivesTheFirstAnswerAndAnotherBodyIsAConflict() async throws {
        let harness = try await ServerHarness.make()
        let store = harness.store
        try await harness.run { client in
            let first = try await client.book(passenger: "A", idempotencyKey: "k-1")
            let again = try await client.book(passenger: "A", idempotencyKey: "k-1")
            #expect(first.status == .created && again.status == .created)
            #expect(first.bytes == again.bytes)
            let other = try await client.book(passenger: "B", idempotencyKey: "k-1")
            #expect(other.status == .conflict && other.field == "Idempotency-Key")
            // Keys are per API key: another app may use the same key string.
            let elsewhere = try await client.book("booking2", passenger: "A", idempotencyKey: "k-1")
            #expect(elsewhere.status == .created && elsewhere["id"] as? String != first["id"] as? String)
        }
        #expect(try await store.bookings(serviceDate: ServerHarness.summer, municipality: nil, createdBy: nil).count == 2)
    }

    @Test func cancellingFreesTheBookingAndCannotBeRepeated() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let booked = try await client.book()
            let id = try #require(booked["id"] as? String)
            let cancelled = try await client.call(.delete, "/v1/bookings/\(id)", as: "booking")
            #expect(cancelled.status == .ok && cancelled["status"] as? String == "cancelled")
            let twice = try await client.call(.delete, "/v1/bookings/\(id)", as: "booking")
            #expect(twice.status == .conflict && twice.error?["code"] as? String == "invalid_transition")
            let read = try await client.call(.get, "/v1/bookings/\(id)", as: "booking")
            #expect((read["history"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["requested", "accepted", "cancelled"])
        }
    }

    @Test func plansAreNewVersionsAndHoldEveryActiveBookingExactlyOnce() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            var ids: [String] = []
            for (i, time) in ["08:30", "09:00", "09:15", "10:00", "13:30"].enumerated() {
                let answer = try await client.book(pickupTime: time, passenger: "P-\(i)")
                ids.append(answer["id"] as! String)
            }
            let closed = try await client.book(from: "tanohara-hamlet", to: "kumoi-onsen-hamlet", municipality: "kitazawa-mura", date: ServerHarness.winter)
            #expect(closed["status"] as? String == "rejected")
            _ = try await client.call(.delete, "/v1/bookings/\(ids[4])", as: "booking")

            let v1 = try await client.call(.post, "/v1/plans/\(ServerHarness.summer)", as: "dispatcher", json: ["time_limit": 1, "solver": "heuristic"])
            #expect(v1.status == .created, "\(v1.json)")
            #expect(v1["version"] as? Int == 1)
            let stops = (v1["vehicles"] as? [[String: Any]] ?? []).flatMap { $0["stops"] as? [[String: Any]] ?? [] }
            let picked = stops.filter { $0["action"] as? String == "pickup" }.compactMap { $0["booking_id"] as? String }
            let unserved = (v1["unserved"] as? [[String: Any]] ?? []).compactMap { $0["booking_id"] as? String }
            // Every booking of the date once; the cancelled one among the unserved, saying so.
            #expect((picked + unserved).sorted() == ids.sorted())
            #expect((v1["unserved"] as? [[String: Any]] ?? []).contains { $0["booking_id"] as? String == ids[4] && $0["reason"] as? String == "cancelled" })
            #expect((v1["accounting"] as? [[String: Any]])?.count == ServerHarness.zone.file.municipalities.count)
            for id in ids.prefix(4) where picked.contains(id) {
                #expect(try await client.call(.get, "/v1/bookings/\(id)", as: "booking")["status"] as? String == "scheduled")
            }
            let v2 = try await client.call(.post, "/v1/plans/\(ServerHarness.summer)", as: "dispatcher", json: ["time_limit": 0.5])
            #expect(v2["version"] as? Int == 2)
            // The call list against the version before is stored with each version after the first.
            #expect(v1["changes"] == nil)
            let changes = v2["changes"] as? [String: Any]
            #expect(changes?["from_version"] as? Int == 1 && changes?["threshold_minutes"] as? Int == 10 && changes?["entries"] is [Any], "\(v2.json)")
            #expect(try await client.call(.get, "/v1/plans/\(ServerHarness.summer)", as: "dispatcher")["version"] as? Int == 2)
            #expect(try await client.call(.get, "/v1/plans/\(ServerHarness.summer)?version=1", as: "dispatcher")["version"] as? Int == 1)
            #expect(try await client.call(.get, "/v1/plans/2099-07-02", as: "dispatcher").status == .notFound)
            let bad = try await client.call(.post, "/v1/plans/\(ServerHarness.summer)", as: "dispatcher", json: ["time_limit": 100_000])
            #expect(bad.status == .unprocessableContent && bad.field == "time_limit")
        }
    }
}

@Suite struct CrossBorderRuleTests {
    @Test func aTripNoRuleAllowsIsRejectedNamingTheRuleAndAPermittedOneIsAccepted() async throws {
        let harness = try await ServerHarness.make()
        let zone = try ServerHarness.zone(with: ZoneFile.Rules(outsideDestinations: ["kitazawa-mura": ["hanaoka-prefectural-hospital-hospital"]]))
        try await harness.run(zone: zone) { client in
            let hospital = try await client.book(from: "kitazawa-yakuba-mae-meetingpoint", to: "hanaoka-prefectural-hospital-hospital",
                                                 municipality: "kitazawa-mura")
            #expect(hospital["status"] as? String == "accepted", "\(hospital.json)")
            let station = try await client.book(from: "kitazawa-yakuba-mae-meetingpoint", to: "hanaoka-station-station", municipality: "kitazawa-mura")
            #expect(station.status == .created && station["status"] as? String == "rejected")
            let reason = try #require(station["reason"] as? [String: Any])
            #expect(reason["code"] as? String == "not_allowed_by_rules")
            #expect((reason["message"] as? String)?.contains("permitted destinations outside Kitazawa-mura") == true)
            // The same trip for a resident of the town is fine (inside its own municipality it is not).
            let local = try await client.book(from: "hanaoka-yakuba-mae-meetingpoint", to: "hanaoka-station-station", municipality: "hanaoka-shi")
            #expect(local["status"] as? String == "accepted")
        }
    }
}
