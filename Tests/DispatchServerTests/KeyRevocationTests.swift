import DispatchCore
import Foundation
import HTTPTypes
import RideRequestStore
import Testing

/// Revoked keys stop working on their next request; unknown tokens do not disturb valid keys.
@Suite struct KeyRevocationTests {
    @Test func aKeyRevokedThroughTheAPIIsRefusedOnItsVeryNextRequest() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            let created = try await client.call(.post, "/v1/keys", as: "admin", json: ["role": "booking", "label": "partner app"])
            let id = try #require(created["id"] as? String), secret = try #require(created["secret"] as? String)
            #expect(try await client.call(.get, "/v1/vehicles", as: secret).status == .ok)
            #expect(try await client.call(.delete, "/v1/keys/\(id)", as: "dispatcher").status == .forbidden)
            let revoked = try await client.call(.delete, "/v1/keys/\(id)", as: "admin")
            #expect(revoked.status == .ok && revoked["revoked"] as? Bool == true, "\(revoked.json)")
            let refused = try await client.call(.get, "/v1/vehicles", as: secret)
            #expect(refused.status == .unauthorized && refused.field == "Authorization")
            #expect(try await client.book(secret).status == .unauthorized)
            // Revoking again is harmless; an unknown key is not found.
            #expect(try await client.call(.delete, "/v1/keys/\(id)", as: "admin").status == .ok)
            let unknown = try await client.call(.delete, "/v1/keys/key-nothere", as: "admin")
            #expect(unknown.status == .notFound && unknown.error?["code"] as? String == "not_found")
        }
    }

    @Test func aKeyRevokedInTheStoreByAnotherProcessIsRefusedOnItsVeryNextRequest() async throws {
        let harness = try await ServerHarness.make()
        let store = harness.store
        try await harness.run { client in
            let (key, secret) = try await store.createAPIKey(role: .booking, municipality: nil, label: "kiosk", actor: "cli")
            for _ in 0..<3 { #expect(try await client.call(.get, "/v1/vehicles", as: secret).status == .ok) }
            // What `dispatch keys revoke` does, beside the running server.
            #expect(try await store.revokeAPIKey(id: key.id, actor: "cli"))
            #expect(try await client.call(.get, "/v1/vehicles", as: secret).status == .unauthorized)
        }
    }

    @Test func tenThousandUnknownTokensLeaveValidKeysWorking() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            #expect(try await client.call(.get, "/v1/vehicles", as: "booking").status == .ok)
            let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
            let connections = ConcurrencyTests.clients(4, like: client)
            let refused = try await withThrowingTaskGroup(of: Int.self) { group in
                for (c, connection) in connections.enumerated() {
                    group.addTask {
                        var generator = SeededGenerator(seed: UInt64(c))
                        var count = 0
                        for i in 0..<2_500 {
                            // Half shaped like real secrets (they reach the store), half junk.
                            let token = i % 2 == 0 ? "dk_" + String((0..<32).map { _ in alphabet[generator.nextInt(below: alphabet.count)] })
                                                   : "junk-\(c)-\(i)"
                            if try await connection.call(.get, "/v1/vehicles", as: token).status == .unauthorized { count += 1 }
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(refused == 10_000, "secret-shaped tokens from seeds 0 to 3, one per connection")
            for who in ["booking", "okukawa", "dispatcher", "admin"] {
                #expect(try await client.call(.get, "/v1/vehicles", as: who).status == .ok, "\(who)")
            }
        }
    }
}
