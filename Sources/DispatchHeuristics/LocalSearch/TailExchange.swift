import DispatchCore

/// 2-opt* for dial-a-ride: two routes swap their tails at points where both vehicles are empty,
/// so every passenger keeps pickup and drop-off on one route.
/// - Complexity: per pass, O(z_A · z_B · m) for each pair of routes with z empty points each.
struct TailExchange: LocalSearchMove {
    var name: String { "2-opt*" }

    func improve(_ solution: inout Solution, context: SearchContext) -> Bool {
        let inst = context.instance
        var changed = false
        let kCount = solution.routes.count
        for a in 0..<kCount {
            for b in (a + 1)..<kCount {
                let ra = solution.routes[a], rb = solution.routes[b]
                if ra.isEmpty && rb.isEmpty { continue }
                let before = ra.cost + rb.cost
                var bestGain = 0
                var bestStops: ([Int32], [Int32])?
                for i in 0...ra.stopCount where ra.loadAfter[i] == .zero {
                    for j in 0...rb.stopCount where rb.loadAfter[j] == .zero {
                        if (i == ra.stopCount && j == rb.stopCount) || (i == 0 && j == 0) { continue }
                        let newA = Array(ra.stops[0..<i]) + Array(rb.stops[j...])
                        let newB = Array(rb.stops[0..<j]) + Array(ra.stops[i...])
                        let after = inst.routeCost(newA, vehicle: a) + inst.routeCost(newB, vehicle: b)
                        guard before - after > bestGain,
                              context.evaluator.isFeasible(vehicle: a, stops: newA),
                              context.evaluator.isFeasible(vehicle: b, stops: newB) else { continue }
                        bestGain = before - after
                        bestStops = (newA, newB)
                    }
                }
                if let (newA, newB) = bestStops {
                    solution.routes[a].setStops(newA, instance: inst)
                    solution.routes[b].setStops(newB, instance: inst)
                    for s in newA where inst.isPickup(Int(s)) { solution.routeOf[Int(s)] = Int32(a) }
                    for s in newB where inst.isPickup(Int(s)) { solution.routeOf[Int(s)] = Int32(b) }
                    solution.cost -= bestGain
                    changed = true
                }
            }
        }
        return changed
    }
}
