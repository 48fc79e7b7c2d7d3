import RoadNetwork

/// The dates of a standing booking's weekly pattern (e.g. Monday, Wednesday and Friday from
/// 2026-12-01): each date of a chosen weekday from `from` to `until`, except the zone's closing
/// days, public holidays when `skipHolidays`, and the listed exceptions. Pure: the same pattern
/// and calendar give the same dates.
public struct StandingSchedule: Sendable, Equatable {
    /// Weekday names as the API and the store spell them, in week order (Monday first).
    public static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Days of the week, as `JapaneseHolidays.weekday` numbers them (0 Sunday … 6 Saturday).
    public var weekdays: Set<Int>
    public var from: ServiceDate
    /// The last date (nil: no end).
    public var until: ServiceDate?
    public var skipHolidays: Bool
    public var exceptions: Set<ServiceDate>

    public init(weekdays: Set<Int>, from: ServiceDate, until: ServiceDate?, skipHolidays: Bool, exceptions: Set<ServiceDate>) {
        self.weekdays = weekdays
        self.from = from
        self.until = until
        self.skipHolidays = skipHolidays
        self.exceptions = exceptions
    }

    /// The weekday number of a name ("mon" … "sun"), nil for anything else.
    public static func weekday(named name: String) -> Int? {
        weekdayNames.firstIndex(of: name).map { ($0 + 1) % 7 }
    }

    /// The name of a weekday number (0 Sunday … 6 Saturday).
    public static func name(ofWeekday number: Int) -> String { weekdayNames[(number + 6) % 7] }

    /// Why a date of the pattern is left out.
    public enum Skip: Sendable, Equatable {
        /// A public holiday (its name), with `skipHolidays`.
        case holiday(String)
        /// A closing day of the zone (its name).
        case closed(String)
        /// Listed in the pattern's exceptions.
        case exception

        /// The code the API and the CLI show.
        public var code: String {
            switch self {
            case .holiday: "holiday"
            case .closed: "zone_closed"
            case .exception: "exception"
            }
        }

        /// A sentence for people.
        public var message: String {
            switch self {
            case let .holiday(name): "a public holiday (\(name)); the pattern skips holidays"
            case let .closed(name): "the zone is closed (\(name))"
            case .exception: "listed in the pattern's exceptions"
            }
        }
    }

    /// One date of the pattern: booked (`skip` nil) or left out.
    public struct Day: Sendable, Equatable {
        public var date: ServiceDate
        public var skip: Skip?
    }

    /// Every date of a chosen weekday within [max(`from`, `first`), min(`until`, `last`)], in
    /// order, each with why it is left out (nil: it is to be booked).
    /// - Complexity: O(days in the range).
    public func days(from first: ServiceDate, through last: ServiceDate, calendar: ZoneCalendar) -> [Day] {
        let start = max(from, first).dayNumber
        let end = min(until ?? last, last).dayNumber
        guard start <= end else { return [] }
        var out: [Day] = []
        for number in start...end {
            let date = ServiceDate(dayNumber: number)
            guard weekdays.contains(JapaneseHolidays.weekday(date)) else { continue }
            var skip: Skip?
            if exceptions.contains(date) {
                skip = .exception
            } else if let name = calendar.closing(on: date) {
                skip = .closed(name)
            } else if skipHolidays, let name = calendar.holiday(on: date) {
                skip = .holiday(name)
            }
            out.append(Day(date: date, skip: skip))
        }
        return out
    }

    /// The dates to book within [max(`from`, `first`), min(`until`, `last`)].
    public func dates(from first: ServiceDate, through last: ServiceDate, calendar: ZoneCalendar) -> [ServiceDate] {
        days(from: first, through: last, calendar: calendar).filter { $0.skip == nil }.map(\.date)
    }
}
