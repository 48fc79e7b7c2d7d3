/// Exact feasibility and schedules of one vehicle's route (a fixed sequence of stops).
///
/// A sequence has a schedule if and only if a system of difference constraints has a solution:
/// `B[k+1] ≥ B[k] + d[k] + t(k, k+1)` along the route, `e ≤ B ≤ l` at every stop,
/// `B[drop-off] − B[pickup] − d[pickup] ≤ L` per passenger and `B[end] − B[start] ≤ T` for the
/// vehicle. The evaluator computes the least solution by Bellman–Ford in which every round is one
/// forward sweep (all forward constraints in route order) followed by the backward ones (ride and
/// duration limits raise the lower bound of a pickup or of the departure). The least solution
/// exists, and the route is feasible, if and only if no latest time is exceeded; a round count
/// above the number of backward constraints + 1 means a positive cycle (Cormen et al., §24.4).
/// This is the exact test of ALGORITHMS.md §1.3; it does not rely on the eight-step scheme.
///
/// One evaluator per thread: it owns scratch buffers and is reset by each call.
/// - Complexity: O(m) per round for m stops; rounds ≤ passengers + 2, in practice 1–3.
public final class RouteEvaluator {
    public let instance: DispatchInstance
    // Scratch buffers, raw so that the hot loops pay no exclusivity or reference-counting checks.
    private var capacity = 0
    private var nodes: UnsafeMutablePointer<Int>
    private var lower: UnsafeMutablePointer<Int>
    private var start: UnsafeMutablePointer<Int>
    private var arc: UnsafeMutablePointer<Int>
    private var latest: UnsafeMutablePointer<Int>
    /// Ride constraints: position of pickup, position of drop-off, limit.
    private var pairPickup: UnsafeMutablePointer<Int>
    private var pairDropoff: UnsafeMutablePointer<Int>
    private var pairLimit: UnsafeMutablePointer<Int>
    private var pairCount = 0
    private var count = 0
    /// Per position: rest added after the service there (drivers' breaks), and 1 when nobody is on
    /// board after it.
    private var rest: UnsafeMutablePointer<Int>
    private var emptyAfter: UnsafeMutablePointer<Int>
    /// Per request: `stamp` when its pickup is open in the current call, `stamp + 1` when closed.
    private let seen: UnsafeMutablePointer<Int>
    private let pickupPosition: UnsafeMutablePointer<Int>
    private var stamp = 0
    private var currentVehicle = 0

    public init(instance: DispatchInstance) {
        self.instance = instance
        let n = max(1, instance.requestCount)
        seen = .allocate(capacity: n)
        seen.initialize(repeating: 0, count: n)
        pickupPosition = .allocate(capacity: n)
        pickupPosition.initialize(repeating: 0, count: n)
        nodes = .allocate(capacity: 1); lower = .allocate(capacity: 1); start = .allocate(capacity: 1)
        arc = .allocate(capacity: 1); latest = .allocate(capacity: 1)
        pairPickup = .allocate(capacity: 1); pairDropoff = .allocate(capacity: 1); pairLimit = .allocate(capacity: 1)
        rest = .allocate(capacity: 1); emptyAfter = .allocate(capacity: 1)
        capacity = 1
    }

    deinit {
        for p in [nodes, lower, start, arc, latest, pairPickup, pairDropoff, pairLimit, seen, pickupPosition, rest, emptyAfter] { p.deallocate() }
    }

