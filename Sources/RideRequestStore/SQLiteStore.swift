import Foundation
import GRDB

/// The embedded store: one SQLite file through GRDB, WAL journal, `synchronous=FULL` (a commit is
/// on disk before it returns, so a booking answered 201 survives a power cut), foreign keys on,
/// versioned migrations. Several processes may open the same file (the server and `dispatch plan`):
/// SQLite serializes writers, and the plan lock is a row with a lease.
public final class SQLiteStore: RideRequestStore {
    let pool: DatabasePool
    public let location: String

    /// Opens (or creates) the store at `path` and migrates it to the current schema.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        location = "sqlite:\(path)"
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw StoreError(.unavailable, "cannot open the SQLite store \(path): \(error.message ?? error.description)")
        } catch {
            throw StoreError(.unavailable, "cannot open the SQLite store \(path): \(error.localizedDescription)")
        }
    }

    /// Closes the store's connections; every later call fails with `StoreError(.unavailable)`
    /// (as `StoreError(classifying:)` maps GRDB's "connection is closed").
    public func close() {
        try? pool.close()
    }

    /// The schema, one migration per version; never edit a released migration, add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-initial") { db in
            for statement in StoreSchema.version1(dialect: .sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("2-day-revisions") { db in
            for statement in StoreSchema.version2(dialect: .sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("3-fares") { db in
            for statement in StoreSchema.version3(dialect: .sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("4-day-routes") { db in
            for statement in StoreSchema.version4(dialect: .sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("5-one-vocabulary") { db in
            for statement in StoreSchema.version5(dialect: .sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("6-standing-bookings") { db in
            for statement in StoreSchema.version6(dialect: .sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("7-driver-keys") { db in
            for statement in StoreSchema.version7(dialect: .sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("8-vehicle-events") { db in
            for statement in StoreSchema.version8(dialect: .sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("9-console-sessions") { db in
            for statement in StoreSchema.version9(dialect: .sqlite) { try db.execute(sql: statement) }
        }
        return migrator
    }

    /// Applied schema versions (for tests and `dispatch serve` logs).
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Self.migrator.appliedMigrations(db) }
    }

    // MARK: Zone

    public func replaceZone(municipalities: [MunicipalityRow], vehicles: [VehicleRow], actor: String) async throws {
        try await pool.write { db in
            for m in municipalities {
                try db.execute(sql: """
                    INSERT INTO municipalities (id, name, local_name) VALUES (?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, local_name = excluded.local_name
                    """, arguments: [m.id, m.name, m.localName])
            }
            try db.execute(sql: "DELETE FROM vehicles")
            for v in vehicles {
                try db.cachedStatement(sql: """
                    INSERT INTO vehicles (id, municipality, depot, seats, wheelchair_places, shift_start, shift_end)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [v.id, v.municipality, v.depot, v.seats, v.wheelchairPlaces, v.shiftStart, v.shiftEnd])
            }
            try Self.audit(db, actor: actor, action: "zone.load", subject: "zone",
                           detail: "\(municipalities.count) municipalities, \(vehicles.count) vehicles")
        }
    }

    public func municipalities() async throws -> [MunicipalityRow] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, local_name FROM municipalities ORDER BY id").map {
                MunicipalityRow(id: $0["id"], name: $0["name"], localName: $0["local_name"])
            }
        }
    }

    public func vehicles() async throws -> [VehicleRow] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM vehicles ORDER BY id").map {
                VehicleRow(id: $0["id"], municipality: $0["municipality"], depot: $0["depot"], seats: $0["seats"],
                           wheelchairPlaces: $0["wheelchair_places"], shiftStart: $0["shift_start"], shiftEnd: $0["shift_end"])
            }
        }
    }

    // MARK: Keys

    public func createAPIKey(role: Role, municipality: String?, vehicle: String?, label: String, actor: String) async throws -> (key: APIKey, secret: String) {
        let key = APIKey(id: "key-" + RandomToken.make(10), role: role, municipality: municipality, label: label, createdAt: storeNow(), vehicle: vehicle)
        let secret = "dk_" + RandomToken.make(32)
        try await pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO api_keys (id, secret_hash, role, municipality, vehicle, label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [key.id, sha256Hex(Array(secret.utf8)), role.rawValue, municipality, vehicle, label, key.createdAt])
            try Self.audit(db, actor: actor, action: "key.create", subject: key.id, detail: key.auditDetail)
        }
        return (key, secret)
    }

    public func apiKey(secret: String) async throws -> APIKey? {
        let hash = sha256Hex(Array(secret.utf8))
        return try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM api_keys WHERE secret_hash = ? AND revoked_at IS NULL"), arguments: [hash]).map {
                APIKey(id: $0["id"], role: Role(rawValue: $0["role"]) ?? .booking, municipality: $0["municipality"], label: $0["label"],
                       createdAt: $0["created_at"], vehicle: $0["vehicle"])
            }
        }
    }

    public func apiKey(id: String) async throws -> APIKey? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM api_keys WHERE id = ?"), arguments: [id]).map {
                APIKey(id: $0["id"], role: Role(rawValue: $0["role"]) ?? .booking, municipality: $0["municipality"], label: $0["label"],
                       createdAt: $0["created_at"], vehicle: $0["vehicle"])
            }
        }
    }

    public func revokeAPIKey(id: String, actor: String) async throws -> Bool {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT revoked_at FROM api_keys WHERE id = ?"), arguments: [id]) else {
                throw StoreError(.notFound, "there is no API key \(id)")
            }
            guard (row["revoked_at"] as Int64?) == nil else { return false }
            try db.cachedStatement(sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ?").execute(arguments: [storeNow(), id])
            try Self.audit(db, actor: actor, action: "key.revoke", subject: id, detail: "revoked")
            return true
        }
    }

    // MARK: Bookings

    public func idempotentAnswer(keyID: String, key: String) async throws -> IdempotencyRecord? {
        try await pool.read { db in try Self.idempotency(db, keyID: keyID, key: key) }
    }

    static func idempotency(_ db: Database, keyID: String, key: String) throws -> IdempotencyRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM idempotency WHERE key_id = ? AND idempotency_key = ?"), arguments: [keyID, key]).map {
            IdempotencyRecord(keyID: $0["key_id"], key: $0["idempotency_key"], requestHash: $0["request_hash"],
                              statusCode: $0["status_code"], responseBody: Array($0["response_body"] as Data))
        }
    }

    public func insertBookings(_ batch: [BookingInsert]) async throws -> [BookingWrite] {
        try await pool.write { db in try batch.map { try Self.insert($0, db) } }
    }

    static func insert(_ item: BookingInsert, _ db: Database) throws -> BookingWrite {
        if let idempotency = item.idempotency, let first = try Self.idempotency(db, keyID: idempotency.keyID, key: idempotency.key) {
            return first.requestHash == idempotency.requestHash ? .replayed(statusCode: first.statusCode, body: first.responseBody) : .conflict
        }
        let b = item.booking
        let revision = try Self.revision(db, b.serviceDate)
        if let expected = item.expectedRevision, expected != revision { return .stale }
        try Self.bump(db, b.serviceDate, to: revision + 1)
        try db.cachedStatement(sql: """
            INSERT INTO bookings (id, service_date, municipality, passenger_ref, pickup_stop, pickup_lat, pickup_lon,
                dropoff_stop, dropoff_lat, dropoff_lon, time_kind, requested_time, party_size, wheelchairs, notes, status,
                promised_earliest, promised_latest, reason, created_by, created_at, updated_at, concession, channel)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [b.id, b.serviceDate, b.municipality, b.passengerRef, b.pickup.stopID, b.pickup.latitude, b.pickup.longitude,
                             b.dropoff.stopID, b.dropoff.latitude, b.dropoff.longitude, b.timeKind.rawValue, b.requestedTime,
                             b.partySize, b.wheelchairs, b.notes, b.status.rawValue, b.promisedEarliest, b.promisedLatest, b.reason,
                             b.createdBy, b.createdAt, b.updatedAt, b.concession?.rawValue, b.channel.rawValue])
        for status in item.history {
            try db.cachedStatement(sql: "INSERT INTO booking_events (booking_id, at, status, actor, detail) VALUES (?, ?, ?, ?, ?)").execute(arguments: [b.id, b.createdAt, status.rawValue, item.actor, status == b.status ? item.detail : ""])
        }
        if let i = item.idempotency {
            try db.cachedStatement(sql: """
                INSERT INTO idempotency (key_id, idempotency_key, request_hash, status_code, response_body, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [i.keyID, i.key, i.requestHash, i.statusCode, Data(i.responseBody), b.createdAt])
        }
        if let route = item.route { try Self.saveRoute(db, b.serviceDate, route) }
        try Self.audit(db, actor: item.actor, action: "booking.create", subject: b.id, detail: "\(b.status.rawValue): \(item.detail)")
        return .created(b)
    }

    static func saveRoute(_ db: Database, _ date: String, _ route: DayRoute) throws {
        try db.cachedStatement(sql: """
            INSERT INTO day_routes (service_date, vehicle_id, stops) VALUES (?, ?, ?)
            ON CONFLICT (service_date, vehicle_id) DO UPDATE SET stops = excluded.stops
            """).execute(arguments: [date, route.vehicleID, route.encodedStops])
    }

    public func dayRoutes(serviceDate: String) async throws -> [DayRoute] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT vehicle_id, stops FROM day_routes WHERE service_date = ? ORDER BY vehicle_id"), arguments: [serviceDate])
                .map { DayRoute(vehicleID: $0["vehicle_id"], encodedStops: $0["stops"]) }
        }
    }

    static func revision(_ db: Database, _ date: String) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT revision FROM day_revisions WHERE service_date = ?"), arguments: [date]) ?? 0
    }

    static func bump(_ db: Database, _ date: String, to revision: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO day_revisions (service_date, revision) VALUES (?, ?)
            ON CONFLICT (service_date) DO UPDATE SET revision = excluded.revision
            """).execute(arguments: [date, revision])
    }

    public func dayRevision(serviceDate: String) async throws -> Int64 {
        try await pool.read { db in try Self.revision(db, serviceDate) }
    }

    public func booking(id: String) async throws -> BookingRecord? {
        try await pool.read { db in try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM bookings WHERE id = ?"), arguments: [id]).map(Self.booking) }
    }

    public func bookings(serviceDate: String, municipality: String?, createdBy: String?) async throws -> [BookingRecord] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM bookings WHERE service_date = ? AND (? IS NULL OR municipality = ?) AND (? IS NULL OR created_by = ?)
                ORDER BY seq
                """), arguments: [serviceDate, municipality, municipality, createdBy, createdBy]).map(Self.booking)
        }
    }

    public func passengerBookings(passengerRef: String, municipality: String?, from: String, until: String, limit: Int) async throws -> [BookingRecord] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM bookings WHERE passenger_ref = ? AND service_date BETWEEN ? AND ? AND (? IS NULL OR municipality = ?)
                ORDER BY service_date DESC, requested_time DESC LIMIT ?
                """), arguments: [passengerRef, from, until, municipality, municipality, limit]).map(Self.booking)
        }
    }

    public func history(bookingID: String) async throws -> [BookingEvent] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM booking_events WHERE booking_id = ? ORDER BY seq"), arguments: [bookingID]).map {
                BookingEvent(bookingID: $0["booking_id"], at: $0["at"], status: BookingStatus(rawValue: $0["status"]) ?? .requested,
                             actor: $0["actor"], detail: $0["detail"])
            }
        }
    }

    public func transition(bookingID: String, to status: BookingStatus, actor: String, detail: String) async throws -> BookingRecord {
        try await pool.write { db in
            guard var booking = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM bookings WHERE id = ?"), arguments: [bookingID]).map(Self.booking) else {
                throw StoreError(.notFound, "no booking \(bookingID)")
            }
            guard booking.status.successors.contains(status) else {
                throw StoreError(.invalidTransition, "booking \(bookingID) is \(booking.status.rawValue) and cannot become \(status.rawValue)")
            }
            let now = storeNow()
            booking.status = status
            booking.updatedAt = now
            try db.cachedStatement(sql: "UPDATE bookings SET status = ?, updated_at = ? WHERE id = ?").execute(arguments: [status.rawValue, now, bookingID])
            try Self.bump(db, booking.serviceDate, to: try Self.revision(db, booking.serviceDate) + 1)
            try db.cachedStatement(sql: "INSERT INTO booking_events (booking_id, at, status, actor, detail) VALUES (?, ?, ?, ?, ?)").execute(arguments: [bookingID, now, status.rawValue, actor, detail])
            try Self.audit(db, actor: actor, action: "booking.\(status.rawValue)", subject: bookingID, detail: detail)
            return booking
        }
    }

    static func booking(_ row: Row) -> BookingRecord {
        func place(_ prefix: String) -> BookingPlace {
            if let stop: String = row["\(prefix)_stop"] { return BookingPlace(stopID: stop) }
            return BookingPlace(latitude: row["\(prefix)_lat"] ?? 0, longitude: row["\(prefix)_lon"] ?? 0)
        }
        return BookingRecord(id: row["id"], serviceDate: row["service_date"], municipality: row["municipality"], passengerRef: row["passenger_ref"],
                             pickup: place("pickup"), dropoff: place("dropoff"),
                             timeKind: RequestedTimeKind(rawValue: row["time_kind"]) ?? .pickup, requestedTime: row["requested_time"],
                             partySize: row["party_size"], wheelchairs: row["wheelchairs"], notes: row["notes"],
                             status: BookingStatus(rawValue: row["status"]) ?? .requested, promisedEarliest: row["promised_earliest"],
                             promisedLatest: row["promised_latest"], reason: row["reason"], createdBy: row["created_by"],
                             createdAt: row["created_at"], updatedAt: row["updated_at"],
                             concession: (row["concession"] as String?).flatMap(Concession.init(rawValue:)),
                             channel: BookingChannel(rawValue: row["channel"] ?? "app") ?? .app)
    }

    // MARK: Plans

    public func savePlan(serviceDate: String, payload: [UInt8], createdBy: String, scheduled: [String], routes: [DayRoute],
                         expectedRevision: Int64?) async throws -> PlanSave {
        try await pool.write { db in
            let revision = try Self.revision(db, serviceDate)
            if let expectedRevision, expectedRevision != revision { return .stale }
            try Self.bump(db, serviceDate, to: revision + 1)
            let version = (try Int.fetchOne(db.cachedStatement(sql: "SELECT MAX(version) FROM plans WHERE service_date = ?"), arguments: [serviceDate]) ?? 0) + 1
            let now = storeNow()
            try db.cachedStatement(sql: "INSERT INTO plans (service_date, version, created_at, created_by, payload) VALUES (?, ?, ?, ?, ?)").execute(arguments: [serviceDate, version, now, createdBy, Data(payload)])
            try db.cachedStatement(sql: "DELETE FROM day_routes WHERE service_date = ?").execute(arguments: [serviceDate])
            for route in routes where !route.stops.isEmpty { try Self.saveRoute(db, serviceDate, route) }
            for id in scheduled {
                guard let status = try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM bookings WHERE id = ?"), arguments: [id]),
                      let current = BookingStatus(rawValue: status), current.isSchedulable else { continue }
                try db.cachedStatement(sql: "UPDATE bookings SET status = 'scheduled', updated_at = ? WHERE id = ?").execute(arguments: [now, id])
                try db.cachedStatement(sql: "INSERT INTO booking_events (booking_id, at, status, actor, detail) VALUES (?, ?, 'scheduled', ?, ?)").execute(arguments: [id, now, createdBy, "plan \(serviceDate) v\(version)"])
            }
            try Self.audit(db, actor: createdBy, action: "plan.save", subject: "\(serviceDate) v\(version)",
                           detail: "\(scheduled.count) bookings scheduled")
            return .saved(PlanRecord(serviceDate: serviceDate, version: version, createdAt: now, createdBy: createdBy, payload: payload))
        }
    }

    public func latestPlan(serviceDate: String) async throws -> PlanRecord? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM plans WHERE service_date = ? ORDER BY version DESC LIMIT 1"), arguments: [serviceDate]).map(Self.plan)
        }
    }

    public func plan(serviceDate: String, version: Int) async throws -> PlanRecord? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM plans WHERE service_date = ? AND version = ?"), arguments: [serviceDate, version]).map(Self.plan)
        }
    }

    static func plan(_ row: Row) -> PlanRecord {
        PlanRecord(serviceDate: row["service_date"], version: row["version"], createdAt: row["created_at"], createdBy: row["created_by"],
                   payload: Array(row["payload"] as Data))
    }

    /// The lock is a row with an expiry that the holder renews every `lease / 3` seconds while
    /// `body` runs: a holder killed with SIGKILL blocks the date for at most `lease` seconds.
    public func withPlanLock<T: Sendable>(serviceDate: String, holder: String, lease: Double, timeout: Double,
                                          _ body: @Sendable () async throws -> T) async throws -> T {
        let token = holder + "#" + RandomToken.make(8)
        let leaseMilliseconds = Int64(max(0.3, lease) * 1000)
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while true {
            let acquired = try await pool.write { db -> Bool in
                let now = storeNow()
                try db.cachedStatement(sql: "DELETE FROM plan_locks WHERE service_date = ? AND expires_at < ?").execute(arguments: [serviceDate, now])
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO plan_locks (service_date, holder, expires_at) VALUES (?, ?, ?)").execute(arguments: [serviceDate, token, now + leaseMilliseconds])
                return db.changesCount == 1
            }
            if acquired { break }
            guard ContinuousClock.now < deadline else {
                // The holder is not named: it may be another key's id.
                throw StoreError(.lockTimeout, "another plan run for \(serviceDate) holds the lock; try again when it ends")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        // Renewed on a thread of its own: a busy cooperative pool must not let a live lease expire.
        let pool = self.pool
        let heartbeat = LeaseRenewer(every: Double(leaseMilliseconds) / 3_000) {
            _ = try? pool.write { db in
                try db.cachedStatement(sql: "UPDATE plan_locks SET expires_at = ? WHERE service_date = ? AND holder = ?").execute(arguments: [storeNow() + leaseMilliseconds, serviceDate, token])
            }
        }
        do {
            let value = try await body()
            heartbeat.cancel()
            try await release(serviceDate: serviceDate, token: token)
            return value
        } catch {
            heartbeat.cancel()
            try? await release(serviceDate: serviceDate, token: token)
            throw error
        }
    }

    private func release(serviceDate: String, token: String) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: "DELETE FROM plan_locks WHERE service_date = ? AND holder = ?").execute(arguments: [serviceDate, token])
        }
    }

    // MARK: Audit

    static func audit(_ db: Database, actor: String, action: String, subject: String, detail: String) throws {
        try db.cachedStatement(sql: "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)").execute(arguments: [storeNow(), actor, action, subject, detail])
    }

    public func auditLog(limit: Int) async throws -> [AuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?"), arguments: [limit]).map {
                AuditEntry(at: $0["at"], actor: $0["actor"], action: $0["action"], subject: $0["subject"], detail: $0["detail"])
            }
        }
    }
}

/// Calls `renew` every `interval` seconds on a thread of its own until cancelled.
final class LeaseRenewer: @unchecked Sendable {
    private let condition = NSCondition()
    private var cancelled = false

    init(every interval: Double, renew: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            condition.lock()
            while !cancelled {
                _ = condition.wait(until: Date(timeIntervalSinceNow: interval))
                if cancelled { break }
                condition.unlock()
                renew()
                condition.lock()
            }
            condition.unlock()
        }
        thread.name = "dispatch.plan-lock"
        thread.start()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.signal()
        condition.unlock()
    }
}
