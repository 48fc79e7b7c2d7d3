import DispatchCore

/// Empties one random route (all its requests go to the bank); for small `count`, a random
/// route among those with at most `count` requests when there is one.
struct RouteRemoval: RemovalOperator {
    var name: String { "route" }

    func remove(count: Int, from solution: inout Solution, context: SearchContext) {
        let used = solution.routes.indices.filter { !solution.routes[$0].isEmpty }
        guard !used.isEmpty else { return }
        let small = used.filter { solution.routes[$0].stopCount / 2 <= count }
        let pool = small.isEmpty ? used : small
        let k = pool[context.rng.nextInt(below: pool.count)]
        for s in solution.routes[k].stops where context.instance.isPickup(Int(s)) {
            solution.remove(request: Int(s), instance: context.instance, evaluator: context.evaluator)
        }
    }
}
