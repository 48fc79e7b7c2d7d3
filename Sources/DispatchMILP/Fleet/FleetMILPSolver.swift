import DispatchCore

/// Exact dial-a-ride solver for real fleets: several depots, seat and wheelchair layouts, `serves`
/// restrictions, shifts, route durations and drivers' breaks, with unserved requests priced as
/// every solver prices them (`DispatchInstance.unservedPenalty`).
///
/// Model: `FleetModel` with one group per vehicle class (`VehicleClasses`: vehicles with the same
/// depots, shift, layouts, limits, break rule and compatibility). The relaxed fleet of a class is
/// its own vehicle without the break rule, so each class's event graph holds exactly the routes
/// its vehicles may drive when rests are ignored, priced at its own depot. The model is a
/// relaxation of the plan problem (`FleetModel`); it can still choose a path that is not a route
/// of its vehicle, in two ways only: a path longer than the route-duration limit (the graph checks
/// durations only on its witness routes), and the drivers' break rule.
///
/// Lazy cuts: every decoded route is checked against its real vehicle by `RouteEvaluator`, the
/// definition of feasibility every solver shares. A path that fails gets the cut
/// `Σ_{c ∈ path} x_c ≤ |path| − 1` (no route of the class uses exactly that path: every route
/// with these arcs is this route) and the model is solved again, warm-started with the best
/// feasible plan known. So when GLPK proves a model optimal and its routes pass the check, the
/// plan is optimal for the real fleet: it is optimal for a relaxation and feasible. GLPK's bound
/// on any of the cut models bounds every plan.
public struct FleetMILPSolver: Sendable {
    public var configuration: EventMILPSolver.Configuration
    /// Stop building the event graphs above this many arcs in all.
    public var arcLimit = 1_500_000
    /// Rounds of cuts at most (each solves the model again; the time limit ends them first).
    public var maxRounds = 10_000

    public init(configuration: EventMILPSolver.Configuration = .init()) { self.configuration = configuration }

    /// Travel times that obey the triangle inequality between the places in use (the event graph's
    /// pruning needs it); nil when they do (shortest paths, as every zone's times are), else why not.
    public static func metricProblem(_ inst: DispatchInstance) -> String? {
        do {
            return try RelaxedFleet(real: inst).metric ? nil : "the travel times do not obey the triangle inequality"
        } catch {
            return "the instance cannot be relaxed: \(error)"
        }
    }

