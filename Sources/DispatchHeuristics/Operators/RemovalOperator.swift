import DispatchCore
import RoadNetwork

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
