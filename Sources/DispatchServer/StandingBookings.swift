import DispatchCore
import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RideRequestStore
import RoadNetwork

/// Standing bookings as JSON documents (API answers and `dispatch standing … --format json`).
public enum StandingJSON {
    static func place(_ p: BookingPlace) -> JSONValue {
        if let stop = p.stopID { return ["stop_id": .string(stop)] }
        return ["lat": .number(p.latitude ?? 0), "lon": .number(p.longitude ?? 0)]
    }

    /// The pattern's own fields.
    public static func pattern(_ s: StandingBookingRecord) -> [String: JSONValue] {
        var json: [String: JSONValue] = [
            "id": .string(s.id), "status": .string(s.status.rawValue), "municipality": .string(s.municipality),
            "passenger_ref": .string(s.passengerRef), "pickup": place(s.pickup), "dropoff": place(s.dropoff), "party_size": .int(s.partySize),
            "wheelchairs": .int(s.wheelchairs), "notes": .string(s.notes), "concession": .optional(s.concession?.rawValue),
            "channel": .string(s.channel.rawValue), "weekdays": .array(s.weekdays.map(JSONValue.string)), "from": .string(s.from),
            "until": .optional(s.until), "skip_holidays": .bool(s.skipHolidays), "exceptions": .array(s.exceptions.map(JSONValue.string)),
            "created_at": .string(TimeText.timestamp(milliseconds: s.createdAt)), "updated_at": .string(TimeText.timestamp(milliseconds: s.updatedAt)),
        ]
        json[s.timeKind == .pickup ? "pickup_time" : "arrive_by"] = .string(TimeText.clock(s.requestedTime))
        return json
    }

    /// One date's outcome: `{"date", "booking_id", "status", "promised_pickup", "reason"}` (the
    /// booking's status and reason, or "rejected" with the rule's code when no booking was made).
    public static func occurrence(date: String, booking: BookingRecord?, refusal: (code: String, message: String)?) -> [String: JSONValue] {
        guard let booking else {
            let reason: JSONValue = refusal.map { ["code": .string($0.code), "message": .string($0.message)] } ?? .null
            return ["date": .string(date), "booking_id": .null, "status": .string(refusal == nil ? "pending" : "rejected"),
                    "promised_pickup": .null, "reason": reason]
        }
        let json = Handlers.bookingJSON(booking)
        return ["date": .string(date), "booking_id": .string(booking.id), "status": json["status"] ?? .null,
                "promised_pickup": json["promised_pickup"] ?? .null, "reason": json["reason"] ?? .null]
    }

    public static func occurrence(_ outcome: StandingDesk.Outcome) -> [String: JSONValue] {
        var json = occurrence(date: outcome.date, booking: outcome.booking, refusal: outcome.refusal)
        json["standing_id"] = .string(outcome.standing.id)
        json["passenger_ref"] = .string(outcome.standing.passengerRef)
        return json
    }

    /// The pattern with every claimed date's outcome (`occurrences`) and the dates from today to
    /// the horizon that are left out (`skipped`).
    public static func document(_ s: StandingBookingRecord, desk: StandingDesk, today: ServiceDate) async throws -> JSONValue {
        var json = pattern(s)
        var occurrences: [JSONValue] = []
        for o in try await desk.store.occurrences(standingID: s.id) {
            var booking: BookingRecord?
            if let id = o.bookingID { booking = try await desk.store.booking(id: id) }
            occurrences.append(.object(occurrence(date: o.serviceDate, booking: booking, refusal: o.reason.map { ($0, o.message ?? "") })))
        }
        json["occurrences"] = .array(occurrences)
        let days = s.status == .active ? desk.days(of: s, today: today) : []
        json["skipped"] = .array(days.compactMap { day in
            day.skip.map { ["date": .string(day.date.description), "reason": ["code": .string($0.code), "message": .string($0.message)]] }
        })
        return .object(json)
    }
}

// MARK: Endpoints

extension Handlers {
    func createStanding(_ request: Request, _ context: ServerContext) async throws -> Response {
        let key = try context.requireKey()
        guard key.role == .booking || key.role == .operator || key.role == .admin else {
            throw APIError.forbidden("a \(key.role.rawValue) key cannot create standing bookings")
        }
        let body = try await readBody(request, context)
        // As for bookings: the same key and body replay the first answer (the pattern as it is
        // now, with the first status), the same key with another body is 409.
        var idempotency: IdempotencyRecord?
        if let header = try Self.idempotencyKey(request) {
            let hash = sha256Hex(Self.canonical(body))
            if let first = try await store.idempotentAnswer(keyID: key.id, key: header) {
                guard first.requestHash == hash else { throw Self.idempotencyConflict }
                return try await replayStanding(first.statusCode, first.responseBody, key: key)
            }
            idempotency = IdempotencyRecord(keyID: key.id, key: header, requestHash: hash, statusCode: 201, responseBody: [])
        }
        let today = today()
        let standing = try StandingRequest.parse(body, key: key, zone: zone, today: today)
        idempotency?.responseBody = JSONValue.object(["standing_booking_id": .string(standing.id)]).bytes
        let write = try await createStanding(standing, idempotency: idempotency, today: today, logger: context.logger).write
        switch write {
        case .created: break
        case let .replayed(status, first): return try await replayStanding(status, first, key: key)
        case .conflict: throw Self.idempotencyConflict
        }
        return JSONBody.response(try await StandingJSON.document(standing, desk: standingDesk, today: today.date), status: .created)
    }

