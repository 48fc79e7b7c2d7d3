/// Vehicles that are interchangeable for routing: same depots, shift, duration limit, capacity
/// and compatibility with every request. A route built for one member suits every member.
public struct VehicleClasses: Sendable {
    /// Class of each vehicle.
    public let classOf: [Int]
    /// Vehicles of each class, in increasing order.
    public let members: [[Int]]

    /// - Complexity: O(K · (K + n)).
    public init(instance: DispatchInstance) {
        var classOf: [Int] = []
        var members: [[Int]] = []
        let n = instance.requestCount
        for k in 0..<instance.vehicleCount {
            let v = instance.vehicles[k]
            let match = members.firstIndex { group in
                let w = instance.vehicles[group[0]]
                guard v.startLocation == w.startLocation, v.endLocation == w.endLocation, v.shift == w.shift, v.breaks == w.breaks,
                      v.maxRouteDuration == w.maxRouteDuration, v.capacity == w.capacity else { return false }
                for r in 0..<n where instance.isCompatible(request: r, vehicle: k) != instance.isCompatible(request: r, vehicle: group[0]) {
                    return false
                }
                return true
            }
            if let match {
                classOf.append(match)
                members[match].append(k)
            } else {
                classOf.append(members.count)
                members.append([k])
            }
        }
        self.classOf = classOf
        self.members = members
    }
}

/// A feasible route seen during a search.
public struct PooledRoute: Sendable, Hashable {
    public var vehicleClass: Int
    /// Stops in visiting order (feasible for every vehicle of the class).
    public var stops: [Int32]
    public var cost: Int
    /// Requests served, in increasing order.
    public var requests: [Int32]

    public init(vehicleClass: Int, stops: [Int32], cost: Int, requests: [Int32]) {
        self.vehicleClass = vehicleClass
        self.stops = stops
        self.cost = cost
        self.requests = requests
    }
}

/// Distinct feasible routes collected during a search, keeping the cheapest sequence for each set
/// of requests per vehicle class (the columns of a set-partitioning recombination).
public final class RoutePool {
    public private(set) var routes: [PooledRoute] = []
    private var index: [[Int32]: Int] = [:]
    public let capacity: Int

    public init(capacity: Int = 100_000) { self.capacity = capacity }

    public var count: Int { routes.count }

    /// Identifies a route's content for the pool: its sorted requests and its vehicle class.
    public static func key(requests: [Int32], vehicleClass: Int) -> [Int32] { requests + [Int32(-1 - vehicleClass)] }

    /// Adds a route unless the pool already holds the same requests for the class at no greater cost.
    public func add(vehicleClass: Int, stops: [Int32], cost: Int, requestCount n: Int) {
        guard !stops.isEmpty else { return }
        var requests: [Int32] = []
        requests.reserveCapacity(stops.count / 2 + 1)
        for s in stops where Int(s) < n { requests.append(s) }
        requests.sort()
        let key = Self.key(requests: requests, vehicleClass: vehicleClass)
        if let i = index[key] {
            if cost < routes[i].cost { routes[i].stops = stops; routes[i].cost = cost }
            return
        }
        guard routes.count < capacity else { return }
        index[key] = routes.count
        routes.append(PooledRoute(vehicleClass: vehicleClass, stops: stops, cost: cost, requests: requests))
    }
}

/// Recombines pooled routes into a plan (e.g. by set partitioning), for matheuristics.
public protocol RouteRecombiner: Sendable {
    /// The cheapest plan found whose routes come from `pool`, serving every request the incumbent
    /// serves (and possibly more), using at most the class sizes of vehicles; nil when none beats
    /// `incumbentCost` within `timeLimit`.
    func recombine(instance: DispatchInstance, classes: VehicleClasses, pool: RoutePool, incumbent: Plan,
                   incumbentCost: Int, timeLimit: Duration) -> Plan?
}
