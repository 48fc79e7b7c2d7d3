/// Builds a `ContractionHierarchy` by node contraction [GSSD08], with RoutingKit's priority
/// `1 + 1000·level + 1000·added/removed arcs + 1000·added/removed hops` (smaller contracts first),
/// lazy re-evaluation on pop, eager updates of the contracted node's neighbours, and witness
/// searches limited to `maxWitnessSettled` settled nodes (a failed search only adds a shortcut;
/// it never breaks correctness).
/// - Complexity: roughly O(n · d² · S log S) for mean degree d and witness limit S.
public struct ContractionHierarchyBuilder: Sendable {
    public var maxWitnessSettled = 500

    public init() {}

    struct Entry {
        var node: Int32
        var time: Int32
        var arc: Int32
    }

    /// Contracts `graph` without the arcs in `closed`.
    public func build(_ graph: RoadGraph, closed: ArcMask? = nil) -> ContractionHierarchy {
        let n = graph.nodeCount
        var state = State(n: n, maxSettled: maxWitnessSettled)
        // Original arcs, keeping the fastest of parallel arcs.
        for v in 0 ..< n {
            for a in Int(graph.firstOut[v]) ..< Int(graph.firstOut[v + 1]) {
                if let closed, closed.contains(Int32(a)) { continue }
                let w = Int(graph.head[a])
                if w == v { continue }
                let time = graph.travelTime[a]
                if let i = state.outAdj[v].firstIndex(where: { Int($0.node) == w }) {
                    if state.outAdj[v][i].time <= time { continue }
                    let id = state.addArc(time: time, length: graph.arcLength(Int32(a)), first: Int32(a), second: -1, hops: 1)
                    state.outAdj[v][i] = Entry(node: Int32(w), time: time, arc: id)
                    let j = state.inAdj[w].firstIndex { Int($0.node) == v }!
                    state.inAdj[w][j] = Entry(node: Int32(v), time: time, arc: id)
                } else {
                    let id = state.addArc(time: time, length: graph.arcLength(Int32(a)), first: Int32(a), second: -1, hops: 1)
                    state.outAdj[v].append(Entry(node: Int32(w), time: time, arc: id))
                    state.inAdj[w].append(Entry(node: Int32(v), time: time, arc: id))
                }
            }
        }
        // Initial priorities.
        let heap = MinHeap(capacity: n)
        var key = [Int32](repeating: 0, count: n)
        for v in 0 ..< n {
            key[v] = state.priority(Int32(v))
            heap.push(key: key[v], node: Int32(v))
        }
        var rank = [Int32](repeating: -1, count: n)
        var up = [[Entry]](repeating: [], count: n)
        var down = [[Entry]](repeating: [], count: n)
        var next: Int32 = 0
        while !heap.isEmpty {
            let (k, v) = heap.pop()
            if rank[Int(v)] >= 0 || k != key[Int(v)] { continue }
            // Lazy update: the key may have grown since it was pushed.
            let fresh = state.priority(v)
            if fresh > k, let smallest = heap.minKey, fresh > smallest {
                key[Int(v)] = fresh
                heap.push(key: fresh, node: v)
                continue
            }
            rank[Int(v)] = next
            next += 1
            up[Int(v)] = state.outAdj[Int(v)]
            down[Int(v)] = state.inAdj[Int(v)]
            let neighbours = state.contract(v)
            for u in neighbours {
                key[Int(u)] = state.priority(u)
                heap.push(key: key[Int(u)], node: u)
            }
        }
        // Final CH arc ids: graph arc ids for original arcs, originalArcCount + k for shortcut k.
        let m = Int32(graph.arcCount)
        var finalID = [Int32](repeating: 0, count: state.arcTime.count)
        var shortcutFirst: [Int32] = [], shortcutSecond: [Int32] = []
        for b in 0 ..< state.arcTime.count {
            if state.arcSecond[b] < 0 {
                finalID[b] = state.arcFirst[b]
            } else {
                finalID[b] = m + Int32(shortcutFirst.count)
                shortcutFirst.append(finalID[Int(state.arcFirst[b])])
                shortcutSecond.append(finalID[Int(state.arcSecond[b])])
            }
        }
        // CSR halves indexed by rank.
        var order = [Int32](repeating: 0, count: n)
        for v in 0 ..< n { order[Int(rank[v])] = Int32(v) }
        func csr(_ lists: [[Entry]]) -> (first: [Int32], node: [Int32], time: [Int32], length: [Int32], arc: [Int32]) {
            var first = [Int32](repeating: 0, count: n + 1)
            var nodes: [Int32] = [], times: [Int32] = [], lengths: [Int32] = [], arcs: [Int32] = []
            for r in 0 ..< n {
                for e in lists[Int(order[r])].sorted(by: { rank[Int($0.node)] < rank[Int($1.node)] }) {
                    nodes.append(rank[Int(e.node)])
                    times.append(e.time)
                    lengths.append(state.arcLength[Int(e.arc)])
                    arcs.append(finalID[Int(e.arc)])
                }
                first[r + 1] = Int32(nodes.count)
            }
            return (first, nodes, times, lengths, arcs)
        }
        let upCSR = csr(up), downCSR = csr(down)
        return ContractionHierarchy(nodeCount: n, originalArcCount: graph.arcCount, rank: rank,
                                    upFirst: upCSR.first, upHead: upCSR.node, upTime: upCSR.time, upLength: upCSR.length, upArc: upCSR.arc,
                                    downFirst: downCSR.first, downTail: downCSR.node, downTime: downCSR.time,
                                    downLength: downCSR.length, downArc: downCSR.arc,
                                    shortcutFirst: shortcutFirst, shortcutSecond: shortcutSecond)
    }

