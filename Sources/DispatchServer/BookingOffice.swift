import DispatchWire
import DispatchCore
import DispatchPlanning
import HTTPTypes
import Logging
import Foundation
import RideRequestStore
import RoadNetwork

/// Takes a validated booking, answers it at once from the day's tentative plan (`BookingDesk`),
/// and stores it with its history through group commit (`BookingWriter`). Used by
/// `POST /v1/bookings` and by `dispatch demo`.
public struct BookingOffice: Sendable {
    let zone: ServiceZone
    let rules: ZoneRules
    /// The municipalities' booking rules and the zone's calendar (horizon, closing and service
    /// days, cut-off, notice, operator-only), checked before every booking is answered.
    public let bookingRules: BookingRulesCheck
    let timeZone: TimeZone
    let desk: BookingDesk
    let writer: BookingWriter

    /// - Parameter horizonDays: how many days ahead rides may be booked where a municipality's
    ///   rules set no `horizon_days` (default the zone's `booking_horizon_days`); the desk keeps
    ///   as many dates in memory as the longest horizon, and drops the least recently used beyond.
    public init(zone: ServiceZone, store: any RideRequestStore, policy: BookingPolicy = BookingPolicy(), horizonDays: Int? = nil) {
        self.zone = zone
        rules = ZoneRules(zone: zone.file)
        bookingRules = BookingRulesCheck(calendar: ZoneCalendar(file: zone.file), defaultHorizonDays: horizonDays ?? zone.bookingHorizonDays)
        timeZone = TimeZone(identifier: zone.file.timeZone) ?? TimeZone(identifier: "Asia/Tokyo")!
        desk = BookingDesk(zone: zone, store: store, policy: policy, maxDays: min(4_000, bookingRules.longestHorizonDays + 2))
        writer = BookingWriter(store: store)
    }

    public struct Outcome: Sendable {
        public var write: BookingWrite
        /// The booking as answered (status accepted or rejected).
        public var record: BookingRecord
        /// The JSON answer (what `POST /v1/bookings` returns with 201).
        public var responseBody: [UInt8]
    }

