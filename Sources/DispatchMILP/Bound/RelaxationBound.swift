import DispatchCore

/// A lower bound, proven by GLPK, on the objective every solver optimizes — travel time plus
/// `DispatchInstance.unservedPenalty` per unserved request, in ticks — for any fleet (several
/// depots, seat and wheelchair layouts, `serves` restrictions, shifts, route durations, drivers'
/// breaks).
///
/// Model: the event-based MILP of `EventMILPSolver` built on the event graph of a *relaxed fleet*
/// (`RelaxedFleet`: one vehicle that can do whatever any real vehicle can, with travel times never
/// longer than the real ones), with these changes:
///
///     minimise   Σ_a c_a x_a + P Σ_i u_i
///     subject to Σ_{e∈P_i} y_e + u_i = 1                              every request i   (served or not)
///                Σ_{a = (g, j+)} x_a ≤ K_g,  Σ_{a = (i−, h)} x_a ≤ K_h   every start / end depot g, h
///                Σ_{a from a depot} x_a ≤ K
///                flow, time, pickup / drop-off time, ride limit and arc-window rows as in EventMILPSolver
///
/// Arcs between stops cost the real travel time c_a = t(u, v). Each arc that leaves the start
/// depot is copied once per real start location g (cost t(g, j+), kept when a vehicle starting at g
/// may serve j alone — compatible, and the route j+ j− feasible for it — and reach j's pickup within
/// its shift and j's window); each arc into the end depot once per real end location h (kept when a
/// vehicle ending at h may serve i alone and be back within its shift). K_g / K_h count the vehicles
/// (duties) that start / end there; u_i is fixed to 1 for a request no vehicle may serve alone (a
/// route that serves i, cut down to i, is feasible for its vehicle: the old schedule still works).
///
/// Why it is a lower bound: take any plan. Each route of vehicle k is a feasible route of the
/// relaxed vehicle with the same schedule (`RelaxedFleet`), hence a depot-to-depot path of its
/// event graph (the graph keeps every feasible route); choose the copies of its first and last
/// arcs for k's depots (they exist, by the conditions above). With B, T, U from the schedule and
/// u_i = 1 for the unserved requests, this is an integer solution of the model whose objective is
/// exactly the plan's `cost + P · unserved` (every row holds as in the exact model's proof; the
/// depot rows count at most one route per vehicle). So the model's optimum, and any lower bound
/// on it — the LP relaxation's optimum, or GLPK's best bound in branch and bound — is at most the
/// objective of every plan. GLPK works in floating point: the bound is lowered by a relative
/// 2·10⁻⁶ plus 10⁻³ tick, then rounded up to whole ticks (every plan's objective is a whole number
/// of ticks, so a bound b proves ⌈b⌉).
///
/// Per depot: with vehicles at several depots, a second model takes one relaxed fleet per group of
/// vehicles with the same start and end places (its own event graph and columns; the served rows
/// sum over the groups; T_i, U_i are shared, since a request is served by one route). A real route
/// of vehicle k maps into k's group as above, so the argument holds unchanged; the model now knows
/// that a route returns to the depot it left and which shifts and layouts that depot has. The higher
/// of the two bounds is reported.
///
/// The model leaves out route durations beyond the longest, drivers' breaks and which vehicle of a
/// group serves which request: the bound can be weaker than the optimum, never above it.
public struct RelaxationBound: Sendable {
    public struct Configuration: Sendable {
        /// No bound above this many requests (the event graph grows with the requests that overlap).
        public var maxRequests = 400
        /// Stop building the event graph (no bound) above this many arcs.
        public var arcLimit = 800_000
        /// The time, ride and arc-window rows (stronger, larger).
        public var timeRows = true
        /// After the LP relaxation, branch and bound on the model for the time left: its best
        /// bound replaces the LP's when higher.
        public var branchAndBound = true
        /// With vehicles at several depots, a second model with one relaxed fleet per depot. Off by
        /// default: on the demo day (5 depots) it is five times larger (6.8k events, 42k arcs) and
        /// its LP bound is no higher (37.82 h against 37.89 h), because the depot pairing costs
        /// little there and each group's flow gets its own service times.
        public var perDepot = false
        /// Share of the time left after the first model's LP that the per-depot model may take.
        public var perDepotShare = 0.5
        public init() {}
    }

