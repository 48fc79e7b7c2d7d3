extension DispatchInstance {
    /// The objective weight of one unserved request that every solver optimizes with (ALNS's
    /// default): larger than any travel time a plan can save by leaving requests out, so serving
    /// more always wins. A plan's objective is `cost + unservedPenalty · unserved`, in ticks; the
    /// lower bounds of `SolveResult` bound that objective.
    ///
    /// The sum over the requests of the largest depot → pickup → drop-off → depot round trip plus
    /// depot → depot time over the vehicles (ALGORITHMS.md §2.4).
    /// - Complexity: O(n·K).
    public var unservedPenalty: Int {
        var total = 1
        for r in 0..<requestCount {
            var worst = 0
            for k in 0..<vehicleCount {
                let a = time(startDepot(k), r) + time(r, dropoff(r)) + time(dropoff(r), endDepot(k)) + time(startDepot(k), endDepot(k))
                worst = max(worst, a)
            }
            total &+= worst
        }
        return total
    }

    /// `cost + unservedPenalty · unserved` of a plan, in ticks.
    /// - Complexity: O(n·K + stops).
    public func objective(of plan: Plan, penalty: Int? = nil) -> Int {
        plan.cost(in: self) &+ (penalty ?? unservedPenalty) &* plan.unserved.count
    }
}
