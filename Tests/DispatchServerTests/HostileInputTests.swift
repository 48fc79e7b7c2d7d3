import Foundation
import HTTPTypes
import Hummingbird
import RideRequestStore
import Testing

/// Input meant to break the server or the store: control characters, look-alike empty text,
/// lenient formats, wrong media types.
@Suite struct HostileInputTests {
    static var good: [String: Any] { ["passenger_ref": "P", "municipality": "okukawa-mura", "pickup": ["stop_id": "okukawa-yakuba-mae-meetingpoint"],
                                      "dropoff": ["stop_id": "hanaoka-prefectural-hospital-hospital"], "date": ServerHarness.summer,
                                      "pickup_time": "10:00"] }

    static func body(_ changes: [String: Any]) -> [String: Any] { good.merging(changes) { _, new in new } }

    @Test(arguments: ServerHarness.backends)
    func controlCharactersInAnyTextFieldAre422NamingTheFieldAndNothingIsStored(_ backend: ServerHarness.Backend) async throws {
        let harness = try await ServerHarness.make(backend)
        let store = harness.store
        try await harness.run { client in
            let cases: [(String, [String: Any])] = [
                ("passenger_ref", ["passenger_ref": "P\u{0}1"]),
                ("passenger_ref", ["passenger_ref": "\u{0}"]),
                ("passenger_ref", ["passenger_ref": "tab\there"]),
                ("passenger_ref", ["passenger_ref": "two\nlines"]),
                ("passenger_ref", ["passenger_ref": "delete\u{7F}"]),
                ("passenger_ref", ["passenger_ref": "next line\u{85}"]),
                ("notes", ["notes": "ring\u{0}twice"]),
                ("notes", ["notes": "carriage\rreturn"]),
                ("notes", ["notes": "escape\u{1B}[31m"]),
                ("municipality", ["municipality": "okukawa-mura\u{0}"]),
                ("pickup.stop_id", ["pickup": ["stop_id": "okukawa-yakuba-mae-meetingpoint\u{0}"]]),
                ("date", ["date": "2099-07-0\u{0}"]),
                ("pickup_time", ["pickup_time": "10:0\u{0}"]),
                ("concession", ["concession": "elderly\u{0}"]),
            ]
            for (field, change) in cases {
                let answer = try await client.call(.post, "/v1/bookings", as: "booking", json: Self.body(change))
                #expect(answer.status == .unprocessableContent, "\(field) \(change): \(answer.status)")
                #expect(answer.field == field, "\(change): \(answer.json)")
                #expect(answer.error?["code"] as? String == "invalid_field")
            }
            // Admin key labels are text too.
            let label = try await client.call(.post, "/v1/keys", as: "admin", json: ["role": "booking", "label": "desk\u{0}"])
            #expect(label.status == .unprocessableContent && label.field == "label", "\(label.json)")
            #expect(try await store.bookings(serviceDate: ServerHarness.summer, municipality: nil, createdBy: nil).isEmpty)

            // Notes are free text over several lines: tab and line feed are kept as sent.
            let notes = "wheelchair ramp\n\tgate code 1234"
            let accepted = try await client.call(.post, "/v1/bookings", as: "booking", json: Self.body(["notes": notes]))
            #expect(accepted.status == .created, "\(accepted.json)")
            let id = try #require(accepted["id"] as? String)
            #expect(try await store.booking(id: id)?.notes == notes)
        }
    }

    @Test func lenientTimesAndTextMadeOnlyOfInvisibleCharactersAre422NamingTheField() async throws {
        let harness = try await ServerHarness.make()
        let store = harness.store
        try await harness.run { client in
            let cases: [(String, [String: Any])] = [
                ("pickup_time", ["pickup_time": "+9:00"]),
                ("pickup_time", ["pickup_time": "10:+5"]),
                ("pickup_time", ["pickup_time": " 9:00"]),
                ("pickup_time", ["pickup_time": "9:00"]),
                ("pickup_time", ["pickup_time": "09:0"]),
                ("pickup_time", ["pickup_time": "10:00:0"]),
                ("pickup_time", ["pickup_time": "10:00:60"]),
                ("pickup_time", ["pickup_time": "24:00"]),
                ("pickup_time", ["pickup_time": "１０:００"]),
                ("arrive_by", ["pickup_time": NSNull(), "arrive_by": "-1:00"]),
                ("passenger_ref", ["passenger_ref": "   "]),
                ("passenger_ref", ["passenger_ref": "\u{200B}"]),
                ("passenger_ref", ["passenger_ref": "\u{3000}\u{3000}"]),
                ("passenger_ref", ["passenger_ref": "\u{FEFF}\u{2060}\u{200D}"]),
                ("passenger_ref", ["passenger_ref": "\u{3164}"]),
                ("passenger_ref", ["passenger_ref": "\u{2800}"]),
                ("municipality", ["municipality": "\u{200B}"]),
            ]
            for (field, change) in cases {
                let answer = try await client.call(.post, "/v1/bookings", as: "booking", json: Self.body(change))
                #expect(answer.status == .unprocessableContent, "\(change): \(answer.status)")
                #expect(answer.field == field, "\(change): \(answer.json)")
            }
            #expect(try await store.bookings(serviceDate: ServerHarness.summer, municipality: nil, createdBy: nil).isEmpty)
            // Both documented forms are fine, and a name with visible characters around spaces is kept as sent.
            for (time, passenger) in [("10:30", "山田\u{3000}花子"), ("11:15:30", " P-2 ")] {
                let answer = try await client.call(.post, "/v1/bookings", as: "booking", json: Self.body(["pickup_time": time, "passenger_ref": passenger]))
                #expect(answer.status == .created, "\(time): \(answer.json)")
                #expect(answer["passenger_ref"] as? String == passenger)
            }
        }
    }