    /// The remaining graph during contraction, with its witness-search state.
    struct State {
        var outAdj: [[Entry]]
        var inAdj: [[Entry]]
        var level: [Int32]
        var arcTime: [Int32] = []
        var arcLength: [Int32] = []
        var arcFirst: [Int32] = []
        var arcSecond: [Int32] = []
        var arcHops: [Int32] = []
        // Witness search.
        var distance: [Int32]
        var stamp: [UInt32]
        var generation: UInt32 = 0
        let heap: MinHeap
        let maxSettled: Int

        init(n: Int, maxSettled: Int) {
            outAdj = Array(repeating: [], count: n)
            inAdj = Array(repeating: [], count: n)
            level = Array(repeating: 0, count: n)
            distance = Array(repeating: 0, count: n)
            stamp = Array(repeating: 0, count: n)
            heap = MinHeap()
            self.maxSettled = maxSettled
        }

        mutating func addArc(time: Int32, length: Int32, first: Int32, second: Int32, hops: Int32) -> Int32 {
            arcTime.append(time)
            arcLength.append(length)
            arcFirst.append(first)
            arcSecond.append(second)
            arcHops.append(hops)
            return Int32(arcTime.count - 1)
        }

        /// Fastest times from `source` to the `targets` avoiding `excluded`, exact up to `bound`
        /// (larger values and nodes beyond the settle limit come back as `Int32.max`).
        mutating func witnessTimes(from source: Int32, excluding excluded: Int32, targets: [Int32], bound: Int32) -> [Int32] {
            generation &+= 1
            if generation == 0 { for i in stamp.indices { stamp[i] = 0 }; generation = 1 }
            heap.removeAll()
            stamp[Int(source)] = generation
            distance[Int(source)] = 0
            heap.push(key: 0, node: source)
            var settled = 0
            var remaining = targets.count
            var isTarget = targets
            while !heap.isEmpty && settled < maxSettled && remaining > 0 {
                let (d, v) = heap.pop()
                if d != distance[Int(v)] { continue }
                if d > bound { break }
                settled += 1
                if let i = isTarget.firstIndex(of: v) { isTarget[i] = -1; remaining -= 1 }
                for e in outAdj[Int(v)] where e.node != excluded {
                    let w = Int(e.node)
                    let nd = d &+ e.time
                    if nd > bound { continue }
                    if stamp[w] != generation || nd < distance[w] {
                        stamp[w] = generation
                        distance[w] = nd
                        heap.push(key: nd, node: e.node)
                    }
                }
            }
            return targets.map { stamp[Int($0)] == generation ? distance[Int($0)] : .max }
        }

