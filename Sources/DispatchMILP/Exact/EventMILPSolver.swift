import DispatchCore

/// Exact dial-a-ride solver: the event-based MILP of Gaul, Klamroth & Stiglmayr (2022) solved by
/// GLPK's branch and cut, warm-started with a heuristic plan.
///
/// Graph: `EventGraph` (events = stop + on-board set; capacity, pairing and precedence hold on
/// every depot-to-depot path by construction). Notation: A arcs, V events (depots 0/1 excluded
/// from time variables), `P_i` / `D_i` the pickup / drop-off events of request i, `δ⁻(e)` the
/// arcs into e, `y_e = Σ_{a∈δ⁻(e)} x_a`. Times are in the instance's unit (ticks / ticksPerUnit).
///
///     minimise   Σ_a c_a x_a
///     subject to Σ_{a∈δ⁻(e)} x_a − Σ_{a∈δ⁺(e)} x_a = 0         every event e ≠ depot   (flow)
///                Σ_{e∈P_i} y_e = 1                              every request i          (served once)
///                Σ_{a∈δ⁺(start depot)} x_a ≤ K                                           (fleet)
///                B_w − B_v ≥ s_v + t_vw − M_a (1 − x_a)          every arc a = (v,w), v, w ≠ depot
///                    with M_a = L_v + s_v + t_vw − E_w (row dropped when M_a ≤ 0: E_w − L_v ≥ s_v + t_vw already)
///                T_i ≤ B_e + (l_i⁺ − E_e)(1 − y_e)             every e ∈ P_i            (pickup time)
///                U_i ≥ B_e − (L_e − e_i⁻)(1 − y_e)             every e ∈ D_i            (drop-off time)
///                U_i − T_i ≤ L_i + s_i⁺                         every request i          (ride limit)
///                B_e ≥ Σ_{a∈δ⁻(e)} lo_e(a) x_a,  B_e ≤ L_e + Σ_{a∈δ⁻(e)} (hi_e(a) − L_e) x_a     (arc windows,
///                    and the same over δ⁺(e)); [lo_e(a), hi_e(a)] = hull of B_e over a's witnesses
///                E_e ≤ B_e ≤ L_e,  e_i⁺ ≤ T_i ≤ l_i⁺,  e_i⁻ ≤ U_i ≤ l_i⁻,  x_a ∈ {0,1}
///
/// Why it is exact:
/// - Every feasible plan maps to a solution: its routes are depot-to-depot paths through the
///   graph (no arc of a feasible route is pruned, see `EventGraph`), B = the route's schedule
///   (which lies in the event windows [E_e, L_e], also proven valid there), T_i / U_i = the
///   pickup / drop-off service starts; unused events take B = E_e, which satisfies every arc row
///   with x = 0 because M_a is exactly the largest possible violation L_v + s + t − E_w.
///   Each event is visited at most once: its request's pickup (or drop-off) happens once.
/// - Every integer solution is a plan: x decomposes into ≤ K depot paths plus cycles; a cycle
///   would need B to grow strictly around it (travel times between distinct stops are positive),
///   so none exists. Along a path, the arc rows give a schedule with windows; the served-once rows
///   put each pickup on exactly one path, and the graph puts its drop-off after it on the same
///   path; `T_i ≤ B(pickup)`, `U_i ≥ B(drop-off)` and `U_i − T_i ≤ L_i + s_i` give the ride
///   limit exactly (B[drop] − (B[pick] + s) ≤ L). The route duration is not modelled: the solver
///   refuses instances where it binds (on the Cordeau sets it equals the depot window).
/// - Arc windows are valid: at most one arc of δ⁻(e) (of δ⁺(e)) is used; if none, the rows say
///   B_e ≥ 0 and B_e ≤ L_e; if arc a is used, the route restricted to a's witness requests is a
///   feasible witness schedule, so B_e lies in a's hull (least / greatest solutions, `WitnessScheduler`).
/// - GLPK works in floating point: the plan it returns is re-checked with `RouteEvaluator`.
public struct EventMILPSolver: Sendable {
    public struct Configuration: Sendable {
        public var gmiCuts = false
        public var mirCuts = false
        public var coverCuts = false
        public var cliqueCuts = false
        public var pseudocost = false
        public var bestProjection = false
        /// Arc-dependent time windows (valid inequalities, see the type's documentation).
        public var arcWindows = true
        /// Stop at this relative gap (0 = prove optimality); the status is then `feasible`.
        public var mipGap = 0.0
        /// GLPK's progress output on the terminal.
        public var verbose = false
        /// Stop branch and bound after this many node selections (nil: only the time limit), so
        /// that a run without a time limit gives the same plan every time.
        public var nodeLimit: Int?
        public init() {}
    }

