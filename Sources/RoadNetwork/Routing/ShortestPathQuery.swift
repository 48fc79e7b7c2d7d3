/// A route found on the road network.
public struct RoadRoute: Sendable, Equatable {
    /// Travel time in deciseconds.
    public var travelTime: Int32
    /// Length in metres.
    public var distanceMetres: Int
    /// Arcs driven in order; partial first and last arcs included.
    public var arcs: [Int32]
    /// The path as coordinates, from the source's road position to the target's.
    public var geometry: [Coordinate]

    public var travelSeconds: Double { Double(travelTime) / 10 }
}

/// Dijkstra's algorithm over the forward CSR with a binary heap; one object per thread, reused
/// across queries (distances are reset in O(1) by a generation stamp).
///
/// Sources and targets are points on edges (`SnappedPoint`): a source enters the graph at the
/// head of its arc(s) with the remaining part of the arc's time, a target is reached from the
/// tail of its arc(s) plus the part of the arc's time up to it (as OSRM's "phantom nodes"); partial
/// times are proportional to the fraction of the edge's length.
/// - Complexity: O((n + m) log n) per query.
public final class ShortestPathQuery {
    public let graph: RoadGraph
    var distance: [Int32]
    var parentArc: [Int32]
    var stamp: [UInt32]
    var generation: UInt32 = 0
    let heap = MinHeap()
    /// Nodes settled by the last query (for benchmarks).
    public private(set) var settledCount = 0

    public init(graph: RoadGraph) {
        self.graph = graph
        distance = [Int32](repeating: RoadGraph.unreachable, count: graph.nodeCount)
        parentArc = [Int32](repeating: RoadGraph.invalidID, count: graph.nodeCount)
        stamp = [UInt32](repeating: 0, count: graph.nodeCount)
    }

    @inline(__always) func reset() {
        generation &+= 1
        if generation == 0 {
            for i in stamp.indices { stamp[i] = 0 }
            generation = 1
        }
        heap.removeAll()
        settledCount = 0
    }

    @inline(__always) public func tentativeDistance(_ v: Int32) -> Int32 {
        stamp[Int(v)] == generation ? distance[Int(v)] : RoadGraph.unreachable
    }

    /// Runs Dijkstra from `sources` (node, initial time). Stops when the queue is empty, when the
    /// next key reaches `bound`, or once every `targets` node (exit node, time from it to the goal)
    /// is settled and no queued key can beat the best total. Returns the total per target.
    ///
    /// The query's arrays are moved into locals for the loop: mutating a class's stored arrays in
    /// place costs an exclusivity check and a uniqueness check per access, twice the whole query.
    @discardableResult
    func search(sources: [(node: Int32, time: Int32)], closed: ArcMask?, bound: Int32 = .max,
                targets: [(node: Int32, time: Int32)] = []) -> [Int32] {
        reset()
        var distance: [Int32] = [], parentArc: [Int32] = [], stamp: [UInt32] = []
        let heap = self.heap
        swap(&distance, &self.distance)
        swap(&parentArc, &self.parentArc)
        swap(&stamp, &self.stamp)
        defer {
            swap(&distance, &self.distance)
            swap(&parentArc, &self.parentArc)
            swap(&stamp, &self.stamp)
            }
        let generation = self.generation
        for s in sources {
            let i = Int(s.node)
            if stamp[i] != generation || s.time < distance[i] {
                stamp[i] = generation
                distance[i] = s.time
                parentArc[i] = RoadGraph.invalidID
                heap.push(key: s.time, node: s.node)
            }
        }
        var reached = [Int32](repeating: RoadGraph.unreachable, count: targets.count)
        var limit = bound
        var settled = 0
        let hasClosures = !(closed?.isEmpty ?? true)
        let mask = closed ?? ArcMask(arcCount: 0)
        graph.firstOut.withUnsafeBufferPointer { firstOut in
        graph.head.withUnsafeBufferPointer { head in
        graph.travelTime.withUnsafeBufferPointer { time in
        distance.withUnsafeMutableBufferPointer { distance in
        parentArc.withUnsafeMutableBufferPointer { parentArc in
        stamp.withUnsafeMutableBufferPointer { stamp in
            while !heap.isEmpty {
                let (d, v) = heap.pop()
                if d != distance[Int(v)] { continue }
                if d >= limit { break }
                settled += 1
                if !targets.isEmpty {
                    for (i, t) in targets.enumerated() where t.node == v { reached[i] = min(reached[i], d &+ t.time) }
                    // Every exit settled later has a total of at least d: stop at the best total.
                    limit = min(limit, reached.min()!)
                }
                for a in Int(firstOut[Int(v)]) ..< Int(firstOut[Int(v) + 1]) {
                    if hasClosures && mask.contains(Int32(a)) { continue }
                    let w = Int(head[a])
                    let nd = d &+ time[a]
                    if stamp[w] != generation || nd < distance[w] {
                        stamp[w] = generation
                        distance[w] = nd
                        parentArc[w] = Int32(a)
                        heap.push(key: nd, node: Int32(w))
                    }
                }
            }
        }}}}}}
        settledCount = settled
        return reached
    }