    @Test func aBodyThatIsNotSentAsJSONIs415WithTheJSONErrorBody() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let json = String(decoding: try JSONSerialization.data(withJSONObject: Self.good), as: UTF8.self)
            for contentType in [nil, "text/plain", "application/x-www-form-urlencoded", "application/jsonp"] as [String?] {
                var headers: HTTPFields = [.authorization: "Bearer \(client.keys["booking"]!)"]
                if let contentType { headers[.contentType] = contentType }
                let (status, responseHeaders, body) = try await client.send("/v1/bookings", .post, headers, ByteBuffer(string: json))
                #expect(status == .unsupportedMediaType, "\(contentType ?? "none"): \(status)")
                #expect(responseHeaders[.contentType]?.hasPrefix("application/json") == true)
                let error = (try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])?["error"] as? [String: Any]
                #expect(error?["code"] as? String == "unsupported_media_type" && error?["field"] as? String == "Content-Type")
            }
            let keyHeaders: HTTPFields = [.authorization: "Bearer \(client.keys["admin"]!)", .contentType: "text/plain"]
            #expect(try await client.send("/v1/keys", .post, keyHeaders, ByteBuffer(string: #"{"role": "booking"}"#)).0 == .unsupportedMediaType)
            // A plan run's body is optional: none at all needs no Content-Type, a body does.
            let planHeaders: HTTPFields = [.authorization: "Bearer \(client.keys["dispatcher"]!)", .contentType: "text/plain"]
            #expect(try await client.send("/v1/plans/\(ServerHarness.summer)", .post, planHeaders, ByteBuffer(string: #"{"time_limit": 0.2}"#)).0
                    == .unsupportedMediaType)
            #expect(try await client.call(.post, "/v1/plans/\(ServerHarness.summer)", as: "dispatcher").status == .created)
            // JSON with a charset parameter, in any letter case, is JSON.
            let charset: HTTPFields = [.authorization: "Bearer \(client.keys["booking"]!)", .contentType: "Application/JSON; charset=utf-8"]
            #expect(try await client.send("/v1/bookings", .post, charset, ByteBuffer(string: json)).0 == .created)
        }
    }

    @Test(arguments: ServerHarness.backends)
    func validBookingsSentAlongsideOnesWithNULCharactersAllSucceed(_ backend: ServerHarness.Backend) async throws {
        let harness = try await ServerHarness.make(backend)
        let store = harness.store
        try await harness.run { client in
            let clients = ConcurrencyTests.clients(6, like: client)
            let times = ["08:00", "09:00", "10:00", "11:00", "13:00", "14:00"]
            let answers = try await withThrowingTaskGroup(of: (Bool, HTTPResponse.Status, String?).self) { group in
                for i in 0..<36 {
                    let bad = i % 2 == 1
                    let c = clients[i % clients.count]
                    group.addTask {
                        let body = Self.body(["passenger_ref": bad ? "NUL\u{0}-\(i)" : "ok-\(i)", "pickup_time": times[i % times.count],
                                              "notes": bad && i % 4 == 1 ? "\u{0}" : "fine"])
                        let answer = try await c.call(.post, "/v1/bookings", as: "booking", json: body)
                        return (bad, answer.status, answer.field)
                    }
                }
                var out: [(Bool, HTTPResponse.Status, String?)] = []
                for try await answer in group { out.append(answer) }
                return out
            }
            #expect(answers.count == 36)
            for (bad, status, field) in answers {
                if bad {
                    #expect(status == .unprocessableContent && field == "passenger_ref", "\(status) \(field ?? "-")")
                } else {
                    #expect(status == .created)
                }
            }
        }
        let stored = try await store.bookings(serviceDate: ServerHarness.summer, municipality: nil, createdBy: nil)
        #expect(stored.count == 18)
        #expect(stored.allSatisfy { $0.passengerRef.hasPrefix("ok-") && !$0.passengerRef.contains("\u{0}") })
    }
}
