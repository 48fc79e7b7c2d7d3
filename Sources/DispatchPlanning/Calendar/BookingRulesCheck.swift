import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

/// The booking rules of the resident's municipality (zone file `municipalities[].booking` and
/// `service_days`) and the zone's calendar, applied to one booking: whether the caller may book
/// (`operator_only`), whether the date is within the horizon, open (`closed_day`) and a service day
/// (`service_days`), and whether the booking comes early enough (`cutoff`, `min_notice`). Pure: the
/// caller passes "now" as the zone's local date and time.
///
/// The rules are tried in that order and the first one broken is the answer, with the earliest
/// moment the ride could be booked (`bookFrom`, for the horizon) or served (`earliestService`: the
/// first service date and time, from the asked date on, that every date and notice rule allows).
public struct BookingRulesCheck: Sendable {
    public enum Rule: String, Sendable, CaseIterable {
        case operatorOnly = "operator_only", horizon, closedDay = "closed_day", serviceDays = "service_days", cutoff, minNotice = "min_notice"
    }

    /// Who books: the staff (operator, dispatcher, admin keys; the command line) or a booking
    /// client (a partner app's `booking` key).
    public enum Caller: Sendable, Equatable {
        case staff, client

        public init(role: Role) { self = role == .booking ? .client : .staff }
    }

    /// A date and a time of day (seconds after midnight) in the zone's time zone.
    public struct Moment: Comparable, Hashable, Sendable, CustomStringConvertible {
        public var date: ServiceDate
        public var seconds: Int

        public init(date: ServiceDate, seconds: Int) {
            self.date = date
            self.seconds = seconds
        }

        /// Seconds since 1970-01-01 00:00 local time (for comparing and adding).
        var absolute: Int { date.dayNumber * 86_400 + seconds }

        init(absolute: Int) {
            let day = absolute >= 0 ? absolute / 86_400 : (absolute - 86_399) / 86_400
            self.init(date: ServiceDate(dayNumber: day), seconds: absolute - day * 86_400)
        }

        public static func < (a: Moment, b: Moment) -> Bool { a.absolute < b.absolute }

        /// "2026-11-30 17:00" for sentences people read.
        public var description: String { "\(date) \(TimeText.clockMinutes(seconds))" }

        /// ISO-8601 with milliseconds and the offset `timeZone` has at that local time, e.g.
        /// `2026-11-30T17:00:00.000+09:00`.
        public func timestamp(in timeZone: TimeZone) -> String {
            // The offset at this local time: that of the instant it would be in UTC, corrected once.
            let guess = Date(timeIntervalSince1970: TimeInterval(absolute))
            let offset = timeZone.secondsFromGMT(for: guess.addingTimeInterval(-TimeInterval(timeZone.secondsFromGMT(for: guess))))
            let sign = offset < 0 ? "-" : "+", o = abs(offset) / 60
            let hhmm = TimeText.clockMinutes(o * 60)  // the offset's hours and minutes as "HH:MM"
            return "\(date)T\(TimeText.clock(seconds)).000\(sign)\(hhmm)"
        }
    }

    /// A broken rule: which, the request field it concerns, a sentence for people, and when the
    /// ride could be booked or served instead (where the rule gives one).
    public struct Violation: Sendable, Equatable {
        public var rule: Rule
        /// `municipality`, `date`, or the asked time's field (`pickup_time` or `arrive_by`).
        public var field: String
        public var message: String
        /// The first moment the booking would be taken (horizon; or when the earliest service
        /// date lies beyond the horizon, when that date enters it).
        public var bookFrom: Moment?
        /// The first date and time, from the asked date on, at which the ride could be served.
        public var earliestService: Moment?
        /// The municipality's booking desk phone (from its rules), where one is given.
        public var phone: String?
    }

    public let calendar: ZoneCalendar
    /// The horizon of municipalities without their own `horizon_days` (the server's, by default
    /// the zone's `booking_horizon_days`).
    public let defaultHorizonDays: Int
    let serviceHours: [ClosedRange<Int>]

