import DispatchCore

/// Removes requests whose removal saves the most travel time, randomised by `y^p` with p = 3
/// (Ropke & Pisinger 2006). Savings are recomputed only for the route a removal changed.
struct WorstRemoval: RemovalOperator {
    var randomization = 3.0
    var name: String { "worst" }

    func remove(count: Int, from solution: inout Solution, context: SearchContext) {
        let inst = context.instance
        var saving = [Int](repeating: Int.min, count: inst.requestCount)
        var served = solution.servedRequests
        for r in served { saving[r] = -solution.routes[Int(solution.routeOf[r])].removalDelta(request: r, instance: inst) }
        var removed = 0
        var attempts = 0
        while removed < count && !served.isEmpty && attempts < 2 * count {
            attempts += 1
            served.sort { saving[$0] != saving[$1] ? saving[$0] > saving[$1] : $0 < $1 }
            let index = context.randomizedRank(count: served.count, exponent: randomization)
            let r = served.remove(at: index)
            let k = Int(solution.routeOf[r])
            guard solution.remove(request: r, instance: inst, evaluator: context.evaluator) else { continue }
            removed += 1
            for s in solution.routes[k].stops where inst.isPickup(Int(s)) {
                saving[Int(s)] = -solution.routes[k].removalDelta(request: Int(s), instance: inst)
            }
        }
    }
}