    public struct Result: Sendable {
        /// Ticks; nil when no bound was proven in time (see `note`).
        public var lowerBound: Int?
        /// The LP relaxation's bound (ticks), when it was solved.
        public var rootBound: Int?
        /// The weight of an unserved request in the bounded objective (ticks).
        public var penalty: Int
        /// Why there is no bound, or how it ended.
        public var note: String
        public var events = 0, arcs = 0, rows = 0, columns = 0
        public var graphSeconds = 0.0, seconds = 0.0
    }

    public var configuration: Configuration
    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Builds and solves the model on the calling thread (it owns the GLPK problem) until `deadline`.
    /// - Parameter penalty: the weight of an unserved request (default: the instance's).
    public func compute(_ inst: DispatchInstance, penalty: Int? = nil, deadline: ContinuousClock.Instant,
                        stop: StopSignal? = nil) -> Result {
        let began = ContinuousClock.now
        var result = solve(inst, penalty: penalty ?? inst.unservedPenalty, deadline: deadline, stop: stop)
        result.seconds = (ContinuousClock.now - began).seconds
        return result
    }

    /// One relaxed fleet for all vehicles (LP only when a per-depot model follows), then — with
    /// vehicles at more than one depot and time left — one relaxed fleet per depot (vehicles that
    /// start and end at the same places), which knows that a route returns to its own depot; the
    /// higher bound wins.
    private func solve(_ inst: DispatchInstance, penalty P: Int, deadline: ContinuousClock.Instant, stop: StopSignal?) -> Result {
        let n = inst.requestCount
        guard n > 0 else { return Result(lowerBound: 0, rootBound: 0, penalty: P, note: "no requests") }
        guard n <= configuration.maxRequests else {
            return Result(lowerBound: nil, rootBound: nil, penalty: P,
                          note: "\(n) requests, more than the \(configuration.maxRequests) the bound's model is built for")
        }
        var depots: [[Int]] = []
        var depotOf: [Int: Int] = [:]
        for (k, v) in inst.vehicles.enumerated() {
            let key = v.startLocation &* 1_000_003 &+ v.endLocation
            if let d = depotOf[key] { depots[d].append(k) } else { depotOf[key] = depots.count; depots.append([k]) }
        }
        let all = [Array(inst.vehicles.indices)]
        guard configuration.perDepot, depots.count > 1 else {
            return model(inst, groups: all, penalty: P, deadline: deadline, stop: stop, branchAndBound: configuration.branchAndBound)
        }
        var first = model(inst, groups: all, penalty: P, deadline: deadline, stop: stop, branchAndBound: false)
        let now = ContinuousClock.now
        guard stop?.isRaised != true, now < deadline else { return first }
        // The per-depot model gets a share of the time left; the rest goes to branch and bound on
        // the first model if the second is not better.
        let share = Duration.milliseconds(Int64((deadline - now).seconds * configuration.perDepotShare * 1000))
        let second = model(inst, groups: depots, penalty: P, deadline: now + share, stop: stop, branchAndBound: configuration.branchAndBound)
        if let b = second.lowerBound, b >= (first.lowerBound ?? Int.min) {
            var result = second
            result.note = "per depot: " + result.note
            return result
        }
        let perDepot = "per depot (\(second.events) events, \(second.arcs) arcs): " + (second.lowerBound.map { "lower (\($0))" } ?? second.note)
        if configuration.branchAndBound, stop?.isRaised != true, ContinuousClock.now < deadline {
            let again = model(inst, groups: all, penalty: P, deadline: deadline, stop: stop, branchAndBound: true)
            if let b = again.lowerBound, b >= (first.lowerBound ?? Int.min) { first = again }
        }
        first.note += "; " + perDepot
        return first
    }

