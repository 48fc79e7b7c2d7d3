import DispatchCore

/// A lower bound, proven by GLPK, on the objective every solver optimizes — travel time plus
/// `DispatchInstance.unservedPenalty` per unserved request, in ticks — for any fleet (several
/// depots, seat and wheelchair layouts, `serves` restrictions, shifts, route durations, drivers'
/// breaks).
///
/// Model: the event-based MILP of `EventMILPSolver` built on the event graph of a *relaxed fleet*
/// (`RelaxedFleet`: one vehicle that can do whatever any real vehicle can, with travel times never
/// longer than the real ones), with these changes:
///
///     minimise   Σ_a c_a x_a + P Σ_i u_i
///     subject to Σ_{e∈P_i} y_e + u_i = 1                              every request i   (served or not)
///                Σ_{a = (g, j+)} x_a ≤ K_g,  Σ_{a = (i−, h)} x_a ≤ K_h   every start / end depot g, h
///                Σ_{a from a depot} x_a ≤ K
///                flow, time, pickup / drop-off time, ride limit and arc-window rows as in EventMILPSolver
///
/// Arcs between stops cost the real travel time c_a = t(u, v). Each arc that leaves the start
/// depot is copied once per real start location g (cost t(g, j+), kept when a vehicle starting at g
/// may serve j alone — compatible, and the route j+ j− feasible for it — and reach j's pickup within
/// its shift and j's window); each arc into the end depot once per real end location h (kept when a
/// vehicle ending at h may serve i alone and be back within its shift). K_g / K_h count the vehicles
/// (duties) that start / end there; u_i is fixed to 1 for a request no vehicle may serve alone (a
/// route that serves i, cut down to i, is feasible for its vehicle: the old schedule still works).
///
/// Why it is a lower bound: take any plan. Each route of vehicle k is a feasible route of the
/// relaxed vehicle with the same schedule (`RelaxedFleet`), hence a depot-to-depot path of its
/// event graph (the graph keeps every feasible route); choose the copies of its first and last
/// arcs for k's depots (they exist, by the conditions above). With B, T, U from the schedule and
/// u_i = 1 for the unserved requests, this is an integer solution of the model whose objective is
/// exactly the plan's `cost + P · unserved` (every row holds as in the exact model's proof; the
/// depot rows count at most one route per vehicle). So the model's optimum, and any lower bound
/// on it — the LP relaxation's optimum, or GLPK's best bound in branch and bound — is at most the
/// objective of every plan. GLPK works in floating point: the bound is lowered by a relative
/// 2·10⁻⁶ plus 10⁻³ tick, then rounded up to whole ticks (every plan's objective is a whole number
/// of ticks, so a bound b proves ⌈b⌉).
///
/// Per depot: with vehicles at several depots, a second model takes one relaxed fleet per group of
/// vehicles with the same start and end places (its own event graph and columns; the served rows
/// sum over the groups; T_i, U_i are shared, since a request is served by one route). A real route
/// of vehicle k maps into k's group as above, so the argument holds unchanged; the model now knows
/// that a route returns to the depot it left and which shifts and layouts that depot has. The higher
/// of the two bounds is reported.
///
/// The model leaves out route durations beyond the longest, drivers' breaks and which vehicle of a
/// group serves which request: the bound can be weaker than the optimum, never above it.
public struct RelaxationBound: Sendable {
    public struct Configuration: Sendable {
        /// No bound above this many requests (the event graph grows with the requests that overlap).
        public var maxRequests = 400
        /// Stop building the event graph (no bound) above this many arcs.
        public var arcLimit = 800_000
        /// The time, ride and arc-window rows (stronger, larger).
        public var timeRows = true
        /// After the LP relaxation, branch and bound on the model for the time left: its best
        /// bound replaces the LP's when higher.
        public var branchAndBound = true
        /// With vehicles at several depots, a second model with one relaxed fleet per depot. Off by
        /// default: on the demo day (5 depots) it is five times larger (6.8k events, 42k arcs) and
        /// its LP bound is no higher (37.82 h against 37.89 h), because the depot pairing costs
        /// little there and each group's flow gets its own service times.
        public var perDepot = false
        /// Share of the time left after the first model's LP that the per-depot model may take.
        public var perDepotShare = 0.5
        public init() {}
    }

    public struct Result: Sendable {
        /// Ticks; nil when no bound was proven in time (see `note`).
        public var lowerBound: Int?
        /// The LP relaxation's bound (ticks), when it was solved.
        public var rootBound: Int?
        /// The weight of an unserved request in the bounded objective (ticks).
        public var penalty: Int
        /// Why there is no bound, or how it ended.
        public var note: String
        public var events = 0, arcs = 0, rows = 0, columns = 0
        public var graphSeconds = 0.0, seconds = 0.0
    }

    public var configuration: Configuration
    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Builds and solves the model on the calling thread (it owns the GLPK problem) until `deadline`.
    /// - Parameter penalty: the weight of an unserved request (default: the instance's).
    public func compute(_ inst: DispatchInstance, penalty: Int? = nil, deadline: ContinuousClock.Instant,
                        stop: StopSignal? = nil) -> Result {
        let began = ContinuousClock.now
        var result = solve(inst, penalty: penalty ?? inst.unservedPenalty, deadline: deadline, stop: stop)
        result.seconds = (ContinuousClock.now - began).seconds
        return result
    }

