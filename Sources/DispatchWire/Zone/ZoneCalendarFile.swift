import Foundation
import RoadNetwork

/// The service calendar's part of the zone file: kinds of day, holidays and closing days,
/// vehicles' shifts by date, drivers' breaks and booking rules. Only the data; what a date means
/// (`ZoneCalendar`) lives in DispatchPlanning.
extension ZoneFile {
    /// The kinds of day a weekly pattern distinguishes. A public holiday counts as a Sunday.
    public enum DayKind: String, Codable, Sendable, CaseIterable {
        case weekday, saturday, sundayHoliday = "sunday_holiday"
    }

    public struct ServiceCalendar: Codable, Sendable, Equatable {
        /// `japan` (the built-in Japanese public holidays, the default) or `none`.
        public var holidays: String?
        /// Days without any service in the whole zone (e.g. New Year 12-29 to 01-03).
        public var closingDays: [ClosingDays]?

        public init(holidays: String? = nil, closingDays: [ClosingDays]? = nil) {
            self.holidays = holidays
            self.closingDays = closingDays
        }

        enum CodingKeys: String, CodingKey { case holidays, closingDays = "closing_days" }
    }

    /// A closed span: `from` and `until` (inclusive; `until` nil: the one day) are `MM-DD` (every
    /// year; a span may wrap over New Year) or `YYYY-MM-DD` (that year only).
    public struct ClosingDays: Codable, Sendable, Equatable {
        public var from: String
        public var until: String?
        public var name: String?

        public init(from: String, until: String? = nil, name: String? = nil) {
            self.from = from
            self.until = until
            self.name = name
        }
    }

    /// Shifts per kind of day; a kind left out (or an empty list) is a day off.
    public struct WeeklySchedule: Codable, Sendable, Equatable {
        public var weekday: [TimeRange]?
        public var saturday: [TimeRange]?
        public var sundayHoliday: [TimeRange]?

        public init(weekday: [TimeRange]? = nil, saturday: [TimeRange]? = nil, sundayHoliday: [TimeRange]? = nil) {
            self.weekday = weekday
            self.saturday = saturday
            self.sundayHoliday = sundayHoliday
        }

        public func shifts(on kind: DayKind) -> [TimeRange] {
            switch kind {
            case .weekday: return weekday ?? []
            case .saturday: return saturday ?? []
            case .sundayHoliday: return sundayHoliday ?? []
            }
        }

        enum CodingKeys: String, CodingKey { case weekday, saturday, sundayHoliday = "sunday_holiday" }
    }

    /// One date on which a vehicle works other shifts than its pattern: none (out of service,
    /// e.g. the yearly inspection) or others (an extra or a shortened shift).
    public struct ShiftException: Codable, Sendable, Equatable {
        /// `YYYY-MM-DD`.
        public var date: String
        public var shifts: [TimeRange]
        /// Why, for people (e.g. "yearly inspection").
        public var note: String?

        public init(date: String, shifts: [TimeRange], note: String? = nil) {
            self.date = date
            self.shifts = shifts
            self.note = note
        }
    }

    /// Drivers' rest. The default follows the Japanese standard for bus drivers (改善基準告示): at
    /// most 4 hours of driving without interruptions totalling 30 minutes, each at least 10.
    public struct BreakRule: Codable, Sendable, Equatable {
        /// false turns breaks off (e.g. a service whose drivers change every few hours).
        public var enabled: Bool?
        public var maxDrivingMinutes: Int?
        public var breakMinutes: Int?
        public var minPartMinutes: Int?

        public init(enabled: Bool? = nil, maxDrivingMinutes: Int? = nil, breakMinutes: Int? = nil, minPartMinutes: Int? = nil) {
            self.enabled = enabled
            self.maxDrivingMinutes = maxDrivingMinutes
            self.breakMinutes = breakMinutes
            self.minPartMinutes = minPartMinutes
        }

        public static let japaneseBusStandard = BreakRule(enabled: true, maxDrivingMinutes: 240, breakMinutes: 30, minPartMinutes: 10)

