import Synchronization

/// Limits of one solve. At least one of time and iterations should be set; the same seed and
/// iteration limit (without a time limit) give the same plan.
public struct SolveLimits: Sendable, Hashable {
    public var timeLimit: Duration?
    public var iterationLimit: Int?
    public var seed: UInt64
    /// Raised from outside (e.g. a server shutting down): the solver returns its best plan soon.
    public var stop: StopSignal?

    public init(timeLimit: Duration? = nil, iterationLimit: Int? = nil, seed: UInt64 = 1, stop: StopSignal? = nil) {
        self.timeLimit = timeLimit
        self.iterationLimit = iterationLimit
        self.seed = seed
        self.stop = stop
    }

    /// Whether someone asked the solve to stop.
    public var stopped: Bool { stop?.isRaised ?? false }

    public static func == (a: SolveLimits, b: SolveLimits) -> Bool {
        a.timeLimit == b.timeLimit && a.iterationLimit == b.iterationLimit && a.seed == b.seed && a.stop === b.stop
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(timeLimit)
        hasher.combine(iterationLimit)
        hasher.combine(seed)
    }
}

/// A flag one thread raises and solvers poll (once per iteration).
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks the solves that poll this signal to stop.
    public func raise() { flag.store(true, ordering: .relaxed) }
    public var isRaised: Bool { flag.load(ordering: .relaxed) }
}

public enum SolveStatus: String, Sendable, Hashable {
    /// Proven optimal (exact solver).
    case optimal
    /// A plan without a proof of optimality.
    case feasible
    /// Proven: no plan serves every request.
    case infeasible
    /// The exact solver stopped at its time limit with the best plan found.
    case timeLimit = "time_limit"
}

/// One point of the cost-over-time curve.
public struct SolveProgress: Sendable, Hashable {
    public var phase: String
    public var seconds: Double
    public var iteration: Int
    public var served: Int
    public var cost: Int
    /// A proven lower bound on the cost at this point (exact solver), in ticks.
    public var bound: Int?

    public init(phase: String, seconds: Double, iteration: Int, served: Int, cost: Int, bound: Int? = nil) {
        self.phase = phase
        self.seconds = seconds
        self.iteration = iteration
        self.served = served
        self.cost = cost
        self.bound = bound
    }
}

/// A plan with its status, bound and timings.
public struct SolveResult: Sendable {
    public var plan: Plan
    public var status: SolveStatus
    public var cost: Int
    /// A proven lower bound on the objective `cost + unservedPenalty · unserved` of every plan, when
    /// the solver has one.
    public var lowerBound: Int?
    public var seconds: Double
    public var iterations: Int
    /// Each new best plan as it was found.
    public var history: [SolveProgress]

    public init(plan: Plan, status: SolveStatus, cost: Int, lowerBound: Int? = nil, seconds: Double, iterations: Int, history: [SolveProgress]) {
        self.plan = plan
        self.status = status
        self.cost = cost
        self.lowerBound = lowerBound
        self.seconds = seconds
        self.iterations = iterations
        self.history = history
    }
}

/// A dial-a-ride solver: serves as many requests as it can, then minimizes travel time.
public protocol DispatchSolver: Sendable {
    /// - Parameter progress: called with each new best plan and at phase changes (not in inner loops).
    func solve(_ instance: DispatchInstance, limits: SolveLimits, progress: ((SolveProgress) -> Void)?) -> SolveResult
}
