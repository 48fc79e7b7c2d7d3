import DispatchCore

/// The event graph of Gaul, Klamroth & Stiglmayr (2022) for a homogeneous fleet.
///
/// An *event* is a stop together with the set of requests on board right after it: `(i+, S)` with
/// i ∈ S (i was just picked up) or `(i−, S)` with i ∉ S (i was just dropped off); event 0 is the
/// start depot and event 1 the end depot (both with S = ∅). An *arc* joins two events that can
/// follow each other: `(v, S) → (j+, S ∪ {j})` for j ∉ S with the load within capacity,
/// `(v, S) → (j−, S \ {j})` for j ∈ S, `depot → (j+, {j})` and `(i−, ∅) → depot`. Every
/// depot-to-depot path therefore respects capacity, pairing and precedence by construction.
///
/// Pruning (all of it exact, i.e. no feasible route loses an arc): an arc `(v, S) → (w, S′)` is kept
/// only when some *witness* route is feasible under `RouteEvaluator` (windows, ride limits,
/// duration): the pickups of the requests on board before v in some order, then v, w, then the
/// drop-offs of S′ in some order. Any feasible route using the arc contains such a witness as a
/// subsequence, and with travel times that obey the triangle inequality (shortest paths; the
/// Cordeau mapping rounds Euclidean times up, which keeps it) a subsequence of a feasible route
/// is feasible: the old schedule still works. This subsumes the pairwise tests of
/// ALGORITHMS.md §2.1 (Gaul's f1/f2) and extends them to the three-request states of Q = 3.
/// Events that cannot be reached from the start depot or cannot reach the end depot are removed,
/// and requests vehicle 0 may not serve (service area, load) have no events.
///
/// Per event, a window `[earliest, latest]` for its start of service is kept: the node's
/// (tightened) window intersected with the hull of the witness schedules (earliest over witnesses
/// of the earliest feasible service start; the latest stays the node's, see `latestStart`).
///
/// - Complexity: O(E · n) candidate arcs for E events, each with at most |A|!·|S′|! witness
///   routes (≤ 36 for Q = 3) of O(m²) each.
struct EventGraph {
    struct Event: Hashable {
        /// Instance node (pickup or drop-off), or -1 / -2 for the start / end depot.
        var node: Int
        /// Requests on board after the event, increasing.
        var onBoard: [Int]
    }

    struct Arc {
        var from: Int
        var to: Int
        /// Travel time in ticks.
        var time: Int
        /// Hull of the witness schedules when this arc is used: service start at `from` and at `to`
        /// (ticks; the event window where no witness applies, i.e. at the depots).
        var fromEarliest = Int.min, fromLatest = Int.max, toEarliest = Int.min, toLatest = Int.max
    }

    private(set) var events: [Event] = []
    private(set) var arcs: [Arc] = []
    /// Earliest start of service at each event, from the witness schedules (ticks).
    private(set) var earliest: [Int] = []
    private(set) var latest: [Int] = []
    var candidateArcs = 0
    var witnessChecks = 0
    var scheduleMismatches = 0

    static let startDepot = 0, endDepot = 1

    /// True when construction stopped at the deadline or the size limit (the graph is then incomplete
    /// and must not be used for a proof).
    private(set) var aborted = false

