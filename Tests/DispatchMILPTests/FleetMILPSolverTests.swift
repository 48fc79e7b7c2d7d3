import DispatchCore
import DispatchHeuristics
import DispatchMILP
import DispatchTestSupport
import Testing

@Suite struct FleetMILPSolverTests {
    /// Solves with the fleet model and returns the plan's objective when GLPK proved it optimal.
    static func provenObjective(_ instance: DispatchInstance, warmStart: Plan? = nil, seed: UInt64,
                                timeLimit: Duration = .seconds(30)) -> (objective: Int?, result: EventMILPSolver.Result) {
        let result = FleetMILPSolver().solve(instance, timeLimit: timeLimit, warmStart: warmStart)
        guard result.status == .optimal, let plan = result.plan else { return (nil, result) }
        return (instance.objective(of: plan), result)
    }

    @Test func theProvenOptimumOfMixedFleetsEqualsTheBruteForceOptimum() {
        var proven = 0
        for seed in UInt64(1)...40 {
            let instance = RandomInstances.instance(seed: seed, options: RelaxationBoundTests.mixedFleet)
            let optimum = RelaxationBoundTests.bruteForceOptimum(instance, penalty: instance.unservedPenalty)
            let (objective, result) = Self.provenObjective(instance, seed: seed)
            guard let objective, let plan = result.plan else {
                Issue.record("seed \(seed): not proven (\(result.status), \(result.note))")
                continue
            }
            proven += 1
            #expect(objective == optimum, "seed \(seed): \(objective) against the brute-force optimum \(optimum)")
            #expect(PlanChecker.violations(of: plan, in: instance).isEmpty, "seed \(seed)")
        }
        #expect(proven == 40)
    }

    @Test func driversBreaksAreKeptByCuttingOffRoutesThatBreakTheRestRule() {
        var options = RelaxationBoundTests.mixedFleet
        options.breakRuleShare = 0.7
        var proven = 0, cut = 0
        for seed in UInt64(1)...40 {
            let instance = RandomInstances.instance(seed: seed, options: options)
            let optimum = RelaxationBoundTests.bruteForceOptimum(instance, penalty: instance.unservedPenalty)
            let result = FleetMILPSolver().solve(instance, timeLimit: .seconds(4), warmStart: nil)
            if result.note.contains("cut off") { cut += 1 }
            // Proven or not, the plan keeps every rule and GLPK's bound is below the optimum.
            if let lower = result.lowerBound {
                #expect(Int((lower * Double(instance.timeScale.ticksPerUnit) - 1e-6).rounded(.down)) <= optimum, "seed \(seed)")
            }
            guard let plan = result.plan else { continue }
            #expect(PlanChecker.violations(of: plan, in: instance).isEmpty, "seed \(seed)")
            #expect(instance.objective(of: plan) >= optimum, "seed \(seed)")
            guard result.status == .optimal else { continue }
            proven += 1
            #expect(instance.objective(of: plan) == optimum, "seed \(seed): \(instance.objective(of: plan)) against the brute-force optimum \(optimum) (\(result.note))")
        }
        // The rule here allows a sixth to a third of the horizon's driving between rests, far
        // tighter than 4 h in a day: a few instances need more cuts than 4 s allow.
        #expect(proven >= 35, "\(proven) of 40 proven")
        // Otherwise the rest rule never bound and the cuts were not tested.
        #expect(cut >= 3, "only \(cut) instances needed a cut")
    }

    @Test func routeDurationLimitsAreKeptByCuttingOffRoutesThatRunTooLong() {
        var options = RelaxationBoundTests.mixedFleet
        options.routeDurationLimitShare = 1
        var proven = 0, cut = 0
        for seed in UInt64(1)...40 {
            let instance = RandomInstances.instance(seed: seed, options: options)
            let optimum = RelaxationBoundTests.bruteForceOptimum(instance, penalty: instance.unservedPenalty)
            let (objective, result) = Self.provenObjective(instance, seed: seed, timeLimit: .seconds(10))
            if result.note.contains("cut off") { cut += 1 }
            guard let objective, let plan = result.plan else { continue }
            proven += 1
            #expect(objective == optimum, "seed \(seed): \(objective) against the brute-force optimum \(optimum) (\(result.note))")
            #expect(PlanChecker.violations(of: plan, in: instance).isEmpty, "seed \(seed)")
        }
        #expect(proven >= 38, "\(proven) of 40 proven")
        // The model tracks durations only on its witness routes: some path must have run too long.
        #expect(cut >= 1, "no route was cut off, so the cuts were not tested")
    }

