import DispatchCore

/// Least and greatest feasible service-start times of one route of vehicle 0 (depots included).
///
/// A route's schedule is a system of difference constraints (ALGORITHMS.md §1.3): windows,
/// `B[k+1] ≥ B[k] + s[k] + t(k, k+1)`, `B[drop] − B[pick] ≤ s[pick] + L` and
/// `B[end] − B[start] ≤ T`. Its solutions form a lattice; the least solution is found by forward
/// passes that raise a pickup's (or the depot's) lower bound whenever a ride (duration) limit is
/// exceeded, the greatest by backward passes that lower a drop-off's (the end depot's) upper
/// bound. Used only to derive event windows; feasibility itself is decided by `RouteEvaluator`.
/// - Complexity: O(m²) per route of m stops.
struct WitnessScheduler {
    let inst: DispatchInstance

    /// (least, greatest) service starts for depot, stops…, depot; nil when infeasible.
    func bounds(_ stops: [Int32]) -> (least: [Int], greatest: [Int])? {
        let n = inst.requestCount
        var nodes = [inst.startDepot(0)]
        nodes += stops.map { Int($0) }
        nodes.append(inst.endDepot(0))
        let m = nodes.count
        var arc = [Int](repeating: 0, count: m)
        for i in 0..<(m - 1) { arc[i] = inst.serviceTime[nodes[i]] + inst.time(nodes[i], nodes[i + 1]) }
        var pairs: [(p: Int, d: Int, limit: Int)] = []
        var position = [Int: Int]()
        for (i, v) in nodes.enumerated() where i > 0 && i < m - 1 {
            if inst.isPickup(v) { position[v] = i } else if let p = position[v - n] {
                pairs.append((p, i, inst.requests[v - n].maxRideTime + inst.serviceTime[v - n]))
            } else { return nil }
        }
        let duration = inst.vehicles[0].maxRouteDuration
        // Least solution.
        var lower = nodes.map { inst.earliest[$0] }
        let upperWindow = nodes.map { inst.latest[$0] }
        var least = [Int](repeating: 0, count: m)
        var rounds = 0
        while true {
            var t = Int.min
            for i in 0..<m {
                t = max(lower[i], t)
                if t > upperWindow[i] { return nil }
                least[i] = t
                t += arc[i]
            }
            var changed = false
            for c in pairs where least[c.d] - least[c.p] > c.limit {
                lower[c.p] = least[c.d] - c.limit
                changed = true
            }
            if least[m - 1] - least[0] > duration {
                lower[0] = least[m - 1] - duration
                changed = true
            }
            if !changed { break }
            rounds += 1
            if rounds > pairs.count + 2 + m { return nil }
        }
        // Greatest solution.
        var upper = upperWindow
        var greatest = [Int](repeating: 0, count: m)
        rounds = 0
        while true {
            var t = Int.max
            for i in stride(from: m - 1, through: 0, by: -1) {
                t = min(upper[i], t)
                if t < inst.earliest[nodes[i]] { return nil }
                greatest[i] = t
                if i > 0 { t -= arc[i - 1] }
            }
            var changed = false
            for c in pairs where greatest[c.d] - greatest[c.p] > c.limit {
                upper[c.d] = greatest[c.p] + c.limit
                changed = true
            }
            if greatest[m - 1] - greatest[0] > duration {
                upper[m - 1] = greatest[0] + duration
                changed = true
            }
            if !changed { break }
            rounds += 1
            if rounds > pairs.count + 2 + m { return nil }
        }
        return (least, greatest)
    }
}
