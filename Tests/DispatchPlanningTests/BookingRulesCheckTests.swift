import DispatchPlanning
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork
import Testing

/// The booking rules of the zone file applied to single bookings, rule by rule and at the edges.
@Suite struct BookingRulesCheckTests {
    typealias Moment = BookingRulesCheck.Moment

    /// Four municipalities, service 08:00–17:00:
    /// - `early-rules`: trips before 10:00 by 17:00 the day before, 60 min notice, 14-day horizon,
    ///   weekdays and Saturdays only, a desk phone;
    /// - `phone-only`: only operators book;
    /// - `no-rules`: none (the default horizon, 30 days here);
    /// - `two-days`: every trip by 12:00 two days before.
    static func check(closing: [ZoneFile.ClosingDays]? = [ZoneFile.ClosingDays(from: "12-29", until: "01-03", name: "New Year")]) -> BookingRulesCheck {
        func municipality(_ id: String) -> ZoneFile.Municipality {
            ZoneFile.Municipality(id: id, name: id, localName: id, boundary: [], serviceHours: ZoneFile.TimeRange(start: "08:00", end: "17:00"))
        }
        var early = municipality("early-rules")
        early.serviceDays = ["weekday", "saturday"]
        early.booking = ZoneFile.BookingRules(horizonDays: 14, cutoff: ZoneFile.Cutoff(tripsBefore: "10:00", bookBy: "17:00", daysBefore: 1),
                                              minNoticeMinutes: 60, phone: "0265-00-0000")
        var phone = municipality("phone-only")
        phone.booking = ZoneFile.BookingRules(operatorOnly: true, phone: "0265-11-1111", message: "Call the day before.")
        var twoDays = municipality("two-days")
        twoDays.booking = ZoneFile.BookingRules(cutoff: ZoneFile.Cutoff(bookBy: "12:00", daysBefore: 2))
        var file = ZoneFile(name: "rules", network: "none.json", municipalities: [early, phone, municipality("no-rules"), twoDays],
                            places: [], stops: [], depots: [], vehicles: [])
        file.calendar = ZoneFile.ServiceCalendar(holidays: "japan", closingDays: closing)
        return BookingRulesCheck(calendar: ZoneCalendar(file: file), defaultHorizonDays: 30)
    }

    static let early = 0, phone = 1, none = 2, twoDays = 3

    static func at(_ date: String, _ time: String) -> Moment {
        Moment(date: ServiceDate(parsing: date)!, seconds: TimeText.seconds(ofClock: time)!)
    }

    func violation(_ m: Int, _ date: String, _ time: String, now: Moment?, caller: BookingRulesCheck.Caller = .client,
                   closing: [ZoneFile.ClosingDays]? = [ZoneFile.ClosingDays(from: "12-29", until: "01-03", name: "New Year")]) -> BookingRulesCheck.Violation? {
        Self.check(closing: closing).violation(municipality: m, date: ServiceDate(parsing: date)!, time: TimeText.seconds(ofClock: time)!,
                                               caller: caller, now: now)
    }

    @Test func aBookingExactlyAtTheCutoffIsTakenAndOneSecondLaterIsRefusedWithTheEarliestTimeServed() throws {
        // 2026-12-01 is a Tuesday; trips before 10:00 must be booked by 17:00 on 2026-11-30.
        #expect(violation(Self.early, "2026-12-01", "09:00", now: Self.at("2026-11-30", "17:00:00")) == nil)
        let late = try #require(violation(Self.early, "2026-12-01", "09:00", now: Self.at("2026-11-30", "17:00:01")))
        #expect(late.rule == .cutoff)
        #expect(late.field == "pickup_time")
        #expect(late.earliestService == Self.at("2026-12-01", "10:00"))
        #expect(late.bookFrom == nil)
        #expect(late.message.contains("17:00") && late.message.contains("2026-11-30"), "\(late.message)")
        // The staff is bound by the cut-off too.
        #expect(violation(Self.early, "2026-12-01", "09:00", now: Self.at("2026-11-30", "17:00:01"), caller: .staff)?.rule == .cutoff)
    }

    @Test func aTripAtOrJustAfterTripsBeforeIsNotCutOff() {
        let evening = Self.at("2026-11-30", "20:00")
        #expect(violation(Self.early, "2026-12-01", "09:59", now: evening)?.rule == .cutoff)
        #expect(violation(Self.early, "2026-12-01", "10:00", now: evening) == nil)
        #expect(violation(Self.early, "2026-12-01", "10:01", now: evening) == nil)
    }

