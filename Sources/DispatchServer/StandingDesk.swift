import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import Logging
import RideRequestStore
import RoadNetwork

/// Standing bookings: a weekly pattern whose dates within the booking horizon become normal
/// bookings, each answered by `BookingOffice` exactly as `POST /v1/bookings` answers (accepted
/// with a promised window, or rejected with a reason). Every date is claimed in the store before
/// it is booked, so extending is idempotent: a date is booked once, whoever extends and however
/// often, and a cancelled occurrence is never booked again. Used by the API
/// (`/v1/standing-bookings`), `dispatch standing` and the server's start.
public struct StandingDesk: Sendable {
    let zone: ServiceZone
    let store: any RideRequestStore
    let office: BookingOffice
    let calendar: ZoneCalendar
    /// How many days ahead dates are booked (the server's booking horizon).
    let horizonDays: Int

    public init(zone: ServiceZone, store: any RideRequestStore, office: BookingOffice, horizonDays: Int? = nil) {
        self.zone = zone
        self.store = store
        self.office = office
        calendar = ZoneCalendar(file: zone.file)
        self.horizonDays = horizonDays ?? zone.bookingHorizonDays
    }

    /// What became of one date of a standing booking.
    public struct Outcome: Sendable {
        public var standing: StandingBookingRecord
        public var date: String
        /// The booking the date became (accepted or rejected), nil when a rule of the date
        /// refused it before it was answered (then `refusal` says why).
        public var booking: BookingRecord?
        public var refusal: (code: String, message: String)?
    }

    /// The last date booked now: the horizon, or the municipality's own shorter one.
    public func lastDate(for standing: StandingBookingRecord, today: ServiceDate) -> ServiceDate {
        var days = horizonDays
        if let m = zone.municipalityIndex[standing.municipality], let own = zone.file.municipalities[m].booking?.horizonDays { days = min(days, own) }
        return ServiceDate(dayNumber: today.dayNumber + days)
    }

    public func schedule(of standing: StandingBookingRecord) -> StandingSchedule {
        StandingSchedule(weekdays: Set(standing.weekdays.compactMap(StandingSchedule.weekday(named:))),
                         from: ServiceDate(parsing: standing.from) ?? ServiceDate(year: 1970, month: 1, day: 1)!,
                         until: standing.until.flatMap { ServiceDate(parsing: $0) }, skipHolidays: standing.skipHolidays,
                         exceptions: Set(standing.exceptions.compactMap { ServiceDate(parsing: $0) }))
    }

    /// The pattern's dates from today to the last date booked now, each with why it is left out
    /// (nil: booked).
    public func days(of standing: StandingBookingRecord, today: ServiceDate) -> [StandingSchedule.Day] {
        schedule(of: standing).days(from: today, through: lastDate(for: standing, today: today), calendar: calendar)
    }

    /// Stores a new standing booking and books its dates within the horizon. With an
    /// idempotency record whose key was used before, nothing is stored or booked and the store's
    /// answer (replayed or conflict) is returned.
    public func create(_ standing: StandingBookingRecord, today: (date: ServiceDate, seconds: Int), idempotency: IdempotencyRecord? = nil,
                       logger: Logger? = nil) async throws -> (write: StandingWrite, outcomes: [Outcome]) {
        let write = try await store.insertStandingBooking(standing, actor: standing.createdBy, idempotency: idempotency)
        guard write == .created else { return (write, []) }
        return (write, try await book(standing, today: today, logger: logger))
    }

