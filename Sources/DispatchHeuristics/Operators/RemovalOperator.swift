import DispatchCore

/// A destroy move of the large neighbourhood search: takes `count` served requests out into the bank.
protocol RemovalOperator {
    var name: String { get }
    func remove(count: Int, from solution: inout Solution, context: SearchContext)
}

extension Solution {
    /// Served requests, in increasing order.
    var servedRequests: [Int] {
        var result: [Int] = []
        for r in 0..<routeOf.count where routeOf[r] >= 0 { result.append(r) }
        return result
    }
}

extension SearchContext {
    /// A rank in `0..<count` drawn as ⌊y^p · count⌋ with y uniform in [0, 1) (Ropke & Pisinger's
    /// randomised choice: p large favours the first ranks).
    func randomizedRank(count: Int, exponent p: Double) -> Int {
        let y = rng.nextDouble()
        var yp = 1.0
        for _ in 0..<Int(p) { yp *= y }
        return min(count - 1, Int(yp * Double(count)))
    }
}
