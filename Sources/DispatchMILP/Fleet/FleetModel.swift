import DispatchCore

/// The event-based MILP of `EventMILPSolver` over one event graph per *group* of vehicles (each a
/// `RelaxedFleet`), with unserved requests priced: the model behind both `RelaxationBound` (one
/// group for the whole fleet, or one per depot) and `FleetMILPSolver` (one group per vehicle
/// class, where the relaxed fleet of a class is that class's vehicle).
///
///     minimise   Σ_c c_c x_c + P Σ_i u_i
///     subject to Σ_g Σ_{e∈P_i^g} y_e + u_i = 1                         every request i   (served or not)
///                Σ_{c = (g, j+)} x_c ≤ K_g,  Σ_{c = (i−, h)} x_c ≤ K_h   every start / end depot of a group
///                Σ_{c from a depot} x_c ≤ K
///                flow per group and event; time, pickup / drop-off time, ride-limit and arc-window
///                rows as in `EventMILPSolver`, with B per group and event and T_i, U_i shared
///
/// A column is an arc of a group's graph; each arc that leaves the start depot is copied once per
/// real start location g of the group (cost t(g, j+), kept when a vehicle of the group starting at
/// g may serve j alone and reach j's pickup within its shift and j's window); each arc into the end
/// depot once per real end location h (kept when a vehicle ending at h may serve i alone and be
/// back within its shift). Arcs between stops cost the real travel time. u_i is fixed to 1 for a
/// request no vehicle may serve alone (a route that serves i, cut down to i, is feasible for its
/// vehicle when times obey the triangle inequality: the old schedule still works).
///
/// Every plan maps to an integer solution with the same objective (`RelaxationBound` gives the
/// argument): each route of vehicle k is a path of the graph of k's group with its schedule.
/// The model is therefore a relaxation of the plan problem; what it leaves out is route
/// durations beyond the graph's witness routes (a whole path's duration is not tracked), drivers'
/// breaks and, in a group of unlike vehicles, which vehicle drives which path.
/// `FleetMILPSolver` checks every decoded route against the real vehicle and cuts off the paths
/// that fail.
final class FleetModel {
    struct Group {
        var instance: DispatchInstance
        var graph: EventGraph
        var E: [Int]
        var L: [Int]
        var members: [Int]
    }

    struct ArcColumn {
        var group: Int
        var arc: Int
        var cost: Int
        /// Start row (index into the start rows) of a copy of a start arc, else -1.
        var start: Int
        /// End row of a copy of an end arc, else -1.
        var end: Int
    }

    enum Failure: Error, Equatable {
        case relaxedFleet(String)
        case graphNotFinished
        case graphTooLarge(Int)
        case stopped
        /// No vehicle can serve any request: every plan leaves all of them out.
        case noColumns

        var note: String {
            switch self {
            case .relaxedFleet(let why): "the relaxed fleet could not be built: \(why)"
            case .graphNotFinished: "the event graph was not finished within the time limit"
            case .graphTooLarge(let limit): "the event graph grew past \(limit) arcs"
            case .stopped: "stopped"
            case .noColumns: "no vehicle can serve any request"
            }
        }
    }

    let problem = MILPProblem()
    let instance: DispatchInstance
    let penalty: Int
    private(set) var groups: [Group] = []
    private(set) var columns: [ArcColumn] = []
    /// Per group and event: the columns into and out of it.
    private(set) var incoming: [[[Int]]] = [], outgoing: [[[Int]]] = []
    private(set) var xFirst: Int32 = 0, uFirst: Int32 = 0
    /// Time columns (nil without time rows): T_i, U_i, and B per group and event (0 at the depots).
    private(set) var tFirst: Int32?, uTimeFirst: Int32?
    private(set) var bColumns: [[Int32]] = []
    /// Requests some vehicle may serve alone.
    private(set) var servable: [Bool] = []
    /// Requests with a pickup event in some group.
    private(set) var hasEvent: [Bool] = []
    /// Ticks per model unit: the model works in minutes (times and costs of a few hundred, not tens
    /// of thousands, keep the simplex stable with the big-M rows).
    let scale: Double
    private(set) var events = 0, arcs = 0

    func units(_ ticks: Int) -> Double { Double(ticks) / scale }
    func x(_ c: Int) -> Int32 { xFirst + Int32(c) }

    private init(instance: DispatchInstance, penalty: Int) {
        self.instance = instance
        self.penalty = penalty
        scale = Double(instance.timeScale.ticksPerUnit * 60) / Double(instance.timeScale.secondsPerUnit)
    }

    /// Builds the graphs and the model (rows and columns loaded, not solved) on the calling thread.
    static func build(_ inst: DispatchInstance, groups: [[Int]], penalty P: Int, deadline: ContinuousClock.Instant, stop: StopSignal?,
                      arcLimit: Int, timeRows: Bool) -> Result<FleetModel, Failure> {
        let model = FleetModel(instance: inst, penalty: P)
        do throws(Failure) {
            try model.build(groups: groups, deadline: deadline, stop: stop, arcLimit: arcLimit, timeRows: timeRows)
        } catch {
            return .failure(error)
        }
        return .success(model)
    }