    @Test func aHeuristicWarmStartIsTakenAndNeverBeaten() {
        var options = RelaxationBoundTests.mixedFleet
        options.requests = 6...9
        options.vehicles = 2...3
        options.breakRuleShare = 0.3
        var accepted = 0
        for seed in UInt64(1)...12 {
            let instance = RandomInstances.instance(seed: seed, options: options)
            let heuristic = ALNSSolver().solve(instance, limits: SolveLimits(iterationLimit: 300, seed: seed), progress: nil)
            let (objective, result) = Self.provenObjective(instance, warmStart: heuristic.plan, seed: seed, timeLimit: .seconds(5))
            if result.warmStartAccepted { accepted += 1 }
            guard let objective else { continue }
            #expect(objective <= instance.objective(of: heuristic.plan), "seed \(seed): the proven optimum is worse than the heuristic's plan")
        }
        #expect(accepted >= 6, "the warm start was accepted \(accepted) times in 12")
    }
}

@Suite struct ExactSolverCompanionTests {
    @Test func withoutAProofTheBetterOfBranchAndBoundAndTheCompanionSearchIsReturned() {
        var options = RelaxationBoundTests.mixedFleet
        options.requests = 10...14
        options.vehicles = 3...4
        var configuration = EventMILPSolver.Configuration()
        configuration.nodeLimit = 0   // branch and bound stops at once: no proof
        var companionWon = 0
        for seed in UInt64(1)...8 {
            let instance = RandomInstances.instance(seed: seed, options: options)
            let limits = SolveLimits(iterationLimit: 150, seed: seed)
            let alone = ExactSolver(warmStart: ALNSSolver(), configuration: configuration).solve(instance, limits: limits, progress: nil)
            var companionLimits = limits
            companionLimits.seed = seed &+ 0x9E37_79B9
            let companion = ALNSSolver().solve(instance, limits: companionLimits, progress: nil)
            let both = ExactSolver(warmStart: ALNSSolver(), configuration: configuration, companion: ALNSSolver()).solve(instance, limits: limits, progress: nil)
            let best = min(instance.objective(of: alone.plan), instance.objective(of: companion.plan))
            #expect(instance.objective(of: both.plan) == best, "seed \(seed)")
            #expect(PlanChecker.violations(of: both.plan, in: instance).isEmpty, "seed \(seed)")
            if let lower = both.lowerBound { #expect(lower <= instance.objective(of: both.plan), "seed \(seed)") }
            if instance.objective(of: companion.plan) < instance.objective(of: alone.plan) { companionWon += 1 }
        }
        // Otherwise the companion's plan was never the one returned and the choice was not tested.
        #expect(companionWon >= 1)
    }

    @Test func aProvenOptimumIsReturnedWhateverTheCompanionFinds() {
        for seed in UInt64(1)...6 {
            let instance = RandomInstances.instance(seed: seed, options: RelaxationBoundTests.mixedFleet)
            let optimum = RelaxationBoundTests.bruteForceOptimum(instance, penalty: instance.unservedPenalty)
            let result = ExactSolver(warmStart: ALNSSolver(), companion: ALNSSolver())
                .solve(instance, limits: SolveLimits(timeLimit: .seconds(20), seed: seed), progress: nil)
            #expect(result.status == .optimal, "seed \(seed)")
            #expect(instance.objective(of: result.plan) == optimum, "seed \(seed)")
            #expect(result.lowerBound == optimum, "seed \(seed)")
        }
    }
}
