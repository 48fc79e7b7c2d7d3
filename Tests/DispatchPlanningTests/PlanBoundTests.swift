import DispatchCore
import DispatchMILP
import DispatchPlanning
import DispatchTestSupport
import Testing

@Suite struct PlanBoundTests {
    @Test func theExactSolversProvenOptimumIsItsOwnBound() async throws {
        var optimal = 0
        for seed in UInt64(1)...6 {
            let instance = try SolveStrategyTests.instance(requests: 8, vehicles: [Capacity(seats: 3), Capacity(seats: 3)], seed: seed)
            let decision = SolveStrategy(.exact).decide(for: instance)
            let (result, relaxation) = await BoundedSolve.run(decision.solver, instance: instance, limits: SolveLimits(timeLimit: .seconds(20)),
                                                              progress: nil)
            let bound = BoundedSolve.bound(of: result.plan, instance: instance, result: result, relaxation: relaxation)
            let lower = try #require(bound.lowerBound, "\(bound.note)")
            #expect(lower <= bound.objective)
            if let relaxed = relaxation?.lowerBound { #expect(relaxed <= bound.objective, "seed \(seed): relaxation above the plan") }
            guard result.status == .optimal else { continue }
            optimal += 1
            #expect(lower == bound.objective, "seed \(seed): \(bound.note)")
            #expect(bound.gap == 0)
        }
        #expect(optimal >= 4)
    }

    @Test func theBoundNeverExceedsTheBestPlanOnRandomInstances() async throws {
        var options = RandomInstanceOptions()
        options.requests = 8...20
        options.vehicles = 2...4
        options.municipalities = true
        options.gridSize = 30
        options.horizon = 600
        var proven = 0
        for seed in UInt64(1)...8 {
            let instance = RandomInstances.instance(seed: seed, options: options)
            let solver = SolveStrategy(.heuristic).decide(for: instance).solver
            let (result, relaxation) = await BoundedSolve.run(solver, instance: instance, limits: SolveLimits(iterationLimit: 400, seed: seed),
                                                              progress: nil)
            let bound = BoundedSolve.bound(of: result.plan, instance: instance, result: result, relaxation: relaxation)
            #expect(bound.objective == result.cost + bound.penalty * result.plan.unserved.count)
            guard let lower = relaxation?.lowerBound else { continue }
            proven += 1
            #expect(lower <= bound.objective, "seed \(seed): bound \(lower) above the plan's \(bound.objective)")
            #expect(bound.lowerBound == lower)
            #expect((bound.gap ?? -1) >= 0)
        }
        #expect(proven >= 7)
    }

    @Test func withoutABoundThePlanSaysWhyAndClaimsNothing() async throws {
        let instance = try SolveStrategyTests.instance(requests: 6, vehicles: [Capacity(seats: 3), Capacity(seats: 8)])
        let solver = SolveStrategy(.heuristic).decide(for: instance).solver
        let (result, relaxation) = await BoundedSolve.run(solver, instance: instance, limits: SolveLimits(iterationLimit: 50), bound: false,
                                                          progress: nil)
        #expect(relaxation == nil)
        let bound = BoundedSolve.bound(of: result.plan, instance: instance, result: result, relaxation: relaxation)
        #expect(bound.lowerBound == nil && bound.gap == nil)
        #expect(bound.note.hasPrefix("no bound"))
    }
}