    /// Books every date of every active standing booking that entered the horizon since it was
    /// last extended; dates booked (or refused, or cancelled) before are left alone.
    public func extend(today: (date: ServiceDate, seconds: Int), logger: Logger? = nil) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        for standing in try await store.standingBookings(municipality: nil, createdBy: nil, status: .active) {
            outcomes += try await book(standing, today: today, logger: logger)
        }
        return outcomes
    }

    /// A claim without a stored booking after this long was abandoned (a booking is stored
    /// within seconds, or its attempt failed).
    static let abandonedClaimMilliseconds: Int64 = 10 * 60 * 1000

    /// Books the dates of one standing booking not claimed yet.
    func book(_ standing: StandingBookingRecord, today: (date: ServiceDate, seconds: Int), logger: Logger?) async throws -> [Outcome] {
        guard standing.status == .active else { return [] }
        let occurrences = try await store.occurrences(standingID: standing.id)
        let claimed = Set(occurrences.map(\.serviceDate))
        // Claims whose booking was never stored (the claiming process died): taken over after a while.
        let cutoff = storeNow() - Self.abandonedClaimMilliseconds
        let abandoned = Dictionary(occurrences.compactMap { o -> (String, String)? in
            guard let id = o.bookingID, o.reason == nil, o.bookingStatus == nil, o.createdAt < cutoff else { return nil }
            return (o.serviceDate, id)
        }, uniquingKeysWith: { first, _ in first })
        var outcomes: [Outcome] = []
        for day in days(of: standing, today: today.date) where day.skip == nil {
            let id = newBookingID(), date = day.date.description
            if let old = abandoned[date] {
                guard try await store.reclaimOccurrence(standingID: standing.id, serviceDate: date, from: old, to: id, claimedBefore: cutoff) else { continue }
            } else {
                guard !claimed.contains(date), try await store.claimOccurrence(standingID: standing.id, serviceDate: date, bookingID: id) else { continue }
            }
            // The same path as POST /v1/bookings: the body a client would send for this date,
            // checked by the same rules, answered by the same office.
            do {
                let input = try BookingRequest.parse(Self.bookingBody(standing, date: day.date).bytes, key: Self.key(of: standing), zone: zone,
                                                     today: today)
                let outcome = try await office.book(input, createdBy: standing.createdBy, id: id, logger: logger)
                outcomes.append(Outcome(standing: standing, date: date, booking: outcome.record, refusal: nil))
            } catch let error as APIError where (400..<500).contains(error.status.code) {
                // A rule of the date (time passed, a place off the roads open that day, …): the
                // date is answered, without a booking. Other failures leave the claim to be taken
                // over by a later extend.
                try await store.refuseOccurrence(standingID: standing.id, serviceDate: date, reason: error.code, message: error.message)
                outcomes.append(Outcome(standing: standing, date: date, booking: nil, refusal: (error.code, error.message)))
            }
        }
        return outcomes
    }

    /// Cancels the pattern and each of its bookings after `now` (a date after today, or today
    /// with a requested time still to come); bookings before stay as they are. Returns the
    /// bookings cancelled.
    public func cancel(_ standing: StandingBookingRecord, actor: String, today: (date: ServiceDate, seconds: Int)) async throws -> [BookingRecord] {
        guard try await store.cancelStandingBooking(id: standing.id, actor: actor) else {
            throw StoreError(.invalidTransition, "standing booking \(standing.id) is cancelled already")
        }
        var cancelled: [BookingRecord] = []
        for occurrence in try await store.occurrences(standingID: standing.id) {
            guard let id = occurrence.bookingID, let booking = try await store.booking(id: id), let date = ServiceDate(parsing: booking.serviceDate),
                  date > today.date || (date == today.date && booking.requestedTime > today.seconds),
                  booking.status.successors.contains(.cancelled) else { continue }
            cancelled.append(try await store.transition(bookingID: id, to: .cancelled, actor: actor, detail: "standing booking \(standing.id) cancelled"))
            await office.cancelled(id, date: date)
        }
        return cancelled
    }

    /// The booking body a client would send for `date` (`POST /v1/bookings`).
    static func bookingBody(_ s: StandingBookingRecord, date: ServiceDate) -> JSONValue {
        var body: [String: JSONValue] = ["passenger_ref": .string(s.passengerRef), "municipality": .string(s.municipality),
                                         "pickup": StandingJSON.place(s.pickup), "dropoff": StandingJSON.place(s.dropoff),
                                         "date": .string(date.description), "party_size": .int(s.partySize), "wheelchairs": .int(s.wheelchairs),
                                         "notes": .string(s.notes)]
        body[s.timeKind == .pickup ? "pickup_time" : "arrive_by"] = .string(TimeText.clock(s.requestedTime))
        if let c = s.concession { body["concession"] = .string(c.rawValue) }
        return .object(body)
    }

    /// The key its occurrences are booked with: its creator's, with the role of its channel (a
    /// phone operator's patterns book as the operator of the municipality, others as an app).
    static func key(of s: StandingBookingRecord) -> APIKey {
        APIKey(id: s.createdBy, role: s.channel == .phone ? .operator : .booking, municipality: s.channel == .phone ? s.municipality : nil,
               label: "standing booking \(s.id)", createdAt: s.createdAt)
    }

    /// The zone's current date and seconds after midnight at `now`.
    public static func today(zone: ServiceZone, now: Date) -> (date: ServiceDate, seconds: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone.file.timeZone) ?? TimeZone(identifier: "Asia/Tokyo")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        return (ServiceDate(year: c.year!, month: c.month!, day: c.day!)!, c.hour! * 3600 + c.minute! * 60 + c.second!)
    }
}