    @Test func aCutoffOfEveryTripDaysBeforeWrapsOverTheYearsEnd() throws {
        // 2027-01-01 (New Year's Day, served: no closing days here) must be booked by 12:00 on 2026-12-30.
        #expect(violation(Self.twoDays, "2027-01-01", "15:00", now: Self.at("2026-12-30", "12:00"), closing: nil) == nil)
        let late = try #require(violation(Self.twoDays, "2027-01-01", "15:00", now: Self.at("2026-12-30", "12:00:01"), closing: nil))
        #expect(late.rule == .cutoff)
        #expect(late.message.contains("2026-12-30 12:00"), "\(late.message)")
        // Booked now, the first date whose deadline has not passed is 2027-01-02 (deadline 2026-12-31 12:00).
        #expect(late.earliestService == Self.at("2027-01-02", "08:00"))
        // And over a month's end: 2026-03-01 by 2026-02-27 12:00 (February has 28 days in 2026).
        #expect(violation(Self.twoDays, "2026-03-01", "09:00", now: Self.at("2026-02-27", "11:59"), closing: nil) == nil)
        #expect(violation(Self.twoDays, "2026-03-01", "09:00", now: Self.at("2026-02-27", "12:01"), closing: nil)?.rule == .cutoff)
    }

    @Test func sameDayTripsNeedTheMinimumNoticeToTheMinute() throws {
        let now = Self.at("2026-12-01", "10:00")
        #expect(violation(Self.early, "2026-12-01", "11:00", now: now) == nil)
        let short = try #require(violation(Self.early, "2026-12-01", "10:59", now: now))
        #expect(short.rule == .minNotice)
        #expect(short.field == "pickup_time")
        #expect(short.earliestService == Self.at("2026-12-01", "11:00"))
        // Seconds count: 10:00:30 plus 60 minutes is 11:00:30, so the earliest whole minute is 11:01.
        #expect(violation(Self.early, "2026-12-01", "11:00", now: Self.at("2026-12-01", "10:00:30"))?.earliestService == Self.at("2026-12-01", "11:01"))
        // A municipality without a notice rule takes any time still ahead.
        #expect(violation(Self.none, "2026-12-01", "10:01", now: now) == nil)
    }