    /// The model over one relaxed fleet per group of vehicles (each group's event graph, its depot
    /// arcs priced per real depot of the group and limited to the group's vehicles there).
    private func model(_ inst: DispatchInstance, groups: [[Int]], penalty P: Int, deadline: ContinuousClock.Instant, stop: StopSignal?,
                       branchAndBound: Bool) -> Result {
        let clock = ContinuousClock()
        let began = clock.now
        var result = Result(lowerBound: nil, rootBound: nil, penalty: P, note: "")
        let n = inst.requestCount
        let K = inst.vehicleCount

        // Which vehicle may serve which request on its own (a route of k that serves r, cut down to
        // r alone, is a feasible route of k when travel times obey the triangle inequality: the old
        // schedule still works and is no longer). Vehicles with a drivers' break rule, and all of
        // them when the times are not a metric, are only asked for compatibility (the rest
        // placement is not monotone under removing stops).
        let evaluator = RouteEvaluator(instance: inst)
        let metric: Bool
        do { metric = try RelaxedFleet(real: inst).metric } catch { metric = false }
        var alone = [Bool](repeating: false, count: n * K)
        for r in 0..<n {
            for k in 0..<K where inst.isCompatible(request: r, vehicle: k) {
                alone[r * K + k] = !metric || inst.vehicles[k].breaks != nil
                    || evaluator.isFeasible(vehicle: k, stops: [Int32(inst.pickup(r)), Int32(inst.dropoff(r))])
            }
        }
        let servable = (0..<n).map { r in (0..<K).contains { alone[r * K + $0] } }

        // Per group: its relaxed instance and event graph; columns of the arcs.
        struct Group { var instance: DispatchInstance; var graph: EventGraph; var E: [Int]; var L: [Int] }
        struct ArcColumn { var group: Int; var arc: Int; var cost: Int; var start: Int; var end: Int }
        var built: [Group] = []
        var columns: [ArcColumn] = []
        // Depot rows: (group, location) → vehicles.
        var startRows: [(group: Int, location: Int, vehicles: Int)] = [], endRows: [(group: Int, location: Int, vehicles: Int)] = []
        for (gi, members) in groups.enumerated() {
            let relaxed: RelaxedFleet
            do { relaxed = try RelaxedFleet(real: inst, group: members) } catch {
                result.note = "the relaxed fleet could not be built: \(error)"
                return result
            }
            let graph = EventGraph(instance: relaxed.instance, deadline: deadline, arcLimit: configuration.arcLimit)
            guard !graph.aborted else {
                result.note = clock.now > deadline ? "the event graph was not finished within the time limit"
                    : "the event graph grew past \(configuration.arcLimit) arcs"
                return result
            }
            guard stop?.isRaised != true else { result.note = "stopped"; return result }
            let events = graph.events, arcs = graph.arcs
            var E = graph.earliest, L = graph.latest
            // An event whose window is empty is on no feasible route: its arcs go, its time is fixed.
            var dead = [Bool](repeating: false, count: events.count)
            for e in 2..<events.count where E[e] > L[e] { dead[e] = true; L[e] = E[e] }
            result.events += events.count
            result.arcs += arcs.count
            var startGroups: [Int: [Int]] = [:], endGroups: [Int: [Int]] = [:]
            for k in members {
                startGroups[inst.vehicles[k].startLocation, default: []].append(k)
                endGroups[inst.vehicles[k].endLocation, default: []].append(k)
            }
            let starts = startGroups.keys.sorted(), ends = endGroups.keys.sorted()
            let firstStart = startRows.count, firstEnd = endRows.count
            startRows += starts.map { (gi, $0, startGroups[$0]!.count) }
            endRows += ends.map { (gi, $0, endGroups[$0]!.count) }
            for (a, arc) in arcs.enumerated() where !dead[arc.from] && !dead[arc.to] {
                if arc.from == EventGraph.startDepot {
                    let j = events[arc.to].node
                    for (g, location) in starts.enumerated() {
                        let fits = startGroups[location]!.contains { k in
                            alone[j * K + k] && inst.travel.isReachable(location, inst.requests[j].pickupLocation)
                                && inst.vehicles[k].shift.earliest + inst.travel[location, inst.requests[j].pickupLocation] <= inst.latest[j]
                        }
                        if fits {
                            columns.append(ArcColumn(group: gi, arc: a, cost: inst.travel[location, inst.requests[j].pickupLocation],
                                                     start: firstStart + g, end: -1))
                        }
                    }
                } else if arc.to == EventGraph.endDepot {
                    let v = events[arc.from].node, i = v - n
                    for (h, location) in ends.enumerated() {
                        let fits = endGroups[location]!.contains { k in
                            alone[i * K + k] && inst.travel.isReachable(inst.requests[i].dropoffLocation, location)
                                && inst.earliest[v] + inst.serviceTime[v] + inst.travel[inst.requests[i].dropoffLocation, location] <= inst.vehicles[k].shift.latest
                        }
                        if fits {
                            columns.append(ArcColumn(group: gi, arc: a, cost: inst.travel[inst.requests[i].dropoffLocation, location],
                                                     start: -1, end: firstEnd + h))
                        }
                    }
                } else {
                    columns.append(ArcColumn(group: gi, arc: a, cost: inst.time(events[arc.from].node, events[arc.to].node), start: -1, end: -1))
                }
            }
            built.append(Group(instance: relaxed.instance, graph: graph, E: E, L: L))
        }
        result.graphSeconds = (clock.now - began).seconds
        guard !columns.isEmpty else {
            // No route at all: every request is unserved in every plan.
            result.lowerBound = P &* n
            result.rootBound = result.lowerBound
            result.note = "no vehicle can serve any request"
            return result
        }

        // The model's unit: minutes (times and costs of a few hundred, not tens of thousands, keep
        // the simplex stable with the big-M rows).
        let scale = Double(inst.timeScale.ticksPerUnit * 60) / Double(inst.timeScale.secondsPerUnit)
        func units(_ ticks: Int) -> Double { Double(ticks) / scale }
        let problem = MILPProblem()
        let C = columns.count
        let xFirst = problem.addColumns(C, binary: true, name: "x")
        for (c, column) in columns.enumerated() { problem.setCost(column: xFirst + Int32(c), units(column.cost)) }
        let uFirst = problem.addColumns(n, binary: false, lower: 0, upper: 1, name: "u")
        for i in 0..<n {
            problem.setCost(column: uFirst + Int32(i), units(P))
            if !servable[i] { problem.setBounds(column: uFirst + Int32(i), lower: 1, upper: 1) }
        }
        var incoming = built.map { [[Int]](repeating: [], count: $0.graph.events.count) }, outgoing = incoming
        for (c, column) in columns.enumerated() {
            let arc = built[column.group].graph.arcs[column.arc]
            incoming[column.group][arc.to].append(c)
            outgoing[column.group][arc.from].append(c)
        }
        var ri: [Int32] = [], ci: [Int32] = [], vi: [Double] = []
        func put(_ r: Int32, _ c: Int32, _ v: Double) { ri.append(r); ci.append(c); vi.append(v) }
        func x(_ c: Int) -> Int32 { xFirst + Int32(c) }
        var servedRow = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            servedRow[i] = problem.addRow(lower: 1, upper: 1, name: "served[\(i)]")
            put(servedRow[i], uFirst + Int32(i), 1)
        }
        for (gi, group) in built.enumerated() {
            let events = group.graph.events
            for e in 2..<events.count where !(incoming[gi][e].isEmpty && outgoing[gi][e].isEmpty) {
                let r = problem.addRow(lower: 0, upper: 0, name: "flow[\(gi),\(e)]")
                for c in incoming[gi][e] { put(r, x(c), 1) }
                for c in outgoing[gi][e] { put(r, x(c), -1) }
            }
            for e in 2..<events.count where group.instance.isPickup(events[e].node) {
                for c in incoming[gi][e] { put(servedRow[events[e].node], x(c), 1) }
            }
        }
        for (g, row) in startRows.enumerated() {
            let r = problem.addRow(lower: nil, upper: Double(row.vehicles), name: "start[\(g)]")
            for c in outgoing[row.group][EventGraph.startDepot] where columns[c].start == g { put(r, x(c), 1) }
        }
        for (h, row) in endRows.enumerated() {
            let r = problem.addRow(lower: nil, upper: Double(row.vehicles), name: "end[\(h)]")
            for c in incoming[row.group][EventGraph.endDepot] where columns[c].end == h { put(r, x(c), 1) }
        }
        let fleet = problem.addRow(lower: nil, upper: Double(K), name: "fleet")
        for (gi, _) in built.enumerated() { for c in outgoing[gi][EventGraph.startDepot] { put(fleet, x(c), 1) } }

