/// Who may do what through the API (see the server's role rules).
public enum Role: String, Sendable, Codable, CaseIterable {
    /// A partner app: creates, reads and cancels its own bookings.
    case booking
    /// A phone operator of one municipality: books for its residents and reads them.
    case `operator`
    /// Plans for the zone.
    case dispatcher
    /// Manages keys.
    case admin
    /// A driver's tablet: bound to one vehicle, reads that vehicle's manifest (and reports its events).
    case driver
}

/// An API key as stored: the secret itself is never stored, only its SHA-256.
public struct APIKey: Sendable, Equatable, Codable {
    public var id: String
    public var role: Role
    /// The operator's municipality (nil for other roles).
    public var municipality: String?
    public var label: String
    public var createdAt: Int64
    /// The driver's vehicle (nil for other roles).
    public var vehicle: String?

    public init(id: String, role: Role, municipality: String?, label: String, createdAt: Int64, vehicle: String? = nil) {
        self.id = id
        self.role = role
        self.municipality = municipality
        self.label = label
        self.createdAt = createdAt
        self.vehicle = vehicle
    }

    /// Whether `secret` has the shape of the secrets this store makes ("dk_" and 32 characters of
    /// its alphabet): anything else cannot be a key and needs no store lookup.
    public static func isWellFormedSecret(_ secret: String) -> Bool {
        let u = Array(secret.utf8)
        return u.count == 35 && u.starts(with: Array("dk_".utf8)) && u[3...].allSatisfy { RandomToken.alphabetBytes.contains($0) }
    }
}

/// The life of a booking: requested → accepted | rejected → scheduled → on_board → completed,
/// or scheduled → no_show (accepted and scheduled bookings may be cancelled; a re-plan keeps a
/// booking scheduled). Only a scheduled booking (one the latest plan assigns to a vehicle) is
/// picked up or marked no-show by a vehicle event; a booking on board can only be dropped off.
public enum BookingStatus: String, Sendable, Codable, CaseIterable {
    case requested, accepted, rejected, scheduled
    case onBoard = "on_board"
    case cancelled, completed
    case noShow = "no_show"

    /// Statuses this one may change to.
    public var successors: Set<BookingStatus> {
        switch self {
        case .requested: [.accepted, .rejected]
        case .accepted: [.scheduled, .cancelled, .rejected]
        case .scheduled: [.scheduled, .accepted, .cancelled, .onBoard, .completed, .noShow]
        case .onBoard: [.completed]
        case .rejected, .cancelled, .completed, .noShow: []
        }
    }

    /// Whether the booking still wants a ride (it belongs in a plan): a passenger on board stays
    /// in the plan, with the vehicle that carries them.
    public var isActive: Bool { self == .accepted || self == .scheduled || self == .onBoard }

    /// Whether a plan run may mark the booking scheduled (a booking on board stays on board).
    public var isSchedulable: Bool { self == .accepted || self == .scheduled }
}

/// Where a passenger is picked up or dropped off: a stop of the zone or a coordinate.
public struct BookingPlace: Sendable, Hashable, Codable {
    public var stopID: String?
    public var latitude: Double?
    public var longitude: Double?