    /// Travel times from `source` to every node (`RoadGraph.unreachable` where none), the
    /// one-to-all search a table falls back to.
    public func timesFromNode(_ source: Int32, closed: ArcMask? = nil) -> [Int32] {
        search(sources: [(source, 0)], closed: closed)
        return (0 ..< Int32(graph.nodeCount)).map { tentativeDistance($0) }
    }

    /// Travel time between two nodes, or nil when unreachable.
    public func time(from source: Int32, to target: Int32, closed: ArcMask? = nil) -> Int32? {
        let total = search(sources: [(source, 0)], closed: closed, targets: [(target, 0)])[0]
        return total == RoadGraph.unreachable ? nil : total
    }

    /// Arcs of the shortest path to `target` found by the last node-to-node or one-to-all search,
    /// or nil when the search did not reach it.
    public func pathArcs(to target: Int32) -> [Int32]? {
        guard tentativeDistance(target) != RoadGraph.unreachable else { return nil }
        var arcs: [Int32] = []
        var v = target
        while parentArc[Int(v)] != RoadGraph.invalidID {
            arcs.append(parentArc[Int(v)])
            v = graph.arcTail(parentArc[Int(v)])
        }
        return arcs.reversed()
    }

    /// The fastest route between two road positions on the network as it is when `closed` arcs are shut,
    /// or nil when the target cannot be reached.
    public func route(from source: SnappedPoint, to target: SnappedPoint, closed: ArcMask? = nil) -> RoadRoute? {
        let sources = graph.entrySeeds(of: source, closed: closed).map { (node: $0.seed.node, time: $0.seed.time, arc: $0.arc) }
        let targets = graph.exitSeeds(of: target, closed: closed).map { (node: $0.seed.node, time: $0.seed.time, arc: $0.arc) }
        // Both on the same edge, target ahead in a drivable direction.
        var best: (time: Int32, exit: Int, direct: Int32?)? = graph.sameEdgeTrip(from: source, to: target, closed: closed)
            .map { ($0.time, -1, $0.arc) }
        let reached = search(sources: sources.map { ($0.node, $0.time) }, closed: closed, bound: best?.time ?? .max,
                             targets: targets.map { ($0.node, $0.time) })
        for (i, r) in reached.enumerated() where r != RoadGraph.unreachable {
            if best == nil || r < best!.time { best = (r, i, nil) }
        }
        guard let best else { return nil }
        if let arc = best.direct {
            let geometry = partialGeometry(arc: arc, from: source, to: target)
            let length = Int((Double(graph.arcLength(arc)) * abs(target.fraction - source.fraction)).rounded())
            return RoadRoute(travelTime: best.time, distanceMetres: length, arcs: [arc], geometry: geometry)
        }
        // Walk back from the exit node to a source seed. Seeds on the point's own node have no arc.
        let exit = targets[best.exit]
        var arcs: [Int32] = exit.arc == RoadGraph.invalidID ? [] : [exit.arc]
        var v = exit.node
        while parentArc[Int(v)] != RoadGraph.invalidID {
            let a = parentArc[Int(v)]
            arcs.append(a)
            v = graph.arcTail(a)
        }
        guard let entry = sources.first(where: { $0.node == v && $0.time == distance[Int(v)] }) ?? sources.first(where: { $0.node == v }) else {
            preconditionFailure("Dijkstra path does not start at a source seed")
        }
        if entry.arc != RoadGraph.invalidID { arcs.append(entry.arc) }
        arcs.reverse()
        return assemble(arcs: arcs, time: best.time, source: source, target: target,
                        firstIsPartial: entry.arc != RoadGraph.invalidID, lastIsPartial: exit.arc != RoadGraph.invalidID)
    }