    /// - Parameter warmStart: any feasible plan (it may leave requests out).
    /// - Returns: costs in ticks; `objective` and `lowerBound` in instance units, of the objective
    ///   `cost + unservedPenalty · unserved`.
    public func solve(_ inst: DispatchInstance, timeLimit: Duration, warmStart: Plan?,
                      progress: ((MILPProgress) -> Void)? = nil, stop: StopSignal? = nil) -> EventMILPSolver.Result {
        let clock = ContinuousClock()
        let began = clock.now
        let deadline = began + timeLimit
        var result = EventMILPSolver.Result(status: .failed)
        let n = inst.requestCount, K = inst.vehicleCount
        let P = inst.unservedPenalty
        let perUnit = Double(inst.timeScale.ticksPerUnit)
        if let why = Self.metricProblem(inst) { result.status = .unsupported; result.note = why; return result }
        let classes = VehicleClasses(instance: inst)
        let model: FleetModel
        switch FleetModel.build(inst, groups: classes.members, penalty: P, deadline: deadline, stop: stop, arcLimit: arcLimit, timeRows: true) {
        case .success(let built): model = built
        case .failure(.noColumns):
            // No vehicle can serve any request: leaving them all out is the only plan.
            result.status = .optimal
            result.plan = Plan(routes: Array(repeating: [], count: K), unserved: Array(0..<n))
            result.cost = 0
            result.objective = Double(P * n) / perUnit
            result.lowerBound = result.objective
            result.note = FleetModel.Failure.noColumns.note
            return result
        case .failure(let failure):
            result.status = failure == .stopped || failure == .graphNotFinished ? .timeLimit : .unsupported
            result.note = failure.note
            return result
        }
        result.graphSeconds = (clock.now - began).seconds
        result.events = model.events
        result.arcs = model.arcs
        let problem = model.problem
        let evaluator = RouteEvaluator(instance: inst)
        /// Model units (minutes) → instance units.
        func instanceUnits(_ value: Double) -> Double { value * model.scale / perUnit }

        var best: Plan? = warmStart.flatMap { plan in
            plan.routes.enumerated().allSatisfy { k, stops in stops.isEmpty || evaluator.isFeasible(vehicle: k, stops: stops) } ? plan : nil
        }
        var start = best.flatMap { startValues(model, plan: $0, classes: classes) }
        result.warmStartAccepted = false
        if best != nil && start == nil { result.note = "warm start does not map onto the event graphs" }
        var lowerBound = -Double.infinity
        var cuts = 0
        var options = configuration.options(milliseconds: 0)
        if let progress {
            options.progress = { sample in
                progress(MILPProgress(seconds: (clock.now - began).seconds, incumbent: sample.incumbent.map(instanceUnits),
                                      bound: instanceUnits(sample.bound), nodes: sample.nodes))
            }
        }
        if let stop { options.shouldStop = { stop.isRaised } }
        let solveStarted = clock.now
        var proven = false
        var ended: MILPTermination?
        for _ in 0..<maxRounds {
            let left = Int((deadline - clock.now).seconds * 1000)
            guard left > 0, stop?.isRaised != true else { break }
            options.milliseconds = left
            let outcome = problem.solve(options, start: start)
            ended = outcome.termination
            result.warmStartAccepted = result.warmStartAccepted || outcome.warmStartAccepted
            if result.rootBound == nil, outcome.rootBound.isFinite { result.rootBound = instanceUnits(outcome.rootBound) }
            if outcome.lowerBound.isFinite { lowerBound = max(lowerBound, outcome.lowerBound) }
            guard outcome.objective != nil else { break }
            let decoded = decode(model, classes: classes)
            guard let decoded else { result.note = "the model's solution does not decode into routes"; break }
            var failing: [[Int]] = []
            for (path, vehicle, stops) in decoded.paths where !evaluator.isFeasible(vehicle: vehicle, stops: stops) { failing.append(path) }
            if failing.isEmpty {
                if best.map({ inst.objective(of: decoded.plan) < inst.objective(of: $0) }) ?? true { best = decoded.plan }
                proven = outcome.termination == .optimal
                break
            }
            for path in failing {
                cuts += 1
                problem.addRow(lower: nil, upper: Double(path.count - 1), name: "cut[\(cuts)]", entries: path.map { (model.x($0), 1.0) })
            }
            if outcome.termination != .optimal && outcome.termination != .gapReached { break }
            start = best.flatMap { startValues(model, plan: $0, classes: classes) }
        }
        result.solveSeconds = (clock.now - solveStarted).seconds
        result.rows = problem.rowCount
        result.columns = problem.columnCount
        result.termination = ended
        if cuts > 0 { result.note += (result.note.isEmpty ? "" : "; ") + "\(cuts) route\(cuts == 1 ? "" : "s") cut off (breaks or route duration)" }
        // GLPK works in floating point: its bound in instance units; the caller rounds it down.
        if lowerBound.isFinite { result.lowerBound = instanceUnits(lowerBound) }
        guard let plan = best else {
            result.status = ended == .infeasible ? .failed : .timeLimit
            return result
        }
        result.plan = plan
        result.cost = plan.cost(in: inst)
        result.objective = Double(inst.objective(of: plan)) / perUnit
        if proven {
            result.status = configuration.mipGap > 0 ? .feasible : .optimal
            if configuration.mipGap == 0 { result.lowerBound = result.objective }
        } else {
            result.status = .timeLimit
        }
        return result
    }