        if configuration.timeRows {
            // Requests without a pickup event are left out in every plan (u_i = 1): no time rows.
            var hasEvent = [Bool](repeating: false, count: n)
            for (gi, group) in built.enumerated() {
                let events = group.graph.events
                for e in 2..<events.count where group.instance.isPickup(events[e].node) && !incoming[gi][e].isEmpty { hasEvent[events[e].node] = true }
            }
            let rinst = built[0].instance
            let tFirst = problem.addColumns(n, binary: false, name: "T"), uTimeFirst = problem.addColumns(n, binary: false, name: "U")
            for i in 0..<n {
                problem.setBounds(column: tFirst + Int32(i), lower: units(inst.earliest[i]), upper: units(max(inst.earliest[i], inst.latest[i])))
                problem.setBounds(column: uTimeFirst + Int32(i), lower: units(inst.earliest[n + i]),
                                  upper: units(max(inst.earliest[n + i], inst.latest[n + i])))
            }
            for (gi, group) in built.enumerated() {
                addTimeRows(problem: problem, inst: group.instance, graph: group.graph, E: group.E, L: group.L,
                            columns: columns.map { $0.group == gi ? $0.arc : -1 }, incoming: incoming[gi], outgoing: outgoing[gi],
                            xFirst: xFirst, tFirst: tFirst, uFirst: uTimeFirst, hasEvent: hasEvent, units: units, put: put)
            }
            for i in 0..<n where hasEvent[i] {
                let r = problem.addRow(lower: nil, upper: units(rinst.requests[i].maxRideTime + rinst.serviceTime[i]), name: "ride[\(i)]")
                put(r, uTimeFirst + Int32(i), 1); put(r, tFirst + Int32(i), -1)
            }
        }
        problem.loadMatrix(rows: ri, columns: ci, values: vi)
        problem.scale()
        result.rows = problem.rowCount
        result.columns = problem.columnCount