    public init(stopID: String) {
        self.stopID = stopID
    }

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// A fare concession the passenger is entitled to.
public enum Concession: String, Sendable, Codable, CaseIterable {
    case elderly, disabled
}

/// How a booking reached the service (phone bookings may carry a surcharge).
public enum BookingChannel: String, Sendable, Codable, CaseIterable {
    case app, phone
}

/// Whether the requested time is the pickup time or the latest arrival.
public enum RequestedTimeKind: String, Sendable, Codable {
    case pickup
    case arrival
}

/// One booking with its current status. Times of day are seconds after local midnight of
/// `serviceDate`; instants (`createdAt`, `updatedAt`) are milliseconds since 1970 (UTC).
public struct BookingRecord: Sendable, Equatable, Codable {
    public var id: String
    /// YYYY-MM-DD.
    public var serviceDate: String
    /// The resident's municipality.
    public var municipality: String
    public var passengerRef: String
    public var pickup: BookingPlace
    public var dropoff: BookingPlace
    public var timeKind: RequestedTimeKind
    public var requestedTime: Int
    public var partySize: Int
    public var wheelchairs: Int
    public var notes: String
    public var status: BookingStatus
    /// The pickup window promised at acceptance (seconds after midnight).
    public var promisedEarliest: Int?
    public var promisedLatest: Int?
    /// Why it was rejected (or other remarks of the last change).
    public var reason: String?
    /// The API key that created it.
    public var createdBy: String
    public var createdAt: Int64
    public var updatedAt: Int64
    public var concession: Concession?
    public var channel: BookingChannel

    public init(id: String, serviceDate: String, municipality: String, passengerRef: String, pickup: BookingPlace, dropoff: BookingPlace,
                timeKind: RequestedTimeKind, requestedTime: Int, partySize: Int, wheelchairs: Int, notes: String, status: BookingStatus,
                promisedEarliest: Int? = nil, promisedLatest: Int? = nil, reason: String? = nil, createdBy: String,
                createdAt: Int64, updatedAt: Int64, concession: Concession? = nil, channel: BookingChannel = .app) {
        self.id = id
        self.serviceDate = serviceDate
        self.municipality = municipality
        self.passengerRef = passengerRef
        self.pickup = pickup
        self.dropoff = dropoff
        self.timeKind = timeKind
        self.requestedTime = requestedTime
        self.partySize = partySize
        self.wheelchairs = wheelchairs
        self.notes = notes
        self.status = status
        self.promisedEarliest = promisedEarliest
        self.promisedLatest = promisedLatest
        self.reason = reason
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.concession = concession
        self.channel = channel
    }
}

/// One step of a booking's status history.
public struct BookingEvent: Sendable, Equatable, Codable {
    public var bookingID: String
    public var at: Int64
    public var status: BookingStatus
    /// Key id (or "cli", "planner") that made the change.
    public var actor: String
    public var detail: String

    public init(bookingID: String, at: Int64, status: BookingStatus, actor: String, detail: String) {
        self.bookingID = bookingID
        self.at = at
        self.status = status
        self.actor = actor
        self.detail = detail
    }
}

/// The first answer to a request with an `Idempotency-Key`, replayed for the same key and body.
public struct IdempotencyRecord: Sendable, Equatable {
    public var keyID: String
    public var key: String
    /// SHA-256 of the request body (hex).
    public var requestHash: String
    public var statusCode: Int
    public var responseBody: [UInt8]

    public init(keyID: String, key: String, requestHash: String, statusCode: Int, responseBody: [UInt8]) {
        self.keyID = keyID
        self.key = key
        self.requestHash = requestHash
        self.statusCode = statusCode
        self.responseBody = responseBody
    }
}

/// What happened to a booking insert.
public enum BookingWrite: Sendable, Equatable {
    case created(BookingRecord)
    /// The same key and body were seen before: here is the first answer.
    case replayed(statusCode: Int, body: [UInt8])
    /// The same key came with another body.
    case conflict
    /// The day's bookings changed since the revision the insert expected (another server
    /// instance or process booked or cancelled): nothing was inserted; answer again on fresh data.
    case stale
}

/// A stored plan: a new version per run, never overwritten.
public struct PlanRecord: Sendable, Equatable {
    public var serviceDate: String
    public var version: Int
    public var createdAt: Int64
    public var createdBy: String
    /// The plan document (JSON), as the planner wrote it.
    public var payload: [UInt8]

    public init(serviceDate: String, version: Int, createdAt: Int64, createdBy: String, payload: [UInt8]) {
        self.serviceDate = serviceDate
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.payload = payload
    }
}

/// Who changed what.
public struct AuditEntry: Sendable, Equatable {
    public var at: Int64
    public var actor: String
    public var action: String
    public var subject: String
    public var detail: String