    /// - Parameter id: the booking id (default a new random one; the demo numbers its bookings).
    /// - Parameter logger: the request's logger (its lines carry the request id).
    /// - Parameters:
    ///   - caller: who books (a booking client is refused where only operators may book).
    ///   - now: the zone's local date and time, for the rules that depend on the clock (horizon,
    ///     cut-off, notice); nil checks only closing days, service days and operator-only (the
    ///     demo books a drawn date, whatever the wall clock says).
    /// - Throws: `APIError` 422 `booking_rule` when the booking breaks a rule; nothing is stored then.
    public func book(_ input: BookingRequest, createdBy: String, idempotency: IdempotencyRecord? = nil, id: String? = nil,
                     caller: BookingRulesCheck.Caller = .staff, now: BookingRulesCheck.Moment? = nil,
                     logger: Logger? = nil) async throws -> Outcome {
        if let violation = bookingRules.violation(input, caller: caller, now: now) {
            throw APIError.bookingRule(violation, timeZone: timeZone)
        }
        let id = id ?? newBookingID()
        let network = zone.network(on: input.date)
        func location(_ place: BookingPlace, _ field: String) throws -> Int {
            if let stop = place.stopID {
                guard let i = zone.stopIndex[stop] else { throw APIError.invalid("\(field).stop_id", "'\(field).stop_id' is not a stop of the zone: \(stop)") }
                return i
            }
            do {
                return try network.location(of: Coordinate(latitude: place.latitude ?? 0, longitude: place.longitude ?? 0))
            } catch let error as DayNetworkError {
                throw APIError.invalid(field, "'\(field)': \(error)")
            } catch {
                throw APIError.invalid(field, "'\(field)' is not within 300 m of a road open on \(input.date)")
            }
        }
        let candidate = DayBooking(id: id, municipality: input.municipality, pickup: try location(input.pickup, "pickup"),
                                   dropoff: try location(input.dropoff, "dropoff"), timeKind: input.timeKind == .pickup ? .pickup : .arrival,
                                   requestedTime: input.requestedTime, load: Load(seats: input.partySize - input.wheelchairs, wheelchairs: input.wheelchairs))
        // Cross-border rules first: a trip they forbid is rejected, naming the rule.
        if let from = DayLoading.municipality(of: input.pickup, zone: zone), let to = DayLoading.municipality(of: input.dropoff, zone: zone),
           let rule = rules.violation(resident: input.municipalityID, from: from, to: to, fromStop: input.pickup.stopID, toStop: input.dropoff.stopID) {
            let now = storeNow()
            let record = BookingRecord(id: id, serviceDate: input.date.description, municipality: input.municipalityID,
                                       passengerRef: input.passengerRef, pickup: input.pickup, dropoff: input.dropoff, timeKind: input.timeKind,
                                       requestedTime: input.requestedTime, partySize: input.partySize, wheelchairs: input.wheelchairs,
                                       notes: input.notes, status: .rejected, reason: BookingReason.make(.crossBorderNotAllowed, detail: rule),
                                       createdBy: createdBy, createdAt: now, updatedAt: now, concession: input.concession, channel: input.channel)
            var json = Handlers.bookingJSON(record)
            json["alternatives"] = .array([])
            let responseBody = JSONValue.object(json).bytes
            var idempotency = idempotency
            idempotency?.responseBody = responseBody
            let write = try await writer.write(BookingInsert(booking: record, history: [.requested, .rejected], actor: createdBy, detail: rule,
                                                             idempotency: idempotency))
            if case .created = write { await desk.invalidate(input.date) }
            return Outcome(write: write, record: record, responseBody: responseBody)
        }
        // Answered on the desk's view of the day; if another server instance or process changed
        // the day meanwhile, the store refuses the insert as stale and the answer is made again.
        for _ in 0..<8 {
            // The answer, the stored record and the JSON answer are made, and the insert queued,
            // in the desk's one step (inserts reach the store in the order of their revisions).
            let (claimed, prepared, pending) = try await desk.answer(candidate, date: input.date, writer: writer, log: logger) { answer, expected in
                let now = storeNow()
                var record = BookingRecord(id: id, serviceDate: input.date.description, municipality: input.municipalityID,
                                           passengerRef: input.passengerRef, pickup: input.pickup, dropoff: input.dropoff, timeKind: input.timeKind,
                                           requestedTime: input.requestedTime, partySize: input.partySize, wheelchairs: input.wheelchairs,
                                           notes: input.notes, status: .accepted, createdBy: createdBy, createdAt: now, updatedAt: now,
                                           concession: input.concession, channel: input.channel)
                var alternatives: [Int] = []
                var route: DayRoute?
                let detail: String
                switch answer {
                case let .accepted(promise, vehicle, placed):
                    route = placed
                    record.promisedEarliest = promise.earliest
                    record.promisedLatest = promise.latest
                    detail = "fits vehicle \(vehicle), pickup \(TimeText.clockMinutes(promise.earliest))–\(TimeText.clockMinutes(promise.latest))"
                case let .rejected(reason, times):
                    record.status = .rejected
                    record.reason = BookingReason.make(reason)
                    alternatives = times
                    detail = reason.explanation
                }
                var json = Handlers.bookingJSON(record)
                // Nearby times named like the asked time: pickup times, or arrival times for arrive-by bookings.
                let label = input.timeKind == .pickup ? "pickup_time" : "arrive_by"
                json["alternatives"] = .array(alternatives.map { [label: .string(TimeText.clock($0))] })
                let responseBody = JSONValue.object(json).bytes
                var idempotency = idempotency
                idempotency?.responseBody = responseBody
                let insert = BookingInsert(booking: record, history: [.requested, record.status], actor: createdBy, detail: detail,
                                           idempotency: idempotency, expectedRevision: expected, route: route)
                return BookingDesk.Prepared(insert: insert, responseBody: responseBody)
            }
            let write: BookingWrite
            do {
                write = try await pending.value
            } catch {
                await desk.settle(id, date: input.date, generation: claimed.generation, write: nil)
                throw error
            }
            await desk.settle(id, date: input.date, generation: claimed.generation, write: write)
            if case .stale = write { continue }
            return Outcome(write: write, record: prepared.insert.booking, responseBody: prepared.responseBody)
        }
        throw APIError(.serviceUnavailable, "busy", "the day's bookings kept changing while this one was answered; try again")
    }

    /// Takes a cancelled booking out of the day's tentative plan.
    public func cancelled(_ id: String, date: ServiceDate) async { await desk.cancelled(id, date: date) }

    /// A plan of the date was saved: the day's routes are the plan's now.
    public func planned(_ date: ServiceDate) async { await desk.invalidate(date) }
}