    /// - Parameters:
    ///   - deadline: stop building (and set `aborted`) after this instant.
    ///   - arcLimit: stop building (and set `aborted`) above this many arcs.
    init(instance inst: DispatchInstance, deadline: ContinuousClock.Instant? = nil, arcLimit: Int = 3_000_000) {
        let clock = ContinuousClock()
        let n = inst.requestCount
        let evaluator = RouteEvaluator(instance: inst)
        let capacity = inst.vehicles[0].capacity
        let vehicle = 0
        let startNode = inst.startDepot(0), endNode = inst.endDepot(0)
        var index: [Event: Int] = [:]
        var events: [Event] = [Event(node: -1, onBoard: []), Event(node: -2, onBoard: [])]
        var earliest = [inst.earliest[startNode], inst.earliest[endNode]]
        var latest = [inst.latest[startNode], inst.latest[endNode]]
        index[events[0]] = 0
        index[events[1]] = 1
        var arcs: [Arc] = []
        var queue: [Int] = []
        var candidates = 0, checks = 0

        func location(_ e: Event) -> Int { e.node == -1 ? startNode : (e.node == -2 ? endNode : e.node) }

        /// Requests on board just before event e (for a depot: none).
        func before(_ e: Event) -> [Int] {
            if e.node < 0 { return [] }
            if inst.isPickup(e.node) { return e.onBoard.filter { $0 != e.node } }
            return (e.onBoard + [e.node - n]).sorted()
        }

        let scheduler = WitnessScheduler(inst: inst)
        var mismatches = 0
        /// Hull over the feasible witnesses of (least, greatest) start at the marked stops
        /// (`middle[0]`, `middle.last`), or nil when no witness is feasible.
        func witness(first: [Int], middle: [Int32], last: [Int]) -> (lo0: Int, hi0: Int, lo1: Int, hi1: Int)? {
            var best: (lo0: Int, hi0: Int, lo1: Int, hi1: Int)? = nil
            for p in permutations(first) {
                for q in permutations(last) {
                    var stops: [Int32] = p.map { Int32($0) }
                    let mark = stops.count + 1
                    stops += middle
                    stops += q.map { Int32(n + $0) }
                    checks += 1
                    guard evaluator.isFeasible(vehicle: vehicle, stops: stops) else { continue }
                    guard let b = scheduler.bounds(stops) else {
                        // Cannot happen if both checks are exact; fall back to the node windows.
                        mismatches += 1
                        let x = Int(middle[0]), y = Int(middle[middle.count - 1])
                        return (inst.earliest[x], inst.latest[x], inst.earliest[y], inst.latest[y])
                    }
                    let last = mark + middle.count - 1
                    let t = (b.least[mark], b.greatest[mark], b.least[last], b.greatest[last])
                    best = best.map { (min($0.lo0, t.0), max($0.hi0, t.1), min($0.lo1, t.2), max($0.hi1, t.3)) } ?? t
                }
            }
            return best
        }
        // Window hulls per event over its in-arcs and its out-arcs.
        var inLo: [Int] = [0, 0], inHi: [Int] = [0, 0], outLo: [Int] = [0, 0], outHi: [Int] = [0, 0]
        func noteIn(_ e: Int, _ lo: Int, _ hi: Int) {
            while inLo.count <= e { inLo.append(Int.max); inHi.append(Int.min); outLo.append(Int.max); outHi.append(Int.min) }
            inLo[e] = min(inLo[e], lo); inHi[e] = max(inHi[e], hi)
        }
        func noteOut(_ e: Int, _ lo: Int, _ hi: Int) {
            outLo[e] = min(outLo[e], lo); outHi[e] = max(outHi[e], hi)
        }

        // Start arcs.
        for j in 0..<n where capacity.admits(inst.loadChange[j]) && inst.isCompatible(request: j, vehicle: vehicle) {
            candidates += 1
            guard let w = witness(first: [], middle: [Int32(j)], last: [j]) else { continue }
            let e = Event(node: j, onBoard: [j])
            index[e] = events.count
            events.append(e)
            earliest.append(0)
            latest.append(0)
            noteIn(events.count - 1, w.lo0, w.hi0)
            queue.append(events.count - 1)
            arcs.append(Arc(from: 0, to: events.count - 1, time: inst.time(startNode, j), toEarliest: w.lo0, toLatest: w.hi0))
        }
        var head = 0
        while head < queue.count {
            if head % 64 == 0, (deadline.map { clock.now > $0 } ?? false) || arcs.count > arcLimit {
                aborted = true
                break
            }
            let v = queue[head]
            head += 1
            let ev = events[v]
            let u = ev.node
            let onBoardBefore = before(ev)
            var load = Load.zero
            for r in ev.onBoard { load = load + inst.loadChange[r] }
            var successors: [Event] = []
            for j in 0..<n where !ev.onBoard.contains(j) && j != inst.request(ofNode: u) && inst.isCompatible(request: j, vehicle: vehicle) {
                guard capacity.admits(load + inst.loadChange[j]) else { continue }
                successors.append(Event(node: j, onBoard: (ev.onBoard + [j]).sorted()))
            }
            for j in ev.onBoard { successors.append(Event(node: n + j, onBoard: ev.onBoard.filter { $0 != j })) }
            if ev.onBoard.isEmpty {
                // The witness of (i−, ∅) → depot is any in-arc's witness: nothing new to learn.
                noteOut(v, Int.min, Int.max)
                arcs.append(Arc(from: v, to: 1, time: inst.time(u, endNode)))
            }
            for w in successors {
                candidates += 1
                let x = w.node
                // Cheap window test first.
                guard inst.earliest[u] + inst.serviceTime[u] + inst.time(u, x) <= inst.latest[x] else { continue }
                guard let times = witness(first: onBoardBefore, middle: [Int32(u), Int32(x)], last: w.onBoard) else { continue }
                let target: Int
                if let t = index[w] {
                    target = t
                } else {
                    target = events.count
                    index[w] = target
                    events.append(w)
                    earliest.append(0)
                    latest.append(0)
                    queue.append(target)
                }
                noteIn(target, times.lo1, times.hi1)
                noteOut(v, times.lo0, times.hi0)
                arcs.append(Arc(from: v, to: target, time: inst.time(u, x), fromEarliest: times.lo0, fromLatest: times.hi0,
                                toEarliest: times.lo1, toLatest: times.hi1))
            }
        }
        _ = location
        // Event windows: the node's window ∩ hull over in-arc witnesses ∩ hull over out-arc witnesses.
        for e in 2..<events.count {
            let x = events[e].node
            earliest[e] = max(inst.earliest[x], inLo[e], outLo[e] == Int.max ? Int.min : outLo[e])
            latest[e] = min(inst.latest[x], inHi[e], outHi[e] == Int.min ? Int.max : outHi[e])
        }
        earliest[0] = inst.earliest[startNode]; latest[0] = inst.latest[startNode]
        earliest[1] = inst.earliest[endNode]; latest[1] = inst.latest[endNode]
        scheduleMismatches = mismatches

        // Remove events that cannot reach the end depot (backward reachability).
        var reaches = [Bool](repeating: false, count: events.count)
        reaches[1] = true
        reaches[0] = true   // the depots stay even when no route exists (the model then has no arcs)
        var incoming = [[Int]](repeating: [], count: events.count)
        for (a, arc) in arcs.enumerated() { incoming[arc.to].append(a) }
        var stack = [1]
        while let w = stack.popLast() {
            for a in incoming[w] where !reaches[arcs[a].from] {
                reaches[arcs[a].from] = true
                stack.append(arcs[a].from)
            }
        }
        var renumber = [Int](repeating: -1, count: events.count)
        var keptEvents: [Event] = [], keptEarliest: [Int] = [], keptLatest: [Int] = []
        for (i, e) in events.enumerated() where reaches[i] {
            renumber[i] = keptEvents.count
            keptEvents.append(e)
            keptEarliest.append(earliest[i])
            keptLatest.append(latest[i])
        }
        self.events = keptEvents
        self.earliest = keptEarliest
        self.latest = keptLatest
        self.arcs = arcs.compactMap { a in
            guard renumber[a.from] >= 0, renumber[a.to] >= 0 else { return nil }
            var b = a
            b.from = renumber[a.from]; b.to = renumber[a.to]
            return b
        }
        candidateArcs = candidates
        witnessChecks = checks
    }

    /// The instance node of event e (depots as vehicle 0's depot nodes).
    func node(of e: Int, in inst: DispatchInstance) -> Int {
        let v = events[e].node
        return v == -1 ? inst.startDepot(0) : (v == -2 ? inst.endDepot(0) : v)
    }
}

/// All orderings of a short list (at most Q elements).
func permutations(_ items: [Int]) -> [[Int]] {
    if items.count <= 1 { return [items] }
    var result: [[Int]] = []
    for (i, x) in items.enumerated() {
        var rest = items
        rest.remove(at: i)
        for p in permutations(rest) { result.append([x] + p) }
    }
    return result
}
