import Foundation
import HTTPTypes
import RideRequestStore
import Testing

/// Answers tell a caller what it needs and no more: roles instead of other keys' ids, and no
/// huge echoes of what it sent.
@Suite struct LeakTests {
    @Test func bookingHistoryNamesRolesNotOtherKeysIds() async throws {
        let harness = try await ServerHarness.make()
        let store = harness.store
        var found: [String: String] = [:]
        for (name, secret) in harness.keys { found[name] = try await store.apiKey(secret: secret)?.id }
        let ids = found
        try await harness.run { client in
            let booked = try await client.book("booking", passenger: "resident")
            let id = try #require(booked["id"] as? String)
            let plan = try await client.call(.post, "/v1/plans/\(ServerHarness.summer)", as: "dispatcher", json: ["time_limit": 0.5])
            #expect(plan.status == .created)

            let seen = try await client.call(.get, "/v1/bookings/\(id)", as: "okukawa")
            #expect(seen.status == .ok)
            let history = try #require(seen["history"] as? [[String: Any]])
            #expect(history.compactMap { $0["actor"] as? String } == ["booking", "booking", "dispatcher"], "\(history)")
            #expect(history.allSatisfy { $0["actor_key_id"] == nil })
            let text = String(decoding: seen.bytes, as: UTF8.self)
            for (name, keyID) in ids where name != "okukawa" { #expect(!text.contains(keyID), "\(name)'s key id is shown to an operator") }

            // The app that booked sees its own key id on its own changes, not the dispatcher's.
            let own = try #require(try await client.call(.get, "/v1/bookings/\(id)", as: "booking")["history"] as? [[String: Any]])
            #expect(own.map { $0["actor_key_id"] as? String } == [ids["booking"], ids["booking"], nil])
            // Admins manage keys and see them all.
            let admin = try #require(try await client.call(.get, "/v1/bookings/\(id)", as: "admin")["history"] as? [[String: Any]])
            #expect(admin.map { $0["actor_key_id"] as? String } == [ids["booking"], ids["booking"], ids["dispatcher"]])
        }
    }

    @Test func errorMessagesQuoteAtMostSixtyFourCharactersOfWhatWasSent() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let long = String(repeating: "A", count: 20_000)
            var body = HostileInputTests.good
            body[long] = 1
            let unknown = try await client.call(.post, "/v1/bookings", as: "booking", json: body)
            #expect(unknown.status == .unprocessableContent && unknown.error?["code"] as? String == "unknown_field")
            let answers = [unknown,
                           try await client.call(.post, "/v1/bookings", as: "booking", raw: "{\"\(long)\": 1, \"\(long)\": 2}"),
                           try await client.call(.get, "/v1/bookings?date=\(long)", as: "dispatcher"),
                           try await client.call(.get, "/v1/plans/\(long)", as: "dispatcher"),
                           try await client.call(.get, "/v1/\(long)", as: "dispatcher")]
            for answer in answers {
                #expect((400..<500).contains(answer.status.code))
                let message = try #require(answer.error?["message"] as? String)
                #expect(message.count < 200 && !message.contains(String(repeating: "A", count: 65)), "\(message.count) characters")
                #expect((answer.field ?? "").count <= 65)
            }
            #expect((unknown.error?["message"] as? String)?.contains(String(repeating: "A", count: 64) + "…") == true)
        }
    }
}