        enum CodingKeys: String, CodingKey {
            case enabled, maxDrivingMinutes = "max_driving_minutes", breakMinutes = "break_minutes", minPartMinutes = "min_part_minutes"
        }
    }

    /// When and by whom a municipality's rides may be booked.
    public struct BookingRules: Codable, Sendable, Equatable {
        /// Days ahead a ride may be booked (nil: the zone's `booking_horizon_days`).
        public var horizonDays: Int?
        /// Trips that start before `tripsBefore` must be booked by `bookBy` on the day
        /// `daysBefore` days earlier (e.g. trips before 10:00 by 17:00 the day before).
        public var cutoff: Cutoff?
        /// Least time between booking and the trip's requested time (it binds same-day trips, in practice).
        public var minNoticeMinutes: Int?
        /// Only operators (phone desk) may book: booking clients get 422.
        public var operatorOnly: Bool?
        /// The desk's phone number and a message for riders (published in GTFS-Flex booking rules).
        public var phone: String?
        public var message: String?

        public init(horizonDays: Int? = nil, cutoff: Cutoff? = nil, minNoticeMinutes: Int? = nil, operatorOnly: Bool? = nil,
                    phone: String? = nil, message: String? = nil) {
            self.horizonDays = horizonDays
            self.cutoff = cutoff
            self.minNoticeMinutes = minNoticeMinutes
            self.operatorOnly = operatorOnly
            self.phone = phone
            self.message = message
        }

        enum CodingKeys: String, CodingKey {
            case horizonDays = "horizon_days", cutoff, minNoticeMinutes = "min_notice_minutes", operatorOnly = "operator_only", phone, message
        }
    }

    public struct Cutoff: Codable, Sendable, Equatable {
        /// Applies to trips before this time (nil: every trip).
        public var tripsBefore: String?
        public var bookBy: String
        public var daysBefore: Int

        public init(tripsBefore: String? = nil, bookBy: String, daysBefore: Int) {
            self.tripsBefore = tripsBefore
            self.bookBy = bookBy
            self.daysBefore = daysBefore
        }

        enum CodingKeys: String, CodingKey { case tripsBefore = "trips_before", bookBy = "book_by", daysBefore = "days_before" }
    }

    public struct Agency: Codable, Sendable, Equatable {
        public var name: String
        public var url: String
        public var phone: String?
        /// BCP-47, e.g. `ja`.
        public var language: String?

        public init(name: String, url: String, phone: String? = nil, language: String? = nil) {
            self.name = name
            self.url = url
            self.phone = phone
            self.language = language
        }
    }

    /// A month-day (`MM-DD`) or a date (`YYYY-MM-DD`) of a closing span.
    public static func closingDay(_ text: String) -> (year: Int?, month: Int, day: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, let d = ServiceDate(parsing: text) { return (d.year, d.month, d.day) }
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let m = Int(parts[0]), let d = Int(parts[1]),
              (1...12).contains(m), (1...ServiceDate.daysIn(month: m, year: 2024)).contains(d) else { return nil }
        return (nil, m, d)
    }

