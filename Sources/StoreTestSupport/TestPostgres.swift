import Foundation
import RideRequestStore

/// The throwaway PostgreSQL server `make test` starts (scripts/with-postgres), for the store and
/// server tests: each test gets a database of its own.
public enum TestPostgres {
    /// Its URL, when `make test` started one.
    public static let url = ProcessInfo.processInfo.environment["DISPATCH_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// Whether the PostgreSQL tests must run: in CI (`CI=true`, as CI services set it) a missing
    /// server fails them instead of skipping them.
    public static let requiredByCI = ["true", "1", "yes"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "")

    /// A store on a new, empty database.
    /// - Parameter operationTimeout: the store's limit per operation (generous by default: a
    ///   loaded CI machine runs many tests at once).
    public static func freshStore(operationTimeout: Double = 60) async throws -> PostgresStore {
        guard let base = url, var parts = URLComponents(string: base) else {
            throw StoreError(.unavailable, "CI=true but DISPATCH_TEST_POSTGRES_URL is not set: run the tests through scripts/with-postgres (make test)")
        }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await Admin.shared.createDatabase(name, on: base)
        parts.path = "/" + name
        // Generous: a loaded CI machine runs many tests at once.
        return try await PostgresStore(url: parts.string!, timeout: 60, operationTimeout: operationTimeout)
    }

    /// One connection creates the tests' databases (concurrent CREATE DATABASE and concurrent
    /// migrations of the base database slow each other down).
    actor Admin {
        static let shared = Admin()
        private var store: PostgresStore?

        func createDatabase(_ name: String, on base: String) async throws {
            // As generous as the tests' stores: at the start of `make test` every PostgreSQL test
            // waits here at once, on a machine busy with the solver tests.
            if store == nil { store = try await PostgresStore(url: base, timeout: 60, operationTimeout: 60) }
            try await store!.createDatabase(named: name)
        }
    }
}

/// The store backends the tests run against: SQLite always, PostgreSQL when `make test` started
/// a server. Without one, the PostgreSQL cases are skipped with a printed note, except in CI
/// (`CI=true`), where they run and fail saying the server is missing: the suite never loses its
/// PostgreSQL half silently. `open()` gives a new, empty store.
public enum TestStore: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres

    public static let available: [TestStore] = {
        if TestPostgres.url != nil || TestPostgres.requiredByCI { return [.sqlite, .postgres] }
        print("note: DISPATCH_TEST_POSTGRES_URL is not set, so the PostgreSQL store cases are skipped; "
              + "run `scripts/with-postgres swift test` (as `make test` does) to include them")
        return [.sqlite]
    }()

    public var description: String { rawValue }

    public func open() async throws -> any RideRequestStore {
        switch self {
        case .sqlite: return try Self.sqlite()
        case .postgres: return try await TestPostgres.freshStore()
        }
    }

    /// A new SQLite file in the temporary folder.
    public static func sqlite() throws -> SQLiteStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dispatch-store-\(UUID().uuidString)")
        return try SQLiteStore(path: dir.appendingPathComponent("store.sqlite").path)
    }
}
