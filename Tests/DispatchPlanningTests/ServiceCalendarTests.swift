import DispatchCore
import DispatchPlanning
import DispatchWire
import Foundation
import RoadNetwork
import Testing

/// The service calendar of the embedded zone (Networks/default-zone.zone.json): every town on
/// weekdays and Saturdays, only the hub town (Hanaoka) on Sundays and holidays, New Year closed,
/// the villages' second vehicles on a morning and an afternoon shift, one vehicle at its
/// inspection on 2026-12-15; and the drivers' break rule in the plans.
@Suite struct ServiceCalendarTests {
    static let zone = DayModelTests.zone

    static func date(_ text: String) -> ServiceDate { ServiceDate(parsing: text)! }

    @Test func kindsOfDayFollowWeekdaysHolidaysAndTheClosingSpanOverNewYear() {
        let calendar = Self.zone.calendar
        #expect(calendar.kind(of: Self.date("2026-12-01")) == .weekday)
        #expect(calendar.kind(of: Self.date("2026-12-05")) == .saturday)
        #expect(calendar.kind(of: Self.date("2026-12-06")) == .sundayHoliday)
        // 勤労感謝の日 on a Monday counts as a Sunday.
        #expect(calendar.kind(of: Self.date("2026-11-23")) == .sundayHoliday)
        #expect(calendar.holiday(on: Self.date("2026-11-23")) != nil)
        for open in ["2026-12-28", "2027-01-04"] { #expect(calendar.closing(on: Self.date(open)) == nil, "\(open)") }
        for closed in ["2026-12-29", "2026-12-31", "2027-01-01", "2027-01-03"] { #expect(calendar.closing(on: Self.date(closed)) != nil, "\(closed)") }
        // Hanaoka (the hub) has Sunday service, the villages do not.
        let hub = Self.zone.municipalityIndex["hanaoka-shi"]!, village = Self.zone.municipalityIndex["okukawa-mura"]!
        #expect(calendar.hasService(municipality: hub, on: Self.date("2026-12-06")))
        #expect(!calendar.hasService(municipality: village, on: Self.date("2026-12-06")))
        #expect(calendar.hasService(municipality: village, on: Self.date("2026-12-05")))
        #expect(!calendar.hasService(municipality: hub, on: Self.date("2027-01-02")))
    }

    @Test func theFleetOfADateHasOneDutyPerShiftAndLeavesOutVehiclesOff() throws {
        let zone = Self.zone
        let tuesday = zone.fleet(on: Self.date("2026-12-01"))
        // 11 vehicles; the four villages' second vehicles work two shifts each.
        #expect(tuesday.count == zone.file.vehicles.count + 4)
        let split = tuesday.filter { $0.id.hasSuffix("-2#1") || $0.id.hasSuffix("-2#2") }
        #expect(split.count == 8)
        for duty in split where duty.id.hasSuffix("#1") { #expect(duty.shift == TimeWindow(earliest: 7 * 3600 + 1800, latest: 12 * 3600)) }
        for duty in split where duty.id.hasSuffix("#2") { #expect(duty.shift == TimeWindow(earliest: 13 * 3600, latest: 18 * 3600 + 1800)) }
        #expect(tuesday.allSatisfy { $0.breaks == BreakRule(maxDriving: 4 * 3600, rest: 1800, minPart: 600) })
        // Sunday and a holiday: the hub's vehicles 1 and 3 only.
        for day in ["2026-12-06", "2026-11-23"] {
            #expect(zone.fleet(on: Self.date(day)).map(\.id) == ["hanaoka-shi-1", "hanaoka-shi-3"], "\(day)")
        }
        // The inspection day: one vehicle fewer, and the calendar says why.
        let inspected = try #require(zone.file.vehicles.firstIndex { $0.exceptions != nil })
        let id = zone.file.vehicles[inspected].id
        #expect(zone.fleet(on: Self.date("2026-12-15")).count == tuesday.count - 1)
        #expect(!zone.fleet(on: Self.date("2026-12-15")).contains { $0.id == id })
        #expect(zone.calendar.whyOff(vehicle: inspected, on: Self.date("2026-12-15"))?.contains("inspection") == true)
        // New Year: nobody works, and a day cannot be modelled.
        #expect(zone.fleet(on: Self.date("2026-12-31")).isEmpty)
        #expect(throws: DayModelError.self) {
            try DayModel.build(name: "closed", zone: zone, day: zone.network(on: Self.date("2026-12-31")), bookings: [])
        }
    }

    /// Longest driving between rests, recomputed from a schedule's stops and the travel times: a
    /// stretch ends when the vehicle has stood empty for 30 minutes in parts of at least 10
    /// (waiting before a stop, or resting after one).
    static func longestDrivingStretch(_ s: RouteSchedule, _ instance: DispatchInstance) -> Int {
        var drive = 0, rested = 0, longest = 0
        for (a, b) in zip(s.stops, s.stops.dropFirst()) {
            let empty = a.loadAfter.seats + a.loadAfter.wheelchairs == 0
            let restAfter = a.departure - (a.serviceStart + instance.serviceTime[a.node])
            if empty && restAfter >= 600 { rested += restAfter }
            if rested >= 1800 { drive = 0; rested = 0 }
            drive += instance.time(a.node, b.node)
            longest = max(longest, drive)
            if empty && b.waiting >= 600 { rested += b.waiting }
            if rested >= 1800 { drive = 0; rested = 0 }
        }
        return longest
    }

    /// One vehicle and back-to-back trips between a village and the hub's station all day: without
    /// the rule its driver would drive for hours on end; with it every stretch stays within 4 hours.
    @Test func aDayOfBackToBackTripsGetsTheDriversRestsAndTheRuleChangesThePlan() async throws {
        let zone = Self.zone
        let date = Self.date("2026-12-01")
        let network = zone.network(on: date)
        // From a village to the stop farthest from it that is still open: long legs, back to back.
        let a = zone.stopIndex["okukawa-yakuba-mae-meetingpoint"]!
        let travel = network.travel()
        let b = zone.stopIndex.values.filter { travel[a, $0] < 3 * 3600 && travel[$0, a] < 3 * 3600 }.max { travel[a, $0] < travel[a, $1] }!
        let leg = max(travel[a, b], travel[b, a])
        #expect(leg > 30 * 60, "the trip should be long enough to fill a day (\(leg) s)")
        var bookings: [DayBooking] = []
        var t = 8 * 3600
        var i = 0
        while t < 16 * 3600 {
            let (from, to) = i % 2 == 0 ? (a, b) : (b, a)
            bookings.append(DayBooking(id: "trip-\(i)", municipality: zone.points[a].municipality, pickup: from, dropoff: to,
                                       timeKind: .pickup, requestedTime: t, load: Load(seats: 1)))
            t += leg + 60
            i += 1
        }
        var vehicle = try #require(zone.fleet(on: date).first { $0.id == "okukawa-mura-1" })
        func plan(breaks: BreakRule?) async throws -> (DayInstance, Plan) {
            vehicle.breaks = breaks
            let day = try DayModel.build(name: "rest", zone: zone, day: network, bookings: bookings, fleet: [vehicle])
            let solved = await DayPlanner.solve(day, date: date.description, strategy: SolveStrategy(.heuristic), limits: SolveLimits(iterationLimit: 300, seed: 1),
                                                start: nil, placeName: { "\($0)" })
            return (day, solved.plan)
        }
        let (freeDay, free) = try await plan(breaks: nil)
        let freeReport = PlanReport(plan: free, instance: freeDay.instance)
        #expect(freeReport.schedules.map { Self.longestDrivingStretch($0, freeDay.instance) }.max()! > 4 * 3600,
                "without the rule the driver drives more than 4 hours without a rest")

        let (ruledDay, ruled) = try await plan(breaks: zone.fleet(on: date)[0].breaks)
        let report = PlanReport(plan: ruled, instance: ruledDay.instance)
        for schedule in report.schedules where schedule.stops.count > 2 {
            #expect(Self.longestDrivingStretch(schedule, ruledDay.instance) <= 4 * 3600)
            #expect(!schedule.rests.isEmpty)
        }
        // The rule costs something: a trip fewer, or rests that lengthen the day.
        #expect(ruled.unserved.count > free.unserved.count || report.schedules.contains { $0.rests.contains { !$0.waiting } })
        // The plan document lists the rests with times and places.
        let document = DayPlanner.describe(plan: ruled, day: ruledDay, date: date.description, solver: "heuristic", reason: "", status: "", seconds: 0,
                                           placeName: { zone.points.indices.contains($0) ? zone.points[$0].id : "\($0)" })
        let breaks = try #require(document.vehicles.first?.breaks)
        #expect(!breaks.isEmpty && breaks.allSatisfy { TimeText.seconds(ofClock: $0.start)! < TimeText.seconds(ofClock: $0.end)! && !$0.place.isEmpty })
    }
}

/// Calendar fields that cannot be used are problems with their JSON path, all of them at once.
@Suite struct ServiceCalendarValidationTests {
    @Test func badCalendarShiftsBreaksAndBookingRulesAreNamedByTheirPath() {
        var zone = DayModelTests.zone.file
        zone.calendar = .init(holidays: "france", closingDays: [.init(from: "13-40"), .init(from: "12-29", until: "2027-01-03")])
        zone.breaks = .init(maxDrivingMinutes: 20, breakMinutes: 30, minPartMinutes: 45)
        zone.municipalities[0].serviceDays = ["weekday", "holiday"]
        zone.municipalities[1].booking = .init(horizonDays: -1, cutoff: .init(tripsBefore: "10h", bookBy: "17:00", daysBefore: 40), minNoticeMinutes: 20_000)
        zone.vehicles[0].schedule = .init(weekday: [.init(start: "07:00", end: "12:00"), .init(start: "11:00", end: "18:00")])
        zone.vehicles[1].exceptions = [.init(date: "2026-12-15", shifts: []), .init(date: "2026-12-15", shifts: []), .init(date: "15/12", shifts: [])]
        let fields = zone.problems(path: "z").map(\.field)
        for expected in ["calendar.holidays", "calendar.closing_days[0].from", "calendar.closing_days[1]", "breaks.max_driving_minutes",
                         "breaks.min_part_minutes", "municipalities[0].service_days[1]", "municipalities[1].booking.horizon_days",
                         "municipalities[1].booking.min_notice_minutes", "municipalities[1].booking.cutoff.trips_before",
                         "municipalities[1].booking.cutoff.days_before", "vehicles[0].schedule.weekday",
                         "vehicles[1].exceptions[1].date", "vehicles[1].exceptions[2].date"] {
            #expect(fields.contains(expected), "\(expected) in \(fields)")
        }
        #expect(DayModelTests.zone.file.problems(path: "z").isEmpty)
    }
}
