import DispatchCore
import DispatchMILP

/// A plan's objective and the lower bound GLPK proved for it: travel time plus the unserved
/// penalty (`DispatchInstance.unservedPenalty`) per request left out, in ticks — the objective
/// every solver optimizes. `lowerBound` is nil when nothing was proven (then `note` says why);
/// never an estimate.
public struct PlanBound: Sendable, Hashable {
    /// The plan's `cost + penalty · unserved` (ticks).
    public var objective: Int
    /// Proven: no plan of the instance has a smaller objective (ticks).
    public var lowerBound: Int?
    /// The weight of one unserved request (ticks).
    public var penalty: Int
    /// How the bound was proven, or why there is none.
    public var note: String

    /// (objective − lower bound) / objective; 0 for a zero objective; nil without a bound.
    public var gap: Double? {
        guard let lowerBound else { return nil }
        return objective == 0 ? 0 : Double(objective - lowerBound) / Double(objective)
    }
}

/// Runs a solver and, on a second thread, the GLPK lower bound (`RelaxationBound`) within the same
/// time limit, and combines the bounds.
public enum BoundedSolve {
    /// Seconds the bound may take when the solve has only an iteration limit.
    public static let defaultBoundSeconds = 10.0

    /// With a time limit, the bound takes the same limit (LP relaxation, then branch and bound); with
    /// only an iteration limit, it is the LP relaxation alone (within `defaultBoundSeconds`), so
    /// that the same seed and iterations give the same document.
    /// - Parameter bound: false skips the relaxation (the solver's own bound, if any, remains).
    public static func run(_ solver: any DispatchSolver, instance: DispatchInstance, limits: SolveLimits, bound: Bool = true,
                           progress: (@Sendable (SolveProgress) -> Void)?) async -> (result: SolveResult, relaxation: RelaxationBound.Result?) {
        let deadline = ContinuousClock.now + (limits.timeLimit ?? .milliseconds(Int64(defaultBoundSeconds * 1000)))
        let penalty = instance.unservedPenalty
        let stop = limits.stop
        var configuration = RelaxationBound.Configuration()
        configuration.branchAndBound = limits.timeLimit != nil
        let relaxationBound = RelaxationBound(configuration: configuration)
        // The exact solver bounds its own plan (with its own model, per vehicle class) and uses the
        // second core for a companion search.
        let bound = bound && !((solver as? ExactSolver)?.companion != nil)
        async let relaxation: RelaxationBound.Result? = bound
            ? DedicatedThread.run(name: "dispatch-bound") { relaxationBound.compute(instance, penalty: penalty, deadline: deadline, stop: stop) }
            : nil
        let result = await DedicatedThread.run { solver.solve(instance, limits: limits, progress: progress) }
        return (result, await relaxation)
    }

    /// The bound of `plan` from a solve: the larger of the relaxation's bound and the solver's own
    /// (`ExactSolver`'s bounds the objective `cost + penalty · unserved`; a proven optimum is its
    /// own bound).
    public static func bound(of plan: Plan, instance: DispatchInstance, result: SolveResult, relaxation: RelaxationBound.Result?) -> PlanBound {
        let penalty = relaxation?.penalty ?? instance.unservedPenalty
        let objective = instance.objective(of: plan, penalty: penalty)
        var best: Int? = relaxation?.lowerBound
        var note = relaxation.map { r in
            r.lowerBound == nil ? "no bound: \(r.note)"
                : "LP relaxation of the event-graph model on a relaxed fleet (GLPK, \(r.events) events, \(r.arcs) arcs; \(r.note))"
        } ?? "no bound: not computed"
        var own: Int?
        if result.status == .infeasible {
            own = penalty
        } else if result.status == .optimal {
            own = instance.objective(of: result.plan, penalty: penalty)
        } else if let exact = result.lowerBound {
            own = exact
        }
        if let own, own > (best ?? Int.min) {
            best = own
            note = result.status == .optimal && own == objective ? "the exact model's optimum (GLPK)" : "the exact model's branch-and-cut bound (GLPK)"
        }
        if let b = best, b > objective {
            // Cannot happen with valid bounds; never report a bound above the plan.
            return PlanBound(objective: objective, lowerBound: nil, penalty: penalty, note: "no bound: GLPK's bound exceeds the plan's objective (numerical trouble)")
        }
        return PlanBound(objective: objective, lowerBound: best, penalty: penalty, note: note)
    }
}
