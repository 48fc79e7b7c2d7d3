import Foundation
import HTTPTypes
import RideRequestStore
import Testing

/// A store that fails: answers are 503 store_unavailable with Retry-After, never 500; /healthz
/// stays up and says nothing about the store; /readyz says whether the store answers.
@Suite struct StoreFaultTests {
    @Test func healthNamesNoStoreLocationAndReadinessAnswersOnALiveStore() async throws {
        let harness = try await ServerHarness.make()
        let path = String(harness.store.location.dropFirst("sqlite:".count))
        try await harness.run { client in
            let health = try await client.call(.get, "/healthz", as: nil)
            #expect(health.status == .ok && health["status"] as? String == "ok")
            let text = String(decoding: health.bytes, as: UTF8.self)
            #expect(!text.contains(path) && !text.contains("sqlite") && !text.contains("store"), "\(text)")
            let ready = try await client.call(.get, "/readyz", as: nil)
            #expect(ready.status == .ok && ready["status"] as? String == "ready", "\(ready.json)")
        }
    }

    @Test func aStoreThatFailsGives503StoreUnavailableWithRetryAfterAndReadinessSaysSo() async throws {
        let harness = try await ServerHarness.make()
        let store = try #require(harness.store as? SQLiteStore)
        try await harness.run { client in
            let before = try await client.book(passenger: "before")
            #expect(before.status == .created)
            let id = try #require(before["id"] as? String)
            store.close()

            let started = ContinuousClock.now
            let ready = try await client.call(.get, "/readyz", as: nil)
            #expect(ready.status == .serviceUnavailable && ready.error?["code"] as? String == "store_unavailable", "\(ready.json)")
            #expect(ContinuousClock.now - started < .seconds(10))   // not the 68 s it hung before (loaded CI machines get slack)
            #expect(ready.headers[.retryAfter] != nil)

            let answers = [try await client.book(passenger: "after"),
                           try await client.book(date: "2099-07-02", passenger: "another day"),
                           try await client.call(.get, "/v1/bookings?date=\(ServerHarness.summer)", as: "dispatcher"),
                           try await client.call(.get, "/v1/bookings/\(id)", as: "booking"),
                           try await client.call(.delete, "/v1/bookings/\(id)", as: "booking")]
            for answer in answers {
                #expect(answer.status == .serviceUnavailable, "\(answer.status) \(answer.json)")
                #expect(answer.error?["code"] as? String == "store_unavailable")
                #expect(Int(answer.headers[.retryAfter] ?? "") ?? 0 > 0)
            }
            // Still alive.
            #expect(try await client.call(.get, "/healthz", as: nil).status == .ok)
        }
    }
}
