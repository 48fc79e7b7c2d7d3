import DispatchCore

/// Recombines pooled routes by set partitioning (the route-pool model of ALGORITHMS.md §3.4;
/// Gschwind & Drexl 2019 use the same idea at the end of their ALNS):
///
///     minimise   Σ_j c_j x_j + P Σ_r u_r
///     subject to Σ_j a_rj x_j + u_r = 1     for every request r   (u_r only for requests the incumbent leaves out)
///                Σ_{j ∈ class h} x_j ≤ |h|   for every vehicle class h
///                x_j, u_r ∈ {0, 1}
///
/// where column j is a pooled route of class h with cost c_j serving the requests with a_rj = 1.
/// Every pooled route is feasible on its own, so every solution is a feasible plan. The
/// incumbent's routes are in the pool and are offered to GLPK as the first heuristic solution.
/// Costs are passed in the instance's units (ticks / ticks per unit) to keep GLPK's numbers small.
public struct SetPartitioningRecombiner: RouteRecombiner {
    /// Largest number of columns handed to GLPK (the cheapest per request served, then the incumbent's).
    public var columnLimit: Int

    public init(columnLimit: Int = 40_000) { self.columnLimit = columnLimit }

    public func recombine(instance: DispatchInstance, classes: VehicleClasses, pool: RoutePool, incumbent: Plan,
                          incumbentCost: Int, timeLimit: Duration) -> Plan? {
        let n = instance.requestCount
        guard n > 0, pool.count > 0 else { return nil }
        let scale = Double(instance.timeScale.ticksPerUnit)
        // Columns: the incumbent's routes first, then the pool by cost per request.
        var incumbentKeys = Set<[Int32]>()
        var columns: [PooledRoute] = []
        for (k, stops) in incumbent.routes.enumerated() where !stops.isEmpty {
            let requests = stops.filter { Int($0) < n }.sorted()
            incumbentKeys.insert(RoutePool.key(requests: requests, vehicleClass: classes.classOf[k]))
            columns.append(PooledRoute(vehicleClass: classes.classOf[k], stops: stops,
                                       cost: instance.routeCost(stops, vehicle: k), requests: requests))
        }
        var rest = pool.routes.filter { !incumbentKeys.contains(RoutePool.key(requests: $0.requests, vehicleClass: $0.vehicleClass)) }
        if rest.count + columns.count > columnLimit {
            rest.sort { Double($0.cost) / Double($0.requests.count) < Double($1.cost) / Double($1.requests.count) }
            rest.removeLast(rest.count + columns.count - columnLimit)
        }
        let incumbentColumns = columns.count
        columns += rest

        var unservedInIncumbent = [Bool](repeating: false, count: n)
        for r in incumbent.unserved { unservedInIncumbent[r] = true }
        let clock = ContinuousClock()
        let started = clock.now
        let totalMilliseconds = timeLimit.milliseconds

        // Reduced-cost fixing: a column whose LP reduced cost exceeds (incumbent − LP bound) is in
        // no plan cheaper than the incumbent, so the MIP only gets the others.
        let relaxation = Model(instance: instance, classes: classes, columns: columns, unservedInIncumbent: unservedInIncumbent, scale: scale)
        guard relaxation.problem.solveRelaxation(milliseconds: totalMilliseconds) else { return nil }
        // (With requests left out the objective carries penalties; then every column stays.)
        let gap = incumbent.unserved.isEmpty ? Double(incumbentCost) / scale - relaxation.problem.relaxationObjective : .infinity
        guard gap > 1e-9 else { return nil }
        var kept: [PooledRoute] = Array(columns[0..<incumbentColumns])
        for j in incumbentColumns..<columns.count where relaxation.problem.reducedCost(Int32(j + 1)) <= gap + 1e-6 {
            kept.append(columns[j])
        }
        columns = kept
        let model = Model(instance: instance, classes: classes, columns: columns, unservedInIncumbent: unservedInIncumbent, scale: scale)
        let problem = model.problem
        var start = [Double](repeating: 0, count: problem.columnCount + 1)
        for j in 0..<incumbentColumns { start[j + 1] = 1 }
        for r in 0..<n where unservedInIncumbent[r] { start[Int(model.unservedColumn[r])] = 1 }
        let spent = clock.now - started
        let milliseconds = max(1, totalMilliseconds - spent.milliseconds)
        var options = MILPProblem.Options(milliseconds: milliseconds)
        options.cuts.clique = true
        guard problem.solve(options, start: start).objective != nil else { return nil }
        let unservedColumn = model.unservedColumn

        // Assign chosen routes to vehicles of their class.
        var free = classes.members.map { Array($0.reversed()) }
        var routes = [[Int32]](repeating: [], count: instance.vehicleCount)
        var total = 0
        for (j, route) in columns.enumerated() where problem.columnValue(Int32(j + 1)) > 0.5 {
            guard let k = free[route.vehicleClass].popLast() else { return nil }
            routes[k] = route.stops
            total += route.cost
        }
        var unserved: [Int] = []
        for r in 0..<n where unservedInIncumbent[r] && problem.columnValue(unservedColumn[r]) > 0.5 { unserved.append(r) }
        let better = unserved.count < incumbent.unserved.count || (unserved.count == incumbent.unserved.count && total < incumbentCost)
        return better ? Plan(routes: routes, unserved: unserved) : nil
    }
}

/// The set-partitioning model over a list of columns.
private struct Model {
    let problem = MILPProblem()
    var unservedColumn: [Int32]

    init(instance: DispatchInstance, classes: VehicleClasses, columns: [PooledRoute], unservedInIncumbent: [Bool], scale: Double) {
        let n = instance.requestCount
        for r in 0..<n { problem.addRow(lower: 1, upper: 1, name: "request[\(r)]") }   // each request once
        for (c, members) in classes.members.enumerated() { problem.addRow(lower: nil, upper: Double(members.count), name: "class[\(c)]") }   // vehicles per class
        var rows: [Int32] = [], cols: [Int32] = [], values: [Double] = []
        for route in columns {
            let j = problem.addColumns(1, binary: true)
            problem.setCost(column: j, Double(route.cost) / scale)
            for r in route.requests { rows.append(Int32(r) + 1); cols.append(j); values.append(1) }
            rows.append(Int32(n + route.vehicleClass + 1)); cols.append(j); values.append(1)
        }
        // A penalty larger than any plan's cost for each request left out (only those the incumbent leaves out).
        let penalty = Double(columns.reduce(0) { $0 + $1.cost }) / scale + 1
        unservedColumn = [Int32](repeating: 0, count: n)
        for r in 0..<n where unservedInIncumbent[r] {
            let j = problem.addColumns(1, binary: true)
            problem.setCost(column: j, penalty)
            unservedColumn[r] = j
            rows.append(Int32(r + 1)); cols.append(j); values.append(1)
        }
        problem.loadMatrix(rows: rows, columns: cols, values: values)
    }
}
