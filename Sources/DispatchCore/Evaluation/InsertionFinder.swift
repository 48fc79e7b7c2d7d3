/// Where to put a request into a route: pickup after position `pickupAfter`, drop-off after
/// position `dropoffAfter` (positions of the route before insertion, 0 = start depot;
/// equal positions mean the drop-off directly follows the pickup).
public struct Insertion: Sendable, Hashable {
    public var request: Int
    public var pickupAfter: Int
    public var dropoffAfter: Int
    /// Change of the route's travel time.
    public var delta: Int

    public init(request: Int, pickupAfter: Int, dropoffAfter: Int, delta: Int) {
        self.request = request
        self.pickupAfter = pickupAfter
        self.dropoffAfter = dropoffAfter
        self.delta = delta
    }

    /// The route's stops after the insertion.
    public func apply(to stops: [Int32], instance: DispatchInstance) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(stops.count + 2)
        result.append(contentsOf: stops[0..<pickupAfter])
        result.append(Int32(request))
        result.append(contentsOf: stops[pickupAfter..<dropoffAfter])
        result.append(Int32(instance.dropoff(request)))
        result.append(contentsOf: stops[dropoffAfter...])
        return result
    }
}

/// Finds the cheapest feasible insertion of a request into a route (ALGORITHMS.md §1.4 (a), (b), (d)).
///
/// All position pairs are screened in O(1) each with the cached time segments (windows, route
/// duration), loads and ride-time slacks, which are necessary conditions only; candidates that pass
/// are confirmed in increasing cost order with the exact `RouteEvaluator` until one succeeds. The
/// answer is therefore exactly the cheapest insertion that a full re-evaluation accepts.
///
/// One finder per thread.
/// - Complexity: O(m²) screening plus O(m) per confirmed candidate, for a route of m stops.
public final class InsertionFinder {
    public let instance: DispatchInstance
    public let evaluator: RouteEvaluator
    private var candidates: [(delta: Int, p: Int32, q: Int32)] = []
    /// Statistics: exact confirmations run.
    public private(set) var confirmations = 0

    public init(instance: DispatchInstance) {
        self.instance = instance
        evaluator = RouteEvaluator(instance: instance)
    }

    /// The cheapest feasible insertion of request `r` into `route`, or nil.
    public func best(request r: Int, in route: RouteState) -> Insertion? {
        guard instance.tables.isCompatible(request: r, vehicle: route.vehicle) else { return nil }
        candidates.removeAll(keepingCapacity: true)
        screen(request: r, route: route)
        return confirm(request: r, route: route)
    }

    private func screen(request r: Int, route: RouteState) {
        route.nodes.withUnsafeBufferPointer { nodes in
            route.forward.withUnsafeBufferPointer { forward in
                route.backward.withUnsafeBufferPointer { backward in
                    route.loadAfter.withUnsafeBufferPointer { loadAfter in
                        route.minRideSlack.withUnsafeBufferPointer { minRideSlack in
                            screen(request: r, vehicle: route.vehicle, nodes: nodes, forward: forward, backward: backward,
                                   loadAfter: loadAfter, minRideSlack: minRideSlack)
                        }
                    }
                }
            }
        }
    }

