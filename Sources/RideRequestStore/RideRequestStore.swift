#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Durable storage of the zone's vehicles, bookings with their status history, plans (versioned),
/// API keys (hashed), idempotency answers and the audit log. Two backends implement it with the
/// same behaviour (one shared test suite): `SQLiteStore` (embedded default) and `PostgresStore`.
///
/// Every method commits before it returns: a booking whose insert returned is on disk.
public protocol RideRequestStore: Sendable {
    /// A short description for logs (`sqlite:/path` or `postgres://host:port/db`).
    var location: String { get }

    // Zone
    /// Replaces the municipalities and vehicles (from the zone file); bookings are kept.
    func replaceZone(municipalities: [MunicipalityRow], vehicles: [VehicleRow], actor: String) async throws
    func municipalities() async throws -> [MunicipalityRow]
    func vehicles() async throws -> [VehicleRow]

    // Keys
    /// Stores a new key and returns it with its secret (shown once; only its hash is kept).
    /// A driver key names its vehicle (`vehicle`; nil for every other role).
    func createAPIKey(role: Role, municipality: String?, vehicle: String?, label: String, actor: String) async throws -> (key: APIKey, secret: String)
    /// The key with this secret, if any and not revoked.
    func apiKey(secret: String) async throws -> APIKey?
    /// The key with this id, revoked or not (to name the role behind a past action).
    func apiKey(id: String) async throws -> APIKey?
    /// Revokes a key at once (its secret stops working on the next request), with an audit entry.
    /// Returns false when it was revoked already; throws `.notFound` for an unknown id.
    func revokeAPIKey(id: String, actor: String) async throws -> Bool

    // Bookings
    /// The stored answer for an idempotency key, if the key was used before by this API key.
    func idempotentAnswer(keyID: String, key: String) async throws -> IdempotencyRecord?
    /// Inserts a booking with its history (one event per status it went through) and, in the same
    /// transaction, the idempotency answer; if the idempotency key exists already, nothing is
    /// inserted and the first answer (same body hash) or a conflict is returned.
    func insertBooking(_ booking: BookingRecord, history: [BookingStatus], actor: String, detail: String,
                       idempotency: IdempotencyRecord?) async throws -> BookingWrite
    /// Several inserts in one transaction, in order (one commit, one fsync: group commit). A later
    /// insert with an idempotency key of an earlier one in the batch sees it.
    func insertBookings(_ batch: [BookingInsert]) async throws -> [BookingWrite]
    /// The revision of a date's bookings (0 before the first); see `BookingInsert.expectedRevision`.
    func dayRevision(serviceDate: String) async throws -> Int64
    func booking(id: String) async throws -> BookingRecord?
    /// Bookings of a service date in creation order, optionally only a municipality's residents'
    /// or one key's.
    func bookings(serviceDate: String, municipality: String?, createdBy: String?) async throws -> [BookingRecord]
    func history(bookingID: String) async throws -> [BookingEvent]
    /// A passenger's bookings (of one municipality when given) on dates from `from` to `until`
    /// (YYYY-MM-DD, inclusive), newest date first, at most `limit`.
    func passengerBookings(passengerRef: String, municipality: String?, from: String, until: String, limit: Int) async throws -> [BookingRecord]
    /// Changes a booking's status (checked against `BookingStatus.successors`), with history and audit.
    func transition(bookingID: String, to status: BookingStatus, actor: String, detail: String) async throws -> BookingRecord

    /// The date's current routes (see `DayRoute`), one per vehicle that has one.
    func dayRoutes(serviceDate: String) async throws -> [DayRoute]

    // Plans
    /// Stores the plan as the next version of its date, makes `routes` the date's routes (all of
    /// them replaced), marks the listed bookings scheduled (only those still accepted or
    /// scheduled: a booking cancelled during the run stays cancelled) and raises the date's
    /// revision. With `expectedRevision`, saves only if the date's revision is still that one.
    func savePlan(serviceDate: String, payload: [UInt8], createdBy: String, scheduled: [String], routes: [DayRoute],
                  expectedRevision: Int64?) async throws -> PlanSave
    func latestPlan(serviceDate: String) async throws -> PlanRecord?
    func plan(serviceDate: String, version: Int) async throws -> PlanRecord?
    /// Runs `body` while holding the plan lock of the date (across processes); waits up to
    /// `timeout` seconds for it. The holder renews the lock while `body` runs; a lock whose holder
    /// died expires within `lease` seconds.
    func withPlanLock<T: Sendable>(serviceDate: String, holder: String, lease: Double, timeout: Double,
                                   _ body: @Sendable () async throws -> T) async throws -> T