    private func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        for p in [nodes, lower, start, arc, latest, pairPickup, pairDropoff, pairLimit, rest, emptyAfter] { p.deallocate() }
        let c = max(needed, capacity * 2)
        nodes = .allocate(capacity: c); lower = .allocate(capacity: c); start = .allocate(capacity: c)
        arc = .allocate(capacity: c); latest = .allocate(capacity: c)
        pairPickup = .allocate(capacity: c); pairDropoff = .allocate(capacity: c); pairLimit = .allocate(capacity: c)
        rest = .allocate(capacity: c); emptyAfter = .allocate(capacity: c)
        capacity = c
    }

    /// True when vehicle `vehicle` can serve `stops` (pickup and drop-off nodes, depots excluded)
    /// in this order with all windows, capacities, ride limits and the route duration respected.
    public func isFeasible(vehicle: Int, stops: [Int32]) -> Bool {
        stops.withUnsafeBufferPointer { isFeasible(vehicle: vehicle, stops: $0) }
    }

    public func isFeasible(vehicle: Int, stops: UnsafeBufferPointer<Int32>) -> Bool {
        guard prepare(vehicle: vehicle, stops: stops) else { return false }
        return earliestSchedule()
    }

    /// The schedule reported to people: the least feasible schedule, then the departure from the
    /// depot and each pickup delayed as far as possible without bringing the vehicle back later
    /// and without lengthening anyone's ride (waiting moves from the road to before the pickup).
    /// Nil when the route is infeasible.
    /// - Complexity: O(m²).
    public func schedule(vehicle: Int, stops: [Int32]) -> RouteSchedule? {
        let feasible = stops.withUnsafeBufferPointer { buffer -> Bool in
            guard prepare(vehicle: vehicle, stops: buffer) else { return false }
            return earliestSchedule()
        }
        guard feasible else { return nil }
        let count = self.count
        let least = Array(UnsafeBufferPointer(start: start, count: count))
        var dropoffPosition = [Int](repeating: -1, count: count)
        for i in 0..<pairCount { dropoffPosition[pairPickup[i]] = pairDropoff[i] }
        dropoffPosition[0] = count - 1
        for j in 0..<(count - 1) where j == 0 || instance.isPickup(nodes[j]) {
            // waiting after j up to k, accumulated
            var cap = instance.latest[nodes[j]] - start[j]
            var waited = 0
            var onBoardLimit = Int.max
            let own = dropoffPosition[j]
            for k in (j + 1)..<count {
                waited += start[k] - (start[k - 1] + arc[k - 1])
                cap = min(cap, instance.latest[nodes[k]] - start[k] + waited)
                if k == own { cap = min(cap, waited) }
                if k > own && j != 0 { break }
            }
            // Passengers on board at j must not ride longer.
            if j != 0 {
                for i in 0..<pairCount where pairPickup[i] < j && pairDropoff[i] > j {
                    var w = 0
                    for k in (j + 1)...pairDropoff[i] { w += start[k] - (start[k - 1] + arc[k - 1]) }
                    onBoardLimit = min(onBoardLimit, w)
                }
            }
            let delay = min(cap, onBoardLimit)
            if delay > 0 {
                start[j] += delay
                for k in (j + 1)..<count { start[k] = max(start[k], start[k - 1] + arc[k - 1]) }
            }
        }
        var rests: [RouteSchedule.Rest]? = []
        if let rule = instance.vehicles[vehicle].breaks {
            // Delaying moves waiting; when that breaks the rest rule the least schedule is reported.
            if case .ok = restCheck(rule, into: &rests) {} else {
                for i in 0..<count { start[i] = least[i] }
                rests = []
                _ = restCheck(rule, into: &rests)
            }
        }
        var stopsOut: [RouteSchedule.Stop] = []
        var load = Load.zero
        for i in 0..<count {
            let v = nodes[i]
            load = load + instance.loadChange[v]
            let arrival = i == 0 ? start[0] : start[i - 1] + arc[i - 1]
            stopsOut.append(RouteSchedule.Stop(node: v, arrival: arrival, serviceStart: start[i],
                                               departure: start[i] + instance.serviceTime[v] + rest[i], loadAfter: load))
        }
        // An unused vehicle does not drive: its cost is 0, as in `Plan.cost` and `RouteState.cost`.
        var travel = 0
        if count > 2 { for i in 0..<(count - 1) { travel += instance.time(nodes[i], nodes[i + 1]) } }
        return RouteSchedule(vehicle: vehicle, stops: stopsOut, travelTime: travel, rests: count > 2 ? rests ?? [] : [])
    }

    /// Fills the scratch buffers; false when pairing, compatibility or capacity already fails.
    private func prepare(vehicle: Int, stops: UnsafeBufferPointer<Int32>) -> Bool {
        let count = stops.count + 2
        reserve(count)
        nodes[0] = instance.startDepot(vehicle)
        for i in 0..<stops.count { nodes[i + 1] = Int(stops[i]) }
        nodes[count - 1] = instance.endDepot(vehicle)
        return prepareFilled(vehicle: vehicle, count: count)
    }

    /// True when the route given by `routeNodes` (depots included) with request `r` inserted
    /// (pickup after position `pickupAfter`, drop-off after `dropoffAfter`) is feasible; the same
    /// answer as `isFeasible` on the new stop list, without building it.
    public func isFeasible(vehicle: Int, routeNodes: UnsafeBufferPointer<Int32>, inserting r: Int,
                           pickupAfter p: Int, dropoffAfter q: Int) -> Bool {
        let count = routeNodes.count + 2
        reserve(count)
        var j = 0
        for i in 0...p { nodes[j] = Int(routeNodes[i]); j += 1 }
        nodes[j] = r; j += 1
        if q > p { for i in (p + 1)...q { nodes[j] = Int(routeNodes[i]); j += 1 } }
        nodes[j] = r + instance.requestCount; j += 1
        for i in (q + 1)..<routeNodes.count { nodes[j] = Int(routeNodes[i]); j += 1 }
        guard prepareFilled(vehicle: vehicle, count: count) else { return false }
        return earliestSchedule()
    }

    /// Fills the scratch buffers from `nodes[0..<count]`.
    private func prepareFilled(vehicle: Int, count: Int) -> Bool {
        let inst = instance
        let n = inst.requestCount
        self.count = count
        currentVehicle = vehicle
        pairCount = 0
        stamp &+= 2
        let open = stamp, closed = stamp + 1
        var openCount = 0
        let layouts = inst.vehicles[vehicle].capacity
        var load = Load.zero
        let t = inst.tables
        for i in 0..<count {
            let v = nodes[i]
            lower[i] = t.earliest[v]
            latest[i] = t.latest[v]
            arc[i] = i + 1 < count ? t.serviceTime[v] &+ t.time(v, nodes[i + 1]) : 0
            rest[i] = 0
            emptyAfter[i] = openCount == 0 ? 1 : 0
            if i == 0 || i == count - 1 { continue }
            if v < n {
                guard t.isCompatible(request: v, vehicle: vehicle), seen[v] < open else { return false }
                seen[v] = open
                pickupPosition[v] = i
                openCount += 1
                load = load + t.loadChange[v]
                guard layouts.admits(load) else { return false }
                emptyAfter[i] = 0
            } else if v < 2 * n {
                let r = v - n
                guard seen[r] == open else { return false }
                seen[r] = closed
                openCount -= 1
                load = load + t.loadChange[v]
                pairPickup[pairCount] = pickupPosition[r]
                pairDropoff[pairCount] = i
                // Limit on B[drop-off] − B[pickup]: the ride limit plus the service at the pickup.
                pairLimit[pairCount] = t.maxRideTime[r] &+ t.serviceTime[r]
                pairCount += 1
                emptyAfter[i] = openCount == 0 ? 1 : 0
            } else {
                return false
            }
        }
        return openCount == 0
    }

    /// Least solution of the constraint system, with the driver's rests, into `start`; false
    /// when none exists. Rests: where the rule is broken, a rest of `rule.rest` is added after the
    /// last stop before the limit that leaves the vehicle empty, and the system solved again (at
    /// most once per stop).
    private func earliestSchedule() -> Bool {
        guard leastSchedule() else { return false }
        guard let rule = instance.vehicles[currentVehicle].breaks else { return true }
        var none: [RouteSchedule.Rest]? = nil
        for _ in 0..<count {
            switch restCheck(rule, into: &none) {
            case .ok: return true
            case .impossible: return false
            case .restAfter(let j):
                rest[j] &+= rule.rest
                arc[j] &+= rule.rest
            }
            guard leastSchedule() else { return false }
        }
        return false
    }

    private enum RestCheck { case ok, impossible, restAfter(Int) }

    /// Walks the schedule in `start`: driving accumulates leg by leg; rests added after a stop and
    /// waiting of at least `minPart` with nobody on board count as interruptions, and once they
    /// total `rest` the driving count starts again. Beyond `maxDriving`: where to rest (the last
    /// stop since the count started that leaves the vehicle empty), or impossible.
    private func restCheck(_ rule: BreakRule, into record: inout [RouteSchedule.Rest]?) -> RestCheck {
        var drive = rule.drivenBeforeStart, restSum = 0, candidate = -1
        let t = instance.tables
        for i in 0..<(count - 1) {
            if rest[i] > 0 {
                let from = start[i] &+ t.serviceTime[nodes[i]]
                record?.append(RouteSchedule.Rest(afterStop: i, start: from, end: from &+ rest[i], waiting: false))
                restSum &+= rest[i]
                if restSum >= rule.rest { drive = 0; restSum = 0; candidate = -1 }
            } else if emptyAfter[i] != 0 && drive > 0 && (i > 0 || rule.drivenBeforeStart > 0) {
                candidate = i
            }
            drive &+= t.time(nodes[i], nodes[i + 1])
            if drive > rule.maxDriving { return candidate >= 0 ? .restAfter(candidate) : .impossible }
            let arrival = start[i] &+ arc[i]
            let wait = start[i + 1] &- arrival
            if emptyAfter[i] != 0 && wait >= rule.minPart && i + 1 < count - 1 {
                record?.append(RouteSchedule.Rest(afterStop: i, start: arrival, end: start[i + 1], waiting: true))
                restSum &+= wait
                if restSum >= rule.rest { drive = 0; restSum = 0; candidate = -1 }
            }
        }
        return .ok
    }

    /// Least solution of the constraint system into `start`; false when none exists.
    private func leastSchedule() -> Bool {
        let last = count - 1
        let duration = instance.vehicles[currentVehicle].maxRouteDuration
        var from = 0
        var rounds = 0
        let maxRounds = pairCount + 2
        while true {
            var t = from == 0 ? lower[0] : start[from - 1] &+ arc[from - 1]
            for i in from...last {
                t = i == 0 ? lower[0] : max(lower[i], t)
                guard t <= latest[i] else { return false }
                start[i] = t
                t = t &+ arc[i]
            }
            var raised = Int.max
            for c in 0..<pairCount {
                let a = pairPickup[c]
                let excess = start[pairDropoff[c]] &- start[a] &- pairLimit[c]
                if excess > 0 {
                    lower[a] = start[a] &+ excess
                    raised = min(raised, a)
                }
            }
            let excess = start[last] &- start[0] &- duration
            if excess > 0 {
                lower[0] = start[0] &+ excess
                raised = 0
            }
            if raised == Int.max { return true }
            rounds += 1
            if rounds > maxRounds { return false }
            from = raised
        }
    }
}

