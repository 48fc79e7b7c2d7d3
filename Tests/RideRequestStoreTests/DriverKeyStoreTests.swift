import Foundation
import GRDB
@testable import RideRequestStore
import StoreTestSupport
import Testing

/// Driver keys: bound to one vehicle, on both backends; version 7 keeps the keys made before it.
@Suite struct DriverKeyStoreTests {
    func openStore(_ backend: StoreFixture.Backend) async throws -> any RideRequestStore {
        let store = try await StoreFixture.open(backend)
        try await store.replaceZone(municipalities: StoreTests.municipalities, vehicles: StoreTests.vehicles, actor: "test")
        return store
    }

    @Test(arguments: StoreFixture.backends) func aDriverKeyIsStoredWithItsVehicleAndFoundByItsSecret(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        let (key, secret) = try await store.createAPIKey(role: .driver, municipality: nil, vehicle: "n-1", label: "tablet n-1", actor: "admin")
        #expect(key.role == .driver && key.vehicle == "n-1")
        #expect(try await store.apiKey(secret: secret) == key)
        #expect(try await store.apiKey(id: key.id)?.vehicle == "n-1")
        let (other, otherSecret) = try await store.createAPIKey(role: .dispatcher, municipality: nil, label: "desk", actor: "admin")
        #expect(try await store.apiKey(secret: otherSecret) == other)
        #expect(other.vehicle == nil)
        let log = try await store.auditLog(limit: 2)
        #expect(log.contains { $0.action == "key.create" && $0.subject == key.id && $0.detail.contains("vehicle n-1") })
    }

    @Test(arguments: StoreFixture.backends) func theStoreRefusesADriverKeyWithoutAVehicleAndAVehicleOnAnotherRole(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        await #expect(throws: (any Error).self) {
            _ = try await store.createAPIKey(role: .driver, municipality: nil, vehicle: nil, label: "", actor: "admin")
        }
        await #expect(throws: (any Error).self) {
            _ = try await store.createAPIKey(role: .dispatcher, municipality: nil, vehicle: "n-1", label: "", actor: "admin")
        }
    }

    @Test func aVersion6StoreKeepsItsKeysAndTheirIdempotencyAnswersWhenOpened() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dispatch-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        let old = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(old, upTo: "6-standing-bookings")
        try await old.write { db in
            try db.execute(sql: "INSERT INTO municipalities (id, name, local_name) VALUES ('north', 'North', '北村')")
            try db.execute(sql: """
                INSERT INTO api_keys (id, secret_hash, role, municipality, label, created_at, revoked_at)
                VALUES ('key-old', 'hash-old', 'operator', 'north', 'phone desk', 5, NULL), ('key-gone', 'hash-gone', 'booking', NULL, 'app', 6, 7)
                """)
            try db.execute(sql: """
                INSERT INTO idempotency (key_id, idempotency_key, request_hash, status_code, response_body, created_at)
                VALUES ('key-old', 'k1', 'h', 201, x'7b7d', 5)
                """)
        }
        try old.close()
        let store = try SQLiteStore(path: path)
        #expect(try store.appliedMigrations().contains("7-driver-keys"))
        #expect(try await store.apiKey(id: "key-old") == APIKey(id: "key-old", role: .operator, municipality: "north", label: "phone desk", createdAt: 5))
        #expect(try await store.apiKey(id: "key-gone")?.role == .booking)
        #expect(try await store.idempotentAnswer(keyID: "key-old", key: "k1")?.responseBody == Array("{}".utf8))
        let (driver, _) = try await store.createAPIKey(role: .driver, municipality: nil, vehicle: "n-1", label: "", actor: "test")
        #expect(try await store.apiKey(id: driver.id)?.vehicle == "n-1")
    }
}