        /// Shortcuts that contracting `v` needs: (u, w, time, in-arc, out-arc).
        mutating func shortcuts(_ v: Int32) -> [(u: Int32, w: Int32, time: Int32, first: Int32, second: Int32)] {
            var result: [(Int32, Int32, Int32, Int32, Int32)] = []
            let outs = outAdj[Int(v)]
            for inEntry in inAdj[Int(v)] {
                let u = inEntry.node
                let targets = outs.filter { $0.node != u }
                if targets.isEmpty { continue }
                let bound = targets.map { inEntry.time &+ $0.time }.max()!
                let witness = witnessTimes(from: u, excluding: v, targets: targets.map(\.node), bound: bound)
                for (i, out) in targets.enumerated() where witness[i] > inEntry.time &+ out.time {
                    result.append((u, out.node, inEntry.time &+ out.time, inEntry.arc, out.arc))
                }
            }
            return result
        }

        /// RoutingKit's key: level, arcs added per arc removed, hops added per hop removed.
        mutating func priority(_ v: Int32) -> Int32 {
            let cuts = shortcuts(v)
            let removed = inAdj[Int(v)].count + outAdj[Int(v)].count
            var removedHops = 0
            for e in inAdj[Int(v)] { removedHops += Int(arcHops[Int(e.arc)]) }
            for e in outAdj[Int(v)] { removedHops += Int(arcHops[Int(e.arc)]) }
            var addedHops = 0
            for c in cuts { addedHops += Int(arcHops[Int(c.first)] + arcHops[Int(c.second)]) }
            let key = 1 + 1000 * Int(level[Int(v)]) + 1000 * cuts.count / max(1, removed) + 1000 * addedHops / max(1, removedHops)
            return Int32(min(key, Int(Int32.max - 1)))
        }

        /// Contracts `v`: adds its shortcuts, removes it from its neighbours' lists; returns the neighbours.
        mutating func contract(_ v: Int32) -> [Int32] {
            for c in shortcuts(v) {
                let length = arcLength[Int(c.first)] &+ arcLength[Int(c.second)]
                let hops = arcHops[Int(c.first)] + arcHops[Int(c.second)]
                if let i = outAdj[Int(c.u)].firstIndex(where: { $0.node == c.w }) {
                    if outAdj[Int(c.u)][i].time <= c.time { continue }
                    let id = addArc(time: c.time, length: length, first: c.first, second: c.second, hops: hops)
                    outAdj[Int(c.u)][i] = Entry(node: c.w, time: c.time, arc: id)
                    let j = inAdj[Int(c.w)].firstIndex { $0.node == c.u }!
                    inAdj[Int(c.w)][j] = Entry(node: c.u, time: c.time, arc: id)
                } else {
                    let id = addArc(time: c.time, length: length, first: c.first, second: c.second, hops: hops)
                    outAdj[Int(c.u)].append(Entry(node: c.w, time: c.time, arc: id))
                    inAdj[Int(c.w)].append(Entry(node: c.u, time: c.time, arc: id))
                }
            }
            var neighbours: [Int32] = []
            for e in inAdj[Int(v)] {
                outAdj[Int(e.node)].removeAll { $0.node == v }
                neighbours.append(e.node)
            }
            for e in outAdj[Int(v)] {
                inAdj[Int(e.node)].removeAll { $0.node == v }
                neighbours.append(e.node)
            }
            outAdj[Int(v)] = []
            inAdj[Int(v)] = []
            var unique: [Int32] = []
            for u in neighbours.sorted() where unique.last != u { unique.append(u) }
            for u in unique { level[Int(u)] = max(level[Int(u)], level[Int(v)] + 1) }
            return unique
        }
    }
}
