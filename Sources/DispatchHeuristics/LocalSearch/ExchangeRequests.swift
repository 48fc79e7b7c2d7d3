import DispatchCore

/// Swaps two requests of different routes, each going to its cheapest feasible position in the
/// other route, when that lowers the total travel time. Partners are limited to the `neighbours`
/// requests nearest in space (pickup and drop-off), so a pass stays near-linear on large plans.
struct ExchangeRequests: LocalSearchMove {
    var neighbours = 12
    var name: String { "exchange" }

    func improve(_ solution: inout Solution, context: SearchContext) -> Bool {
        let inst = context.instance
        var changed = false
        var withoutCache = [RouteState?](repeating: nil, count: inst.requestCount)
        func without(_ r: Int) -> RouteState? {
            if let cached = withoutCache[r] { return cached }
            let k = Int(solution.routeOf[r])
            let stops = solution.routes[k].stopsWithout(request: r, instance: inst)
            guard context.evaluator.isFeasible(vehicle: k, stops: stops) else { return nil }
            let state = RouteState(vehicle: k, stops: stops, instance: inst)
            withoutCache[r] = state
            return state
        }
        let served = solution.servedRequests
        for r1 in served {
            let a = Int(solution.routeOf[r1])
            guard a >= 0 else { continue }
            var partners = served.filter { solution.routeOf[$0] >= 0 && Int(solution.routeOf[$0]) != a }
            func distance(_ r: Int) -> Int {
                inst.time(r1, r) + inst.time(inst.dropoff(r1), inst.dropoff(r))
            }
            if partners.count > neighbours {
                partners.sort { distance($0) != distance($1) ? distance($0) < distance($1) : $0 < $1 }
                partners.removeLast(partners.count - neighbours)
            }
            for r2 in partners {
                let b = Int(solution.routeOf[r2])
                guard b >= 0, b != a, solution.routeOf[r1] == Int32(a),
                      inst.isCompatible(request: r1, vehicle: b), inst.isCompatible(request: r2, vehicle: a),
                      let aWithout = without(r1), let bWithout = without(r2),
                      let into1 = context.finder.best(request: r2, in: aWithout),
                      let into2 = context.finder.best(request: r1, in: bWithout) else { continue }
                let before = solution.routes[a].cost + solution.routes[b].cost
                let after = aWithout.cost + into1.delta + bWithout.cost + into2.delta
                guard after < before else { continue }
                let oldCost = solution.cost
                solution.remove(request: r1, instance: inst, evaluator: context.evaluator)
                solution.remove(request: r2, instance: inst, evaluator: context.evaluator)
                solution.insert(into1, route: a, instance: inst)
                solution.insert(into2, route: b, instance: inst)
                precondition(solution.cost < oldCost, "exchange must improve")
                for i in withoutCache.indices { withoutCache[i] = nil }
                changed = true
                break
            }
        }
        return changed
    }
}