    @Test func anArrivalTimeIsCheckedAndNamedAsTheArrivalField() throws {
        let check = Self.check()
        let v = try #require(check.violation(municipality: Self.early, date: ServiceDate(parsing: "2026-12-01")!, time: 9 * 3600,
                                             timeField: "arrive_by", caller: .client, now: Self.at("2026-11-30", "18:00")))
        #expect(v.rule == .cutoff)
        #expect(v.field == "arrive_by")
    }

    @Test func theHorizonsLastDayIsBookableAndTheNextSaysWhenItWillBe() throws {
        let now = Self.at("2026-12-01", "12:00")
        // 14 days for early-rules: up to 2026-12-15 (a Tuesday).
        #expect(violation(Self.early, "2026-12-15", "11:00", now: now) == nil)
        let far = try #require(violation(Self.early, "2026-12-16", "11:00", now: now))
        #expect(far.rule == .horizon)
        #expect(far.field == "date")
        #expect(far.bookFrom == Self.at("2026-12-02", "00:00"))
        // The default horizon (30 days) where a municipality sets none.
        let earlier = Self.at("2026-11-20", "12:00")
        #expect(violation(Self.none, "2026-12-20", "11:00", now: earlier) == nil)
        #expect(violation(Self.none, "2026-12-21", "11:00", now: earlier)?.bookFrom == Self.at("2026-11-21", "00:00"))
        // Over the year's end: from 2026-12-25, up to 2027-01-08.
        let christmas = Self.at("2026-12-25", "09:00")
        #expect(violation(Self.early, "2027-01-08", "11:00", now: christmas) == nil)
        #expect(violation(Self.early, "2027-01-09", "11:00", now: christmas)?.bookFrom == Self.at("2026-12-26", "00:00"))
    }

    @Test func aDayOutsideTheServiceDaysIsRefusedAndAHolidayCountsAsASunday() throws {
        let now = Self.at("2026-11-20", "12:00")
        // Saturday served, Sunday not.
        #expect(violation(Self.early, "2026-11-28", "11:00", now: now) == nil)
        let sunday = try #require(violation(Self.early, "2026-11-29", "11:00", now: now))
        #expect(sunday.rule == .serviceDays)
        #expect(sunday.earliestService == Self.at("2026-11-30", "08:00"))
        // 2026-11-23, a Monday, is Labour Thanksgiving Day: served as a Sunday, so not served here.
        let calendar = Self.check().calendar
        #expect(calendar.kind(of: ServiceDate(parsing: "2026-11-23")!) == .sundayHoliday)
        let holiday = try #require(violation(Self.early, "2026-11-23", "11:00", now: now))
        #expect(holiday.rule == .serviceDays)
        #expect(holiday.field == "date")
        #expect(holiday.message.contains("public holiday"), "\(holiday.message)")
        #expect(holiday.earliestService == Self.at("2026-11-24", "08:00"))
        // A municipality with service every day rides on the holiday.
        #expect(violation(Self.none, "2026-11-23", "11:00", now: now) == nil)
    }

    @Test func aClosingDayIsRefusedForEveryMunicipalityUntilTheServiceReopens() throws {
        let now = Self.at("2026-12-21", "12:00")
        for m in [Self.early, Self.none, Self.twoDays] {
            let closed = try #require(violation(m, "2026-12-30", "11:00", now: now, caller: .staff))
            #expect(closed.rule == .closedDay)
            #expect(closed.message.contains("New Year"), "\(closed.message)")
            // The closing span wraps over the year's end: open again on 2027-01-04, a Monday.
            #expect(closed.earliestService == Self.at("2027-01-04", "08:00"), "\(m)")
        }
    }

    @Test func onlyOperatorsBookWhereTheRulesSaySoAndTheClientIsToldTheDesksPhone() throws {
        let now = Self.at("2026-11-20", "12:00")
        let refused = try #require(violation(Self.phone, "2026-12-01", "11:00", now: now, caller: .client))
        #expect(refused.rule == .operatorOnly)
        #expect(refused.field == "municipality")
        #expect(refused.phone == "0265-11-1111")
        #expect(refused.message.contains("0265-11-1111") && refused.message.contains("Call the day before."), "\(refused.message)")
        #expect(violation(Self.phone, "2026-12-01", "11:00", now: now, caller: .staff) == nil)
        // Roles: only a booking key is a client.
        #expect(BookingRulesCheck.Caller(role: .booking) == .client)
        for role in [Role.operator, .dispatcher, .admin] { #expect(BookingRulesCheck.Caller(role: role) == .staff) }
    }

    @Test func withoutAClockOnlyTheCalendarAndTheCallerAreChecked() {
        // The demo books a drawn date: the cut-off and horizon relative to the wall clock do not apply.
        #expect(violation(Self.early, "2026-12-01", "09:00", now: nil) == nil)
        #expect(violation(Self.early, "2030-12-03", "09:00", now: nil) == nil)
        #expect(violation(Self.early, "2026-11-29", "09:00", now: nil)?.rule == .serviceDays)
        #expect(violation(Self.early, "2026-11-29", "09:00", now: nil)?.earliestService == Self.at("2026-11-30", "08:00"))
        #expect(violation(Self.none, "2027-01-01", "09:00", now: nil)?.rule == .closedDay)
        #expect(violation(Self.phone, "2026-12-01", "09:00", now: nil, caller: .client)?.rule == .operatorOnly)
    }

    @Test func anEarliestServiceBeyondTheHorizonAlsoSaysWhenItCanBeBooked() throws {
        // On 2026-11-29 the 14-day horizon ends on 2026-12-13, a Sunday without service; Monday enters it a day later.
        let v = try #require(violation(Self.early, "2026-12-13", "11:00", now: Self.at("2026-11-29", "12:00")))
        #expect(v.rule == .serviceDays)
        #expect(v.earliestService == Self.at("2026-12-14", "08:00"))
        #expect(v.bookFrom == Self.at("2026-11-30", "00:00"))
    }

    @Test func timestampsCarryTheZonesOffsetAndMilliseconds() {
        let m = Self.at("2026-11-30", "17:00")
        #expect(m.timestamp(in: TimeZone(identifier: "Asia/Tokyo")!) == "2026-11-30T17:00:00.000+09:00")
        #expect(m.timestamp(in: TimeZone(identifier: "UTC")!) == "2026-11-30T17:00:00.000+00:00")
        #expect(m.timestamp(in: TimeZone(identifier: "America/New_York")!) == "2026-11-30T17:00:00.000-05:00")
        #expect(Self.at("2026-07-01", "09:30").timestamp(in: TimeZone(identifier: "America/New_York")!) == "2026-07-01T09:30:00.000-04:00")
        #expect(Self.at("2026-07-01", "09:30").timestamp(in: TimeZone(identifier: "Asia/Kolkata")!) == "2026-07-01T09:30:00.000+05:30")
    }
}
