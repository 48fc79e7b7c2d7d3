import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import Hummingbird
import RideRequestStore
import RoadNetwork

/// Vehicle events (`POST /v1/vehicles/{id}/events`, `GET …?date=D`): what drivers report during
/// the day, and the booking states they drive (scheduled → on_board → completed, scheduled → no_show).
extension Handlers {
    /// The 409 reason codes of events that cannot have happened (README "Vehicle events").
    enum EventConflict: String, CaseIterable {
        /// The booking is not on any duty of this vehicle in the latest plan of the date.
        case notThisVehicle = "not_this_vehicle"
        /// A drop-off of a booking that was not picked up.
        case notPickedUp = "not_picked_up"
        /// A second pickup, or a no-show of a passenger who was picked up.
        case alreadyPickedUp = "already_picked_up"
        /// The booking is completed, cancelled, rejected or a no-show.
        case bookingClosed = "booking_closed"
        /// The booking is not scheduled (a plan dropped it).
        case notScheduled = "not_scheduled"
        /// A no-show before the zone's no-show wait has passed.
        case noShowTooEarly = "no_show_too_early"
        /// break_ended without a break_started before it.
        case noBreakStarted = "no_break_started"
        /// break_started while a break is running.
        case breakAlreadyStarted = "break_already_started"
        /// The event id was used before with another body.
        case eventIDReused = "event_id_reused"

        func error(_ message: String, field: String? = nil) -> APIError { APIError(.conflict, rawValue, message, field: field) }
    }

    /// Whether `key` may report and read the events of `vehicle`: dispatchers and admins for every
    /// vehicle, a driver for the vehicle its key is bound to; booking and operator keys never.
    /// The one check both event endpoints use.
    func mayRecordEvents(vehicle: String, key: APIKey) -> Bool {
        switch key.role {
        case .dispatcher, .admin: true
        case .driver: key.vehicle == vehicle
        case .booking, .operator: false
        }
    }

    /// The vehicle of the path, once the key may use it (403) and it is a vehicle of the zone (404).
    func eventVehicle(_ context: ServerContext) throws -> (key: APIKey, vehicle: String) {
        let key = try context.requireKey()
        let vehicle = context.parameters.get("id") ?? ""
        guard mayRecordEvents(vehicle: vehicle, key: key) else {
            throw APIError.forbidden("a \(key.role.rawValue) key cannot report or read the events of vehicle \(echo(vehicle))")
        }
        guard zone.file.vehicles.contains(where: { $0.id == vehicle }) else { throw APIError.notFound("vehicle \(echo(vehicle))") }
        return (key, vehicle)
    }

    func recordVehicleEvent(_ request: Request, _ context: ServerContext) async throws -> Response {
        let (key, vehicle) = try eventVehicle(context)
        let body = try await readBody(request, context)
        let fields = FieldReader(try JSONValue.object(from: body))
        try fields.rejectUnknown(allowed: ["event_id", "at", "type", "booking_id", "stop_id", "lat", "lon"])
        let eventID = try fields.string("event_id", required: true, maxLength: 64)!
        guard eventID.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIError.invalid("event_id", "'event_id' must be 1 to 64 visible ASCII characters without spaces")
        }
        let atText = try fields.string("at", required: true, maxLength: 40)!
        guard let utc = Self.instant(iso8601: atText) else {
            throw APIError.invalid("at", "'at' must be a timestamp with its offset, e.g. 2026-12-01T09:05:00+09:00, not '\(echo(atText))'")
        }
        let nowMs = Int64((configuration.now().timeIntervalSince1970 * 1000).rounded())
        guard utc <= nowMs + Self.futureTolerance else {
            throw APIError.invalid("at", "'at' (\(echo(atText))) lies in the future; report events when they happen")
        }
        let typeText = try fields.string("type", required: true, maxLength: 32)!
        guard let type = VehicleEventType(rawValue: typeText) else {
            throw APIError.invalid("type", "'type' must be one of \(VehicleEventType.allCases.map(\.rawValue).joined(separator: ", ")), not '\(echo(typeText))'")
        }
        let bookingID = try fields.string("booking_id", required: type.needsBooking, maxLength: 64)
        if bookingID != nil && !type.needsBooking {
            throw APIError.invalid("booking_id", "'booking_id' is only for picked_up, dropped_off and no_show events")
        }
        let stopID = try fields.string("stop_id", required: false, maxLength: 128)
        if let stopID {
            guard type == .arrived || type == .departed else { throw APIError.invalid("stop_id", "'stop_id' is only for arrived and departed events") }
            guard zone.file.stops.contains(where: { $0.id == stopID }) || zone.file.places.contains(where: { $0.id == stopID })
                    || zone.file.depots.contains(where: { $0.id == stopID }) else {
                throw APIError.invalid("stop_id", "'stop_id' is not a stop, place or depot of the zone")
            }
        }
        var latitude: Double?, longitude: Double?
        if type == .position || fields.has("lat") || fields.has("lon") {
            latitude = try fields.number("lat", in: -90...90)
            longitude = try fields.number("lon", in: -180...180)
        }
        let timeZone = TimeZone(identifier: zone.file.timeZone) ?? TimeZone(identifier: "Asia/Tokyo")!
        let (date, seconds) = Self.local(utc, in: timeZone)
        var hashed = Array("\(vehicle)\n".utf8)
        hashed += Self.canonical(body)
        let requestHash = sha256Hex(hashed)
        // The same event again: the first answer (before any check, which the first event changed).
        if let first = try await store.vehicleEvent(eventID: eventID, requestHash: requestHash) { return try answer(first) }

