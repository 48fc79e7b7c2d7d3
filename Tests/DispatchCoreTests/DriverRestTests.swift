import DispatchCore
import Testing

/// The drivers' rest rule in the route evaluator (ticks are minutes here): at most 240 of driving
/// without 30 of rest, in parts of at least 10, with nobody on board.
struct DriverRestTests {
    static let rule = BreakRule(maxDriving: 240, rest: 30, minPart: 10)

    /// Locations 0, 1, 2 on a line: 0–1 is 100, 1–2 is 200, 0–2 is 300.
    static func instance(_ requests: [RequestInput], breaks: BreakRule?) throws -> DispatchInstance {
        let times: [Int32] = [0, 100, 300, 100, 0, 200, 300, 200, 0]
        var builder = DispatchInstanceBuilder(name: "rest", timeScale: .seconds, travel: TravelMatrix(count: 3, times: times))
        builder.add(VehicleInput(id: "v", startLocation: 0, endLocation: 0, shift: TimeWindow(earliest: 0, latest: 2_000),
                                 capacity: Capacity(seats: 4), breaks: breaks))
        for r in requests { builder.add(r) }
        return try builder.build()
    }

    static func ride(_ id: String, _ from: Int, _ to: Int, pickupFrom earliest: Int = 0) -> RequestInput {
        RequestInput(id: id, pickupLocation: from, dropoffLocation: to, pickupWindow: TimeWindow(earliest: earliest, latest: 1_500))
    }

    /// Driving minutes between rests in a reported schedule, recomputed from the stops alone: a
    /// stretch ends where the vehicle stands empty (between a stop's departure and the next
    /// arrival's service) for at least 30 minutes in parts of at least 10.
    static func longestDrivingStretch(_ s: RouteSchedule, _ instance: DispatchInstance) -> Int {
        var drive = 0, rested = 0, longest = 0
        for (a, b) in zip(s.stops, s.stops.dropFirst()) {
            let empty = a.loadAfter == .zero
            let restBefore = a.departure - (a.serviceStart + instance.serviceTime[a.node])
            if empty && restBefore >= 10 { rested += restBefore }
            if rested >= 30 { drive = 0; rested = 0 }
            drive += instance.time(a.node, b.node)
            longest = max(longest, drive)
            if empty && b.waiting >= 10 { rested += b.waiting }
            if rested >= 30 { drive = 0; rested = 0 }
        }
        return longest
    }

    @Test func aRouteOfFourHundredMinutesDrivingGetsARestWhereTheVehicleIsEmpty() throws {
        let requests = [Self.ride("a", 0, 1), Self.ride("b", 1, 0), Self.ride("c", 0, 1)]
        let stops: [Int32] = [0, 3, 1, 4, 2, 5]
        let without = try Self.instance(requests, breaks: nil), with = try Self.instance(requests, breaks: Self.rule)
        let free = try #require(RouteEvaluator(instance: without).schedule(vehicle: 0, stops: stops))
        #expect(Self.longestDrivingStretch(free, without) == 400)
        let rested = try #require(RouteEvaluator(instance: with).schedule(vehicle: 0, stops: stops))
        #expect(Self.longestDrivingStretch(rested, with) <= 240)
        #expect(rested.rests.count == 1 && rested.rests.allSatisfy { $0.end - $0.start == 30 && !$0.waiting })
        // The rest comes after b's drop-off, the last empty stop before 240 minutes of driving.
        #expect(rested.rests.first.map { rested.stops[$0.afterStop].node } == with.dropoff(1))
        #expect(rested.returnTime == free.returnTime + 30)
    }

    @Test func waitingWithAnEmptyVehicleCountsAsTheRest() throws {
        // c cannot be picked up before 240: the vehicle waits 40 minutes, empty, at location 0.
        let requests = [Self.ride("a", 0, 1), Self.ride("b", 1, 0), Self.ride("c", 0, 1, pickupFrom: 240)]
        let instance = try Self.instance(requests, breaks: Self.rule)
        let s = try #require(RouteEvaluator(instance: instance).schedule(vehicle: 0, stops: [0, 3, 1, 4, 2, 5]))
        #expect(s.rests.allSatisfy(\.waiting) && !s.rests.isEmpty)
        #expect(s.returnTime == 240 + 100 + 100)
        #expect(Self.longestDrivingStretch(s, instance) <= 240)
    }

    @Test func aRideLongerThanTheDrivingLimitWithoutAnEmptyMomentIsInfeasible() throws {
        // 0 → 2 → 0 carrying someone all the way: 300 minutes with a passenger on board.
        let requests = [Self.ride("long", 0, 2)]
        #expect(RouteEvaluator(instance: try Self.instance(requests, breaks: nil)).isFeasible(vehicle: 0, stops: [0, 1]))
        #expect(!RouteEvaluator(instance: try Self.instance(requests, breaks: Self.rule)).isFeasible(vehicle: 0, stops: [0, 1]))
    }

    @Test func aRestThatPushesAPickupOutOfItsWindowMakesTheRouteInfeasible() throws {
        // c must be picked up by 210 at the latest; with the rest needed before it, it cannot.
        var c = Self.ride("c", 0, 1)
        c.pickupWindow = TimeWindow(earliest: 0, latest: 205)
        let requests = [Self.ride("a", 0, 1), Self.ride("b", 1, 0), c]
        #expect(RouteEvaluator(instance: try Self.instance(requests, breaks: nil)).isFeasible(vehicle: 0, stops: [0, 3, 1, 4, 2, 5]))
        #expect(!RouteEvaluator(instance: try Self.instance(requests, breaks: Self.rule)).isFeasible(vehicle: 0, stops: [0, 3, 1, 4, 2, 5]))
    }

    @Test func drivingBeforeTheRouteStartsCountsTowardsTheLimit() throws {
        // 100 driven before the start (a re-plan of a vehicle on the road): a then b is 200 more,
        // so the rest comes after a's drop-off (without the morning, no rest at all).
        let requests = [Self.ride("a", 0, 1), Self.ride("b", 1, 0)]
        var rule = Self.rule
        let fresh = try #require(RouteEvaluator(instance: try Self.instance(requests, breaks: rule)).schedule(vehicle: 0, stops: [0, 2, 1, 3]))
        #expect(fresh.rests.isEmpty)
        rule.drivenBeforeStart = 100
        let instance = try Self.instance(requests, breaks: rule)
        let late = try #require(RouteEvaluator(instance: instance).schedule(vehicle: 0, stops: [0, 2, 1, 3]))
        #expect(late.rests.count == 1 && late.rests.first.map { late.stops[$0.afterStop].node } == instance.dropoff(0))
        // With the whole limit driven, the driver rests where the route starts, before anyone boards.
        rule.drivenBeforeStart = 240
        let spent = try #require(RouteEvaluator(instance: try Self.instance([Self.ride("a", 0, 1)], breaks: rule)).schedule(vehicle: 0, stops: [0, 1]))
        #expect(spent.rests.map(\.afterStop) == [0] && spent.stops[1].serviceStart >= 30)
    }

    @Test func aBreakRuleThatCannotBeKeptIsRefusedByTheBuilder() throws {
        #expect(throws: DispatchInstanceError.invalidBreakRule(vehicle: "v")) {
            try Self.instance([Self.ride("a", 0, 1)], breaks: BreakRule(maxDriving: 20, rest: 30, minPart: 10))
        }
    }
}
