import DispatchCore

/// The exact dial-a-ride solver behind `--solver exact`: the event-based MILP
/// (`EventMILPSolver`, formulation documented there) solved by GLPK, warm-started with the plan of
/// another solver (the CLI passes ALNS, so this module does not import its sibling).
///
/// Status: `optimal` when GLPK proves it, `timeLimit` with the best plan and GLPK's lower bound when
/// time runs out, `infeasible` when no plan serves every request (proven), and otherwise the warm
/// start's plan with status `feasible` (e.g. vehicles that are not interchangeable, or a binding
/// route-duration limit, which the model does not cover yet).
public struct ExactSolver: DispatchSolver {
    /// Runs first for `warmStartShare` of the time limit (at most `warmStartSeconds`).
    public var warmStart: (any DispatchSolver)?
    public var warmStartShare = 0.1
    public var warmStartSeconds = 2.0
    public var configuration: EventMILPSolver.Configuration

    /// Requests up to which `--solver auto` chooses this solver.
    public static let autoRequestLimit = 64

    /// Whether `--solver auto` should use the exact solver (`unsuitability` is nil).
    public static func suits(_ instance: DispatchInstance) -> Bool { unsuitability(instance) == nil }

    /// Why the automatic strategy should not use this solver on `instance`, or nil when it should:
    /// it needs at most `autoRequestLimit` requests (where it finishes in seconds), interchangeable
    /// vehicles (the model has one fleet), of at most 4 places (the event graph grows with the
    /// passengers that fit together; measured with 3), and no binding route-duration limit.
    public static func unsuitability(_ instance: DispatchInstance) -> String? {
        if instance.requestCount > autoRequestLimit {
            return "\(instance.requestCount) requests, more than the \(autoRequestLimit) the exact model finishes in seconds"
        }
        if let v = instance.vehicles.first(where: { $0.breaks != nil }) {
            return "vehicle \(v.id) has a drivers' break rule (not in the exact model)"
        }
        let classes = VehicleClasses(instance: instance).members.count
        if classes > 1 { return "\(classes) kinds of vehicle (capacity, depot, shift or limits differ); the exact model needs one" }
        if let big = instance.vehicles.first(where: { v in v.capacity.layouts.contains { $0.seats + $0.wheelchairs > 4 } }) {
            return "vehicle \(big.id) has more than 4 places (the exact model grows with the passengers on board)"
        }
        if let v = instance.vehicles.first, v.maxRouteDuration < v.shift.latest - v.shift.earliest {
            return "the route duration limit is shorter than the shift (not in the exact model)"
        }
        return nil
    }

    public init(warmStart: (any DispatchSolver)? = nil, configuration: EventMILPSolver.Configuration = .init()) {
        self.warmStart = warmStart
        self.configuration = configuration
    }

    public func solve(_ instance: DispatchInstance, limits: SolveLimits, progress: ((SolveProgress) -> Void)?) -> SolveResult {
        let stopwatch = Stopwatch()
        func elapsed() -> Double { stopwatch.seconds }
        let total = limits.timeLimit.map(\.seconds) ?? 60
        var warm: SolveResult?
        var history: [SolveProgress] = []
        if let warmStart {
            let seconds = min(warmStartSeconds, total * warmStartShare)
            var warmLimits = limits
            warmLimits.timeLimit = .milliseconds(Int64(seconds * 1000))
            warm = warmStart.solve(instance, limits: warmLimits, progress: progress)
            history = warm!.history
        }
        let remaining = max(0.05, total - elapsed())
        let scale = Double(instance.timeScale.ticksPerUnit)
        let offset = elapsed()
        // GLPK's incumbents become points of the history (and progress reports) as they appear.
        let samples = Samples()
        let milpProgress: (MILPProgress) -> Void = { sample in
            guard let incumbent = sample.incumbent else { return }
            let point = SolveProgress(phase: "exact", seconds: offset + sample.seconds, iteration: sample.nodes, served: instance.requestCount,
                                      cost: Int((incumbent * scale).rounded()), bound: Int((sample.bound * scale - 1e-6 * scale).rounded(.down)))
            if let last = samples.points.last, last.cost <= point.cost { return }
            samples.points.append(point)
            progress?(point)
        }
        let result = EventMILPSolver(configuration: configuration).solve(instance, timeLimit: .milliseconds(Int64(remaining * 1000)),
                                                                         warmStart: warm.flatMap { $0.plan.unserved.isEmpty ? $0.plan : nil },
                                                                         progress: milpProgress, stop: limits.stop)
        history += samples.points
        // GLPK's bound in ticks, rounded down after a small tolerance (it works in floating point).
        let bound = result.lowerBound.map { Int(($0 * scale - 1e-6 * scale).rounded(.down)) }
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
            if let warm, warm.plan.unserved.isEmpty, warm.cost < cost {
                let proven = result.status == .optimal
                return SolveResult(plan: warm.plan, status: proven ? .optimal : .timeLimit, cost: warm.cost,
                                   lowerBound: bound.map { min($0, warm.cost) }, seconds: elapsed(),
                                   iterations: warm.iterations, history: history)
            }
            let status: SolveStatus = result.status == .optimal ? .optimal : (result.status == .feasible ? .feasible : .timeLimit)
            let point = SolveProgress(phase: "exact", seconds: elapsed(), iteration: 0, served: instance.requestCount, cost: cost)
            progress?(point)
            return SolveResult(plan: plan, status: status, cost: cost, lowerBound: status == .optimal ? cost : bound,
                               seconds: elapsed(), iterations: warm?.iterations ?? 0, history: history + [point])
        case .infeasible:
            return fallback(.infeasible)
        case .unsupported, .failed:
            return fallback(.feasible)
        }
    }
}

private final class Samples {
    var points: [SolveProgress] = []
}