    public enum Status: String, Sendable {
        case optimal, feasible, infeasible, timeLimit, unsupported, failed
    }

    public struct Result: Sendable {
        public var status: Status
        public var plan: Plan?
        /// Cost of `plan` in ticks (rounded travel times).
        public var cost: Int?
        /// GLPK's objective and best proven lower bound, in instance units.
        public var objective: Double?
        public var lowerBound: Double?
        public var rootBound: Double?
        /// How GLPK ended (nil when it was not called).
        public var termination: MILPTermination?
        public var warmStartAccepted = false
        public var rows = 0, columns = 0, events = 0, arcs = 0, candidateArcs = 0, witnessChecks = 0, mismatches = 0
        public var graphSeconds = 0.0, solveSeconds = 0.0
        public var note = ""
    }

    public var configuration: Configuration
    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// - Parameter progress: GLPK's incumbent and bound during branch and cut (instance units),
    ///   called on this thread.
    /// - Parameter stop: raised from outside, ends the branch-and-cut with its best plan.
    public func solve(_ inst: DispatchInstance, timeLimit: Duration, warmStart: Plan?,
                      progress: ((MILPProgress) -> Void)? = nil, stop: StopSignal? = nil) -> Result {
        let clock = ContinuousClock()
        let began = clock.now
        func seconds(since t: ContinuousClock.Instant) -> Double { (clock.now - t).seconds }
        var result = Result(status: .failed)
        let classes = VehicleClasses(instance: inst)
        guard classes.members.count == 1 else { result.status = .unsupported; result.note = "vehicles are not interchangeable"; return result }
        let v0 = inst.vehicles[0]
        guard v0.maxRouteDuration >= v0.shift.latest - v0.shift.earliest else {
            result.status = .unsupported; result.note = "the route duration limit binds"; return result
        }
        let n = inst.requestCount, K = inst.vehicleCount
        guard n > 0 else {
            result.status = .optimal
            result.plan = Plan(routes: Array(repeating: [], count: K), unserved: [])
            result.cost = 0
            result.objective = 0
            result.lowerBound = 0
            return result
        }
        let scale = Double(inst.timeScale.ticksPerUnit)
        func units(_ ticks: Int) -> Double { Double(ticks) / scale }

        let graph = EventGraph(instance: inst, deadline: began + timeLimit)
        result.graphSeconds = seconds(since: began)
        guard !graph.aborted else {
            result.status = .timeLimit
            result.note = "the event graph was not finished within the time limit (or grew past its size limit)"
            return result
        }
        result.events = graph.events.count
        result.arcs = graph.arcs.count
        result.candidateArcs = graph.candidateArcs
        result.witnessChecks = graph.witnessChecks
        result.mismatches = graph.scheduleMismatches
        let events = graph.events, arcs = graph.arcs
        let E = graph.earliest, L = graph.latest
        for e in 2..<events.count where E[e] > L[e] {
            result.note = "empty event window"; return result
        }

        // A request without a reachable pickup event cannot be served: no plan serves every request.
        var hasPickup = [Bool](repeating: false, count: n)
        for arc in arcs where arc.to >= 2 && events[arc.to].node < n { hasPickup[events[arc.to].node] = true }
        if hasPickup.contains(false) {
            result.status = .infeasible
            result.note = "a request has no feasible pickup event"
            return result
        }

        // Columns: x_a (1…A), B_e (events 2…), T_i, U_i.
        let problem = MILPProblem()
        let A = arcs.count
        let xFirst = problem.addColumns(A, binary: true, name: "x")
        for (a, arc) in arcs.enumerated() { problem.setCost(column: xFirst + Int32(a), units(arc.time)) }
        var bColumn = [Int32](repeating: 0, count: events.count)
        let bFirst = problem.addColumns(events.count - 2, binary: false, name: "B")
        for e in 2..<events.count {
            bColumn[e] = bFirst + Int32(e - 2)
            problem.setBounds(column: bColumn[e], lower: units(E[e]), upper: units(L[e]))
        }
        let tFirst = problem.addColumns(n, binary: false, name: "T"), uFirst = problem.addColumns(n, binary: false, name: "U")
        for i in 0..<n {
            problem.setBounds(column: tFirst + Int32(i), lower: units(inst.earliest[i]), upper: units(inst.latest[i]))
            problem.setBounds(column: uFirst + Int32(i), lower: units(inst.earliest[n + i]), upper: units(inst.latest[n + i]))
        }

        var incoming = [[Int]](repeating: [], count: events.count), outgoing = [[Int]](repeating: [], count: events.count)
        for (a, arc) in arcs.enumerated() { incoming[arc.to].append(a); outgoing[arc.from].append(a) }
        var ri: [Int32] = [], ci: [Int32] = [], vi: [Double] = []
        func put(_ r: Int32, _ c: Int32, _ v: Double) { ri.append(r); ci.append(c); vi.append(v) }
        for e in 2..<events.count {
            let r = problem.addRow(lower: 0, upper: 0, name: "flow[\(e)]")
            for a in incoming[e] { put(r, xFirst + Int32(a), 1) }
            for a in outgoing[e] { put(r, xFirst + Int32(a), -1) }
        }
        var servedRow = [Int32](repeating: 0, count: n)
        for i in 0..<n { servedRow[i] = problem.addRow(lower: 1, upper: 1, name: "served[\(i)]") }
        for e in 2..<events.count where inst.isPickup(events[e].node) {
            for a in incoming[e] { put(servedRow[events[e].node], xFirst + Int32(a), 1) }
        }
        let fleet = problem.addRow(lower: nil, upper: Double(K), name: "fleet")
        for a in outgoing[0] { put(fleet, xFirst + Int32(a), 1) }
        // Arc time rows.
        for (a, arc) in arcs.enumerated() where arc.from >= 2 && arc.to >= 2 {
            let u = events[arc.from].node
            let need = inst.serviceTime[u] + arc.time
            let M = L[arc.from] + need - E[arc.to]
            guard M > 0 else { continue }
            // B_w − B_v − M x_a ≥ need − M
            let r = problem.addRow(lower: units(need - M), upper: nil, name: "time[\(a)]")
            put(r, bColumn[arc.to], 1); put(r, bColumn[arc.from], -1); put(r, xFirst + Int32(a), -units(M))
        }
        // Ride rows.
        for e in 2..<events.count {
            let v = events[e].node
            if inst.isPickup(v) {
                // T_i − B_e + M y_e ≤ M, M = l_i⁺ − E_e
                let M = inst.latest[v] - E[e]
                guard M > 0 else { continue }
                let r = problem.addRow(lower: nil, upper: units(M), name: "pickup[\(e)]")
                put(r, tFirst + Int32(v), 1); put(r, bColumn[e], -1)
                for a in incoming[e] { put(r, xFirst + Int32(a), units(M)) }
            } else {
                let i = v - n
                // U_i − B_e − M y_e ≥ −M, M = L_e − e_i⁻
                let M = L[e] - inst.earliest[v]
                guard M > 0 else { continue }
                let r = problem.addRow(lower: -units(M), upper: nil, name: "dropoff[\(e)]")
                put(r, uFirst + Int32(i), 1); put(r, bColumn[e], -1)
                for a in incoming[e] { put(r, xFirst + Int32(a), -units(M)) }
            }
        }
        // Arc-dependent windows: B_e ≥ Σ_{a∈δ⁻(e)} lo_e(a) x_a and B_e ≤ L_e + Σ_{a∈δ⁻(e)} (hi_e(a) − L_e) x_a,
        // and the same over δ⁺(e) with the witness hull at the arc's tail.
        if configuration.arcWindows {
            for e in 2..<events.count {
                for (list, outgoingSide) in [(incoming[e], false), (outgoing[e], true)] {
                    var lows: [(Int, Int)] = [], highs: [(Int, Int)] = []
                    for a in list {
                        let lo = outgoingSide ? arcs[a].fromEarliest : arcs[a].toEarliest
                        let hi = outgoingSide ? arcs[a].fromLatest : arcs[a].toLatest
                        if lo > E[e] { lows.append((a, min(lo, L[e]))) }
                        if hi < L[e] { highs.append((a, max(hi, E[e]))) }
                    }
                    // Only worth a row when some arc tightens the window; arcs without a row entry contribute
                    // E_e (lower row, via the E_e·y term) or L_e (upper row).
                    if !lows.isEmpty {
                        // B_e − Σ_a lo(a) x_a ≥ 0 with lo(a) = max(E_e, hull), E_e for arcs without a witness hull
                        let r = problem.addRow(lower: 0, upper: nil, name: "\(outgoingSide ? "out" : "in")low[\(e)]")
                        put(r, bColumn[e], 1)
                        var low = [Int: Int]()
                        for (a, lo) in lows { low[a] = lo }
                        for a in list { put(r, xFirst + Int32(a), -units(low[a] ?? E[e])) }
                    }
                    if !highs.isEmpty {
                        // B_e − Σ_a (hi(a) − L_e) x_a ≤ L_e
                        let r = problem.addRow(lower: nil, upper: units(L[e]), name: "\(outgoingSide ? "out" : "in")high[\(e)]")
                        put(r, bColumn[e], 1)
                        for (a, hi) in highs { put(r, xFirst + Int32(a), -units(hi - L[e])) }
                    }
                }
            }
        }
        for i in 0..<n {
            let r = problem.addRow(lower: nil, upper: units(inst.requests[i].maxRideTime + inst.serviceTime[i]), name: "ride[\(i)]")
            put(r, uFirst + Int32(i), 1); put(r, tFirst + Int32(i), -1)
        }
        problem.loadMatrix(rows: ri, columns: ci, values: vi)
        result.rows = problem.rowCount
        result.columns = problem.columnCount

        // Warm start.
        var start: [Double]? = nil
        if let warmStart, warmStart.unserved.isEmpty {
            var values = [Double](repeating: 0, count: problem.columnCount + 1)
            for e in 2..<events.count { values[Int(bColumn[e])] = units(E[e]) }
            for i in 0..<n {
                values[Int(tFirst) + i] = units(inst.earliest[i])
                values[Int(uFirst) + i] = units(inst.earliest[n + i])
            }
            var arcIndex: [Int: Int] = [:]
            for (a, arc) in arcs.enumerated() { arcIndex[arc.from &* 1_000_003 &+ arc.to] = a }
            var eventIndex: [EventGraph.Event: Int] = [:]
            for (e, ev) in events.enumerated() { eventIndex[ev] = e }
            let evaluator = RouteEvaluator(instance: inst)
            var ok = true
            routes: for (k, stops) in warmStart.routes.enumerated() where !stops.isEmpty {
                guard let schedule = evaluator.schedule(vehicle: k, stops: stops) else { ok = false; break }
                var onBoard: [Int] = []
                var previous = 0
                for (pos, s) in stops.enumerated() {
                    let v = Int(s)
                    if inst.isPickup(v) { onBoard = (onBoard + [v]).sorted() } else { onBoard.removeAll { $0 == v - n } }
                    guard let e = eventIndex[EventGraph.Event(node: v, onBoard: onBoard)],
                          let a = arcIndex[previous &* 1_000_003 &+ e] else { ok = false; break routes }
                    values[Int(xFirst) + a] = 1
                    let b = schedule.stops[pos + 1].serviceStart
                    guard b >= E[e] && b <= L[e] else { ok = false; break routes }
                    values[Int(bColumn[e])] = units(b)
                    if inst.isPickup(v) { values[Int(tFirst) + v] = units(b) } else { values[Int(uFirst) + v - n] = units(b) }
                    previous = e
                }
                guard let a = arcIndex[previous &* 1_000_003 &+ 1] else { ok = false; break }
                values[Int(xFirst) + a] = 1
            }
            if ok { start = values } else { result.note = "warm start does not map onto the event graph" }
        }

        let spent = seconds(since: began)
        let limitMs = Int((timeLimit.seconds - spent) * 1000)
        guard limitMs > 0 else { result.status = .timeLimit; return result }
        var options = configuration.options(milliseconds: limitMs)
        options.progress = progress
        if let stop { options.shouldStop = { stop.isRaised } }
        let solveStarted = clock.now
        let outcome = problem.solve(options, start: start)
        result.solveSeconds = seconds(since: solveStarted)
        result.termination = outcome.termination
        result.warmStartAccepted = outcome.warmStartAccepted
        result.rootBound = outcome.rootBound
        result.objective = outcome.objective
        result.lowerBound = outcome.lowerBound.isFinite ? outcome.lowerBound : nil

        guard outcome.objective != nil else {
            switch outcome.termination {
            // An infeasible LP relaxation or an exhausted tree proves the instance infeasible: the
            // event graph keeps every feasible route.
            case .infeasible: result.status = .infeasible
            case .timeLimit, .stopped: result.status = .timeLimit
            default: result.status = .failed; result.note = outcome.termination.description
            }
            return result
        }
        // Decode: follow the chosen arcs from the start depot.
        var chosenOut = [Int](repeating: -1, count: events.count)
        for (a, arc) in arcs.enumerated() where arc.from >= 2 && problem.columnValue(xFirst + Int32(a)) > 0.5 { chosenOut[arc.from] = a }
        var routes = [[Int32]](repeating: [], count: K)
        var k = 0
        for a in outgoing[0] where problem.columnValue(xFirst + Int32(a)) > 0.5 {
            guard k < K else { result.note = "more routes than vehicles"; return result }
            var e = arcs[a].to
            var stops: [Int32] = []
            while e != 1 {
                stops.append(Int32(events[e].node))
                guard chosenOut[e] >= 0, stops.count <= 2 * n else { result.note = "broken path"; return result }
                e = arcs[chosenOut[e]].to
            }
            routes[k] = stops
            k += 1
        }
        // GLPK rounds integer columns within a tolerance and big-M rows can hide that: every decoded
        // route is checked exactly; a failure falls back to the warm start (status failed).
        let evaluator = RouteEvaluator(instance: inst)
        for (vehicle, stops) in routes.enumerated() where !stops.isEmpty && !evaluator.isFeasible(vehicle: vehicle, stops: stops) {
            result.note = "a decoded route fails the exact check"
            return result
        }
        result.plan = Plan(routes: routes, unserved: [])
        result.cost = result.plan!.cost(in: inst)
        switch outcome.termination {
        case .optimal: result.status = .optimal
        case .gapReached: result.status = .feasible
        default: result.status = .timeLimit
        }
        return result
    }
}

extension EventMILPSolver.Configuration {
    /// GLPK's branch-and-cut options for this configuration (shared by `FleetMILPSolver`).
    func options(milliseconds: Int) -> MILPProblem.Options {
        var options = MILPProblem.Options(milliseconds: milliseconds)
        options.cuts = (gmiCuts, mirCuts, coverCuts, cliqueCuts)
        options.pseudocostBranching = pseudocost
        options.bestProjection = bestProjection
        options.mipGap = mipGap
        options.verbose = verbose
        options.nodeLimit = nodeLimit
        return options
    }
}