    /// One relaxed fleet for all vehicles (LP only when a per-depot model follows), then — with
    /// vehicles at more than one depot and time left — one relaxed fleet per depot (vehicles that
    /// start and end at the same places), which knows that a route returns to its own depot; the
    /// higher bound wins.
    private func solve(_ inst: DispatchInstance, penalty P: Int, deadline: ContinuousClock.Instant, stop: StopSignal?) -> Result {
        let n = inst.requestCount
        guard n > 0 else { return Result(lowerBound: 0, rootBound: 0, penalty: P, note: "no requests") }
        guard n <= configuration.maxRequests else {
            return Result(lowerBound: nil, rootBound: nil, penalty: P,
                          note: "\(n) requests, more than the \(configuration.maxRequests) the bound's model is built for")
        }
        var depots: [[Int]] = []
        var depotOf: [Int: Int] = [:]
        for (k, v) in inst.vehicles.enumerated() {
            let key = v.startLocation &* 1_000_003 &+ v.endLocation
            if let d = depotOf[key] { depots[d].append(k) } else { depotOf[key] = depots.count; depots.append([k]) }
        }
        let all = [Array(inst.vehicles.indices)]
        guard configuration.perDepot, depots.count > 1 else {
            return model(inst, groups: all, penalty: P, deadline: deadline, stop: stop, branchAndBound: configuration.branchAndBound)
        }
        var first = model(inst, groups: all, penalty: P, deadline: deadline, stop: stop, branchAndBound: false)
        let now = ContinuousClock.now
        guard stop?.isRaised != true, now < deadline else { return first }
        // The per-depot model gets a share of the time left; the rest goes to branch and bound on
        // the first model if the second is not better.
        let share = Duration.milliseconds(Int64((deadline - now).seconds * configuration.perDepotShare * 1000))
        let second = model(inst, groups: depots, penalty: P, deadline: now + share, stop: stop, branchAndBound: configuration.branchAndBound)
        if let b = second.lowerBound, b >= (first.lowerBound ?? Int.min) {
            var result = second
            result.note = "per depot: " + result.note
            return result
        }
        let perDepot = "per depot (\(second.events) events, \(second.arcs) arcs): " + (second.lowerBound.map { "lower (\($0))" } ?? second.note)
        if configuration.branchAndBound, stop?.isRaised != true, ContinuousClock.now < deadline {
            let again = model(inst, groups: all, penalty: P, deadline: deadline, stop: stop, branchAndBound: true)
            if let b = again.lowerBound, b >= (first.lowerBound ?? Int.min) { first = again }
        }
        first.note += "; " + perDepot
        return first
    }

    /// The model over one relaxed fleet per group of vehicles (`FleetModel`: each group's event
    /// graph, its depot arcs priced per real depot of the group and limited to the group's vehicles
    /// there), solved for its bound.
    private func model(_ inst: DispatchInstance, groups: [[Int]], penalty P: Int, deadline: ContinuousClock.Instant, stop: StopSignal?,
                       branchAndBound: Bool) -> Result {
        let clock = ContinuousClock()
        let began = clock.now
        var result = Result(lowerBound: nil, rootBound: nil, penalty: P, note: "")
        let n = inst.requestCount
        let model: FleetModel
        switch FleetModel.build(inst, groups: groups, penalty: P, deadline: deadline, stop: stop, arcLimit: configuration.arcLimit,
                                timeRows: configuration.timeRows) {
        case .success(let built): model = built
        case .failure(.noColumns):
            // No route at all: every request is unserved in every plan.
            result.lowerBound = P &* n
            result.rootBound = result.lowerBound
            result.note = FleetModel.Failure.noColumns.note
            return result
        case .failure(let failure):
            result.note = failure.note
            return result
        }
        result.events = model.events
        result.arcs = model.arcs
        result.graphSeconds = (clock.now - began).seconds
        let problem = model.problem
        let scale = model.scale
        result.rows = problem.rowCount
        result.columns = problem.columnCount

        let left = Int((deadline - clock.now).seconds * 1000)
        guard left > 0 else { result.note = "no time left for the LP relaxation after the event graph"; return result }
        // Every plan's objective is a whole number of ticks: a bound b proves ⌈b⌉.
        let margin = { (value: Double) -> Int in
            Int((value * scale - 2e-6 * abs(value * scale) - 1e-3).rounded(.up))
        }
        if branchAndBound {
            var options = MILPProblem.Options(milliseconds: left)
            if let stop { options.shouldStop = { stop.isRaised } }
            let outcome = problem.solve(options, start: nil)
            guard outcome.rootBound.isFinite else {
                result.note = "the LP relaxation was not solved: \(outcome.termination)"
                return result
            }
            result.rootBound = margin(outcome.rootBound)
            let best = outcome.lowerBound.isFinite ? max(outcome.lowerBound, outcome.rootBound) : outcome.rootBound
            result.lowerBound = margin(best)
            result.note = outcome.termination == .optimal ? "the relaxation solved to optimality" : "LP relaxation and branch-and-bound bound (\(outcome.termination))"
        } else {
            guard problem.solveRelaxation(milliseconds: left) else { result.note = "the LP relaxation was not solved (\(problem.relaxationStatus))"; return result }
            result.rootBound = margin(problem.relaxationObjective)
            result.lowerBound = result.rootBound
            result.note = "LP relaxation"
        }
        return result
    }
}