    private func build(groups memberLists: [[Int]], deadline: ContinuousClock.Instant, stop: StopSignal?, arcLimit: Int,
                       timeRows: Bool) throws(Failure) {
        let inst = instance
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
        servable = (0..<n).map { r in (0..<K).contains { alone[r * K + $0] } }

        // Depot rows: (group, location) → vehicles.
        var startRows: [(group: Int, location: Int, vehicles: Int)] = [], endRows: [(group: Int, location: Int, vehicles: Int)] = []
        for (gi, members) in memberLists.enumerated() {
            let relaxed: RelaxedFleet
            do { relaxed = try RelaxedFleet(real: inst, group: members) } catch { throw .relaxedFleet("\(error)") }
            let graph = EventGraph(instance: relaxed.instance, deadline: deadline, arcLimit: arcLimit)
            guard !graph.aborted else { throw ContinuousClock.now > deadline ? .graphNotFinished : .graphTooLarge(arcLimit) }
            guard stop?.isRaised != true else { throw .stopped }
            let events = graph.events, arcs = graph.arcs
            var E = graph.earliest, L = graph.latest
            // An event whose window is empty is on no feasible route: its arcs go, its time is fixed.
            var dead = [Bool](repeating: false, count: events.count)
            for e in 2..<events.count where E[e] > L[e] { dead[e] = true; L[e] = E[e] }
            self.events += events.count
            self.arcs += arcs.count
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
            groups.append(Group(instance: relaxed.instance, graph: graph, E: E, L: L, members: members))
        }
        guard !columns.isEmpty else { throw .noColumns }

        let C = columns.count
        xFirst = problem.addColumns(C, binary: true, name: "x")
        for (c, column) in columns.enumerated() { problem.setCost(column: x(c), units(column.cost)) }
        uFirst = problem.addColumns(n, binary: false, lower: 0, upper: 1, name: "u")
        for i in 0..<n {
            problem.setCost(column: uFirst + Int32(i), units(penalty))
            if !servable[i] { problem.setBounds(column: uFirst + Int32(i), lower: 1, upper: 1) }
        }
        incoming = groups.map { [[Int]](repeating: [], count: $0.graph.events.count) }
        outgoing = incoming
        for (c, column) in columns.enumerated() {
            let arc = groups[column.group].graph.arcs[column.arc]
            incoming[column.group][arc.to].append(c)
            outgoing[column.group][arc.from].append(c)
        }
        var ri: [Int32] = [], ci: [Int32] = [], vi: [Double] = []
        func put(_ r: Int32, _ c: Int32, _ v: Double) { ri.append(r); ci.append(c); vi.append(v) }
        var servedRow = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            servedRow[i] = problem.addRow(lower: 1, upper: 1, name: "served[\(i)]")
            put(servedRow[i], uFirst + Int32(i), 1)
        }
        for (gi, group) in groups.enumerated() {
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
        for gi in groups.indices { for c in outgoing[gi][EventGraph.startDepot] { put(fleet, x(c), 1) } }

        hasEvent = [Bool](repeating: false, count: n)
        for (gi, group) in groups.enumerated() {
            let events = group.graph.events
            for e in 2..<events.count where group.instance.isPickup(events[e].node) && !incoming[gi][e].isEmpty { hasEvent[events[e].node] = true }
        }
        bColumns = groups.map { [Int32](repeating: 0, count: $0.graph.events.count) }
        if timeRows {
            // Requests without a pickup event are left out in every plan (u_i = 1): no time rows.
            let rinst = groups[0].instance
            let tFirst = problem.addColumns(n, binary: false, name: "T"), uTimeFirst = problem.addColumns(n, binary: false, name: "U")
            self.tFirst = tFirst
            self.uTimeFirst = uTimeFirst
            for i in 0..<n {
                problem.setBounds(column: tFirst + Int32(i), lower: units(inst.earliest[i]), upper: units(max(inst.earliest[i], inst.latest[i])))
                problem.setBounds(column: uTimeFirst + Int32(i), lower: units(inst.earliest[n + i]),
                                  upper: units(max(inst.earliest[n + i], inst.latest[n + i])))
            }
            for gi in groups.indices {
                addTimeRows(group: gi, columns: columns.map { $0.group == gi ? $0.arc : -1 }, tFirst: tFirst, uFirst: uTimeFirst, put: put)
            }
            for i in 0..<n where hasEvent[i] {
                let r = problem.addRow(lower: nil, upper: units(rinst.requests[i].maxRideTime + rinst.serviceTime[i]), name: "ride[\(i)]")
                put(r, uTimeFirst + Int32(i), 1); put(r, tFirst + Int32(i), -1)
            }
        }
        problem.loadMatrix(rows: ri, columns: ci, values: vi)
        problem.scale()
    }

    /// The time rows of `EventMILPSolver` over the arc columns of one group (several columns may
    /// share a graph arc: the depot copies).
    private func addTimeRows(group gi: Int, columns arcOf: [Int], tFirst: Int32, uFirst: Int32, put: (Int32, Int32, Double) -> Void) {
        let group = groups[gi]
        let inst = group.instance, graph = group.graph, E = group.E, L = group.L
        let incoming = self.incoming[gi], outgoing = self.outgoing[gi]
        let events = graph.events, arcs = graph.arcs
        let n = inst.requestCount
        guard events.count > 2 else { return }
        let bFirst = problem.addColumns(events.count - 2, binary: false, name: "B")
        for e in 2..<events.count {
            bColumns[gi][e] = bFirst + Int32(e - 2)
            problem.setBounds(column: bColumns[gi][e], lower: units(E[e]), upper: units(L[e]))
        }
        let bColumn = bColumns[gi]
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