        let left = Int((deadline - clock.now).seconds * 1000)
        guard left > 0 else { result.note = "no time left for the LP relaxation after the event graph"; return result }
        // Every plan's objective is a whole number of ticks: a bound b proves ⌈b⌉.
        let margin = { (value: Double) -> Int in
            Int((value * scale - 2e-6 * abs(value * scale) - 1e-3).rounded(.up))
        }
        if branchAndBound {
            var options = MILPProblem.Options(milliseconds: left)
            if let stop { options.shouldStop = { stop.isRaised } }
            let outcome = problem.solve(options, start: nil)
            guard outcome.rootBound.isFinite else {
                result.note = "the LP relaxation was not solved: \(outcome.termination)"
                return result
            }
            result.rootBound = margin(outcome.rootBound)
            let best = outcome.lowerBound.isFinite ? max(outcome.lowerBound, outcome.rootBound) : outcome.rootBound
            result.lowerBound = margin(best)
            result.note = outcome.termination == .optimal ? "the relaxation solved to optimality" : "LP relaxation and branch-and-bound bound (\(outcome.termination))"
        } else {
            guard problem.solveRelaxation(milliseconds: left) else { result.note = "the LP relaxation was not solved (\(problem.relaxationStatus))"; return result }
            result.rootBound = margin(problem.relaxationObjective)
            result.lowerBound = result.rootBound
            result.note = "LP relaxation"
        }
        return result
    }

    /// The time rows of `EventMILPSolver` over the arc columns (several columns may share a graph
    /// arc: the depot copies).
    private func addTimeRows(problem: MILPProblem, inst: DispatchInstance, graph: EventGraph, E: [Int], L: [Int], columns arcOf: [Int],
                             incoming: [[Int]], outgoing: [[Int]], xFirst: Int32, tFirst: Int32, uFirst: Int32, hasEvent: [Bool],
                             units: (Int) -> Double,
                             put: (Int32, Int32, Double) -> Void) {
        let events = graph.events, arcs = graph.arcs
        let n = inst.requestCount
        guard events.count > 2 else { return }
        var bColumn = [Int32](repeating: 0, count: events.count)
        let bFirst = problem.addColumns(events.count - 2, binary: false, name: "B")
        for e in 2..<events.count {
            bColumn[e] = bFirst + Int32(e - 2)
            problem.setBounds(column: bColumn[e], lower: units(E[e]), upper: units(L[e]))
        }
        func x(_ c: Int) -> Int32 { xFirst + Int32(c) }
        for (c, a) in arcOf.enumerated() where a >= 0 && arcs[a].from >= 2 && arcs[a].to >= 2 {
            let arc = arcs[a]
            let need = inst.serviceTime[events[arc.from].node] + arc.time
            let M = L[arc.from] + need - E[arc.to]
            guard M > 0 else { continue }
            let r = problem.addRow(lower: units(need - M), upper: nil, name: "time[\(c)]")
            put(r, bColumn[arc.to], 1); put(r, bColumn[arc.from], -1); put(r, x(c), -units(M))
        }
        for e in 2..<events.count where hasEvent[inst.request(ofNode: events[e].node)!] {
            let v = events[e].node
            if inst.isPickup(v) {
                let M = inst.latest[v] - E[e]
                guard M > 0 else { continue }
                let r = problem.addRow(lower: nil, upper: units(M), name: "pickup[\(e)]")
                put(r, tFirst + Int32(v), 1); put(r, bColumn[e], -1)
                for c in incoming[e] { put(r, x(c), units(M)) }
            } else {
                let M = L[e] - inst.earliest[v]
                guard M > 0 else { continue }
                let r = problem.addRow(lower: -units(M), upper: nil, name: "dropoff[\(e)]")
                put(r, uFirst + Int32(v - n), 1); put(r, bColumn[e], -1)
                for c in incoming[e] { put(r, x(c), -units(M)) }
            }
        }
        for e in 2..<events.count {
            for (list, outgoingSide) in [(incoming[e], false), (outgoing[e], true)] where !list.isEmpty {
                var low = [Int](repeating: 0, count: list.count), tightensLow = false, tightensHigh = false
                var high = [Int](repeating: 0, count: list.count)
                for (p, c) in list.enumerated() {
                    let arc = arcs[arcOf[c]]
                    let lo = outgoingSide ? arc.fromEarliest : arc.toEarliest
                    let hi = outgoingSide ? arc.fromLatest : arc.toLatest
                    low[p] = lo > E[e] ? min(lo, L[e]) : E[e]
                    high[p] = hi < L[e] ? max(hi, E[e]) : L[e]
                    if lo > E[e] { tightensLow = true }
                    if hi < L[e] { tightensHigh = true }
                }
                if tightensLow {
                    // B_e − Σ_c lo(c) x_c ≥ 0
                    let r = problem.addRow(lower: 0, upper: nil, name: "\(outgoingSide ? "out" : "in")low[\(e)]")
                    put(r, bColumn[e], 1)
                    for (p, c) in list.enumerated() { put(r, x(c), -units(low[p])) }
                }
                if tightensHigh {
                    // B_e − Σ_c (hi(c) − L_e) x_c ≤ L_e
                    let r = problem.addRow(lower: nil, upper: units(L[e]), name: "\(outgoingSide ? "out" : "in")high[\(e)]")
                    put(r, bColumn[e], 1)
                    for (p, c) in list.enumerated() where high[p] < L[e] { put(r, x(c), -units(high[p] - L[e])) }
                }
            }
        }
    }
}