        do {
            try await checkSequence(type, bookingID: bookingID, vehicle: vehicle, date: date, seconds: seconds)
        } catch let error as APIError where error.status == .conflict {
            // A twin of this request committed meanwhile: its answer, not the conflict it causes.
            if let first = try await store.vehicleEvent(eventID: eventID, requestHash: requestHash) { return try answer(first) }
            throw error
        }
        let event = VehicleEventRecord(eventID: eventID, vehicleID: vehicle, serviceDate: date.description, at: utc, localSeconds: seconds,
                                       type: type, bookingID: bookingID, stopID: stopID, latitude: latitude, longitude: longitude,
                                       recordedBy: key.id, recordedAt: storeNow())
        let write = try await store.recordVehicleEvent(event, requestHash: requestHash)
        if case .recorded = write, type.bookingChange != nil { await office.planned(date) }
        return try answer(write)
    }

    /// Refuses (409) an event that cannot follow what the vehicle and the booking did before.
    func checkSequence(_ type: VehicleEventType, bookingID: String?, vehicle: String, date: ServiceDate, seconds: Int) async throws {
        if let bookingID { try await checkBookingEvent(type, bookingID: bookingID, vehicle: vehicle, date: date, seconds: seconds) }
        if type == .breakStarted || type == .breakEnded {
            let breaks = try await store.vehicleEvents(serviceDate: date.description, vehicleID: vehicle).filter { $0.type == .breakStarted || $0.type == .breakEnded }
            let onBreak = breaks.last?.type == .breakStarted
            if type == .breakEnded && !onBreak {
                throw EventConflict.noBreakStarted.error("vehicle \(vehicle) reported no break_started on \(date) that this break_ended could end")
            }
            if type == .breakStarted && onBreak {
                throw EventConflict.breakAlreadyStarted.error("vehicle \(vehicle) is on a break already (break_started without break_ended)")
            }
        }
    }

    /// Refuses (409) a booking event that cannot have happened: the booking is not this vehicle's
    /// in the latest plan, is not in the status the event needs, or the no-show wait is not over.
    func checkBookingEvent(_ type: VehicleEventType, bookingID: String, vehicle: String, date: ServiceDate, seconds: Int) async throws {
        let plan = try await DayLoading.latestDocument(store: store, date: date)
        let pickup = plan?.vehicles.filter { ServiceZone.vehicleID(ofDuty: $0.id) == vehicle }
            .flatMap(\.stops).first { $0.bookingId == bookingID && $0.action == "pickup" }
        guard let pickup, let booking = try await store.booking(id: bookingID), booking.serviceDate == date.description else {
            throw EventConflict.notThisVehicle.error("the latest plan of \(date) does not give booking \(echo(bookingID)) to vehicle \(vehicle)",
                                                     field: "booking_id")
        }
        switch (type, booking.status) {
        case (.pickedUp, .scheduled), (.noShow, .scheduled), (.droppedOff, .onBoard): break
        case (_, .completed), (_, .cancelled), (_, .noShow), (_, .rejected):
            throw EventConflict.bookingClosed.error("booking \(bookingID) is \(booking.status.rawValue) already", field: "booking_id")
        case (.pickedUp, .onBoard), (.noShow, .onBoard):
            throw EventConflict.alreadyPickedUp.error("booking \(bookingID) was picked up already", field: "booking_id")
        case (.droppedOff, _):
            throw EventConflict.notPickedUp.error("booking \(bookingID) cannot be dropped off before it is picked up", field: "booking_id")
        default:
            throw EventConflict.notScheduled.error("booking \(bookingID) is \(booking.status.rawValue), not scheduled", field: "booking_id")
        }
        if type == .noShow {
            let opens = booking.promisedEarliest ?? TimeText.seconds(ofClock: pickup.time) ?? booking.requestedTime
            let allowed = opens + zone.file.noShowWait * 60
            guard seconds >= allowed else {
                throw EventConflict.noShowTooEarly.error("a no-show of booking \(bookingID) may be reported from \(TimeText.clock(allowed)) on "
                                                         + "(\(zone.file.noShowWait) min after its pickup window opens at \(TimeText.clock(opens)))",
                                                         field: "at")
            }
        }
    }

    func answer(_ write: VehicleEventWrite) throws -> Response {
        switch write {
        case .recorded(let event): JSONBody.response(Self.eventJSON(event), status: .created)
        case .replayed(let event): JSONBody.response(Self.eventJSON(event))
        case .conflict:
            throw EventConflict.eventIDReused.error("this event_id was used before with another event", field: "event_id")
        }
    }

    func listVehicleEvents(_ request: Request, _ context: ServerContext) async throws -> Response {
        let (_, vehicle) = try eventVehicle(context)
        guard let text = request.uri.queryParameters["date"].map(String.init) else {
            throw APIError.invalid("date", "the query parameter 'date' (YYYY-MM-DD) is required")
        }
        guard let date = ServiceDate(parsing: text) else { throw APIError.invalid("date", "'date' must be a date YYYY-MM-DD, not '\(echo(text))'") }
        let events = try await store.vehicleEvents(serviceDate: date.description, vehicleID: vehicle)
        return JSONBody.response(["vehicle_id": .string(vehicle), "date": .string(date.description),
                                  "events": .array(events.map { Self.eventJSON($0) })])
    }

    /// `{"event_id", "vehicle_id", "date", "at" (UTC, as every timestamp of the API), "local_time" (the zone's clock), "type",
    /// "booking_id", "stop_id", "position", "booking_status", "recorded_at"}`.
    static func eventJSON(_ e: VehicleEventRecord) -> JSONValue {
        let position: JSONValue = if let lat = e.latitude, let lon = e.longitude { ["lat": .number(lat), "lon": .number(lon)] } else { .null }
        return ["event_id": .string(e.eventID), "vehicle_id": .string(e.vehicleID), "date": .string(e.serviceDate),
                "at": .string(TimeText.timestamp(milliseconds: e.at)), "local_time": .string(TimeText.clock(e.localSeconds)), "type": .string(e.type.rawValue),
                "booking_id": .optional(e.bookingID), "stop_id": .optional(e.stopID), "position": position,
                "booking_status": .optional(e.bookingStatus?.rawValue), "recorded_at": .string(TimeText.timestamp(milliseconds: e.recordedAt))]
    }

    /// How far ahead of the server's clock an event's `at` may be (clocks of phones drift).
    static let futureTolerance: Int64 = 5 * 60 * 1000

    /// Milliseconds since 1970 (UTC) of `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`; nil for anything else.
    static func instant(iso8601 text: String) -> Int64? {
        let u = Array(text.utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= u.count else { return nil }
            var n = 0
            for b in u[from..<(from + count)] {
                guard (0x30...0x39).contains(b) else { return nil }
                n = n * 10 + Int(b - 0x30)
            }
            return n
        }
        guard u.count >= 20, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54, u[13] == 0x3A, u[16] == 0x3A,
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), let date = ServiceDate(year: year, month: month, day: day),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2), hour < 24, minute < 60, second < 60 else { return nil }
        var i = 19, millis = 0
        if u[i] == 0x2E {
            var count = 0
            i += 1
            while i < u.count, (0x30...0x39).contains(u[i]) {
                if count < 3 { millis = millis * 10 + Int(u[i] - 0x30) }
                count += 1
                i += 1
            }
            guard (1...9).contains(count) else { return nil }
            if count < 3 { for _ in count..<3 { millis *= 10 } }
        }
        var offset = 0
        if i == u.count - 1 && u[i] == 0x5A {
            offset = 0
        } else {
            guard i == u.count - 6, u[i] == 0x2B || u[i] == 0x2D, u[i + 3] == 0x3A, let h = digits(i + 1, 2), let m = digits(i + 4, 2),
                  h <= 14, m < 60 else { return nil }
            offset = (h * 3600 + m * 60) * (u[i] == 0x2D ? -1 : 1)
        }
        let seconds = date.dayNumber * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Int64(seconds) * 1000 + Int64(millis)
    }

    /// The zone-local date and seconds after its midnight of an instant.
    static func local(_ ms: Int64, in timeZone: TimeZone) -> (date: ServiceDate, seconds: Int) {
        let utcSeconds = Int(ms >= 0 ? ms / 1000 : (ms - 999) / 1000)
        let local = utcSeconds + timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utcSeconds)))
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return (ServiceDate(dayNumber: day), local - day * 86_400)
    }
}