    /// Stores a parsed standing booking and books its dates (the one path of the API and the console).
    func createStanding(_ standing: StandingBookingRecord, idempotency: IdempotencyRecord?, today: (date: ServiceDate, seconds: Int),
                        logger: Logger) async throws -> (write: StandingWrite, outcomes: [StandingDesk.Outcome]) {
        let (write, outcomes) = try await standingDesk.create(standing, today: today, idempotency: idempotency, logger: logger)
        for outcome in outcomes {
            configuration.metrics.increment("dispatch_bookings_total", [
                "outcome": outcome.booking?.status.rawValue ?? "rejected",
                "reason": outcome.booking?.reason.flatMap { BookingReason.reason($0)?.rawValue } ?? outcome.refusal?.code ?? "none"])
        }
        return (write, outcomes)
    }

    /// The answer to a repeated request: the standing booking the first one created, as it is now.
    func replayStanding(_ status: Int, _ first: [UInt8], key: APIKey) async throws -> Response {
        guard case .object(let stored)? = { var parser = JSONParser(first); return parser.document() }(),
              case .string(let id)? = stored["standing_booking_id"], let standing = try await store.standingBooking(id: id), visible(standing, to: key) else {
            throw Self.idempotencyConflict
        }
        return JSONBody.response(try await StandingJSON.document(standing, desk: standingDesk, today: today().date),
                                 status: HTTPResponse.Status(code: status))
    }

    /// Whether `key` may see this standing booking (as for bookings: others' are "not found").
    func visible(_ standing: StandingBookingRecord, to key: APIKey) -> Bool {
        switch key.role {
        case .booking: standing.createdBy == key.id
        case .operator: standing.municipality == key.municipality
        case .dispatcher, .admin: true
        case .driver: false
        }
    }

    func listStanding(_ request: Request, _ context: ServerContext) async throws -> Response {
        let key = try context.requireKey()
        try Self.refuseDriver(key, "standing bookings")
        var status: StandingStatus?
        if let text = request.uri.queryParameters["status"].map(String.init) {
            guard let s = StandingStatus(rawValue: text) else { throw APIError.invalid("status", "'status' must be active or cancelled") }
            status = s
        }
        let records = try await store.standingBookings(municipality: key.role == .operator ? key.municipality : nil,
                                                       createdBy: key.role == .booking ? key.id : nil, status: status)
        return JSONBody.response(["standing_bookings": .array(records.map { .object(StandingJSON.pattern($0)) })])
    }

    func standing(_ context: ServerContext, for key: APIKey) async throws -> StandingBookingRecord {
        try Self.refuseDriver(key, "standing bookings")
        let id = context.parameters.get("id") ?? ""
        guard id.count <= 64, let standing = try await store.standingBooking(id: id), visible(standing, to: key) else {
            throw APIError.notFound("standing booking \(echo(id))")
        }
        return standing
    }

    func getStanding(_ context: ServerContext) async throws -> Response {
        let key = try context.requireKey()
        let standing = try await standing(context, for: key)
        return JSONBody.response(try await StandingJSON.document(standing, desk: standingDesk, today: today().date))
    }

    /// Cancels the pattern and its future bookings; those before now stay as they are.
    func cancelStanding(_ context: ServerContext) async throws -> Response {
        let key = try context.requireKey()
        let standing = try await standing(context, for: key)
        guard standing.status == .active else {
            throw APIError(.conflict, "invalid_transition", "standing booking \(standing.id) is cancelled already")
        }
        let today = today()
        _ = try await standingDesk.cancel(standing, actor: key.id, today: today)
        let cancelled = try await store.standingBooking(id: standing.id) ?? standing
        return JSONBody.response(try await StandingJSON.document(cancelled, desk: standingDesk, today: today.date))
    }
}

extension DispatchAPI {
    /// Books the dates of standing bookings that entered the horizon since they were last
    /// extended, as `dispatch serve` does before it listens (and `dispatch standing extend`).
    public static func extendStandingBookings(_ configuration: ServerConfiguration, logger: Logger? = nil) async throws -> [StandingDesk.Outcome] {
        let office = BookingOffice(zone: configuration.zone, store: configuration.store, policy: configuration.policy,
                                   horizonDays: configuration.bookingHorizonDays)
        let desk = StandingDesk(zone: configuration.zone, store: configuration.store, office: office, horizonDays: configuration.bookingHorizonDays)
        return try await desk.extend(today: StandingDesk.today(zone: configuration.zone, now: configuration.now()), logger: logger)
    }
}
