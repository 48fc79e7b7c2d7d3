import DispatchPlanning
import DispatchWire
import RoadNetwork
import Testing

@Suite struct StandingScheduleTests {
    static func d(_ text: String) -> ServiceDate { ServiceDate(parsing: text)! }

    /// A zone with nothing but a calendar: Japanese holidays and a New Year closing over the turn of the year.
    static let calendar: ZoneCalendar = {
        var file = ZoneFile(name: "calendar only", network: "none.dnet", municipalities: [], places: [], stops: [], depots: [], vehicles: [])
        file.calendar = ZoneFile.ServiceCalendar(holidays: "japan", closingDays: [ZoneFile.ClosingDays(from: "12-29", until: "01-03", name: "New Year")])
        return ZoneCalendar(file: file)
    }()

    static func monWedFri(from: String = "2026-11-16", until: String? = "2026-12-04", skipHolidays: Bool = true,
                          exceptions: [String] = []) -> StandingSchedule {
        StandingSchedule(weekdays: Set(["mon", "wed", "fri"].compactMap(StandingSchedule.weekday(named:))), from: d(from), until: until.map(d),
                         skipHolidays: skipHolidays, exceptions: Set(exceptions.map(d)))
    }

    @Test func weekdayNamesMapToTheCalendarsNumbersAndBack() {
        #expect(StandingSchedule.weekday(named: "mon") == 1)
        #expect(StandingSchedule.weekday(named: "sun") == 0)
        #expect(StandingSchedule.weekday(named: "sat") == 6)
        #expect(StandingSchedule.weekday(named: "Mon") == nil)
        #expect(StandingSchedule.weekday(named: "monday") == nil)
        for name in StandingSchedule.weekdayNames { #expect(StandingSchedule.name(ofWeekday: StandingSchedule.weekday(named: name)!) == name) }
        // 2026-12-01 is a Tuesday.
        #expect(JapaneseHolidays.weekday(Self.d("2026-12-01")) == StandingSchedule.weekday(named: "tue"))
    }

    @Test func mondayWednesdayFridayLeavesOutLabourThanksgivingDayWhenItSkipsHolidays() {
        let days = Self.monWedFri().days(from: Self.d("2026-11-01"), through: Self.d("2027-01-31"), calendar: Self.calendar)
        #expect(days.map(\.date.description) == ["2026-11-16", "2026-11-18", "2026-11-20", "2026-11-23", "2026-11-25", "2026-11-27",
                                                 "2026-11-30", "2026-12-02", "2026-12-04"])
        #expect(days.filter { $0.skip != nil }.map(\.date.description) == ["2026-11-23"])
        #expect(days.first { $0.date == Self.d("2026-11-23") }?.skip == .holiday("勤労感謝の日"))
        // Without skip_holidays the holiday is a date like any other.
        let all = Self.monWedFri(skipHolidays: false).dates(from: Self.d("2026-11-01"), through: Self.d("2027-01-31"), calendar: Self.calendar)
        #expect(all.count == 9 && all.contains(Self.d("2026-11-23")))
    }

    @Test func exceptionsAndClosingDaysAreLeftOutWithTheirReason() {
        let schedule = StandingSchedule(weekdays: Set(["mon", "tue", "wed", "thu", "fri"].compactMap(StandingSchedule.weekday(named:))),
                                        from: Self.d("2026-12-24"), until: Self.d("2027-01-06"), skipHolidays: false,
                                        exceptions: [Self.d("2026-12-25")])
        let days = schedule.days(from: Self.d("2026-12-01"), through: Self.d("2027-12-31"), calendar: Self.calendar)
        let skips = Dictionary(uniqueKeysWithValues: days.compactMap { day in day.skip.map { (day.date.description, $0) } })
        #expect(skips["2026-12-25"] == .exception)
        // The New Year closing wraps over the turn of the year, and wins over the holiday on 1 January.
        for date in ["2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01"] { #expect(skips[date] == .closed("New Year"), "\(date)") }
        #expect(skips.count == 5)
        #expect(schedule.dates(from: Self.d("2026-12-01"), through: Self.d("2027-12-31"), calendar: Self.calendar).map(\.description)
                == ["2026-12-24", "2026-12-28", "2027-01-04", "2027-01-05", "2027-01-06"])
    }

    @Test func theDatesAreClippedToTheWindowAndToUntil() {
        let schedule = Self.monWedFri(until: nil, exceptions: ["2026-11-27"])
        // Today 2026-11-25, horizon 5 days.
        #expect(schedule.dates(from: Self.d("2026-11-25"), through: Self.d("2026-11-30"), calendar: Self.calendar).map(\.description)
                == ["2026-11-25", "2026-11-30"])
        // A window before `from`, and one after `until`, hold no dates.
        #expect(schedule.days(from: Self.d("2026-11-01"), through: Self.d("2026-11-15"), calendar: Self.calendar).isEmpty)
        #expect(Self.monWedFri().days(from: Self.d("2026-12-05"), through: Self.d("2026-12-31"), calendar: Self.calendar).isEmpty)
        // Every date is one of the pattern's weekdays.
        let long = schedule.dates(from: Self.d("2026-11-16"), through: Self.d("2027-11-15"), calendar: Self.calendar)
        #expect(long.allSatisfy { [1, 3, 5].contains(JapaneseHolidays.weekday($0)) })
        #expect(long.count > 140 && long.count < 157)
    }
}