    // Standing bookings
    /// Stores a new standing booking (with an audit entry) and, in the same transaction, the
    /// idempotency answer; if the idempotency key exists already, nothing is inserted and the
    /// first answer (same body hash) or a conflict is returned.
    func insertStandingBooking(_ standing: StandingBookingRecord, actor: String, idempotency: IdempotencyRecord?) async throws -> StandingWrite
    func standingBooking(id: String) async throws -> StandingBookingRecord?
    /// Standing bookings in creation order, optionally only a municipality's residents', one
    /// key's, or those with a status.
    func standingBookings(municipality: String?, createdBy: String?, status: StandingStatus?) async throws -> [StandingBookingRecord]
    /// Marks a standing booking cancelled (its bookings are cancelled one by one by the caller).
    /// Returns false when it was cancelled already; throws `.notFound` for an unknown id.
    func cancelStandingBooking(id: String, actor: String) async throws -> Bool
    /// Claims a date of a standing booking for the booking `bookingID` is about to become;
    /// false when the date was claimed before (booked, refused or cancelled: never booked twice)
    /// or the standing booking is no longer active.
    func claimOccurrence(standingID: String, serviceDate: String, bookingID: String) async throws -> Bool
    /// Takes over a claim whose booking was never stored (its process died between claim and
    /// insert): the claim of `from` claimed before `claimedBefore` (ms since 1970) becomes `to`'s.
    /// False when another process took it over, or it is not such a claim.
    func reclaimOccurrence(standingID: String, serviceDate: String, from: String, to: String, claimedBefore: Int64) async throws -> Bool
    /// Records that a claimed date was not booked, and why (the claim's booking id is cleared).
    func refuseOccurrence(standingID: String, serviceDate: String, reason: String, message: String) async throws
    /// The claimed dates of a standing booking, in date order, with their bookings' statuses.
    func occurrences(standingID: String) async throws -> [StandingOccurrence]

    // Vehicle events
    /// Records a vehicle event and, in the same transaction, the status change it causes to its
    /// booking (`VehicleEventType.bookingChange`: `.invalidTransition` when the booking is not in
    /// the status the event requires, `.notFound` when there is no such booking). An event whose
    /// id was stored before is not stored again: the stored one is returned, as a replay when
    /// `requestHash` is the same, as a conflict otherwise.
    func recordVehicleEvent(_ event: VehicleEventRecord, requestHash: String) async throws -> VehicleEventWrite
    /// The stored event with this id, as a replay when `requestHash` is the one it was recorded
    /// with, as a conflict otherwise; nil when there is none.
    func vehicleEvent(eventID: String, requestHash: String) async throws -> VehicleEventWrite?
    /// The events of a service date (optionally one vehicle's), ordered by `at`, then by when they
    /// were recorded.
    func vehicleEvents(serviceDate: String, vehicleID: String?) async throws -> [VehicleEventRecord]

    // Console sessions
    /// Starts a web-console session for the key `keyID` lasting `lifetime` seconds; returns the
    /// session token (the cookie's value: only its hash is stored) and the session. Removes
    /// expired sessions on the way.
    func createConsoleSession(keyID: String, lifetime: Int64) async throws -> (token: String, session: ConsoleSession)
    /// The session of this token: nil when there is none, it has expired or its key is revoked.
    func consoleSession(token: String) async throws -> ConsoleSession?
    /// Ends the session of this token (signing out); nothing happens when there is none.
    func deleteConsoleSession(token: String) async throws

    // Audit
    /// The most recent entries, newest first.
    func auditLog(limit: Int) async throws -> [AuditEntry]
}

