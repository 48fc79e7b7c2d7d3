import DispatchCore
import DispatchTestSupport
import Testing

/// The independent checker is itself tested: it must accept a valid plan and name each fault.
@Suite struct PlanCheckerTests {
    // Nodes: pickups x 0, y 1, z 2, w 3; drop-offs 4, 5, 6, 7.
    static func instance() throws -> DispatchInstance {
        var f = LineFixture([0, 10, 20, 30, 40])
        f.vehicle("a-bus", capacity: Capacity(seats: 2))
        f.vehicle("b-bus", capacity: Capacity(seats: 1), serves: [0])
        f.request("x", from: 1, to: 2)
        f.request("y", from: 2, to: 3)
        f.request("z", from: 3, to: 4, municipality: 1)
        f.request("w", from: 1, to: 4, pickup: window(0, 5))
        return try f.build()
    }

    static let valid = Plan(routes: [[0, 4, 2, 6], [1, 5]], unserved: [3])

    static func expectViolation(_ plan: Plan, mentioning fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let found = PlanChecker.violations(of: plan, in: try instance())
        #expect(found.contains { $0.contains(fragment) }, "\(found)", sourceLocation: sourceLocation)
    }

    @Test func acceptsAValidPlanAndRecomputesItsCost() throws {
        let instance = try Self.instance()
        #expect(PlanChecker.violations(of: Self.valid, in: instance) == [])
        #expect(PlanChecker.cost(of: Self.valid, in: instance) == 80 + 60)
        #expect(PlanChecker.cost(of: Self.valid, in: instance) == Self.valid.cost(in: instance))
        #expect(PlanChecker.cost(of: Plan(routes: [[], []], unserved: [0, 1, 2, 3]), in: instance) == 0)
    }

    @Test func namesEachKindOfFault() throws {
        try Self.expectViolation(Plan(routes: [[0, 4, 2, 6], [1, 5]], unserved: []), mentioning: "Request w is neither served nor listed")
        try Self.expectViolation(Plan(routes: [[0, 4, 2, 6, 3, 7], [1, 5]], unserved: [3]), mentioning: "Request w is listed as unserved but appears")
        try Self.expectViolation(Plan(routes: [[0, 4, 2, 6], [1, 5, 1, 5]], unserved: [3]), mentioning: "Request y is picked up 2 times")
        try Self.expectViolation(Plan(routes: [[0, 4, 2, 6], [5, 1]], unserved: [3]), mentioning: "Request y is dropped off before it is picked up")
        try Self.expectViolation(Plan(routes: [[0, 2, 6], [1, 5, 4]], unserved: [3]), mentioning: "Request x is picked up by vehicle a-bus but dropped off by b-bus")
        try Self.expectViolation(Plan(routes: [[0, 4], [1, 5, 2, 6]], unserved: [3]), mentioning: "Vehicle b-bus may not serve request z")
        try Self.expectViolation(Plan(routes: [[2, 6], [0, 1, 4, 5]], unserved: [3]), mentioning: "Vehicle b-bus: after stop 2 the load 2 seats exceeds")
        try Self.expectViolation(Plan(routes: [[0, 4, 2, 6, 3, 7], [1, 5]], unserved: []), mentioning: "Vehicle a-bus: no schedule exists")
        try Self.expectViolation(Plan(routes: [[0, 4, 2, 6, 3, 7], [1, 5]], unserved: []), mentioning: "pickup of w at or before 5")
        try Self.expectViolation(Plan(routes: [[0, 4, 2, 6, 1, 5]], unserved: [3]), mentioning: "1 routes for 2 vehicles")
        try Self.expectViolation(Plan(routes: [[0, 4, 2, 6, 1, 5], []], unserved: [3, 3]), mentioning: "listed as unserved 2 times")
        try Self.expectViolation(Plan(routes: [[0, 4, 2, 6], []], unserved: [3, 1]), mentioning: "not in increasing order")
        try Self.expectViolation(Plan(routes: [[0, 4, 2, 6, 99], [1, 5]], unserved: [3]), mentioning: "node 99")
        try Self.expectViolation(Plan(routes: [[0, 4, 2, 6], [1, 5]], unserved: [3, 8]), mentioning: "request index 8")
    }

    @Test func oracleFindsTheEarliestScheduleByHand() throws {
        let instance = try Self.instance()
        // a-bus: depot 0 → x+ at 10 → x− at 20 → z+ 30 → z− 40 → depot 80.
        #expect(ScheduleOracle.earliestSchedule(vehicle: 0, stops: [0, 4, 2, 6], in: instance) == [0, 10, 20, 30, 40, 80])
        #expect(ScheduleOracle.verdict(vehicle: 0, stops: [0, 4, 2, 6], in: instance).earliestSchedule == [0, 10, 20, 30, 40, 80])
        // Nodes of the small instance: pickups x 0, w 1; drop-offs 2, 3.
        #expect(BruteForceScheduler.isFeasible(vehicle: 0, stops: [0, 2], in: try Self.smallHorizon()))
        #expect(!BruteForceScheduler.isFeasible(vehicle: 0, stops: [1, 3], in: try Self.smallHorizon()))
    }

    static func smallHorizon() throws -> DispatchInstance {
        var f = LineFixture([0, 10, 20, 30, 40])
        f.vehicle("a-bus", shift: window(0, 100))
        f.request("x", from: 1, to: 2)
        f.request("w", from: 1, to: 4, pickup: window(0, 5))
        return try f.build()
    }
}