    /// Problems of the calendar, breaks, shifts and booking rules (called by `problems(path:)`).
    func calendarProblems(fail: (String, String) -> Void) {
        func range(_ t: TimeRange, _ field: String) { Self.rangeProblems(t, field, fail: fail) }
        func shifts(_ list: [TimeRange], _ field: String) {
            for (i, t) in list.enumerated() { range(t, "\(field)[\(i)]") }
            let spans = list.compactMap { t -> (Int, Int)? in
                guard let s = TimeText.seconds(ofClock: t.start), let e = TimeText.seconds(ofClock: t.end), s < e else { return nil }
                return (s, e)
            }
            if spans.count == list.count, zip(spans, spans.dropFirst()).contains(where: { $0.1 > $1.0 }) {
                fail(field, "shifts must be in order of time and must not overlap")
            }
        }
        if let calendar {
            if let h = calendar.holidays, !["japan", "none"].contains(h) { fail("calendar.holidays", "'\(h)' is not japan or none") }
            for (i, c) in (calendar.closingDays ?? []).enumerated() {
                let from = Self.closingDay(c.from), until = c.until.map(Self.closingDay)
                if from == nil { fail("calendar.closing_days[\(i)].from", "'\(c.from)' is not MM-DD or YYYY-MM-DD") }
                if let until, until == nil { fail("calendar.closing_days[\(i)].until", "'\(c.until!)' is not MM-DD or YYYY-MM-DD") }
                if let f = from, let u = until ?? nil, (f.year == nil) != (u.year == nil) {
                    fail("calendar.closing_days[\(i)]", "from and until must both be MM-DD or both YYYY-MM-DD")
                } else if let f = from, let u = until ?? nil, let fy = f.year, let uy = u.year,
                          ServiceDate(year: fy, month: f.month, day: f.day)! > ServiceDate(year: uy, month: u.month, day: u.day)! {
                    fail("calendar.closing_days[\(i)]", "until (\(c.until!)) is before from (\(c.from))")
                }
            }
        }
        if let breaks {
            for (name, value, limits) in [("max_driving_minutes", breaks.maxDrivingMinutes, 30...720), ("break_minutes", breaks.breakMinutes, 1...180),
                                          ("min_part_minutes", breaks.minPartMinutes, 1...180)] {
                if let value, !limits.contains(value) { fail("breaks.\(name)", "must be between \(limits.lowerBound) and \(limits.upperBound) minutes") }
            }
            let rest = breaks.breakMinutes ?? 30
            if let part = breaks.minPartMinutes, part > rest { fail("breaks.min_part_minutes", "must not be longer than break_minutes (\(rest))") }
            if let driving = breaks.maxDrivingMinutes, driving <= rest { fail("breaks.max_driving_minutes", "must be longer than break_minutes (\(rest))") }
        }
        for (i, m) in municipalities.enumerated() {
            for (j, d) in (m.serviceDays ?? []).enumerated() where DayKind(rawValue: d) == nil {
                fail("municipalities[\(i)].service_days[\(j)]", "'\(d)' is not weekday, saturday or sunday_holiday")
            }
            guard let b = m.booking else { continue }
            let field = "municipalities[\(i)].booking"
            if let h = b.horizonDays, !(0...3_660).contains(h) { fail("\(field).horizon_days", "must be between 0 and 3660 days") }
            if let n = b.minNoticeMinutes, !(0...10_080).contains(n) { fail("\(field).min_notice_minutes", "must be between 0 and 10080 minutes") }
            if let c = b.cutoff {
                if TimeText.seconds(ofClock: c.bookBy) == nil { fail("\(field).cutoff.book_by", "'\(c.bookBy)' is not a time HH:MM:SS or HH:MM") }
                if let t = c.tripsBefore, TimeText.seconds(ofClock: t) == nil { fail("\(field).cutoff.trips_before", "'\(t)' is not a time HH:MM:SS or HH:MM") }
                if !(0...30).contains(c.daysBefore) { fail("\(field).cutoff.days_before", "must be between 0 and 30 days") }
            }
        }
        for (i, v) in vehicles.enumerated() {
            if let schedule = v.schedule {
                for kind in DayKind.allCases { shifts(schedule.shifts(on: kind), "vehicles[\(i)].schedule.\(kind.rawValue)") }
            }
            var dates = Set<String>()
            for (j, x) in (v.exceptions ?? []).enumerated() {
                if ServiceDate(parsing: x.date) == nil { fail("vehicles[\(i)].exceptions[\(j)].date", "'\(x.date)' is not a date YYYY-MM-DD") }
                else if !dates.insert(x.date).inserted { fail("vehicles[\(i)].exceptions[\(j)].date", "'\(x.date)' is given twice") }
                shifts(x.shifts, "vehicles[\(i)].exceptions[\(j)].shifts")
            }
        }
    }
}
