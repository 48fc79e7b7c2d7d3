import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import HTTPTypes
import Testing

/// Every answer of the API, successes and errors, in the one naming scheme (`JSONScheme`): keys
/// and enumeration values snake_case, clock times HH:MM:SS, timestamps ISO-8601 with milliseconds.
@Suite struct SchemeTests {
    @Test func everyEndpointAnswersInTheOneScheme() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            var answers: [(String, ServerHarness.Client.Answer)] = []
            func record(_ name: String, _ answer: ServerHarness.Client.Answer) { answers.append((name, answer)) }

            record("GET /healthz", try await client.call(.get, "/healthz", as: nil))
            record("GET /readyz", try await client.call(.get, "/readyz", as: nil))
            let accepted = try await client.book()
            #expect(accepted.status == .created)
            record("POST /v1/bookings (accepted)", accepted)
            let arriveBy = try await client.book(pickupTime: nil, arriveBy: "11:30", passenger: "P-2")
            record("POST /v1/bookings (arrive by)", arriveBy)
            // Rejected: a wheelchair party larger than any vehicle's wheelchair places.
            let rejected = try await client.book(party: 2, wheelchairs: 2, passenger: "P-3")
            #expect(rejected["status"] as? String == "rejected", "\(rejected.json)")
            record("POST /v1/bookings (rejected)", rejected)
            // Winter: the pass is closed, so a trip over it has no road.
            let closed = try await client.book(from: "kumoi-onsen-hamlet", to: "hanaoka-prefectural-hospital-hospital",
                                               municipality: "kitazawa-mura", date: ServerHarness.winter, passenger: "P-4")
            record("POST /v1/bookings (winter)", closed)
            let id = try #require(accepted["id"] as? String)
            record("GET /v1/bookings/{id}", try await client.call(.get, "/v1/bookings/\(id)", as: "booking"))
            record("GET /v1/bookings", try await client.call(.get, "/v1/bookings?date=\(ServerHarness.summer)", as: "dispatcher"))
            record("POST /v1/plans/{date}", try await client.call(.post, "/v1/plans/\(ServerHarness.summer)", as: "dispatcher",
                                                                  json: ["time_limit": 0.5, "seed": 1]))
            record("GET /v1/plans/{date}", try await client.call(.get, "/v1/plans/\(ServerHarness.summer)", as: "dispatcher"))
            record("GET /v1/vehicles/{id}/manifest", try await client.call(.get, "/v1/vehicles/okukawa-mura-2/manifest?date=\(ServerHarness.summer)",
                                                                          as: "dispatcher"))
            record("404 manifest", try await client.call(.get, "/v1/vehicles/okukawa-mura-2/manifest?date=2099-07-02", as: "dispatcher"))
            if let other = arriveBy["id"] as? String {
                record("DELETE /v1/bookings/{id}", try await client.call(.delete, "/v1/bookings/\(other)", as: "booking"))
            }
            record("GET /v1/vehicles", try await client.call(.get, "/v1/vehicles", as: "dispatcher"))
            let key = try await client.call(.post, "/v1/keys", as: "admin", json: ["role": "operator", "municipality": "okukawa-mura", "label": "desk"])
            record("POST /v1/keys", key)
            if let keyID = key["id"] as? String {
                record("DELETE /v1/keys/{id}", try await client.call(.delete, "/v1/keys/\(keyID)", as: "admin"))
            }
            // Standing bookings (on the real clock: a pattern of the summer ahead).
            let standing = try await client.call(.post, "/v1/standing-bookings", as: "booking", json: [
                "passenger_ref": "P-5", "municipality": "okukawa-mura", "pickup": ["stop_id": "okukawa-yakuba-mae-meetingpoint"],
                "dropoff": ["stop_id": "hanaoka-prefectural-hospital-hospital"], "arrive_by": "11:00", "weekdays": ["tue", "thu"],
                "from": ServerHarness.summer, "until": "2099-07-31", "skip_holidays": true, "exceptions": ["2099-07-07"]])
            #expect(standing.status == .created, "\(standing.json)")
            record("POST /v1/standing-bookings", standing)
            record("GET /v1/standing-bookings", try await client.call(.get, "/v1/standing-bookings", as: "booking"))
            if let standingID = standing["id"] as? String {
                record("GET /v1/standing-bookings/{id}", try await client.call(.get, "/v1/standing-bookings/\(standingID)", as: "booking"))
                record("DELETE /v1/standing-bookings/{id}", try await client.call(.delete, "/v1/standing-bookings/\(standingID)", as: "booking"))
            }
            // Vehicle events (on the real clock: an event of now, and one about a booking no plan of today holds).
            let now = ISO8601DateFormatter().string(from: Date())
            let departed = try await client.call(.post, "/v1/vehicles/okukawa-mura-1/events", as: "dispatcher",
                                                 json: ["event_id": "scheme-1", "at": now, "type": "departed", "lat": 36.1, "lon": 137.8])
            #expect(departed.status == .created, "\(departed.json)")
            record("POST /v1/vehicles/{id}/events", departed)
            record("409 event", try await client.call(.post, "/v1/vehicles/okukawa-mura-1/events", as: "dispatcher",
                                                      json: ["event_id": "scheme-2", "at": now, "type": "picked_up", "booking_id": id]))
            record("422 event", try await client.call(.post, "/v1/vehicles/okukawa-mura-1/events", as: "dispatcher",
                                                      json: ["event_id": "scheme-3", "at": "yesterday", "type": "departed"]))
            record("GET /v1/vehicles/{id}/events", try await client.call(.get, "/v1/vehicles/okukawa-mura-1/events?date=\(departed["date"] as? String ?? "")", as: "dispatcher"))
            record("422 standing", try await client.call(.post, "/v1/standing-bookings", as: "booking", json: ["weekdays": ["someday"]]))
            // Errors.
            record("401", try await client.call(.get, "/v1/vehicles", as: nil))
            record("403", try await client.call(.post, "/v1/plans/\(ServerHarness.summer)", as: "booking", json: [:]))
            record("404 route", try await client.call(.get, "/v1/nowhere", as: "booking"))
            record("404 booking", try await client.call(.get, "/v1/bookings/bk-missing", as: "booking"))
            record("405", try await client.call(.put, "/v1/bookings", as: "booking", json: [:]))
            record("409", try await client.call(.delete, "/v1/bookings/\(id)", as: "booking"))
            record("413", try await client.call(.post, "/v1/bookings", as: "booking", raw: "{\"notes\": \"" + String(repeating: "x", count: 70_000) + "\"}"))
            record("415", try await client.call(.post, "/v1/bookings", as: "booking", raw: "{}", headers: [.contentType: "text/plain"]))
            record("422 field", try await client.book(from: "nowhere"))
            record("422 time", try await client.book(pickupTime: "25:00"))
            record("400 JSON", try await client.call(.post, "/v1/bookings", as: "booking", raw: "{\"a\": 1,}"))

