import DispatchCore
import Foundation
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
    /// Cooperating ALNS searches, one per core (`ALNSSolver.Configuration.workers`); nil: the
    /// cores the bound's thread leaves free, at least 1 and at most 4 (on two cores: one search
    /// and the bound, or two searches without the bound).
    public var workers: Int?

    /// The number of searches the heuristic runs.
    public var searchWorkers: Int {
        workers.map { max(1, $0) } ?? max(1, min(4, ProcessInfo.processInfo.activeProcessorCount - (bound ? 1 : 0)))
    }

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
                reason = ExactSolver.isHomogeneous(instance)
                    ? "auto chose the exact solver: \(instance.requestCount) requests, one kind of vehicle (finishes in seconds)"
                    : "auto chose the exact solver: \(instance.requestCount) requests, \(VehicleClasses(instance: instance).members.count) kinds of vehicle (one event graph each, routes checked against their vehicles)"
            }
        case .heuristic, .exact:
            used = requested
            reason = "requested"
        }
        var configuration = ALNSSolver.Configuration()
        if recombination { configuration.recombiner = SetPartitioningRecombiner() }
        configuration.workers = searchWorkers
        let heuristic = ALNSSolver(configuration: configuration, start: start)
        if used == .heuristic {
            if !recombination {
                reason += "; no set-partitioning recombination (switched off)"
            } else if instance.requestCount > configuration.recombinationLimit {
                reason += "; no set-partitioning recombination above \(configuration.recombinationLimit) requests (large batches do not wait on GLPK)"
            }
            if configuration.workers > 1 { reason += "; \(configuration.workers) cooperating searches" }
            return Decision(used: used, reason: reason, solver: heuristic)
        }
        var exact = EventMILPSolver.Configuration()
        exact.mipGap = mipGap
        exact.verbose = verbose
        // The exact model bounds its own plan, so the core the bound's thread would take runs a second
        // search beside it (`ExactSolver.companion`; `BoundedSolve` skips the relaxation for it).
        return Decision(used: used, reason: reason, solver: ExactSolver(warmStart: heuristic, configuration: exact, companion: heuristic))
    }
}
