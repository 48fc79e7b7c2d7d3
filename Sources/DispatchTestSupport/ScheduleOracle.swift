import DispatchCore

/// One difference constraint `B[to] − B[from] ≥ weight` between two vertices of a route's
/// constraint graph. Vertex 0 is the time origin z (`B[z] = 0`); vertex `i + 1` is route position
/// `i` (position 0 = start depot, last position = end depot).
public struct ScheduleConstraint: Sendable, Hashable, CustomStringConvertible {
    /// Where a constraint comes from (node indices of the instance).
    public enum Kind: Sendable, Hashable {
        case earliest(node: Int)
        case latest(node: Int)
        /// Service at `node` plus travel to `next`.
        case travel(node: Int, next: Int)
        case rideLimit(request: Int)
        case routeDuration(vehicle: Int)
    }

    public var from: Int
    public var to: Int
    public var weight: Int
    public var kind: Kind

    public var description: String { "\(kind) [B\(to) − B\(from) ≥ \(weight)]" }

    /// What the constraint says, in the instance's words ("ride of r7 at most 30").
    public func label(in instance: DispatchInstance) -> String {
        let n = instance.requestCount
        func name(_ v: Int) -> String {
            if v >= 2 * n { return v < 2 * n + instance.vehicleCount ? "start depot" : "end depot" }
            return v < n ? "pickup of \(instance.requests[v].id)" : "drop-off of \(instance.requests[v - n].id)"
        }
        switch kind {
        case let .earliest(v): return "\(name(v)) at or after \(weight)"
        case let .latest(v): return "\(name(v)) at or before \(-weight)"
        case let .travel(v, next): return "\(name(next)) at least \(weight) after \(name(v))"
        case let .rideLimit(r): return "ride of \(instance.requests[r].id) at most \(-weight - instance.serviceTime[r])"
        case let .routeDuration(k): return "route of \(instance.vehicles[k].id) at most \(-weight) long"
        }
    }

    /// True when the service starts `times` (indexed by route position) satisfy the constraint.
    public func isSatisfied(by times: [Int]) -> Bool {
        let bFrom = from == 0 ? 0 : times[from - 1]
        let bTo = to == 0 ? 0 : times[to - 1]
        return bTo - bFrom >= weight
    }
}

/// Independent, exact check of one vehicle's route, written from the difference-constraint
/// definition of ALGORITHMS.md §1.3 and deliberately naive: the constraint graph is built as an
/// explicit arc list with the time origin z, and plain Bellman–Ford computes longest paths from z.
/// A schedule exists if and only if there is no positive cycle; the longest-path distances are then
/// the earliest feasible schedule. It shares no code with `RouteEvaluator`.
///
/// Also checks pairing (every request on the route is picked up once, then dropped off once),
/// compatibility (`instance.isCompatible`) and capacity (`Capacity.admits` after every stop).
/// - Complexity: O(m²) for a route of m stops (Bellman–Ford over O(m) vertices and arcs).
public enum ScheduleOracle {
    /// Which constraints to include, so that tests can compare with weaker checks.
    public struct Options: Sendable, Hashable {
        /// Include `B[drop-off] − B[pickup] − d[pickup] ≤ L` per request.
        public var rideLimits: Bool
        /// Include `B[end] − B[start] ≤ T` for the vehicle.
        public var routeDuration: Bool
        /// Use the windows as the caller stated them (nil: no window; depots: the shift) instead
        /// of the instance's tightened node windows.
        public var statedWindows: Bool

        public init(rideLimits: Bool = true, routeDuration: Bool = true, statedWindows: Bool = false) {
            self.rideLimits = rideLimits
            self.routeDuration = routeDuration
            self.statedWindows = statedWindows
        }

        public static let all = Options()
        /// Windows only: no ride limits, no route duration limit.
        public static let windowsOnly = Options(rideLimits: false, routeDuration: false)
    }

    /// The outcome of a check.
    public struct Verdict: Sendable {
        /// Human-readable reasons the route is not feasible (empty: feasible).
        public var violations: [String]
        /// Earliest feasible service start per route position (depots included), when feasible.
        public var earliestSchedule: [Int]?
        public var isFeasible: Bool { violations.isEmpty }
    }

    public static func isFeasible(vehicle: Int, stops: [Int32], in instance: DispatchInstance, options: Options = .all) -> Bool {
        verdict(vehicle: vehicle, stops: stops, in: instance, options: options).isFeasible
    }

