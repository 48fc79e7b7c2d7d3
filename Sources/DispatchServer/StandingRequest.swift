import DispatchPlanning
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

/// The body of `POST /v1/standing-bookings` (and of `dispatch standing create`): a booking's
/// fields without `date`, plus the pattern.
public enum StandingRequest {
    static let patternFields: Set<String> = ["weekdays", "from", "until", "skip_holidays", "exceptions"]
    static let fields = BookingRequest.fields.subtracting(["date"]).union(patternFields)

    /// Checks every field; errors name the field. The booking fields are checked by
    /// `BookingRequest.parse`, as a booking on one of the pattern's next dates.
    public static func parse(_ bytes: [UInt8], key: APIKey, zone: ServiceZone, today: (date: ServiceDate, seconds: Int),
                             id: String = newStandingBookingID()) throws -> StandingBookingRecord {
        let object = try JSONValue.object(from: bytes)
        let body = FieldReader(object)
        try body.rejectUnknown(allowed: fields)

        guard let weekdayValue = object["weekdays"], weekdayValue != .null else { throw APIError.invalid("weekdays", "'weekdays' is required, e.g. [\"mon\", \"wed\", \"fri\"]") }
        guard case .array(let list) = weekdayValue, !list.isEmpty, list.count <= 7 else {
            throw APIError.invalid("weekdays", "'weekdays' must be a list of one to seven days (mon, tue, wed, thu, fri, sat, sun)")
        }
        var numbers = Set<Int>()
        for (i, item) in list.enumerated() {
            guard case .string(let name) = item, let number = StandingSchedule.weekday(named: name) else {
                throw APIError.invalid("weekdays[\(i)]", "'weekdays[\(i)]' must be one of mon, tue, wed, thu, fri, sat, sun")
            }
            guard numbers.insert(number).inserted else { throw APIError.invalid("weekdays[\(i)]", "'weekdays[\(i)]' \(name) is listed twice") }
        }
        let weekdays = StandingSchedule.weekdayNames.filter { numbers.contains(StandingSchedule.weekday(named: $0)!) }

        func date(_ field: String, required: Bool) throws -> ServiceDate? {
            guard let text = try body.string(field, required: required, maxLength: 10) else { return nil }
            guard let date = ServiceDate(parsing: text) else { throw APIError.invalid(field, "'\(field)' must be a date YYYY-MM-DD, not '\(echo(text))'") }
            return date
        }
        let from = try date("from", required: true)!
        let until = try date("until", required: false)
        if let until, until < from { throw APIError.invalid("until", "'until' \(until) is before 'from' \(from)") }
        if let until, until < today.date { throw APIError.invalid("until", "'until' \(until) is in the past") }
        var skipHolidays = false
        if let value = object["skip_holidays"], value != .null {
            guard case .bool(let b) = value else { throw APIError.invalid("skip_holidays", "'skip_holidays' must be true or false, not \(value.kind)") }
            skipHolidays = b
        }
        var exceptions: [ServiceDate] = []
        if let value = object["exceptions"], value != .null {
            guard case .array(let items) = value, items.count <= 366 else {
                throw APIError.invalid("exceptions", "'exceptions' must be a list of at most 366 dates YYYY-MM-DD")
            }
            for (i, item) in items.enumerated() {
                guard case .string(let text) = item, let d = ServiceDate(parsing: text) else {
                    throw APIError.invalid("exceptions[\(i)]", "'exceptions[\(i)]' must be a date YYYY-MM-DD")
                }
                exceptions.append(d)
            }
        }

        // The booking fields, checked as a booking of one of the pattern's next dates: the first
        // that the rules of a date (time already passed, cut-offs, service days) let through, so
        // that only the fields themselves can fail every date.
        var booking = object
        for field in patternFields { booking[field] = nil }
        let schedule = StandingSchedule(weekdays: numbers, from: from, until: until, skipHolidays: skipHolidays, exceptions: Set(exceptions))
        var candidates = schedule.dates(from: today.date, through: ServiceDate(dayNumber: today.date.dayNumber + 62),
                                        calendar: ZoneCalendar(file: zone.file)).prefix(8).map { $0 }
        if candidates.isEmpty { candidates = [max(from, today.date)] }
        var input: BookingRequest?
        var firstError: APIError?
        for date in candidates where input == nil {
            booking["date"] = .string(date.description)
            do {
                input = try BookingRequest.parse(JSONValue.object(booking).bytes, key: key, zone: zone, today: today)
            } catch let error as APIError {
                firstError = firstError ?? error
            }
        }
        guard let input else {
            var named = firstError!
            if named.field == "date" { named.field = "from" }
            throw named
        }
        let now = storeNow()
        return StandingBookingRecord(id: id, municipality: input.municipalityID, passengerRef: input.passengerRef, pickup: input.pickup,
                                     dropoff: input.dropoff, timeKind: input.timeKind, requestedTime: input.requestedTime,
                                     partySize: input.partySize, wheelchairs: input.wheelchairs, notes: input.notes, concession: input.concession,
                                     channel: input.channel, weekdays: weekdays, from: from.description, until: until?.description,
                                     skipHolidays: skipHolidays, exceptions: Array(Set(exceptions)).sorted().map(\.description),
                                     createdBy: key.id, createdAt: now, updatedAt: now)
    }
}