    func assemble(arcs: [Int32], time: Int32, source: SnappedPoint, target: SnappedPoint,
                  firstIsPartial: Bool, lastIsPartial: Bool) -> RoadRoute {
        guard !arcs.isEmpty else {
            // Both points stand on the same node.
            return RoadRoute(travelTime: time, distanceMetres: 0, arcs: [], geometry: [source.onRoad, target.onRoad])
        }
        var geometry: [Coordinate] = []
        var metres = 0.0
        for (i, a) in arcs.enumerated() {
            let reversed = graph.arcEdge[Int(a)] & 1 == 1
            var part = Array(graph.arcGeometry(a).map(\.coordinate))
            if reversed { part.reverse() }
            var share = 1.0
            if i == 0 {
                if firstIsPartial { share = reversed ? source.fraction : 1 - source.fraction }
                part = trimmed(part, keepFrom: source.onRoad, atStart: true)
            }
            if i == arcs.count - 1 {
                if lastIsPartial {
                    let t = reversed ? 1 - target.fraction : target.fraction
                    share = i == 0 && firstIsPartial ? share - (1 - t) : t
                }
                part = trimmed(part, keepFrom: target.onRoad, atStart: false)
            }
            metres += Double(graph.arcLength(a)) * max(0, share)
            if !geometry.isEmpty, let first = part.first, geometry.last == first { part.removeFirst() }
            geometry.append(contentsOf: part)
        }
        return RoadRoute(travelTime: time, distanceMetres: Int(metres.rounded()), arcs: arcs, geometry: geometry)
    }

    func partialGeometry(arc: Int32, from source: SnappedPoint, to target: SnappedPoint) -> [Coordinate] {
        var part = Array(graph.arcGeometry(arc).map(\.coordinate))
        if graph.arcEdge[Int(arc)] & 1 == 1 { part.reverse() }
        part = trimmed(part, keepFrom: source.onRoad, atStart: true)
        return trimmed(part, keepFrom: target.onRoad, atStart: false)
    }

    /// Cuts a polyline at the vertex-or-segment nearest to `point`, keeping the part after it
    /// (`atStart`) or before it, with `point` itself as the new end.
    func trimmed(_ line: [Coordinate], keepFrom point: Coordinate, atStart: Bool) -> [Coordinate] {
        guard line.count >= 2 else { return line }
        var bestSegment = 0
        var bestDistance = Double.infinity
        for i in 0 ..< line.count - 1 {
            let d = distanceToSegment(point, line[i], line[i + 1])
            if d < bestDistance { bestDistance = d; bestSegment = i }
        }
        if atStart { return [point] + line[(bestSegment + 1)...] }
        return Array(line[...bestSegment]) + [point]
    }
}

func distanceToSegment(_ p: Coordinate, _ a: Coordinate, _ b: Coordinate) -> Double {
    let projection = LocalProjection(referenceLatitude: p.latitude)
    let pp = projection.project(p), pa = projection.project(a), pb = projection.project(b)
    return segmentProjection(x: pp.x, y: pp.y, x0: pa.x, y0: pa.y, x1: pb.x, y1: pb.y).distanceSquared.squareRoot()
}