    /// Full check: structure (nodes, pairing), compatibility, capacity, then schedule existence.
    public static func verdict(vehicle: Int, stops: [Int32], in instance: DispatchInstance, options: Options = .all) -> Verdict {
        var problems = structuralViolations(vehicle: vehicle, stops: stops, in: instance)
        guard problems.isEmpty else { return Verdict(violations: problems, earliestSchedule: nil) }
        let arcs = constraints(vehicle: vehicle, stops: stops, in: instance, options: options)
        switch longestPaths(vertexCount: stops.count + 3, arcs: arcs) {
        case let .distances(d):
            return Verdict(violations: [], earliestSchedule: Array(d[1...]))
        case let .positiveCycle(cycle):
            let vehicleID = instance.vehicles[vehicle].id
            problems.append("Vehicle \(vehicleID): no schedule exists; these constraints form a positive cycle: "
                + cycle.map { $0.label(in: instance) }.joined(separator: "; ") + ".")
            return Verdict(violations: problems, earliestSchedule: nil)
        }
    }

    /// The earliest schedule (service start per route position, depots included) when the
    /// constraints of `options` admit one; nil otherwise. No pairing, compatibility or capacity
    /// checks: for the schedule alone.
    public static func earliestSchedule(vehicle: Int, stops: [Int32], in instance: DispatchInstance,
                                        options: Options = .all) -> [Int]? {
        let arcs = constraints(vehicle: vehicle, stops: stops, in: instance, options: options)
        guard case let .distances(d) = longestPaths(vertexCount: stops.count + 3, arcs: arcs) else { return nil }
        return Array(d[1...])
    }

    /// Node indices, pairing, compatibility and capacity of a route (empty when all hold).
    public static func structuralViolations(vehicle: Int, stops: [Int32], in instance: DispatchInstance) -> [String] {
        pairingViolations(vehicle: vehicle, stops: stops, in: instance)
            + compatibilityAndCapacityViolations(vehicle: vehicle, stops: stops, in: instance)
    }

    /// Stops that are not request nodes, and requests not picked up exactly once and then dropped
    /// off exactly once.
    public static func pairingViolations(vehicle: Int, stops: [Int32], in instance: DispatchInstance) -> [String] {
        let n = instance.requestCount
        let vehicleID = instance.vehicles[vehicle].id
        var problems: [String] = []
        var picked = [Int](repeating: 0, count: n), dropped = [Int](repeating: 0, count: n)
        for (i, s) in stops.enumerated() {
            let v = Int(s)
            guard v >= 0 && v < 2 * n else {
                problems.append("Vehicle \(vehicleID): stop \(i + 1) is node \(v), which is neither a pickup nor a drop-off.")
                continue
            }
            if v < n {
                picked[v] += 1
                if picked[v] == 2 { problems.append("Vehicle \(vehicleID): request \(instance.requests[v].id) is picked up twice.") }
            } else {
                let r = v - n
                dropped[r] += 1
                if dropped[r] == 2 { problems.append("Vehicle \(vehicleID): request \(instance.requests[r].id) is dropped off twice.") }
                if picked[r] == 0 { problems.append("Vehicle \(vehicleID): request \(instance.requests[r].id) is dropped off before it is picked up.") }
            }
        }
        for r in 0..<n where picked[r] > 0 && dropped[r] == 0 {
            problems.append("Vehicle \(vehicleID): request \(instance.requests[r].id) is picked up but never dropped off.")
        }
        return problems
    }

    /// Requests the vehicle may not serve, and stops after which the load fits no seat layout.
    public static func compatibilityAndCapacityViolations(vehicle: Int, stops: [Int32], in instance: DispatchInstance) -> [String] {
        let n = instance.requestCount
        let vehicleData = instance.vehicles[vehicle]
        var problems: [String] = []
        var load = Load.zero
        for (i, s) in stops.enumerated() {
            let v = Int(s)
            guard v >= 0 && v < 2 * n else { continue }
            if v < n && !instance.isCompatible(request: v, vehicle: vehicle) {
                problems.append("Vehicle \(vehicleData.id) may not serve request \(instance.requests[v].id).")
            }
            load = load + instance.loadChange[v]
            if !vehicleData.capacity.admits(load) {
                problems.append("Vehicle \(vehicleData.id): after stop \(i + 1) the load \(load) exceeds the capacity \(vehicleData.capacity).")
            }
        }
        return problems
    }

