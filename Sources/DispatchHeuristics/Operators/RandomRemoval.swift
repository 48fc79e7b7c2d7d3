import DispatchCore

/// Removes requests chosen uniformly at random (Ropke & Pisinger 2006).
struct RandomRemoval: RemovalOperator {
    var name: String { "random" }

    func remove(count: Int, from solution: inout Solution, context: SearchContext) {
        var served = solution.servedRequests
        var removed = 0
        while removed < count && !served.isEmpty {
            let i = context.rng.nextInt(below: served.count)
            let r = served[i]
            served.swapAt(i, served.count - 1)
            served.removeLast()
            if solution.remove(request: r, instance: context.instance, evaluator: context.evaluator) { removed += 1 }
        }
    }
}
