import Foundation
import PostgresNIO

extension PostgresStore {
    public func createConsoleSession(keyID: String, lifetime: Int64) async throws -> (token: String, session: ConsoleSession) {
        let token = RandomToken.make(40), csrf = RandomToken.make(32), now = storeNow(), expires = now + lifetime * 1000
        let hash = sha256Hex(Array(token.utf8))
        let key = try await transaction { conn -> APIKey in
            try await conn.query("DELETE FROM console_sessions WHERE expires_at <= \(now)", logger: self.logger)
            guard let row = try await self.rows("SELECT * FROM api_keys WHERE id = \(keyID) AND revoked_at IS NULL", on: conn).first else {
                throw StoreError(.notFound, "there is no valid API key \(keyID)")
            }
            try await conn.query("""
                INSERT INTO console_sessions (token_hash, key_id, csrf_token, created_at, expires_at) VALUES (\(hash), \(keyID), \(csrf), \(now), \(expires))
                """, logger: self.logger)
            try await self.audit(conn, actor: keyID, action: "console.sign_in", subject: keyID, detail: "console session until \(expires)")
            return try Self.apiKey(row)
        }
        return (token, ConsoleSession(key: key, csrfToken: csrf, expiresAt: expires))
    }

    public func consoleSession(token: String) async throws -> ConsoleSession? {
        let hash = sha256Hex(Array(token.utf8)), now = storeNow()
        return try await rows("""
            SELECT k.*, s.csrf_token, s.expires_at FROM console_sessions s JOIN api_keys k ON k.id = s.key_id
            WHERE s.token_hash = \(hash) AND s.expires_at > \(now) AND k.revoked_at IS NULL
            """).first.map {
            ConsoleSession(key: try Self.apiKey($0), csrfToken: try $0["csrf_token"].decode(String.self), expiresAt: try $0["expires_at"].decode(Int64.self))
        }
    }

    public func deleteConsoleSession(token: String) async throws {
        let hash = sha256Hex(Array(token.utf8))
        try await transaction { conn in
            try await conn.query("DELETE FROM console_sessions WHERE token_hash = \(hash)", logger: self.logger)
        }
    }

    static func apiKey(_ row: PostgresRandomAccessRow) throws -> APIKey {
        APIKey(id: try row["id"].decode(String.self), role: Role(rawValue: try row["role"].decode(String.self)) ?? .booking,
               municipality: try row["municipality"].decode(String?.self), label: try row["label"].decode(String.self),
               createdAt: try row["created_at"].decode(Int64.self), vehicle: try row["vehicle"].decode(String?.self))
    }
}