            #expect(answers.count >= 20)
            for (name, answer) in answers {
                var parser = JSONParser(answer.bytes)
                guard let value = parser.document() else {
                    Issue.record("\(name): \(answer.status.code) is not JSON: \(String(decoding: answer.bytes.prefix(200), as: UTF8.self))")
                    continue
                }
                let problems = JSONScheme.violations(in: value)
                #expect(problems.isEmpty, "\(name) (\(answer.status.code)): \(problems)")
            }
            // The arrive-by booking names its times as arrival times, also in its alternatives.
            #expect(arriveBy["arrive_by"] as? String == "11:30:00", "\(arriveBy.json)")
            #expect(accepted["pickup_time"] as? String == "10:00:00")
        }
    }

    /// 422 `booking_rule` (a zone with booking rules, a pinned clock): one scheme, and every member
    /// as the OpenAPI document describes the error (the rule among its values, timestamps with the zone's offset).
    @Test func aBrokenBookingRuleAnswersInTheOneSchemeAndAsTheDocumentSays() async throws {
        let harness = try await ServerHarness.make()
        let clock = BookingRulesAPITests.Clock("2026-11-30 17:30:00")
        try await harness.run(zone: BookingRulesAPITests.zone, configure: { $0.now = { clock.now() } }) { client in
            let answers = [
                ("cutoff", try await client.book(date: "2026-12-01", pickupTime: "09:00")),
                ("horizon", try await client.book(date: "2027-01-05", pickupTime: "11:00")),
                ("service_days", try await client.book(date: "2026-12-06", pickupTime: "11:00")),
                ("operator_only", try await client.book(from: "kitazawa-yakuba-mae-meetingpoint", to: "kitazawa-shogakko-mae-meetingpoint",
                                                        municipality: "kitazawa-mura", date: "2026-12-01")),
            ]
            let document = try await client.call(.get, "/openapi.json", as: nil)
            let schema = try #require(((((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?["Error"] as? [String: Any])?["properties"]
                as? [String: Any])?["error"] as? [String: Any])
            let properties = try #require(schema["properties"] as? [String: Any])
            let rules = try #require((properties["rule"] as? [String: Any])?["enum"] as? [String])
            let pattern = try #require((properties["earliest_service"] as? [String: Any])?["pattern"] as? String)
            #expect(Set(rules) == Set(BookingRulesCheck.Rule.allCases.map(\.rawValue)))
            for (rule, answer) in answers {
                #expect(answer.status == .unprocessableContent, "\(rule): \(answer.json)")
                var parser = JSONParser(answer.bytes)
                let parsed = parser.document()
                let value = try #require(parsed)
                let problems = JSONScheme.violations(in: value)
                #expect(problems.isEmpty, "\(rule): \(problems)")
                let error = try #require(answer.error)
                #expect(error["rule"] as? String == rule, "\(answer.json)")
                #expect(Set(error.keys).isSubset(of: Set(properties.keys)), "\(rule): \(error.keys.sorted())")
                for key in ["book_from", "earliest_service"] {
                    if let text = error[key] as? String {
                        #expect(text.range(of: pattern, options: .regularExpression) != nil, "\(rule): \(key) \(text)")
                    } else {
                        #expect(error[key] is NSNull, "\(rule): \(key) is there, as a timestamp or null")
                    }
                }
            }
        }
    }

    @Test func theCheckItselfFindsEachKindOfBreak() {
        // The walker must be able to fail: each rule, once.
        let bad: JSONValue = ["travelTimeSeconds": 1, "status": "timeLimit", "from": [36.1, 137.9], "time": "08:00",
                              "created_at": "2026-12-07T13:18:05Z", "point": ["lat": 36.1], "promised_pickup": ["from": "08:00", "to": "08:20:00"],
                              "fares": ["hanaoka-shi": ["flatYen": 400]]]
        let problems = JSONScheme.violations(in: bad, idKeyedMaps: ["fares"])
        #expect(problems.count == 8, "\(problems)")
        for fragment in ["'travelTimeSeconds'", "'timeLimit'", "[lat, lon]", "'08:00' is not a clock", "ISO-8601", "both lat and lon", "'flatYen'"] {
            #expect(problems.contains { $0.contains(fragment) }, "\(fragment) in \(problems)")
        }
        #expect(!problems.contains { $0.contains("hanaoka-shi") }, "ids as map keys are data, not names")
    }
}