    private func screen(request r: Int, vehicle k: Int, nodes: UnsafeBufferPointer<Int32>, forward: UnsafeBufferPointer<TimeSegment>,
                        backward: UnsafeBufferPointer<TimeSegment>, loadAfter: UnsafeBufferPointer<Load>,
                        minRideSlack: UnsafeBufferPointer<Int>) {
        let inst = instance.tables
        let vehicle = instance.vehicles[k]
        let capacity = vehicle.capacity
        let maxDuration = vehicle.maxRouteDuration
        let x = r, y = r + inst.requestCount
        let segX = TimeSegment(node: x, in: inst), segY = TimeSegment(node: y, in: inst)
        let load = inst.loadChange[r]
        let maxRide = inst.maxRideTime[r]
        let dx = inst.serviceTime[x], dy = inst.serviceTime[y]
        let latestX = inst.latest[x]
        let m = nodes.count - 2
        let emptyExtra = m == 0 ? inst.time(Int(nodes[0]), Int(nodes[1])) : 0
        let txy = inst.time(x, y)
        // Skip the positions whose successor must start before x can even be left: the latest
        // start of the stop after position p (backward segment) grows with p, so binary search.
        let readyX = inst.earliest[x] &+ dx
        var low = 0, high = m
        while low < high {
            let mid = (low + high) / 2
            if backward[mid + 1].latest < readyX { low = mid + 1 } else { high = mid }
        }
        for p in low...m {
            let vp = Int(nodes[p])
            if forward[p].earliest &+ forward[p].duration &- inst.serviceTime[vp] > latestX { break }
            guard capacity.admits(loadAfter[p] + load) else { continue }
            let tpx = inst.time(vp, x)
            let head = forward[p].then(segX, travel: tpx)
            if head.timeWarp > 0 { continue }
            let vp1 = Int(nodes[p + 1])
            let txp1 = inst.time(x, vp1)
            let tpp1 = inst.time(vp, vp1)
            let detourP = tpx &+ txp1 &- tpp1
            // p == q: x and y adjacent.
            do {
                let withY = head.then(segY, travel: txy)
                let ty1 = inst.time(y, vp1)
                let full = withY.then(backward[p + 1], travel: ty1)
                let detour = tpx &+ txy &+ ty1 &- tpp1
                if full.timeWarp == 0, full.duration <= maxDuration, detour &+ dx &+ dy <= minRideSlack[p] {
                    let delta = detour &+ emptyExtra
                    candidates.append((delta, Int32(p), Int32(p)))
                }
            }
            // p < q.
            if p == m || detourP &+ dx > minRideSlack[p] { continue }
            var headMid = head
            var last = x
            var rideSoFar = 0
            for q in stride(from: p + 1, through: m, by: 1) {
                let vq = Int(nodes[q])
                guard capacity.admits(loadAfter[q] + load) else { break }
                let t = inst.time(last, vq)
                headMid = headMid.then(TimeSegment(node: vq, in: inst), travel: t)
                if headMid.timeWarp > 0 { break }
                // Ride of r up to the start of service at v_q, without waiting: grows with q.
                rideSoFar &+= t &+ (q == p + 1 ? 0 : inst.serviceTime[last])
                if rideSoFar > maxRide { break }
                last = vq
                let tqy = inst.time(vq, y)
                if rideSoFar &+ inst.serviceTime[vq] &+ tqy > maxRide { continue }
                let vq1 = Int(nodes[q + 1])
                let tyq1 = inst.time(y, vq1)
                let detourQ = tqy &+ tyq1 &- inst.time(vq, vq1)
                if detourQ &+ dy > minRideSlack[q] { continue }
                let full = headMid.then(segY, travel: tqy).then(backward[q + 1], travel: tyq1)
                if full.timeWarp == 0, full.duration <= maxDuration {
                    let delta = detourP &+ detourQ &+ emptyExtra
                    candidates.append((delta, Int32(p), Int32(q)))
                }
            }
        }
    }

    private func confirm(request r: Int, route: RouteState) -> Insertion? {
        var remaining = candidates.count
        while remaining > 0 {
            var bestIndex = 0
            for i in 1..<remaining where candidates[i].delta < candidates[bestIndex].delta
                || (candidates[i].delta == candidates[bestIndex].delta && (candidates[i].p, candidates[i].q) < (candidates[bestIndex].p, candidates[bestIndex].q)) {
                bestIndex = i
            }
            let c = candidates[bestIndex]
            candidates.swapAt(bestIndex, remaining - 1)
            remaining -= 1
            let insertion = Insertion(request: r, pickupAfter: Int(c.p), dropoffAfter: Int(c.q), delta: c.delta)
            confirmations &+= 1
            let feasible = route.nodes.withUnsafeBufferPointer {
                evaluator.isFeasible(vehicle: route.vehicle, routeNodes: $0, inserting: r, pickupAfter: Int(c.p), dropoffAfter: Int(c.q))
            }
            if feasible { return insertion }
        }
        return nil
    }
}
