import Foundation
import GRDB

extension SQLiteStore {
    public func createConsoleSession(keyID: String, lifetime: Int64) async throws -> (token: String, session: ConsoleSession) {
        let token = RandomToken.make(40), csrf = RandomToken.make(32), now = storeNow(), expires = now + lifetime * 1000
        let key = try await pool.write { db -> APIKey in
            try db.cachedStatement(sql: "DELETE FROM console_sessions WHERE expires_at <= ?").execute(arguments: [now])
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM api_keys WHERE id = ? AND revoked_at IS NULL"),
                                             arguments: [keyID]) else {
                throw StoreError(.notFound, "there is no valid API key \(keyID)")
            }
            try db.cachedStatement(sql: """
                INSERT INTO console_sessions (token_hash, key_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [sha256Hex(Array(token.utf8)), keyID, csrf, now, expires])
            try Self.audit(db, actor: keyID, action: "console.sign_in", subject: keyID, detail: "console session until \(expires)")
            return Self.apiKey(row)
        }
        return (token, ConsoleSession(key: key, csrfToken: csrf, expiresAt: expires))
    }

    public func consoleSession(token: String) async throws -> ConsoleSession? {
        let hash = sha256Hex(Array(token.utf8)), now = storeNow()
        return try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT k.*, s.csrf_token, s.expires_at FROM console_sessions s JOIN api_keys k ON k.id = s.key_id
                WHERE s.token_hash = ? AND s.expires_at > ? AND k.revoked_at IS NULL
                """), arguments: [hash, now]).map { ConsoleSession(key: Self.apiKey($0), csrfToken: $0["csrf_token"], expiresAt: $0["expires_at"]) }
        }
    }

    public func deleteConsoleSession(token: String) async throws {
        let hash = sha256Hex(Array(token.utf8))
        try await pool.write { db in
            try db.cachedStatement(sql: "DELETE FROM console_sessions WHERE token_hash = ?").execute(arguments: [hash])
        }
    }

    static func apiKey(_ row: Row) -> APIKey {
        APIKey(id: row["id"], role: Role(rawValue: row["role"]) ?? .booking, municipality: row["municipality"], label: row["label"],
               createdAt: row["created_at"], vehicle: row["vehicle"])
    }
}
