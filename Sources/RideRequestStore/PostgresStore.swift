import Foundation
import Logging
import PostgresNIO

/// The store for deployments with several server instances: PostgreSQL through postgres-nio's
/// connection pool. Same schema and behaviour as `SQLiteStore` (one test suite runs against
/// both). Plan runs are serialized with a session advisory lock, which the server releases by
/// itself when a holder's connection dies.
public final class PostgresStore: RideRequestStore {
    let client: PostgresClient
    private let runner: Task<Void, Never>
    public let location: String
    let logger = Logger(label: "dispatch.store.postgres")

    /// Longest time one operation (a transaction or a query) may take, waiting for a connection
    /// included; then it fails as `.unavailable` (503 for clients) instead of waiting for a server
    /// that is down (the pool would retry forever).
    let operationTimeout: Double

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database`, TLS off: loopback or a
    /// private network), waits up to `timeout` seconds for the server, and migrates the schema.
    public init(url: String, timeout: Double = 10, operationTimeout: Double = 10) async throws {
        self.operationTimeout = operationTimeout
        guard let parts = URLComponents(string: url), parts.scheme == "postgres" || parts.scheme == "postgresql",
              let host = parts.host, !host.isEmpty, let user = parts.user, !user.isEmpty else {
            throw StoreError(.badAddress, "'\(redactingPassword(url))' is not a PostgreSQL URL (postgres://user[:password]@host[:port]/database)")
        }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        var configuration = PostgresClient.Configuration(host: host, port: parts.port ?? 5432, username: user, password: parts.password,
                                                         database: database.isEmpty ? user : database, tls: .disable)
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = .seconds(Int64(max(1, timeout)))
        let client = PostgresClient(configuration: configuration)
        self.client = client
        runner = Task { await client.run() }
        location = "postgres://\(user)@\(host):\(parts.port ?? 5432)/\(database)"
        do {
            // The migration may wait for another instance's (the advisory lock below): it gets the
            // whole connection timeout, not one operation's.
            try await Self.withTimeout(timeout, what: "connecting to \(location)") { try await self.migrate(timeout: timeout) }
        } catch {
            runner.cancel()
            throw error
        }
    }

    deinit { runner.cancel() }

    /// A transaction whose errors come out as thrown inside it (not wrapped), and server errors
    /// as `StoreError` with the server's message.
    func transaction<T: Sendable>(timeout: Double? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let client = self.client, logger = self.logger
        return try await Self.withTimeout(timeout ?? operationTimeout, what: "a PostgreSQL transaction") {
            do {
                return try await client.withTransaction(logger: logger) { conn in try await body(conn) }
            } catch let error as PostgresTransactionError {
                if let inner = error.closureError { throw Self.mapped(inner) }
                throw StoreError(classifying: error) ?? StoreError(.unavailable, "a PostgreSQL transaction failed")
            } catch {
                throw Self.mapped(error)
            }
        }
    }

    static func mapped(_ error: any Error) -> any Error {
        if let psql = error as? PSQLError { return StoreError(.unavailable, describe(psql)) }
        if error is StoreError || error is CancellationError { return error }
        // The pool's own (e.g. its circuit breaker after failed connection attempts): named by type only.
        return StoreError(.unavailable, "the PostgreSQL store failed (\(String(describing: type(of: error))))")
    }

    /// A PostgreSQL error for people: the server's message, or what happened to the connection.
    /// Never `String(reflecting:)`, which carries the query and its arguments (passenger data).
    static func describe(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] {
            return "PostgreSQL: \(message)" + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return "PostgreSQL cannot be reached (\(error.code))"
        default:
            return "PostgreSQL failed (\(error.code))"
        }
    }

    /// Ends the connection pool.
    public func close() { runner.cancel() }

    /// `body`'s result, or `StoreError(.unavailable)` after `seconds`. The answer does not wait
    /// for `body` to end: postgres-nio's pool retries a lost server forever and a connection
    /// attempt may ignore cancellation, so a task group (which awaits every child before it
    /// returns) could outlive its own timeout. `body` is cancelled and left to finish on its own.
    static func withTimeout<T: Sendable>(_ seconds: Double, what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let answer = OnceAnswer<T>()
        let work = Task { answer.resume(with: await Result(catching: { try await body() })) }
        let timer = Task {
            try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            answer.resume(with: .failure(StoreError(.unavailable, "\(what) took longer than \(Int(seconds)) s (is the server running?)")))
        }
        defer {
            work.cancel()
            timer.cancel()
        }
        return try await withTaskCancellationHandler {
            try await answer.value()
        } onCancel: {
            answer.resume(with: .failure(CancellationError()))
        }
    }

    static let migrations: [(String, [String])] = [("1-initial", StoreSchema.version1(dialect: .postgres)),
                                                   ("2-day-revisions", StoreSchema.version2(dialect: .postgres)),
                                                   ("3-fares", StoreSchema.version3(dialect: .postgres)),
                                                   ("4-day-routes", StoreSchema.version4(dialect: .postgres)),
                                                   ("5-one-vocabulary", StoreSchema.version5(dialect: .postgres)),
                                                   ("6-standing-bookings", StoreSchema.version6(dialect: .postgres)),
                                                   ("7-driver-keys", StoreSchema.version7(dialect: .postgres)),
                                                   ("8-vehicle-events", StoreSchema.version8(dialect: .postgres)),
                                                   ("9-console-sessions", StoreSchema.version9(dialect: .postgres))]

    /// Applies missing migrations in order, in one transaction each, under an advisory lock so
    /// that instances starting together do not race.
    func migrate(timeout: Double) async throws {
        try await transaction(timeout: timeout) { conn in
            // Instances starting together (or tests) would race on CREATE TABLE IF NOT EXISTS.
            try await conn.query("SELECT pg_advisory_xact_lock(7340001)", logger: self.logger)
            try await conn.query("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
                                 logger: self.logger)
            for (version, statements) in Self.migrations {
                guard try await self.rows("SELECT 1 FROM schema_migrations WHERE version = \(version)", on: conn).isEmpty else { continue }
                for statement in statements { try await conn.query(PostgresQuery(unsafeSQL: statement), logger: self.logger) }
                try await conn.query("INSERT INTO schema_migrations (version, applied_at) VALUES (\(version), \(storeNow()))", logger: self.logger)
            }
        }
    }

    /// Creates an empty database on the same server (provisioning and tests); the name must be a
    /// plain lower-case identifier.
    public func createDatabase(named name: String) async throws {
        guard let first = name.first, first.isLetter, name.count <= 63,
              name.allSatisfy({ ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "_" }) else {
            throw StoreError(.badAddress, "'\(name)' is not a plain database name")
        }
        try await execute("CREATE DATABASE \(name)")
    }

    /// Runs one statement as it is.
    func execute(_ sql: String) async throws {
        do {
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            throw Self.mapped(error)
        }
    }

    public func appliedMigrations() async throws -> [String] {
        try await strings("SELECT version FROM schema_migrations ORDER BY version")
    }

    private func strings(_ query: PostgresQuery) async throws -> [String] {
        var out: [String] = []
        for try await row in try await client.query(query, logger: logger) { out.append(try row.makeRandomAccess()[0].decode(String.self)) }
        return out
    }

    func rows(_ query: PostgresQuery, on conn: PostgresConnection? = nil) async throws -> [PostgresRandomAccessRow] {
        let client = self.client, logger = self.logger
        @Sendable func run() async throws -> [PostgresRandomAccessRow] {
            var out: [PostgresRandomAccessRow] = []
            do {
                let sequence = if let conn { try await conn.query(query, logger: logger) } else { try await client.query(query, logger: logger) }
                for try await row in sequence { out.append(row.makeRandomAccess()) }
            } catch {
                throw Self.mapped(error)
            }
            return out
        }
        // Inside a transaction the transaction's deadline holds.
        if conn != nil { return try await run() }
        return try await Self.withTimeout(operationTimeout, what: "a PostgreSQL query", run)
    }

    // MARK: Zone

    public func replaceZone(municipalities: [MunicipalityRow], vehicles: [VehicleRow], actor: String) async throws {
        try await transaction { conn in
            for m in municipalities {
                try await conn.query("""
                    INSERT INTO municipalities (id, name, local_name) VALUES (\(m.id), \(m.name), \(m.localName))
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, local_name = excluded.local_name
                    """, logger: self.logger)
            }
            try await conn.query("DELETE FROM vehicles", logger: self.logger)
            for v in vehicles {
                try await conn.query("""
                    INSERT INTO vehicles (id, municipality, depot, seats, wheelchair_places, shift_start, shift_end)
                    VALUES (\(v.id), \(v.municipality), \(v.depot), \(v.seats), \(v.wheelchairPlaces), \(v.shiftStart), \(v.shiftEnd))
                    """, logger: self.logger)
            }
            try await self.audit(conn, actor: actor, action: "zone.load", subject: "zone",
                                 detail: "\(municipalities.count) municipalities, \(vehicles.count) vehicles")
        }
    }

    public func municipalities() async throws -> [MunicipalityRow] {
        try await rows("SELECT id, name, local_name FROM municipalities ORDER BY id").map {
            MunicipalityRow(id: try $0["id"].decode(String.self), name: try $0["name"].decode(String.self),
                            localName: try $0["local_name"].decode(String.self))
        }
    }

    public func vehicles() async throws -> [VehicleRow] {
        try await rows("SELECT * FROM vehicles ORDER BY id").map {
            VehicleRow(id: try $0["id"].decode(String.self), municipality: try $0["municipality"].decode(String.self),
                       depot: try $0["depot"].decode(String.self), seats: try $0["seats"].decode(Int.self),
                       wheelchairPlaces: try $0["wheelchair_places"].decode(Int.self), shiftStart: try $0["shift_start"].decode(String.self),
                       shiftEnd: try $0["shift_end"].decode(String.self))
        }
    }

    // MARK: Keys

    public func createAPIKey(role: Role, municipality: String?, vehicle: String?, label: String, actor: String) async throws -> (key: APIKey, secret: String) {
        let key = APIKey(id: "key-" + RandomToken.make(10), role: role, municipality: municipality, label: label, createdAt: storeNow(), vehicle: vehicle)
        let secret = "dk_" + RandomToken.make(32)
        let hash = sha256Hex(Array(secret.utf8))
        try await transaction { conn in
            try await conn.query("""
                INSERT INTO api_keys (id, secret_hash, role, municipality, vehicle, label, created_at)
                VALUES (\(key.id), \(hash), \(role.rawValue), \(municipality), \(vehicle), \(label), \(key.createdAt))
                """, logger: self.logger)
            try await self.audit(conn, actor: actor, action: "key.create", subject: key.id, detail: key.auditDetail)
        }
        return (key, secret)
    }

    public func apiKey(secret: String) async throws -> APIKey? {
        let hash = sha256Hex(Array(secret.utf8))
        return try await rows("SELECT * FROM api_keys WHERE secret_hash = \(hash) AND revoked_at IS NULL").first.map {
            APIKey(id: try $0["id"].decode(String.self), role: Role(rawValue: try $0["role"].decode(String.self)) ?? .booking,
                   municipality: try $0["municipality"].decode(String?.self), label: try $0["label"].decode(String.self),
                   createdAt: try $0["created_at"].decode(Int64.self), vehicle: try $0["vehicle"].decode(String?.self))
        }
    }

    public func apiKey(id: String) async throws -> APIKey? {
        try await rows("SELECT * FROM api_keys WHERE id = \(id)").first.map {
            APIKey(id: try $0["id"].decode(String.self), role: Role(rawValue: try $0["role"].decode(String.self)) ?? .booking,
                   municipality: try $0["municipality"].decode(String?.self), label: try $0["label"].decode(String.self),
                   createdAt: try $0["created_at"].decode(Int64.self), vehicle: try $0["vehicle"].decode(String?.self))
        }
    }

    public func revokeAPIKey(id: String, actor: String) async throws -> Bool {
        try await transaction { conn in
            guard let row = try await self.rows("SELECT revoked_at FROM api_keys WHERE id = \(id) FOR UPDATE", on: conn).first else {
                throw StoreError(.notFound, "there is no API key \(id)")
            }
            guard try row["revoked_at"].decode(Int64?.self) == nil else { return false }
            try await conn.query("UPDATE api_keys SET revoked_at = \(storeNow()) WHERE id = \(id)", logger: self.logger)
            try await self.audit(conn, actor: actor, action: "key.revoke", subject: id, detail: "revoked")
            return true
        }
    }

    // MARK: Bookings

    public func idempotentAnswer(keyID: String, key: String) async throws -> IdempotencyRecord? {
        try await idempotency(keyID: keyID, key: key, on: nil)
    }

    func idempotentAnswer(keyID: String, key: String, on conn: PostgresConnection?) async throws -> IdempotencyRecord? {
        try await idempotency(keyID: keyID, key: key, on: conn)
    }

    private func idempotency(keyID: String, key: String, on conn: PostgresConnection?) async throws -> IdempotencyRecord? {
        try await rows("SELECT * FROM idempotency WHERE key_id = \(keyID) AND idempotency_key = \(key)", on: conn).first.map {
            IdempotencyRecord(keyID: try $0["key_id"].decode(String.self), key: try $0["idempotency_key"].decode(String.self),
                              requestHash: try $0["request_hash"].decode(String.self), statusCode: try $0["status_code"].decode(Int.self),
                              responseBody: Array(try $0["response_body"].decode(Data.self)))
        }
    }

    public func insertBookings(_ batch: [BookingInsert]) async throws -> [BookingWrite] {
        try await transaction { conn in
            var results: [BookingWrite] = []
            for item in batch { results.append(try await self.insert(item, on: conn)) }
            return results
        }
    }

    private func insert(_ item: BookingInsert, on conn: PostgresConnection) async throws -> BookingWrite {
        let booking = item.booking, history = item.history, actor = item.actor, detail = item.detail, idempotency = item.idempotency
        if let i = idempotency {
            // Serializes requests with the same key (a concurrent twin waits here, then sees the first answer).
            try await conn.query("SELECT pg_advisory_xact_lock(hashtext(\(i.keyID + "\u{1F}" + i.key)))", logger: logger)
            if let first = try await self.idempotency(keyID: i.keyID, key: i.key, on: conn) {
                return first.requestHash == i.requestHash ? .replayed(statusCode: first.statusCode, body: first.responseBody) : .conflict
            }
        }
        let b = booking
        // The date's revision row, locked until commit: inserts and changes of one date are serialized.
        let revision = try await lockedRevision(b.serviceDate, on: conn)
        if let expected = item.expectedRevision, expected != revision { return .stale }
        try await setRevision(b.serviceDate, revision + 1, on: conn)
        try await conn.query("""
            INSERT INTO bookings (id, service_date, municipality, passenger_ref, pickup_stop, pickup_lat, pickup_lon,
                dropoff_stop, dropoff_lat, dropoff_lon, time_kind, requested_time, party_size, wheelchairs, notes, status,
                promised_earliest, promised_latest, reason, created_by, created_at, updated_at, concession, channel)
            VALUES (\(b.id), \(b.serviceDate), \(b.municipality), \(b.passengerRef), \(b.pickup.stopID), \(b.pickup.latitude),
                \(b.pickup.longitude), \(b.dropoff.stopID), \(b.dropoff.latitude), \(b.dropoff.longitude), \(b.timeKind.rawValue),
                \(b.requestedTime), \(b.partySize), \(b.wheelchairs), \(b.notes), \(b.status.rawValue), \(b.promisedEarliest),
                \(b.promisedLatest), \(b.reason), \(b.createdBy), \(b.createdAt), \(b.updatedAt), \(b.concession?.rawValue),
                \(b.channel.rawValue))
            """, logger: logger)
        for status in history {
            let text = status == b.status ? detail : ""
            try await conn.query("""
                INSERT INTO booking_events (booking_id, at, status, actor, detail) VALUES (\(b.id), \(b.createdAt), \(status.rawValue), \(actor), \(text))
                """, logger: logger)
        }
        if let i = idempotency {
            try await conn.query("""
                INSERT INTO idempotency (key_id, idempotency_key, request_hash, status_code, response_body, created_at)
                VALUES (\(i.keyID), \(i.key), \(i.requestHash), \(i.statusCode), \(Data(i.responseBody)), \(b.createdAt))
                """, logger: logger)
        }
        if let route = item.route { try await saveRoute(b.serviceDate, route, on: conn) }
        try await self.audit(conn, actor: actor, action: "booking.create", subject: b.id, detail: "\(b.status.rawValue): \(detail)")
        return .created(b)
    }

    private func saveRoute(_ date: String, _ route: DayRoute, on conn: PostgresConnection) async throws {
        let stops = route.encodedStops
        try await conn.query("""
            INSERT INTO day_routes (service_date, vehicle_id, stops) VALUES (\(date), \(route.vehicleID), \(stops))
            ON CONFLICT (service_date, vehicle_id) DO UPDATE SET stops = excluded.stops
            """, logger: logger)
    }

    public func dayRoutes(serviceDate: String) async throws -> [DayRoute] {
        try await rows("SELECT vehicle_id, stops FROM day_routes WHERE service_date = \(serviceDate) ORDER BY vehicle_id").map {
            DayRoute(vehicleID: try $0["vehicle_id"].decode(String.self), encodedStops: try $0["stops"].decode(String.self))
        }
    }

    private func lockedRevision(_ date: String, on conn: PostgresConnection) async throws -> Int64 {
        try await conn.query("INSERT INTO day_revisions (service_date, revision) VALUES (\(date), 0) ON CONFLICT (service_date) DO NOTHING",
                             logger: logger)
        let rows = try await self.rows("SELECT revision FROM day_revisions WHERE service_date = \(date) FOR UPDATE", on: conn)
        return try rows.first?["revision"].decode(Int64.self) ?? 0
    }

    private func setRevision(_ date: String, _ revision: Int64, on conn: PostgresConnection) async throws {
        try await conn.query("UPDATE day_revisions SET revision = \(revision) WHERE service_date = \(date)", logger: logger)
    }

    public func dayRevision(serviceDate: String) async throws -> Int64 {
        try await rows("SELECT revision FROM day_revisions WHERE service_date = \(serviceDate)").first?["revision"].decode(Int64.self) ?? 0
    }

    public func booking(id: String) async throws -> BookingRecord? {
        try await rows("SELECT * FROM bookings WHERE id = \(id)").first.map(Self.booking)
    }

    public func bookings(serviceDate: String, municipality: String?, createdBy: String?) async throws -> [BookingRecord] {
        try await rows("""
            SELECT * FROM bookings WHERE service_date = \(serviceDate)
              AND (\(municipality)::TEXT IS NULL OR municipality = \(municipality))
              AND (\(createdBy)::TEXT IS NULL OR created_by = \(createdBy))
            ORDER BY seq
            """).map(Self.booking)
    }

    public func passengerBookings(passengerRef: String, municipality: String?, from: String, until: String, limit: Int) async throws -> [BookingRecord] {
        try await rows("""
            SELECT * FROM bookings WHERE passenger_ref = \(passengerRef) AND service_date BETWEEN \(from) AND \(until)
              AND (\(municipality)::TEXT IS NULL OR municipality = \(municipality))
            ORDER BY service_date DESC, requested_time DESC LIMIT \(limit)
            """).map(Self.booking)
    }

    public func history(bookingID: String) async throws -> [BookingEvent] {
        try await rows("SELECT * FROM booking_events WHERE booking_id = \(bookingID) ORDER BY seq").map {
            BookingEvent(bookingID: try $0["booking_id"].decode(String.self), at: try $0["at"].decode(Int64.self),
                         status: BookingStatus(rawValue: try $0["status"].decode(String.self)) ?? .requested,
                         actor: try $0["actor"].decode(String.self), detail: try $0["detail"].decode(String.self))
        }
    }

    public func transition(bookingID: String, to status: BookingStatus, actor: String, detail: String) async throws -> BookingRecord {
        try await transaction { conn in
            guard var booking = try await self.rows("SELECT * FROM bookings WHERE id = \(bookingID) FOR UPDATE", on: conn).first.map(Self.booking) else {
                throw StoreError(.notFound, "no booking \(bookingID)")
            }
            guard booking.status.successors.contains(status) else {
                throw StoreError(.invalidTransition, "booking \(bookingID) is \(booking.status.rawValue) and cannot become \(status.rawValue)")
            }
            let now = storeNow()
            booking.status = status
            booking.updatedAt = now
            try await conn.query("UPDATE bookings SET status = \(status.rawValue), updated_at = \(now) WHERE id = \(bookingID)", logger: self.logger)
            let revision = try await self.lockedRevision(booking.serviceDate, on: conn)
            try await self.setRevision(booking.serviceDate, revision + 1, on: conn)
            try await conn.query("""
                INSERT INTO booking_events (booking_id, at, status, actor, detail) VALUES (\(bookingID), \(now), \(status.rawValue), \(actor), \(detail))
                """, logger: self.logger)
            try await self.audit(conn, actor: actor, action: "booking.\(status.rawValue)", subject: bookingID, detail: detail)
            return booking
        }
    }

    static func booking(_ row: PostgresRandomAccessRow) throws -> BookingRecord {
        func place(_ prefix: String) throws -> BookingPlace {
            if let stop = try row["\(prefix)_stop"].decode(String?.self) { return BookingPlace(stopID: stop) }
            return BookingPlace(latitude: try row["\(prefix)_lat"].decode(Double?.self) ?? 0, longitude: try row["\(prefix)_lon"].decode(Double?.self) ?? 0)
        }
        return BookingRecord(
            id: try row["id"].decode(String.self), serviceDate: try row["service_date"].decode(String.self),
            municipality: try row["municipality"].decode(String.self), passengerRef: try row["passenger_ref"].decode(String.self),
            pickup: try place("pickup"), dropoff: try place("dropoff"),
            timeKind: RequestedTimeKind(rawValue: try row["time_kind"].decode(String.self)) ?? .pickup,
            requestedTime: try row["requested_time"].decode(Int.self), partySize: try row["party_size"].decode(Int.self),
            wheelchairs: try row["wheelchairs"].decode(Int.self), notes: try row["notes"].decode(String.self),
            status: BookingStatus(rawValue: try row["status"].decode(String.self)) ?? .requested,
            promisedEarliest: try row["promised_earliest"].decode(Int?.self), promisedLatest: try row["promised_latest"].decode(Int?.self),
            reason: try row["reason"].decode(String?.self), createdBy: try row["created_by"].decode(String.self),
            createdAt: try row["created_at"].decode(Int64.self), updatedAt: try row["updated_at"].decode(Int64.self),
            concession: try row["concession"].decode(String?.self).flatMap(Concession.init(rawValue:)),
            channel: BookingChannel(rawValue: try row["channel"].decode(String.self)) ?? .app)
    }

    // MARK: Plans

    public func savePlan(serviceDate: String, payload: [UInt8], createdBy: String, scheduled: [String], routes: [DayRoute],
                         expectedRevision: Int64?) async throws -> PlanSave {
        try await transaction { conn in
            // The date's revision row, locked until commit: plan saves and booking inserts of one
            // date are serialized, and so are the versions of its plans.
            let revision = try await self.lockedRevision(serviceDate, on: conn)
            if let expectedRevision, expectedRevision != revision { return .stale }
            try await self.setRevision(serviceDate, revision + 1, on: conn)
            let last = try await self.rows("SELECT MAX(version) AS v FROM plans WHERE service_date = \(serviceDate)", on: conn)
            let version = (try last.first?["v"].decode(Int?.self) ?? 0) + 1
            let now = storeNow()
            try await conn.query("""
                INSERT INTO plans (service_date, version, created_at, created_by, payload)
                VALUES (\(serviceDate), \(version), \(now), \(createdBy), \(Data(payload)))
                """, logger: self.logger)
            try await conn.query("DELETE FROM day_routes WHERE service_date = \(serviceDate)", logger: self.logger)
            for route in routes where !route.stops.isEmpty { try await self.saveRoute(serviceDate, route, on: conn) }
            for id in scheduled {
                let updated = try await self.rows("""
                    UPDATE bookings SET status = 'scheduled', updated_at = \(now) WHERE id = \(id) AND status IN ('accepted', 'scheduled') RETURNING id
                    """, on: conn)
                guard !updated.isEmpty else { continue }
                let text = "plan \(serviceDate) v\(version)"
                try await conn.query("""
                    INSERT INTO booking_events (booking_id, at, status, actor, detail) VALUES (\(id), \(now), 'scheduled', \(createdBy), \(text))
                    """, logger: self.logger)
            }
            try await self.audit(conn, actor: createdBy, action: "plan.save", subject: "\(serviceDate) v\(version)",
                                 detail: "\(scheduled.count) bookings scheduled")
            return .saved(PlanRecord(serviceDate: serviceDate, version: version, createdAt: now, createdBy: createdBy, payload: payload))
        }
    }

    public func latestPlan(serviceDate: String) async throws -> PlanRecord? {
        try await rows("SELECT * FROM plans WHERE service_date = \(serviceDate) ORDER BY version DESC LIMIT 1").first.map(Self.plan)
    }

    public func plan(serviceDate: String, version: Int) async throws -> PlanRecord? {
        try await rows("SELECT * FROM plans WHERE service_date = \(serviceDate) AND version = \(version)").first.map(Self.plan)
    }

    static func plan(_ row: PostgresRandomAccessRow) throws -> PlanRecord {
        PlanRecord(serviceDate: try row["service_date"].decode(String.self), version: try row["version"].decode(Int.self),
                   createdAt: try row["created_at"].decode(Int64.self), createdBy: try row["created_by"].decode(String.self),
                   payload: Array(try row["payload"].decode(Data.self)))
    }

    /// A session advisory lock on one pooled connection, held while `body` runs; PostgreSQL drops
    /// it with the connection if this process dies (no lease needed).
    public func withPlanLock<T: Sendable>(serviceDate: String, holder: String, lease: Double, timeout: Double,
                                          _ body: @Sendable () async throws -> T) async throws -> T {
        let key = "plan:" + serviceDate
        return try await client.withConnection { conn in
            let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
            while true {
                let got = try await self.rows("SELECT pg_try_advisory_lock(hashtext(\(key))) AS ok", on: conn)
                if try got.first?["ok"].decode(Bool.self) == true { break }
                guard ContinuousClock.now < deadline else {
                    throw StoreError(.lockTimeout, "another plan run for \(serviceDate) holds the lock; try again when it ends")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            do {
                let value = try await body()
                try await conn.query("SELECT pg_advisory_unlock(hashtext(\(key)))", logger: self.logger)
                return value
            } catch {
                _ = try? await conn.query("SELECT pg_advisory_unlock(hashtext(\(key)))", logger: self.logger)
                throw error
            }
        }
    }

    // MARK: Audit

    func audit(_ conn: PostgresConnection, actor: String, action: String, subject: String, detail: String) async throws {
        try await conn.query("""
            INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (\(storeNow()), \(actor), \(action), \(subject), \(detail))
            """, logger: logger)
    }

    public func auditLog(limit: Int) async throws -> [AuditEntry] {
        try await rows("SELECT * FROM audit_log ORDER BY seq DESC LIMIT \(limit)").map {
            AuditEntry(at: try $0["at"].decode(Int64.self), actor: try $0["actor"].decode(String.self), action: try $0["action"].decode(String.self),
                       subject: try $0["subject"].decode(String.self), detail: try $0["detail"].decode(String.self))
        }
    }
}

/// The first of several racing results, handed to one waiter exactly once.
final class OnceAnswer<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?
    private var waiter: CheckedContinuation<T, any Error>?

    func resume(with outcome: Result<T, any Error>) {
        lock.lock()
        guard result == nil else { lock.unlock(); return }
        result = outcome
        let waiter = self.waiter
        self.waiter = nil
        lock.unlock()
        waiter?.resume(with: outcome)
    }

    func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            if let result {
                lock.unlock()
                continuation.resume(with: result)
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