    public init(calendar: ZoneCalendar, defaultHorizonDays: Int? = nil) {
        self.calendar = calendar
        self.defaultHorizonDays = defaultHorizonDays ?? calendar.file.bookingHorizonDays ?? ZoneFile.defaultBookingHorizonDays
        serviceHours = calendar.file.municipalities.map { m in
            guard let s = TimeText.seconds(ofClock: m.serviceHours.start), let e = TimeText.seconds(ofClock: m.serviceHours.end), s <= e else {
                return 0...(24 * 3600)
            }
            return s...e
        }
    }

    /// How many days ahead residents of municipality `index` may book.
    public func horizonDays(municipality index: Int) -> Int {
        calendar.file.municipalities[index].booking?.horizonDays ?? defaultHorizonDays
    }

    /// The largest horizon of any municipality (the dates a booking desk may have to hold).
    public var longestHorizonDays: Int {
        calendar.file.municipalities.indices.map { horizonDays(municipality: $0) }.max() ?? defaultHorizonDays
    }

    /// The first rule the booking breaks, or nil.
    /// - Parameters:
    ///   - index: the resident's municipality (whose rules apply).
    ///   - time: the asked pickup or arrival time, seconds after midnight; `timeField` names it.
    ///   - now: the zone's local date and time; nil checks only what does not depend on the clock
    ///     (`operator_only`, `closed_day`, `service_days`), as the demo does for a drawn date.
    public func violation(municipality index: Int, date: ServiceDate, time: Int, timeField: String = "pickup_time",
                          caller: Caller, now: Moment?) -> Violation? {
        let m = calendar.file.municipalities[index]
        let rules = m.booking
        func broken(_ rule: Rule, _ field: String, _ message: String, bookFrom: Moment? = nil, search: Bool = true) -> Violation {
            var v = Violation(rule: rule, field: field, message: message, bookFrom: bookFrom, phone: rules?.phone)
            if search, let earliest = earliestService(municipality: index, from: date, now: now) {
                v.earliestService = earliest
                if let now, bookFrom == nil {
                    let h = horizonDays(municipality: index)
                    if earliest.date.dayNumber > now.date.dayNumber + h {
                        v.bookFrom = Moment(date: ServiceDate(dayNumber: earliest.date.dayNumber - h), seconds: 0)
                    }
                }
            }
            return v
        }

        if caller == .client, rules?.operatorOnly == true {
            var message = "rides of \(m.name) are booked only through the operator's desk"
            if let phone = rules?.phone { message += " (phone \(phone))" }
            if let extra = rules?.message, !extra.isEmpty { message += ": \(extra)" }
            return broken(.operatorOnly, "municipality", message, search: false)
        }
        if let now {
            let h = horizonDays(municipality: index)
            let last = ServiceDate(dayNumber: now.date.dayNumber + h)
            if date > last {
                let from = Moment(date: ServiceDate(dayNumber: date.dayNumber - h), seconds: 0)
                return broken(.horizon, "date", "'date' \(date) is more than \(h) days ahead; rides of \(m.name) can be booked up to \(last) today, and rides on \(date) from \(from.date)",
                              bookFrom: from, search: false)
            }
        }
        if let name = calendar.closing(on: date) {
            return broken(.closedDay, "date", "the service is closed on \(date) (\(name))")
        }
        if !calendar.hasService(municipality: index, on: date) {
            let what = calendar.holiday(on: date).map { "a public holiday (\($0)), served as a Sunday" }
                ?? ["a weekday", "a Saturday", "a Sunday"][ZoneFile.DayKind.allCases.firstIndex(of: calendar.kind(of: date))!]
            let days = (m.serviceDays ?? []).compactMap { ZoneFile.DayKind(rawValue: $0) }.map { Self.words($0) }
            return broken(.serviceDays, "date", "\(m.name) has no service on \(date), \(what); its service days are "
                          + (days.isEmpty ? "none" : days.joined(separator: ", ")))
        }
        guard let now else { return nil }
        if let cutoff = cutoffDeadline(municipality: index, date: date, time: time), now > cutoff.deadline {
            let c = rules!.cutoff!
            let which = c.tripsBefore.flatMap { TimeText.seconds(ofClock: $0) }.map { " before \(TimeText.clockMinutes($0))" } ?? ""
            let when = c.daysBefore == 0 ? "the same day" : c.daysBefore == 1 ? "the day before" : "\(c.daysBefore) days before"
            return broken(.cutoff, timeField, "rides of \(m.name)\(which) must be booked by \(TimeText.clockMinutes(cutoff.bookBy)) \(when); "
                          + "for \(Moment(date: date, seconds: time)) that was \(cutoff.deadline)")
        }
        if let notice = rules?.minNoticeMinutes, Moment(date: date, seconds: time).absolute - now.absolute < notice * 60 {
            return broken(.minNotice, timeField, "rides of \(m.name) must be booked at least \(notice) minutes ahead; "
                          + "\(Moment(date: date, seconds: time)) is \(max(0, (Moment(date: date, seconds: time).absolute - now.absolute) / 60)) minutes from now")
        }
        return nil
    }

