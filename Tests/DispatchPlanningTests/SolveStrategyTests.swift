import DispatchCore
import DispatchMILP
import DispatchPlanning
import DispatchTestSupport
import Testing

@Suite struct SolveStrategyTests {
    static func instance(requests: Int, vehicles: [Capacity], seed: UInt64 = 3) throws -> DispatchInstance {
        var rng = SeededGenerator(seed: seed)
        let points = (0..<(1 + 2 * requests)).map { _ in (x: rng.nextInt(in: 0...40), y: rng.nextInt(in: 0...40)) }
        var builder = DispatchInstanceBuilder(name: "strategy", timeScale: .seconds, travel: TravelMatrices.euclidean(points, ticksPerUnit: 1))
        for (k, capacity) in vehicles.enumerated() {
            builder.add(VehicleInput(id: "v\(k)", startLocation: 0, endLocation: 0, shift: TimeWindow(earliest: 0, latest: 5_000), capacity: capacity))
        }
        for r in 0..<requests {
            let start = rng.nextInt(in: 0...3_000)
            builder.add(RequestInput(id: "r\(r)", pickupLocation: 1 + 2 * r, dropoffLocation: 2 + 2 * r,
                                     pickupWindow: TimeWindow(earliest: start, latest: start + 300), maxRideTime: .relative(alpha: 2, beta: 60)))
        }
        return try builder.build()
    }

    @Test func autoTakesTheExactSolverForASmallBatchOfIdenticalVehicles() throws {
        let decision = SolveStrategy(.auto).decide(for: try Self.instance(requests: 8, vehicles: [Capacity(seats: 3), Capacity(seats: 3)]))
        #expect(decision.used == .exact)
        #expect(decision.reason.contains("exact") && decision.reason.contains("8 requests"))
        #expect(decision.solver is ExactSolver)
    }

    @Test func autoTakesTheFleetModelForASmallBatchOfUnlikeVehicles() throws {
        let mixed = SolveStrategy(.auto).decide(for: try Self.instance(requests: 8, vehicles: [Capacity(seats: 3), Capacity(seats: 4, wheelchairs: 0)]))
        #expect(mixed.used == .exact)
        #expect(mixed.reason.contains("2 kinds of vehicle"))
    }

    @Test func autoTakesTheHeuristicAndSaysWhyForBigVehiclesAndLargeBatches() throws {
        let big = SolveStrategy(.auto).decide(for: try Self.instance(requests: 8, vehicles: [Capacity(seats: 3), Capacity(seats: 8)]))
        #expect(big.used == .heuristic)
        #expect(big.reason.contains("more than 4 places"))

        let many = try Self.instance(requests: 301, vehicles: Array(repeating: Capacity(seats: 3), count: 4))
        let large = SolveStrategy(.auto).decide(for: many)
        #expect(large.used == .heuristic)
        #expect(large.reason.contains("301 requests") && large.reason.contains("do not wait on GLPK"))
    }

    @Test func anExplicitChoiceIsKeptAndReportedAsRequested() throws {
        let instance = try Self.instance(requests: 8, vehicles: [Capacity(seats: 3), Capacity(seats: 8)])
        let exact = SolveStrategy(.exact).decide(for: instance)
        #expect(exact.used == .exact && exact.reason == "requested")
        let heuristic = SolveStrategy(.heuristic).decide(for: try Self.instance(requests: 8, vehicles: [Capacity(seats: 3)]))
        #expect(heuristic.used == .heuristic && heuristic.reason == "requested")
    }

    /// Two exact solves at once on two dedicated threads (GLPK keeps its environment per thread)
    /// give the same plans as one after the other.
    @Test func twoExactSolvesAtOnceOnDedicatedThreadsMatchTheSequentialResults() async throws {
        let instances = try [Self.instance(requests: 10, vehicles: [Capacity(seats: 3), Capacity(seats: 3)], seed: 11),
                             Self.instance(requests: 10, vehicles: [Capacity(seats: 3), Capacity(seats: 3)], seed: 12)]
        let limits = SolveLimits(timeLimit: .seconds(30), iterationLimit: 300)
        let solver = SolveStrategy(.exact).decide(for: instances[0]).solver
        let sequential = instances.map { solver.solve($0, limits: limits, progress: nil) }
        async let first = DedicatedThread.run { solver.solve(instances[0], limits: limits, progress: nil) }
        async let second = DedicatedThread.run { solver.solve(instances[1], limits: limits, progress: nil) }
        let parallel = await [first, second]
        for i in 0..<2 {
            #expect(sequential[i].status == .optimal)
            #expect(parallel[i].status == sequential[i].status)
            #expect(parallel[i].cost == sequential[i].cost)
            #expect(PlanChecker.violations(of: parallel[i].plan, in: instances[i]) == [])
        }
    }
}
