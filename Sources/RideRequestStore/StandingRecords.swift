/// Whether a standing booking still books its dates.
public enum StandingStatus: String, Sendable, Codable, CaseIterable {
    case active, cancelled
}

/// A weekly pattern of rides for one passenger (a dialysis patient riding Monday, Wednesday and
/// Friday): the booking fields of `BookingRecord` without a date, the weekdays, the first and
/// last date, and the dates to leave out. Each date of the pattern within the booking horizon
/// becomes a normal booking (`StandingOccurrence`). Dates are YYYY-MM-DD; `requestedTime` is
/// seconds after midnight; instants are milliseconds since 1970 (UTC).
public struct StandingBookingRecord: Sendable, Equatable {
    public var id: String
    public var municipality: String
    public var passengerRef: String
    public var pickup: BookingPlace
    public var dropoff: BookingPlace
    public var timeKind: RequestedTimeKind
    public var requestedTime: Int
    public var partySize: Int
    public var wheelchairs: Int
    public var notes: String
    public var concession: Concession?
    public var channel: BookingChannel
    /// Days of the week, "mon" … "sun", in week order.
    public var weekdays: [String]
    public var from: String
    /// The last date (nil: until cancelled).
    public var until: String?
    /// Leave out public holidays.
    public var skipHolidays: Bool
    /// Dates to leave out.
    public var exceptions: [String]
    public var status: StandingStatus
    /// The API key (or "cli") that created it; its occurrences are created by the same.
    public var createdBy: String
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(id: String, municipality: String, passengerRef: String, pickup: BookingPlace, dropoff: BookingPlace,
                timeKind: RequestedTimeKind, requestedTime: Int, partySize: Int, wheelchairs: Int, notes: String,
                concession: Concession? = nil, channel: BookingChannel = .app, weekdays: [String], from: String, until: String?,
                skipHolidays: Bool, exceptions: [String], status: StandingStatus = .active, createdBy: String,
                createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.municipality = municipality
        self.passengerRef = passengerRef
        self.pickup = pickup
        self.dropoff = dropoff
        self.timeKind = timeKind
        self.requestedTime = requestedTime
        self.partySize = partySize
        self.wheelchairs = wheelchairs
        self.notes = notes
        self.concession = concession
        self.channel = channel
        self.weekdays = weekdays
        self.from = from
        self.until = until
        self.skipHolidays = skipHolidays
        self.exceptions = exceptions
        self.status = status
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One date of a standing booking, claimed before it is booked (so that no date is booked twice,
/// however many processes extend at once). Its outcome is the booking's (`bookingID`), or, when
/// the date could not be booked at all (a rule of the date refused it), `reason` and `message`.
public struct StandingOccurrence: Sendable, Equatable {
    public var standingID: String
    /// YYYY-MM-DD.
    public var serviceDate: String
    public var bookingID: String?
    /// A reason code (as the API's `reason.code` or error code) when no booking was made.
    public var reason: String?
    public var message: String?
    /// When the date was claimed (milliseconds since 1970).
    public var createdAt: Int64
    /// The status of its booking; nil while the booking is not stored (being answered, or its
    /// process died before it stored it: see `reclaimOccurrence`).
    public var bookingStatus: BookingStatus?

    public init(standingID: String, serviceDate: String, bookingID: String?, reason: String? = nil, message: String? = nil, createdAt: Int64,
                bookingStatus: BookingStatus? = nil) {
        self.standingID = standingID
        self.serviceDate = serviceDate
        self.bookingID = bookingID
        self.reason = reason
        self.message = message
        self.createdAt = createdAt
        self.bookingStatus = bookingStatus
    }
}

/// A new standing booking id: "sb-" and 12 random characters (60 bits).
public func newStandingBookingID() -> String { "sb-" + RandomToken.make(12) }

/// What happened to a standing booking's insert.
public enum StandingWrite: Sendable, Equatable {
    case created
    /// The same idempotency key and body were seen before: here is the first answer.
    case replayed(statusCode: Int, body: [UInt8])
    /// The same idempotency key came with another body.
    case conflict
}