    /// The model's routes: per used start column, the path of columns to the end depot, given to
    /// the class's vehicles in order; nil when the chosen arcs do not form paths.
    private func decode(_ model: FleetModel, classes: VehicleClasses) -> (plan: Plan, paths: [(columns: [Int], vehicle: Int, stops: [Int32])])? {
        let inst = model.instance
        let n = inst.requestCount
        let problem = model.problem
        var chosenOut = model.groups.map { [Int](repeating: -1, count: $0.graph.events.count) }
        var used = [Bool](repeating: false, count: model.columns.count)
        for (c, column) in model.columns.enumerated() where problem.columnValue(model.x(c)) > 0.5 {
            used[c] = true
            let arc = model.groups[column.group].graph.arcs[column.arc]
            if arc.from >= 2 { chosenOut[column.group][arc.from] = c }
        }
        var routes = [[Int32]](repeating: [], count: inst.vehicleCount)
        var paths: [(columns: [Int], vehicle: Int, stops: [Int32])] = []
        var next = [Int](repeating: 0, count: classes.members.count)
        for (gi, group) in model.groups.enumerated() {
            let graph = group.graph
            for c in model.outgoing[gi][EventGraph.startDepot] where used[c] {
                guard next[gi] < classes.members[gi].count else { return nil }
                let vehicle = classes.members[gi][next[gi]]
                next[gi] += 1
                var path = [c]
                var e = graph.arcs[model.columns[c].arc].to
                var stops: [Int32] = []
                while e != EventGraph.endDepot {
                    stops.append(Int32(graph.events[e].node))
                    guard chosenOut[gi][e] >= 0, stops.count <= 2 * n else { return nil }
                    let out = chosenOut[gi][e]
                    path.append(out)
                    e = graph.arcs[model.columns[out].arc].to
                }
                routes[vehicle] = stops
                paths.append((path, vehicle, stops))
            }
        }
        var served = [Bool](repeating: false, count: n)
        for route in routes { for s in route where Int(s) < n { served[Int(s)] = true } }
        return (Plan(routes: routes, unserved: (0..<n).filter { !served[$0] }), paths)
    }

    /// Column values (1-based) of `plan` in the model, or nil when a route is not a path of its
    /// class's graph (or its schedule leaves an event window).
    private func startValues(_ model: FleetModel, plan: Plan, classes: VehicleClasses) -> [Double]? {
        let inst = model.instance
        let n = inst.requestCount
        let problem = model.problem
        guard let tFirst = model.tFirst, let uTimeFirst = model.uTimeFirst else { return nil }
        var values = [Double](repeating: 0, count: problem.columnCount + 1)
        for (gi, group) in model.groups.enumerated() {
            for e in 2..<group.graph.events.count where model.bColumns[gi][e] > 0 { values[Int(model.bColumns[gi][e])] = model.units(group.E[e]) }
        }
        for i in 0..<n {
            values[Int(tFirst) + i] = model.units(inst.earliest[i])
            values[Int(uTimeFirst) + i] = model.units(inst.earliest[n + i])
        }
        for i in plan.unserved { values[Int(model.uFirst) + i] = 1 }
        var eventIndex = [[EventGraph.Event: Int]](repeating: [:], count: model.groups.count)
        let evaluator = RouteEvaluator(instance: inst)
        for (k, stops) in plan.routes.enumerated() where !stops.isEmpty {
            let gi = classes.classOf[k]
            let group = model.groups[gi]
            if eventIndex[gi].isEmpty { for (e, ev) in group.graph.events.enumerated() { eventIndex[gi][ev] = e } }
            guard let schedule = evaluator.schedule(vehicle: k, stops: stops) else { return nil }
            // A class's vehicles share their depots, so each arc of its graph has one column.
            func column(from: Int, to: Int) -> Int? {
                model.outgoing[gi][from].first { group.graph.arcs[model.columns[$0].arc].to == to }
            }
            var onBoard: [Int] = []
            var previous = EventGraph.startDepot
            for (position, s) in stops.enumerated() {
                let v = Int(s)
                if inst.isPickup(v) { onBoard = (onBoard + [v]).sorted() } else { onBoard.removeAll { $0 == v - n } }
                guard let e = eventIndex[gi][EventGraph.Event(node: v, onBoard: onBoard)], let c = column(from: previous, to: e) else { return nil }
                values[Int(model.x(c))] = 1
                let b = schedule.stops[position + 1].serviceStart
                guard b >= group.E[e] && b <= group.L[e], model.bColumns[gi][e] > 0 else { return nil }
                values[Int(model.bColumns[gi][e])] = model.units(b)
                if inst.isPickup(v) { values[Int(tFirst) + v] = model.units(b) } else { values[Int(uTimeFirst) + v - n] = model.units(b) }
                previous = e
            }
            guard let c = column(from: previous, to: EventGraph.endDepot) else { return nil }
            values[Int(model.x(c))] = 1
        }
        return values
    }
}
