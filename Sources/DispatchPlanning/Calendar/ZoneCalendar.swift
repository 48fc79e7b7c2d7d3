import DispatchWire
import Foundation
import RoadNetwork

/// What a date means for a zone: its kind of day (weekday, Saturday, Sunday or public holiday),
/// whether the zone is closed, which municipalities have service, and which shifts each vehicle
/// works. Built from the zone file's `calendar`, municipalities' `service_days` and vehicles'
/// `schedule` and `exceptions`; immutable.
public struct ZoneCalendar: Sendable {
    public let file: ZoneFile
    let japaneseHolidays: Bool
    let closing: [(from: (year: Int?, month: Int, day: Int), until: (year: Int?, month: Int, day: Int), name: String)]

    public init(file: ZoneFile) {
        self.file = file
        japaneseHolidays = (file.calendar?.holidays ?? "japan") == "japan"
        closing = (file.calendar?.closingDays ?? []).compactMap { c in
            guard let from = ZoneFile.closingDay(c.from), let until = ZoneFile.closingDay(c.until ?? c.from) else { return nil }
            return (from, until, c.name ?? "closed")
        }
    }

    /// The public holiday's name on `date` (nil when none, or when the zone uses no holidays).
    public func holiday(on date: ServiceDate) -> String? { japaneseHolidays ? JapaneseHolidays.name(of: date) : nil }

    /// Weekday, Saturday, or Sunday-and-holiday.
    public func kind(of date: ServiceDate) -> ZoneFile.DayKind {
        if holiday(on: date) != nil { return .sundayHoliday }
        switch JapaneseHolidays.weekday(date) {
        case 0: return .sundayHoliday
        case 6: return .saturday
        default: return .weekday
        }
    }

    /// The name of the closing span `date` falls in (nil: the zone is open).
    public func closing(on date: ServiceDate) -> String? {
        let md = date.month * 100 + date.day
        for c in closing {
            if let fy = c.from.year, let uy = c.until.year {
                let from = ServiceDate(year: fy, month: c.from.month, day: c.from.day)!, until = ServiceDate(year: uy, month: c.until.month, day: c.until.day)!
                if from <= date && date <= until { return c.name }
            } else {
                let a = c.from.month * 100 + c.from.day, b = c.until.month * 100 + c.until.day
                if a <= b ? (a <= md && md <= b) : (md >= a || md <= b) { return c.name }
            }
        }
        return nil
    }

    /// Whether residents of municipality `index` have service on `date` (zone open and the
    /// municipality's `service_days` include the date's kind).
    public func hasService(municipality index: Int, on date: ServiceDate) -> Bool {
        guard closing(on: date) == nil, file.municipalities.indices.contains(index) else { return false }
        guard let days = file.municipalities[index].serviceDays else { return true }
        return days.contains(kind(of: date).rawValue)
    }

    /// The shifts vehicle `index` works on `date`, seconds after midnight, in order: none when the
    /// zone is closed; the dated exception if there is one; else the weekly schedule's for the
    /// date's kind; else the vehicle's `shift`.
    public func shifts(vehicle index: Int, on date: ServiceDate) -> [ClosedRange<Int>] {
        guard closing(on: date) == nil else { return [] }
        let v = file.vehicles[index]
        let ranges: [ZoneFile.TimeRange]
        if let exception = v.exceptions?.first(where: { ServiceDate(parsing: $0.date) == date }) {
            ranges = exception.shifts
        } else if let schedule = v.schedule {
            ranges = schedule.shifts(on: kind(of: date))
        } else {
            ranges = [v.shift]
        }
        return ranges.compactMap { r in
            guard let s = TimeText.seconds(ofClock: r.start), let e = TimeText.seconds(ofClock: r.end), s < e else { return nil }
            return s...e
        }
    }

    /// Why vehicle `index` does not work on `date` (nil when it does): the closing day's name, the
    /// exception's reason, or the kind of day.
    public func whyOff(vehicle index: Int, on date: ServiceDate) -> String? {
        if let name = closing(on: date) { return "the zone is closed (\(name))" }
        guard shifts(vehicle: index, on: date).isEmpty else { return nil }
        if let exception = file.vehicles[index].exceptions?.first(where: { ServiceDate(parsing: $0.date) == date }) {
            return exception.note ?? "out of service that day"
        }
        return "no shift on a \(kind(of: date).rawValue.replacingOccurrences(of: "_", with: " or "))"
    }

    /// The break rule in force (nil when breaks are off).
    public var breakRule: ZoneFile.BreakRule? {
        let rule = file.breaks ?? .japaneseBusStandard
        guard rule.enabled ?? true else { return nil }
        let standard = ZoneFile.BreakRule.japaneseBusStandard
        return ZoneFile.BreakRule(enabled: true, maxDrivingMinutes: rule.maxDrivingMinutes ?? standard.maxDrivingMinutes,
                                  breakMinutes: rule.breakMinutes ?? standard.breakMinutes,
                                  minPartMinutes: rule.minPartMinutes ?? standard.minPartMinutes)
    }
}
