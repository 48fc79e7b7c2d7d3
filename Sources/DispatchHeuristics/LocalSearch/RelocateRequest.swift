import DispatchCore

/// Moves one request to its cheapest feasible position in any route (its own included) when
/// that lowers the total travel time.
/// - Complexity: per pass, one insertion search per request and candidate route.
struct RelocateRequest: LocalSearchMove {
    var name: String { "relocate" }

    func improve(_ solution: inout Solution, context: SearchContext) -> Bool {
        let inst = context.instance
        var changed = false
        var routes: [Int] = []
        for r in solution.servedRequests {
            let k = Int(solution.routeOf[r])
            let without = solution.routes[k].stopsWithout(request: r, instance: inst)
            guard context.evaluator.isFeasible(vehicle: k, stops: without) else { continue }
            let shorter = RouteState(vehicle: k, stops: without, instance: inst)
            let gain = solution.routes[k].cost - shorter.cost
            context.candidateRoutes(solution, into: &routes)
            var best: (insertion: Insertion, route: Int)?
            for target in routes {
                let state = target == k ? shorter : solution.routes[target]
                guard let ins = context.finder.best(request: r, in: state) else { continue }
                if ins.delta < gain && (best == nil || ins.delta < best!.insertion.delta) { best = (ins, target) }
            }
            guard let move = best else { continue }
            let oldCost = solution.cost
            solution.remove(request: r, instance: inst, evaluator: context.evaluator)
            solution.insert(move.insertion, route: move.route, instance: inst)
            precondition(solution.cost < oldCost, "relocate must improve")
            changed = true
        }
        return changed
    }
}