    /// The difference constraints of a route (ALGORITHMS.md §1.3). Ride constraints are added for
    /// every request whose pickup precedes its drop-off on the route.
    public static func constraints(vehicle: Int, stops: [Int32], in instance: DispatchInstance, options: Options = .all) -> [ScheduleConstraint] {
        let n = instance.requestCount
        let route = [instance.startDepot(vehicle)] + stops.map { Int($0) } + [instance.endDepot(vehicle)]
        let vehicleData = instance.vehicles[vehicle]
        func vertex(_ position: Int) -> Int { position + 1 }
        var arcs: [ScheduleConstraint] = []
        arcs.reserveCapacity(4 * route.count)
        for (i, v) in route.enumerated() {
            let window: TimeWindow?
            if !options.statedWindows {
                window = instance.window(v)
            } else if v >= 2 * n {
                window = vehicleData.shift
            } else if v < n {
                window = instance.requests[v].statedPickupWindow
            } else {
                window = instance.requests[v - n].statedDropoffWindow
            }
            if let w = window {
                arcs.append(ScheduleConstraint(from: 0, to: vertex(i), weight: w.earliest, kind: .earliest(node: v)))
                arcs.append(ScheduleConstraint(from: vertex(i), to: 0, weight: -w.latest, kind: .latest(node: v)))
            }
            if i + 1 < route.count {
                let u = route[i + 1]
                arcs.append(ScheduleConstraint(from: vertex(i), to: vertex(i + 1), weight: instance.serviceTime[v] + instance.time(v, u),
                                               kind: .travel(node: v, next: u)))
            }
        }
        if options.rideLimits {
            for (b, v) in route.enumerated() where v >= n && v < 2 * n {
                let r = v - n
                guard let a = route[..<b].firstIndex(of: r) else { continue }
                arcs.append(ScheduleConstraint(from: vertex(b), to: vertex(a), weight: -(instance.serviceTime[r] + instance.requests[r].maxRideTime),
                                               kind: .rideLimit(request: r)))
            }
        }
        if options.routeDuration {
            arcs.append(ScheduleConstraint(from: vertex(route.count - 1), to: vertex(0), weight: -vehicleData.maxRouteDuration,
                                           kind: .routeDuration(vehicle: vehicle)))
        }
        return arcs
    }

    /// The constraints that `times` (service start per route position, depots included) violates.
    public static func violatedConstraints(by times: [Int], vehicle: Int, stops: [Int32], in instance: DispatchInstance,
                                           options: Options = .all) -> [ScheduleConstraint] {
        precondition(times.count == stops.count + 2, "one time per route position, depots included")
        return constraints(vehicle: vehicle, stops: stops, in: instance, options: options).filter { !$0.isSatisfied(by: times) }
    }

    enum LongestPaths {
        case distances([Int])
        case positiveCycle([ScheduleConstraint])
    }

    /// Bellman–Ford for longest paths from vertex 0 (Cormen et al., §24.1, with signs flipped).
    /// - Complexity: O(V·E).
    static func longestPaths(vertexCount: Int, arcs: [ScheduleConstraint]) -> LongestPaths {
        // Every vertex is reachable from z (the depots always have windows), so "−∞" can be a
        // sentinel far below any reachable distance.
        let unreached = Int.min / 2
        let from = arcs.map(\.from), to = arcs.map(\.to), weight = arcs.map(\.weight)
        var dist = [Int](repeating: unreached, count: vertexCount)
        var via = [Int?](repeating: nil, count: vertexCount)
        dist[0] = 0
        var lastRelaxed: Int? = nil
        for _ in 0..<vertexCount {
            lastRelaxed = nil
            for a in 0..<from.count where dist[from[a]] != unreached {
                let candidate = dist[from[a]] + weight[a]
                if candidate > dist[to[a]] {
                    dist[to[a]] = candidate
                    via[to[a]] = a
                    lastRelaxed = to[a]
                }
            }
            if lastRelaxed == nil { break }
        }
        guard var v = lastRelaxed else { return .distances(dist) }
        // Still relaxing after V rounds: walk back V steps to land on the cycle, then collect it.
        for _ in 0..<vertexCount {
            guard let arc = via[v] else { return .positiveCycle([]) }
            v = arcs[arc].from
        }
        var cycle: [ScheduleConstraint] = []
        var u = v
        repeat {
            guard let index = via[u], cycle.count <= vertexCount else { return .positiveCycle(cycle.reversed()) }
            cycle.append(arcs[index])
            u = arcs[index].from
        } while u != v
        return .positiveCycle(cycle.reversed())
    }
}
