import DispatchCore
import Foundation

/// The exact dial-a-ride solver behind `--solver exact`, warm-started with the plan of another
/// solver (the CLI passes ALNS, so this module does not import its sibling). Two models:
/// - one kind of vehicle, no drivers' breaks and no binding route-duration limit (the Cordeau
///   sets): the event-based MILP of `EventMILPSolver`, every request served;
/// - any other fleet (several depots, layouts, `serves`, shifts, route durations, breaks):
///   `FleetMILPSolver`, one event graph per vehicle class, unserved requests priced, routes checked
///   against their vehicles with lazy cuts.
///
/// Status: `optimal` when GLPK proves it, `timeLimit` with the best plan and GLPK's lower bound when
/// time runs out, `infeasible` when no plan serves every request (proven, first model), and
/// otherwise the warm start's plan with status `feasible`.
public struct ExactSolver: DispatchSolver {
    /// Runs first for `warmStartShare` of the time limit (at most `warmStartSeconds`).
    public var warmStart: (any DispatchSolver)?
    public var warmStartShare = 0.1
    public var warmStartSeconds = 2.0
    public var configuration: EventMILPSolver.Configuration
    /// A search run on a second thread for the whole time limit beside the warm start and branch and
    /// bound (another seed); its plan is returned when GLPK ends without a better one. Stopped as
    /// soon as GLPK proves its plan optimal. (Used by `--solver auto` in place of the separate
    /// bound thread: the exact model bounds the plan itself.)
    public var companion: (any DispatchSolver)?

    /// Branch-and-bound nodes of a solve without a time limit (per round of cuts).
    public static let untimedNodeLimit = 3_000

    /// Requests up to which `--solver auto` chooses this solver.
    public static let autoRequestLimit = 64

    /// Whether `--solver auto` should use the exact solver (`unsuitability` is nil).
    public static func suits(_ instance: DispatchInstance) -> Bool { unsuitability(instance) == nil }

    /// True when the first model (`EventMILPSolver`) applies: one kind of vehicle, no break rule and
    /// a route-duration limit no shorter than the shift.
    public static func isHomogeneous(_ instance: DispatchInstance) -> Bool {
        guard let v = instance.vehicles.first, v.breaks == nil, v.maxRouteDuration >= v.shift.latest - v.shift.earliest else { return false }
        return VehicleClasses(instance: instance).members.count == 1
    }

    /// Why the automatic strategy should not use this solver on `instance`, or nil when it should:
    /// it needs at most `autoRequestLimit` requests (where it finishes in seconds), vehicles of at
    /// most 4 places (the event graph grows with the passengers that fit together; measured with
    /// 3), and travel times that obey the triangle inequality (shortest paths).
    public static func unsuitability(_ instance: DispatchInstance) -> String? {
        if instance.requestCount > autoRequestLimit {
            return "\(instance.requestCount) requests, more than the \(autoRequestLimit) the exact model finishes in seconds"
        }
        if let big = instance.vehicles.first(where: { v in v.capacity.layouts.contains { $0.seats + $0.wheelchairs > 4 } }) {
            return "vehicle \(big.id) has more than 4 places (the exact model grows with the passengers on board)"
        }
        if !isHomogeneous(instance), let why = FleetMILPSolver.metricProblem(instance) { return why }
        return nil
    }

    public init(warmStart: (any DispatchSolver)? = nil, configuration: EventMILPSolver.Configuration = .init(),
                companion: (any DispatchSolver)? = nil) {
        self.warmStart = warmStart
        self.configuration = configuration
        self.companion = companion
    }

