import DispatchCore

/// Removes related requests: close in space, in time and in load (Shaw 1998; weights φ = 9,
/// χ = 3, ψ = 2 and randomisation p = 6 as in Ropke & Pisinger 2006). Times are the earliest
/// service starts of the current routes.
struct ShawRemoval: RemovalOperator {
    var randomization = 6.0
    var name: String { "shaw" }

    func remove(count: Int, from solution: inout Solution, context: SearchContext) {
        let inst = context.instance
        let n = inst.requestCount
        var served = solution.servedRequests
        guard !served.isEmpty else { return }
        // Service start estimate per node of served requests.
        var time = [Int](repeating: 0, count: 2 * n)
        for route in solution.routes where !route.isEmpty {
            for i in 1...route.stopCount { time[Int(route.nodes[i])] = route.earliestStart(at: i, instance: inst) }
        }
        let horizon = Double(max(1, (inst.vehicles.map(\.shift.latest).max() ?? 1) - (inst.vehicles.map(\.shift.earliest).min() ?? 0)))
        let distanceScale = Double(context.maxTravel)
        let maxLoad = Double(max(1, inst.requests.map { Int($0.load.values[0] + $0.load.values[1]) }.max() ?? 1))
        func relatedness(_ a: Int, _ b: Int) -> Double {
            let d = Double(inst.time(a, b) + inst.time(b, a) + inst.time(inst.dropoff(a), inst.dropoff(b)) + inst.time(inst.dropoff(b), inst.dropoff(a))) / (2 * distanceScale)
            let t = Double(abs(time[a] - time[b]) + abs(time[inst.dropoff(a)] - time[inst.dropoff(b)])) / horizon
            let la = inst.requests[a].load.values, lb = inst.requests[b].load.values
            let q = Double(abs(Int(la[0] - lb[0])) + abs(Int(la[1] - lb[1]))) / maxLoad
            return 9 * d + 3 * t + 2 * q
        }
        var removedList: [Int] = []
        let first = served.remove(at: context.rng.nextInt(below: served.count))
        if solution.remove(request: first, instance: inst, evaluator: context.evaluator) { removedList.append(first) }
        var guardCount = 0
        while removedList.count < count && !served.isEmpty && guardCount < 4 * count {
            guardCount += 1
            let anchor = removedList.isEmpty ? served[0] : removedList[context.rng.nextInt(below: removedList.count)]
            let rank = context.randomizedRank(count: served.count, exponent: randomization)
            let pick = Self.element(ofRank: rank, in: served) { (relatedness(anchor, $0), $0) }
            served.removeAll { $0 == pick }
            if solution.remove(request: pick, instance: inst, evaluator: context.evaluator) { removedList.append(pick) }
        }
    }

    /// The element of `items` at position `rank` when ordered by `key` (ties by the second
    /// component), without sorting everything: `y^p` makes small ranks by far the most common.
    /// - Complexity: O(|items| · (rank + 1)) for small ranks, O(|items| log |items|) otherwise.
    static func element(ofRank rank: Int, in items: [Int], key: (Int) -> (Double, Int)) -> Int {
        if rank >= 16 {
            return items.map(key).sorted { $0 < $1 }[rank].1
        }
        var smallest: [(Double, Int)] = []
        smallest.reserveCapacity(rank + 2)
        for item in items {
            let k = key(item)
            if smallest.count == rank + 1, !(k < smallest[rank]) { continue }
            var i = smallest.count
            smallest.append(k)
            while i > 0 && smallest[i] < smallest[i - 1] { smallest.swapAt(i, i - 1); i -= 1 }
            if smallest.count > rank + 1 { smallest.removeLast() }
        }
        return smallest[rank].1
    }
}
