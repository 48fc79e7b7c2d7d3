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
    /// Proven lower bound on the cost (instance units), when the exact solver gives one.
    public var lowerBound: Double?
    /// Cost of each new best plan over time.
    public var history: [Point]

    public struct Point: Codable, Sendable, Equatable {
        public var seconds: Double
        public var cost: Double
        public var served: Int
    }

    enum CodingKeys: String, CodingKey {
        case instance, cost, status, vehiclesUsed = "vehicles_used", unserved, routes, seconds, iterations, seed, solver, solverReason = "solver_reason"
        case lowerBound = "lower_bound", history
    }

    /// A report for a Cordeau benchmark instance; the cost is recomputed from the routes with the
    /// file's unrounded distances.
    public init(cordeau: CordeauInstance, instance: DispatchInstance, result: SolveResult, seed: UInt64, solver: String,
                solverReason: String? = nil) {
        self.solver = solver
        self.solverReason = solverReason
        lowerBound = result.lowerBound.map { instance.timeScale.units($0) }
        self.instance = cordeau.name
        routes = cordeau.fileRoutes(of: result.plan, in: instance)
        cost = cordeau.cost(ofRoutes: routes)
        status = result.status.rawValue
        vehiclesUsed = routes.count
        unserved = result.plan.unserved.map { instance.requests[$0].id }
        seconds = result.seconds
        iterations = result.iterations
        self.seed = seed
        history = result.history.map { Point(seconds: $0.seconds, cost: instance.timeScale.units($0.cost), served: $0.served) }
    }
}