/// One insert of `insertBookings`.
public struct BookingInsert: Sendable {
    public var booking: BookingRecord
    public var history: [BookingStatus]
    public var actor: String
    public var detail: String
    public var idempotency: IdempotencyRecord?
    /// Insert only if the date's revision is this one (answer `.stale` otherwise); nil: always.
    public var expectedRevision: Int64?
    /// The route of the vehicle the booking was placed in, with its stops (replaces that vehicle's
    /// route of the date in the same transaction).
    public var route: DayRoute?

    public init(booking: BookingRecord, history: [BookingStatus], actor: String, detail: String, idempotency: IdempotencyRecord?,
                expectedRevision: Int64? = nil, route: DayRoute? = nil) {
        self.route = route
        self.booking = booking
        self.history = history
        self.actor = actor
        self.detail = detail
        self.idempotency = idempotency
        self.expectedRevision = expectedRevision
    }
}

extension RideRequestStore {
    /// Every vehicle's events of a service date, ordered by `at`, then by when they were recorded.
    public func vehicleEvents(serviceDate: String) async throws -> [VehicleEventRecord] {
        try await vehicleEvents(serviceDate: serviceDate, vehicleID: nil)
    }

    public func insertStandingBooking(_ standing: StandingBookingRecord, actor: String) async throws {
        _ = try await insertStandingBooking(standing, actor: actor, idempotency: nil)
    }

    public func insertBooking(_ booking: BookingRecord, history: [BookingStatus], actor: String, detail: String,
                              idempotency: IdempotencyRecord?) async throws -> BookingWrite {
        try await insertBookings([BookingInsert(booking: booking, history: history, actor: actor, detail: detail, idempotency: idempotency)])[0]
    }
}

/// Milliseconds since 1970 (UTC), the store's instants.
public func storeNow() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}

/// Random identifiers and secrets (system random source): keys, sessions, console form tokens.
public enum RandomToken {
    static let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
    static let alphabetBytes = Set("abcdefghijkmnpqrstuvwxyz23456789".utf8)

    /// `count` characters of an unambiguous base-32 alphabet (5 bits each).
    public static func make(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

    /// Whether `text` has the shape of a token of `count` characters (anything else is not looked up).
    public static func isWellFormed(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { alphabetBytes.contains($0) }
    }
}

/// A new booking id: "bk-" and 12 random characters (60 bits).
public func newBookingID() -> String { "bk-" + RandomToken.make(12) }

/// Opens a store from its command-line form: `sqlite:PATH`, a path ending in `.sqlite`, or a
/// `postgres://user[:password]@host[:port]/database` URL.
public func openStore(_ location: String) async throws -> any RideRequestStore {
    if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
        return try await PostgresStore(url: location)
    }
    if location.hasPrefix("sqlite:") {
        let path = String(location.dropFirst("sqlite:".count))
        guard !path.isEmpty else { throw StoreError(.badAddress, "'sqlite:' needs a file path, e.g. sqlite:data/dispatch.sqlite") }
        return try SQLiteStore(path: path)
    }
    if location.hasSuffix(".sqlite") || location.hasSuffix(".db") { return try SQLiteStore(path: location) }
    throw StoreError(.badAddress, "'\(redactingPassword(location))' is not a store: use sqlite:PATH or postgres://user@host:port/database")
}

/// `location` with the password of a `scheme://user:password@host…` URL replaced by `***`, for
/// messages and logs. Errs on the side of hiding: everything from the first `:` of the user part
/// to the last `@` goes, even when the URL is malformed (a password with an unescaped `/` or `@`,
/// no scheme).
public func redactingPassword(_ location: String) -> String {
    var start = location.startIndex
    if let colon = location.firstIndex(of: ":"), location[colon...].hasPrefix("://") { start = location.index(colon, offsetBy: 3) }
    let rest = location[start...]
    guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return location }
    return String(location[..<colon]) + ":***" + String(location[at...])
}

extension RideRequestStore {
    /// Stores a new key of a role that is bound to no vehicle (every role but `driver`).
    public func createAPIKey(role: Role, municipality: String?, label: String, actor: String) async throws -> (key: APIKey, secret: String) {
        try await createAPIKey(role: role, municipality: municipality, vehicle: nil, label: label, actor: actor)
    }
}
