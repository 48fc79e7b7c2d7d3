import DispatchCore

/// A working solution of the search: one `RouteState` per vehicle and the request bank.
struct Solution {
    var routes: [RouteState]
    /// Route (vehicle) of each request, -1 when in the bank.
    var routeOf: [Int32]
    /// Requests not in any route.
    var bank: [Int32]
    var cost: Int

    init(instance: DispatchInstance) {
        routes = (0..<instance.vehicleCount).map { RouteState(vehicle: $0, stops: [], instance: instance) }
        routeOf = [Int32](repeating: -1, count: instance.requestCount)
        bank = (0..<instance.requestCount).map { Int32($0) }
        cost = 0
    }

    /// The working form of a plan (whose routes are feasible).
    init(plan: Plan, instance: DispatchInstance) {
        routes = plan.routes.enumerated().map { RouteState(vehicle: $0.offset, stops: $0.element, instance: instance) }
        routeOf = [Int32](repeating: -1, count: instance.requestCount)
        for (k, stops) in plan.routes.enumerated() {
            for s in stops where instance.isPickup(Int(s)) { routeOf[Int(s)] = Int32(k) }
        }
        bank = plan.unserved.map { Int32($0) }
        cost = routes.reduce(0) { $0 + $1.cost }
    }

    var unservedCount: Int { bank.count }

    /// The scalar objective: cost plus `penalty` per unserved request.
    func objective(penalty: Int) -> Int { cost &+ penalty &* bank.count }

    /// Inserts `insertion` into route `k` (already confirmed feasible).
    mutating func insert(_ insertion: Insertion, route k: Int, instance: DispatchInstance) {
        let old = routes[k].cost
        routes[k].setStops(insertion.apply(to: routes[k].stops, instance: instance), instance: instance)
        cost += routes[k].cost - old
        routeOf[insertion.request] = Int32(k)
        if let i = bank.firstIndex(of: Int32(insertion.request)) { bank.swapAt(i, bank.count - 1); bank.removeLast() }
    }

    /// Removes request `r` from its route into the bank. Returns false (and changes nothing) when
    /// the shorter route would be infeasible, which only a travel matrix without the triangle
    /// inequality allows.
    @discardableResult
    mutating func remove(request r: Int, instance: DispatchInstance, evaluator: RouteEvaluator) -> Bool {
        let k = Int(routeOf[r])
        guard k >= 0 else { return false }
        let stops = routes[k].stopsWithout(request: r, instance: instance)
        guard evaluator.isFeasible(vehicle: k, stops: stops) else { return false }
        let old = routes[k].cost
        routes[k].setStops(stops, instance: instance)
        cost += routes[k].cost - old
        routeOf[r] = -1
        bank.append(Int32(r))
        return true
    }

    var plan: Plan {
        Plan(routes: routes.map(\.stops), unserved: bank.map(Int.init).sorted())
    }

    /// A hash of the routes, to recognise solutions visited before (order of vehicles matters).
    var fingerprint: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for route in routes {
            for s in route.stops { h = (h ^ UInt64(UInt32(bitPattern: s))) &* 0x100_0000_01b3 }
            h = (h ^ 0xffff) &* 0x100_0000_01b3
        }
        return h
    }
}
