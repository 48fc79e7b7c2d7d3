import DispatchCore
import Foundation

/// The JSON document of `dispatch solve --format json`.
public struct SolveReport: Codable, Sendable, Equatable {
    public var instance: String
    public var cost: Double
    public var status: String
    public var vehiclesUsed: Int
    /// External ids of the requests left out.
    public var unserved: [String]
    /// Node ids of the instance file per used vehicle, in visiting order, depots excluded.
    public var routes: [[Int]]
    public var seconds: Double
    public var iterations: Int
    public var seed: UInt64
    /// heuristic or exact.
    public var solver: String
    /// Why that solver (the automatic strategy's reason, or "requested").
    public var solverReason: String?
    /// The objective the solvers minimize: `cost` plus `unserved_penalty` per request left out.
    public var objective: Double?
    /// The weight of one unserved request (instance units).
    public var unservedPenalty: Double?
    /// Proven by GLPK: no plan has a smaller `objective` (instance units; valid for the file's
    /// unrounded distances); null when nothing was proven (`bound_note` says why). Never an estimate.
    public var lowerBound: Double?
    /// (objective − lower_bound) / objective; null without a bound.
    public var gap: Double?
    /// How the bound was proven, or why there is none.
    public var boundNote: String?
    /// Cost of each new best plan over time.
    public var history: [Point]

    public struct Point: Codable, Sendable, Equatable {
        public var seconds: Double
        public var cost: Double
        public var served: Int
    }

    enum CodingKeys: String, CodingKey {
        case instance, cost, status, vehiclesUsed = "vehicles_used", unserved, routes, seconds, iterations, seed, solver, solverReason = "solver_reason"
        case objective, unservedPenalty = "unserved_penalty", lowerBound = "lower_bound", gap, boundNote = "bound_note", history
    }

    /// Synthesized, except that `lower_bound` and `gap` are written as null (not left out) when
    /// nothing was proven.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(instance, forKey: .instance)
        try c.encode(cost, forKey: .cost)
        try c.encode(status, forKey: .status)
        try c.encode(vehiclesUsed, forKey: .vehiclesUsed)
        try c.encode(unserved, forKey: .unserved)
        try c.encode(routes, forKey: .routes)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(iterations, forKey: .iterations)
        try c.encode(seed, forKey: .seed)
        try c.encode(solver, forKey: .solver)
        try c.encodeIfPresent(solverReason, forKey: .solverReason)
        try c.encodeIfPresent(objective, forKey: .objective)
        try c.encodeIfPresent(unservedPenalty, forKey: .unservedPenalty)
        try c.encode(lowerBound, forKey: .lowerBound)
        try c.encode(gap, forKey: .gap)
        try c.encodeIfPresent(boundNote, forKey: .boundNote)
        try c.encode(history, forKey: .history)
    }

    /// A report for a Cordeau benchmark instance; the cost is recomputed from the routes with the
    /// file's unrounded distances.
    /// - Parameters:
    ///   - lowerBound: a proven bound on `cost + penalty · unserved` in ticks (the instance's rounded-up
    ///     times); it is lowered by one tick per arc a plan can have (2n + K) to hold for the file's
    ///     unrounded distances. nil: `result.lowerBound`, if any.
    public init(cordeau: CordeauInstance, instance: DispatchInstance, result: SolveResult, seed: UInt64, solver: String,
                solverReason: String? = nil, lowerBound: Int? = nil, penalty: Int? = nil, boundNote: String? = nil) {
        self.solver = solver
        self.solverReason = solverReason
        let units = instance.timeScale
        let rounding = 2 * instance.requestCount + instance.vehicleCount
        self.lowerBound = (lowerBound ?? result.lowerBound).map { units.units(max(0, $0 - rounding)) }
        self.instance = cordeau.name
        routes = cordeau.fileRoutes(of: result.plan, in: instance)
        cost = cordeau.cost(ofRoutes: routes)
        status = result.status.rawValue
        vehiclesUsed = routes.count
        unserved = result.plan.unserved.map { instance.requests[$0].id }
        seconds = result.seconds
        iterations = result.iterations
        self.seed = seed
        let penalty = penalty ?? instance.unservedPenalty
        unservedPenalty = units.units(penalty)
        let objective = cost + units.units(penalty) * Double(unserved.count)
        self.objective = objective
        if let bound = self.lowerBound {
            gap = objective > 0 ? max(0, (objective - bound) / objective) : 0
        }
        self.boundNote = boundNote
        history = result.history.map { Point(seconds: $0.seconds, cost: instance.timeScale.units($0.cost), served: $0.served) }
    }
}
