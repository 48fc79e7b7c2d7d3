import DispatchCore
import DispatchHeuristics
import DispatchMILP

/// The automatic strategy (`--solver auto`, the default of `dispatch solve`, `dispatch plan` and
/// the server): the exact MILP where it finishes (`ExactSolver.unsuitability`), ALNS with
/// set-partitioning recombination otherwise; recombination is off above
/// `ALNSSolver.Configuration.recombinationLimit` requests, so large batches never wait on GLPK.
public struct SolveStrategy: Sendable {
    public enum Choice: String, Sendable, CaseIterable {
        case auto, heuristic, exact
    }

    public var requested: Choice
    /// Set-partitioning recombination in the heuristic (GLPK).
    public var recombination = true
    /// Exact solver: stop at this relative gap (0 proves optimality).
    public var mipGap = 0.0
    /// Exact solver: GLPK's own output on the terminal.
    public var verbose = false
    /// A lower bound from GLPK beside the plan (`BoundedSolve`, on a second thread, same time limit).
    public var bound = true

    public init(_ requested: Choice = .auto) { self.requested = requested }

    /// The solver the strategy runs on `instance`, and why (one line for people).
    public struct Decision: Sendable {
        /// `heuristic` or `exact`.
        public var used: Choice
        public var reason: String
        public var solver: any DispatchSolver
    }

    /// - Parameter start: a plan the heuristic starts from (e.g. the day's tentative plan).
    public func decide(for instance: DispatchInstance, start: Plan? = nil) -> Decision {
        var used: Choice
        var reason: String
        switch requested {
        case .auto:
            if let why = ExactSolver.unsuitability(instance) {
                used = .heuristic
                reason = "auto chose the heuristic: \(why)"
            } else {
                used = .exact
                reason = "auto chose the exact solver: \(instance.requestCount) requests, one kind of vehicle (finishes in seconds)"
            }
        case .heuristic, .exact:
            used = requested
            reason = "requested"
            if requested == .exact, let v = instance.vehicles.first(where: { $0.breaks != nil }) {
                // A plan without the drivers' rests would break the rule: never.
                used = .heuristic
                reason = "the exact model has no drivers' breaks (vehicle \(v.id) has a break rule): the heuristic plans instead"
            }
        }
        var configuration = ALNSSolver.Configuration()
        if recombination { configuration.recombiner = SetPartitioningRecombiner() }
        let heuristic = ALNSSolver(configuration: configuration, start: start)
        if used == .heuristic {
            if !recombination {
                reason += "; no set-partitioning recombination (switched off)"
            } else if instance.requestCount > configuration.recombinationLimit {
                reason += "; no set-partitioning recombination above \(configuration.recombinationLimit) requests (large batches do not wait on GLPK)"
            }
            return Decision(used: used, reason: reason, solver: heuristic)
        }
        var exact = EventMILPSolver.Configuration()
        exact.mipGap = mipGap
        exact.verbose = verbose
        return Decision(used: used, reason: reason, solver: ExactSolver(warmStart: heuristic, configuration: exact))
    }
}