    public init(at: Int64, actor: String, action: String, subject: String, detail: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
    }
}

/// A municipality as the store keeps it (from the zone file).
public struct MunicipalityRow: Sendable, Equatable {
    public var id: String
    public var name: String
    public var localName: String

    public init(id: String, name: String, localName: String) {
        self.id = id
        self.name = name
        self.localName = localName
    }
}

/// A vehicle as the store keeps it (from the zone file).
public struct VehicleRow: Sendable, Equatable {
    public var id: String
    public var municipality: String
    public var depot: String
    public var seats: Int
    public var wheelchairPlaces: Int
    /// HH:MM local.
    public var shiftStart: String
    public var shiftEnd: String

    public init(id: String, municipality: String, depot: String, seats: Int, wheelchairPlaces: Int, shiftStart: String, shiftEnd: String) {
        self.id = id
        self.municipality = municipality
        self.depot = depot
        self.seats = seats
        self.wheelchairPlaces = wheelchairPlaces
        self.shiftStart = shiftStart
        self.shiftEnd = shiftEnd
    }
}

/// Store failures, with a message for people.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case notFound, invalidTransition, unavailable, lockTimeout, invalidLocation
        /// The store's address (`sqlite:PATH`, `postgres://…`) is not one.
        case badAddress
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// A vehicle's route of a date as the booking desk and the latest plan left it: the stops of the
/// bookings in order, without times (the planner recomputes those). The routes of a date are the
/// day's current plan; every promised booking is in one of them, so a plan run starts from a plan
/// that keeps every promise.
public struct DayRoute: Sendable, Equatable {
    public struct Stop: Sendable, Hashable {
        public var bookingID: String
        /// The pickup (true) or the drop-off.
        public var pickup: Bool

        public init(bookingID: String, pickup: Bool) {
            self.bookingID = bookingID
            self.pickup = pickup
        }
    }

    public var vehicleID: String
    public var stops: [Stop]

    public init(vehicleID: String, stops: [Stop]) {
        self.vehicleID = vehicleID
        self.stops = stops
    }

    /// The stored form: one stop a line, "p ID" or "d ID" (booking ids have no line breaks).
    var encodedStops: String { stops.map { ($0.pickup ? "p " : "d ") + $0.bookingID }.joined(separator: "\n") }

    init(vehicleID: String, encodedStops: String) {
        self.vehicleID = vehicleID
        stops = encodedStops.split(separator: "\n").compactMap { line in
            guard line.count > 2, line.first == "p" || line.first == "d" else { return nil }
            return Stop(bookingID: String(line.dropFirst(2)), pickup: line.first == "p")
        }
    }
}

/// What happened to a plan save.
public enum PlanSave: Sendable, Equatable {
    case saved(PlanRecord)
    /// The date's bookings changed since the revision the plan was made on: nothing was saved.
    case stale
}

extension APIKey {
    /// What the audit log says of a new key: its role and what it is bound to.
    var auditDetail: String {
        "role \(role.rawValue)" + (municipality.map { ", municipality \($0)" } ?? "") + (vehicle.map { ", vehicle \($0)" } ?? "")
    }
}

/// A signed-in web-console user: the key it signed in with (never revoked while the session is
/// served), the token every form must carry against cross-site request forgery, and the expiry
/// (store milliseconds).
public struct ConsoleSession: Sendable, Equatable {
    public var key: APIKey
    public var csrfToken: String
    public var expiresAt: Int64

    public init(key: APIKey, csrfToken: String, expiresAt: Int64) {
        self.key = key
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }

    /// Whether `token` is this session's CSRF token (compared in constant time).
    public func acceptsCSRF(_ token: String?) -> Bool {
        guard let token else { return false }
        let a = Array(token.utf8), b = Array(csrfToken.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