    public func solve(_ instance: DispatchInstance, limits: SolveLimits, progress: ((SolveProgress) -> Void)?) -> SolveResult {
        guard let companion else { return solveExact(instance, limits: limits, progress: progress) }
        let stop = StopSignal()
        var companionLimits = limits
        companionLimits.stop = stop
        companionLimits.seed = limits.seed &+ 0x9E37_79B9
        let ownLimits = companionLimits
        let box = CompanionResult()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = companion.solve(instance, limits: ownLimits, progress: nil)
            done.signal()
        }
        thread.name = "dispatch-companion"
        thread.stackSize = 16 << 20
        thread.start()
        let exact = solveExact(instance, limits: limits, progress: progress)
        // A proven optimum cannot be beaten; a stop from outside stops both.
        if exact.status == .optimal || exact.status == .infeasible || limits.stopped { stop.raise() }
        done.wait()
        guard let other = box.result, exact.status != .optimal, exact.status != .infeasible,
              PlanValidity.isFeasible(other.plan, in: instance),
              instance.objective(of: other.plan) < instance.objective(of: exact.plan) else { return exact }
        return SolveResult(plan: other.plan, status: .timeLimit, cost: other.cost,
                           lowerBound: exact.lowerBound.map { min($0, instance.objective(of: other.plan)) }, seconds: max(exact.seconds, other.seconds),
                           iterations: exact.iterations + other.iterations, history: exact.history)
    }

    private func solveExact(_ instance: DispatchInstance, limits: SolveLimits, progress: ((SolveProgress) -> Void)?) -> SolveResult {
        let stopwatch = Stopwatch()
        func elapsed() -> Double { stopwatch.seconds }
        let total = limits.timeLimit.map(\.seconds) ?? 60
        var warm: SolveResult?
        var history: [SolveProgress] = []
        // Without a time limit (an iteration limit makes runs reproducible), the warm start runs to
        // its iteration limit and branch and bound to `untimedNodeLimit` nodes: the same plan every
        // time, unless the 60 s safety limit ends it first.
        var configuration = configuration
        if limits.timeLimit == nil, configuration.nodeLimit == nil { configuration.nodeLimit = Self.untimedNodeLimit }
        if let warmStart {
            var warmLimits = limits
            if limits.timeLimit != nil || limits.iterationLimit == nil {
                let seconds = min(warmStartSeconds, total * warmStartShare)
                warmLimits.timeLimit = .milliseconds(Int64(seconds * 1000))
            }
            warm = warmStart.solve(instance, limits: warmLimits, progress: progress)
            history = warm!.history
        }
        let remaining = max(0.05, total - elapsed())
        let scale = Double(instance.timeScale.ticksPerUnit)
        let offset = elapsed()
        // GLPK's incumbents become points of the history (and progress reports) as they appear.
        let samples = Samples()
        let homogeneous = Self.isHomogeneous(instance)
        let penalty = instance.unservedPenalty
        let milpProgress: (MILPProgress) -> Void = { sample in
            // The fleet model's objective counts the penalty of unserved requests: an incumbent below
            // one penalty serves everyone, and is then its travel time; others are not shown.
            guard let incumbent = sample.incumbent, homogeneous || incumbent * scale < Double(penalty) else { return }
            let point = SolveProgress(phase: "exact", seconds: offset + sample.seconds, iteration: sample.nodes, served: instance.requestCount,
                                      cost: Int((incumbent * scale).rounded()), bound: Int((sample.bound * scale - 1e-6 * scale).rounded(.down)))
            if let last = samples.points.last, last.cost <= point.cost { return }
            samples.points.append(point)
            progress?(point)
        }
        let timeLimit = Duration.milliseconds(Int64(remaining * 1000))
        let result = homogeneous
            ? EventMILPSolver(configuration: configuration).solve(instance, timeLimit: timeLimit,
                                                                   warmStart: warm.flatMap { $0.plan.unserved.isEmpty ? $0.plan : nil },
                                                                   progress: milpProgress, stop: limits.stop)
            : FleetMILPSolver(configuration: configuration).solve(instance, timeLimit: timeLimit, warmStart: warm?.plan,
                                                                  progress: milpProgress, stop: limits.stop)
        history += samples.points
        // GLPK's bound in ticks, rounded down after a small tolerance (it works in floating point).
        // Both bound the objective cost + penalty · unserved: the first model's bounds the plans that
        // serve everyone, and a plan that leaves one out costs at least the penalty.
        let bound = result.lowerBound.map { value in
            let ticks = Int((value * scale - 1e-6 * scale).rounded(.down))
            return homogeneous ? min(ticks, penalty) : ticks
        }
        func fallback(_ status: SolveStatus) -> SolveResult {
            let plan = warm?.plan ?? Plan(routes: Array(repeating: [], count: instance.vehicleCount), unserved: Array(0..<instance.requestCount))
            return SolveResult(plan: plan, status: status, cost: plan.cost(in: instance), lowerBound: bound, seconds: elapsed(),
                               iterations: warm?.iterations ?? 0, history: history)
        }
        switch result.status {
        case .optimal, .feasible, .timeLimit:
            guard let plan = result.plan, let cost = result.cost else { return fallback(.feasible) }
            // Keep the better of the MILP's plan and the warm start (GLPK may stop before it accepts the
            // start, and its pruning tolerance can leave an "optimal" plan a few ticks above it).
            // Compared by the objective, cost + penalty · unserved (the first model serves everyone).
            let objective = instance.objective(of: plan)
            if let warm, homogeneous ? warm.plan.unserved.isEmpty : true {
                let warmObjective = instance.objective(of: warm.plan)
                if warmObjective < objective {
                    let proven = result.status == .optimal
                    return SolveResult(plan: warm.plan, status: proven ? .optimal : .timeLimit, cost: warm.cost,
                                       lowerBound: bound.map { min($0, warmObjective) }, seconds: elapsed(),
                                       iterations: warm.iterations, history: history)
                }
            }
            let status: SolveStatus = result.status == .optimal ? .optimal : (result.status == .feasible ? .feasible : .timeLimit)
            let point = SolveProgress(phase: "exact", seconds: elapsed(), iteration: 0, served: instance.requestCount - plan.unserved.count, cost: cost)
            progress?(point)
            return SolveResult(plan: plan, status: status, cost: cost, lowerBound: status == .optimal ? objective : bound,
                               seconds: elapsed(), iterations: warm?.iterations ?? 0, history: history + [point])
        case .infeasible:
            return fallback(.infeasible)
        case .unsupported, .failed:
            return fallback(.feasible)
        }
    }
}

private final class CompanionResult: @unchecked Sendable {
    /// Written by the companion's thread before it signals, read after the wait.
    var result: SolveResult?
}

/// Every route of a plan feasible for its vehicle (the companion's plan is checked before it is returned).
private enum PlanValidity {
    static func isFeasible(_ plan: Plan, in instance: DispatchInstance) -> Bool {
        let evaluator = RouteEvaluator(instance: instance)
        return plan.routes.enumerated().allSatisfy { k, stops in stops.isEmpty || evaluator.isFeasible(vehicle: k, stops: stops) }
    }
}

private final class Samples {
    var points: [SolveProgress] = []
}