/// Times at every stop of one route, as reported to dispatchers.
public struct RouteSchedule: Sendable, Equatable {
    public struct Stop: Sendable, Equatable {
        /// Node index (depots included, first and last).
        public var node: Int
        public var arrival: Int
        public var serviceStart: Int
        public var departure: Int
        public var loadAfter: Load
        public var waiting: Int { serviceStart - arrival }
    }

    /// A driver's rest: after stop `afterStop` (index into `stops`), from `start` to `end`;
    /// `waiting` when it is time the vehicle waits anyway (at the next stop, empty), not time added.
    public struct Rest: Sendable, Equatable {
        public var afterStop: Int
        public var start: Int
        public var end: Int
        public var waiting: Bool
    }

    public var vehicle: Int
    public var stops: [Stop]
    /// Sum of travel times along the route (its cost).
    public var travelTime: Int
    /// The rests that keep the driving rule (empty without one).
    public var rests: [Rest] = []

    public var departure: Int { stops.first!.serviceStart }
    public var returnTime: Int { stops.last!.serviceStart }
    public var duration: Int { returnTime - departure }

    /// Ride time of every request on the route (from leaving the pickup to the start of service at
    /// the drop-off), keyed by request index, in route order of pickups.
    public func rideTimes(in instance: DispatchInstance) -> [(request: Int, rideTime: Int)] {
        var result: [(Int, Int)] = []
        for (i, stop) in stops.enumerated() where instance.isPickup(stop.node) {
            let drop = instance.dropoff(stop.node)
            if let j = stops[(i + 1)...].firstIndex(where: { $0.node == drop }) {
                result.append((stop.node, stops[j].serviceStart - stop.departure))
            }
        }
        return result
    }
}