    /// The convenience for a validated booking.
    public func violation(_ booking: BookingRequest, caller: Caller, now: Moment?) -> Violation? {
        violation(municipality: booking.municipality, date: booking.date, time: booking.requestedTime,
                  timeField: booking.timeKind == .arrival ? "arrive_by" : "pickup_time", caller: caller, now: now)
    }

    /// The moment by which a ride at `time` on `date` must be booked (nil: no cut-off applies).
    func cutoffDeadline(municipality index: Int, date: ServiceDate, time: Int) -> (deadline: Moment, bookBy: Int)? {
        guard let c = calendar.file.municipalities[index].booking?.cutoff, let bookBy = TimeText.seconds(ofClock: c.bookBy) else { return nil }
        if let limit = c.tripsBefore.flatMap({ TimeText.seconds(ofClock: $0) }), time >= limit { return nil }
        return (Moment(absolute: (date.dayNumber - c.daysBefore) * 86_400 + bookBy), bookBy)
    }

    /// Whether a ride at `time` on a date with service comes early enough (cut-off and notice)
    /// and is still ahead of `now`.
    func inTime(municipality index: Int, date: ServiceDate, time: Int, now: Moment) -> Bool {
        let at = Moment(date: date, seconds: time)
        guard at > now else { return false }
        if let cutoff = cutoffDeadline(municipality: index, date: date, time: time), now > cutoff.deadline { return false }
        if let notice = calendar.file.municipalities[index].booking?.minNoticeMinutes, at.absolute - now.absolute < notice * 60 { return false }
        return true
    }

    /// The first date and time from `date` on (at most a year and a day later) within the
    /// municipality's service hours that is open, a service day, and that the cut-off and the
    /// notice allow when booked `now`.
    /// - Complexity: O(days searched × rules); on a date, the earliest allowed time is one of the
    ///   lower bounds (start of service, `trips_before`, now + notice, the next minute).
    public func earliestService(municipality index: Int, from date: ServiceDate, now: Moment?) -> Moment? {
        let hours = serviceHours[index], rules = calendar.file.municipalities[index].booking
        for offset in 0...366 {
            let d = ServiceDate(dayNumber: date.dayNumber + offset)
            guard calendar.hasService(municipality: index, on: d) else { continue }
            guard let now else { return Moment(date: d, seconds: hours.lowerBound) }
            var candidates = [hours.lowerBound]
            if let limit = rules?.cutoff?.tripsBefore.flatMap({ TimeText.seconds(ofClock: $0) }) { candidates.append(limit) }
            for bound in [now.absolute + 1, now.absolute + (rules?.minNoticeMinutes ?? 0) * 60] {
                let minute = (bound + 59) / 60 * 60 - d.dayNumber * 86_400  // rounded up to a whole minute
                if minute > 0 { candidates.append(minute) }
            }
            for t in candidates.sorted() where hours.contains(t) && inTime(municipality: index, date: d, time: t, now: now) {
                return Moment(date: d, seconds: t)
            }
        }
        return nil
    }

    static func words(_ kind: ZoneFile.DayKind) -> String {
        switch kind {
        case .weekday: "weekdays"
        case .saturday: "Saturdays"
        case .sundayHoliday: "Sundays and holidays"
        }
    }
}
