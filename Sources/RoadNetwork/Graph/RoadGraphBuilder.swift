/// What an import did: what came in, what was left out and why.
public struct ImportReport: Sendable, Equatable {
    public var inputWays = 0
    public var inputNodes = 0
    /// Ways rejected, by reason (`WayProfile.Rejection` raw values), in a fixed order.
    public var rejectedWays: [(reason: String, count: Int)] = []
    public var missingNodeReferences = 0
    public var stronglyConnectedComponents = 0
    public var droppedNodes = 0
    public var droppedEdges = 0
    public var keptNodes = 0
    public var keptArcs = 0
    public var keptEdges = 0
    public var edgesWithClosures = 0
    public var ignoredConditionalRestrictions = 0
    public var usedElevation = false

    public static func == (a: ImportReport, b: ImportReport) -> Bool { a.lines == b.lines }

    /// One line per figure, for people and for the network file's metadata.
    public var lines: [String] {
        var out = [
            "input: \(inputWays) road ways, \(inputNodes) nodes with positions",
        ]
        for (reason, count) in rejectedWays where count > 0 { out.append("left out \(count) ways: \(reason)") }
        if missingNodeReferences > 0 { out.append("\(missingNodeReferences) node references without a position (ways split there)") }
        out.append("strongly connected components: \(stronglyConnectedComponents); kept the largest (\(keptNodes) nodes), dropped \(droppedNodes) nodes and \(droppedEdges) edges")
        out.append("graph: \(keptNodes) nodes, \(keptArcs) arcs, \(keptEdges) edges")
        out.append("edges with seasonal or conditional closures: \(edgesWithClosures)")
        if ignoredConditionalRestrictions > 0 {
            out.append("conditional restrictions not understood as date ranges (ignored): \(ignoredConditionalRestrictions)")
        }
        out.append("elevation: \(usedElevation ? "grades from elevation data" : "none (flat)")")
        return out
    }
}

/// Turns OSM ways into a `RoadGraph`: splits ways at junctions, applies the travel-time model,
/// keeps the largest strongly connected component and lays the result out in CSR form, nodes
/// ordered along a Hilbert curve for memory locality.
public struct RoadGraphBuilder: Sendable {
    public var model: TravelTimeModel
    public var elevation: (any ElevationSource)?

    public init(model: TravelTimeModel = TravelTimeModel(), elevation: (any ElevationSource)? = nil) {
        self.model = model
        self.elevation = elevation
    }

    struct PendingEdge {
        var from: Int32
        var to: Int32
        var way: Int32
        var points: [Int32]  // indices into osm.nodeIDs
    }

    /// Builds the graph.
    /// - Complexity: O(N log N + W) for N nodes and W way references.
    public func build(_ osm: OSMData) throws -> (graph: RoadGraph, report: ImportReport) {
        var report = ImportReport()
        report.inputWays = osm.ways.count
        report.inputNodes = osm.nodeIDs.count
        var rejected = [Int](repeating: 0, count: WayProfile.Rejection.allCases.count)

        // 1. Profiles and node index pieces.
        var profiles: [WayProfile] = []
        var wayIDs: [Int64] = []
        var pieces: [(way: Int32, nodes: [Int32])] = []
        for way in osm.ways {
            switch WayProfile.read(way, includeTracks: model.includeTracks) {
            case let .failure(box):
                rejected[WayProfile.Rejection.allCases.firstIndex(of: box.rejection)!] += 1
            case let .success(profile):
                if !profile.forward && !profile.backward { continue }
                let w = Int32(profiles.count)
                profiles.append(profile)
                wayIDs.append(way.id)
                report.ignoredConditionalRestrictions += profile.ignoredConditions
                var current: [Int32] = []
                for id in way.nodeIDs {
                    guard let index = osm.nodeIndex(of: id) else {
                        report.missingNodeReferences += 1
                        if current.count >= 2 { pieces.append((w, current)) }
                        current = []
                        continue
                    }
                    if current.last != Int32(index) { current.append(Int32(index)) }
                }
                if current.count >= 2 { pieces.append((w, current)) }
            }
        }
        report.rejectedWays = zip(WayProfile.Rejection.allCases, rejected).map { ($0.rawValue, $1) }
        guard !pieces.isEmpty else { throw RoadNetworkError.noRoutableRoads(path: osm.source) }

        // 2. Graph nodes: way ends and nodes used more than once.
        var useCount = [UInt8](repeating: 0, count: osm.nodeIDs.count)
        var isVertex = [Bool](repeating: false, count: osm.nodeIDs.count)
        for piece in pieces {
            isVertex[Int(piece.nodes.first!)] = true
            isVertex[Int(piece.nodes.last!)] = true
            for n in piece.nodes { useCount[Int(n)] = useCount[Int(n)] &+ (useCount[Int(n)] < 2 ? 1 : 0) }
        }
        for i in useCount.indices where useCount[i] >= 2 { isVertex[i] = true }
        var vertexOf = [Int32](repeating: -1, count: osm.nodeIDs.count)
        var vertexNode: [Int32] = []
        func vertex(_ node: Int32) -> Int32 {
            if vertexOf[Int(node)] < 0 {
                vertexOf[Int(node)] = Int32(vertexNode.count)
                vertexNode.append(node)
            }
            return vertexOf[Int(node)]
        }

        // 3. Edges between consecutive graph nodes; loops are split at their middle point.
        var edges: [PendingEdge] = []
        for piece in pieces {
            var start = 0
            for j in 1 ..< piece.nodes.count where isVertex[Int(piece.nodes[j])] {
                let slice = Array(piece.nodes[start ... j])
                if slice.first == slice.last {
                    let mid = slice.count / 2
                    guard mid >= 1, mid < slice.count - 1 else { start = j; continue }
                    isVertex[Int(slice[mid])] = true
                    edges.append(PendingEdge(from: vertex(slice[0]), to: vertex(slice[mid]), way: piece.way, points: Array(slice[0 ... mid])))
                    edges.append(PendingEdge(from: vertex(slice[mid]), to: vertex(slice.last!), way: piece.way, points: Array(slice[mid...])))
                } else {
                    edges.append(PendingEdge(from: vertex(slice[0]), to: vertex(slice.last!), way: piece.way, points: slice))
                }
                start = j
            }
        }

        // 4. Travel times and lengths.
        var latitudeSum = 0.0
        for v in vertexNode { latitudeSum += osm.nodePositions[Int(v)].coordinate.latitude }
        let projection = LocalProjection(referenceLatitude: latitudeSum / Double(max(1, vertexNode.count)))
        var heights: [Double] = []
        if let elevation {
            heights = osm.nodePositions.map { elevation.elevation(at: $0.coordinate) ?? .nan }
            report.usedElevation = true
        }
        var forwardTime = [Int32](repeating: 0, count: edges.count)
        var backwardTime = [Int32](repeating: 0, count: edges.count)
        var lengths = [Int32](repeating: 0, count: edges.count)
        for (e, edge) in edges.enumerated() {
            let profile = profiles[Int(edge.way)]
            var points = edge.points.map { projection.project(osm.nodePositions[Int($0)].coordinate) }
            var length = 0.0
            for i in 1 ..< points.count {
                let dx = points[i].x - points[i - 1].x, dy = points[i].y - points[i - 1].y
                length += (dx * dx + dy * dy).squareRoot()
            }
            lengths[e] = max(1, Int32(length.rounded()))
            var h: [Double] = []
            if !heights.isEmpty {
                h = edge.points.map { heights[Int($0)] }
                if profile.isBridge || profile.isTunnel || h.contains(where: { $0.isNaN }) {
                    h = straightHeights(points: points, first: h.first!, last: h.last!)
                }
            }
            let cruise = model.cruiseSpeedKmh(profile)
            if profile.forward {
                forwardTime[e] = deciseconds(model.traversalSeconds(points: points, heights: h, cruiseKmh: cruise))
            }
            if profile.backward {
                points.reverse()
                h.reverse()
                backwardTime[e] = deciseconds(model.traversalSeconds(points: points, heights: h, cruiseKmh: cruise))
            }
        }

        // 5. Largest strongly connected component.
        let n = vertexNode.count
        var arcTail: [Int32] = [], arcHead: [Int32] = []
        for (e, edge) in edges.enumerated() {
            if forwardTime[e] > 0 { arcTail.append(edge.from); arcHead.append(edge.to) }
            if backwardTime[e] > 0 { arcTail.append(edge.to); arcHead.append(edge.from) }
        }
        let (component, componentCount) = stronglyConnectedComponents(nodeCount: n, tail: arcTail, head: arcHead)
        var sizes = [Int](repeating: 0, count: componentCount)
        for c in component { sizes[Int(c)] += 1 }
        let largest = Int32(sizes.indices.max { sizes[$0] < sizes[$1] || (sizes[$0] == sizes[$1] && $0 > $1) }!)
        report.stronglyConnectedComponents = componentCount

        // 6. Renumber the kept nodes along a Hilbert curve.
        var kept: [Int32] = (0 ..< Int32(n)).filter { component[Int($0)] == largest }
        var box = BoundingBox.empty
        for v in kept { box.extend(osm.nodePositions[Int(vertexNode[Int(v)])].coordinate) }
        let keys = kept.map { v -> UInt64 in
            let c = osm.nodePositions[Int(vertexNode[Int(v)])].coordinate
            return hilbertIndex(c, in: box) << 32 | UInt64(v)
        }
        kept = keys.sorted().map { Int32(truncatingIfNeeded: $0 & 0xffff_ffff) }
        var newID = [Int32](repeating: -1, count: n)
        for (i, v) in kept.enumerated() { newID[Int(v)] = Int32(i) }
        report.keptNodes = kept.count
        report.droppedNodes = n - kept.count

        // 7. Kept edges in order of their new endpoints.
        var keptEdges = edges.indices.filter { newID[Int(edges[$0].from)] >= 0 && newID[Int(edges[$0].to)] >= 0 }
        report.droppedEdges = edges.count - keptEdges.count
        keptEdges.sort { a, b in
            let ka = (newID[Int(edges[a].from)], newID[Int(edges[a].to)]), kb = (newID[Int(edges[b].from)], newID[Int(edges[b].to)])
            return ka != kb ? ka < kb : a < b
        }
        var edgeFrom: [Int32] = [], edgeTo: [Int32] = [], edgeLength: [Int32] = [], edgeWayID: [Int64] = []
        var edgeClass: [UInt8] = [], geometryStart: [Int32] = [0], geometry: [FixedCoordinate] = [], geometryIDs: [Int64] = []
        var closures: [EdgeClosure] = []
        struct Arc { var tail: Int32; var head: Int32; var time: Int32; var code: Int32 }
        var arcs: [Arc] = []
        for (newEdge, e) in keptEdges.enumerated() {
            let edge = edges[e]
            let from = newID[Int(edge.from)], to = newID[Int(edge.to)]
            let profile = profiles[Int(edge.way)]
            edgeFrom.append(from)
            edgeTo.append(to)
            edgeLength.append(lengths[e])
            edgeWayID.append(wayIDs[Int(edge.way)])
            edgeClass.append(profile.roadClass.rawValue)
            for p in edge.points {
                geometry.append(osm.nodePositions[Int(p)])
                geometryIDs.append(osm.nodeIDs[Int(p)])
            }
            geometryStart.append(Int32(geometry.count))
            let code = Int32(newEdge) << 1
            if forwardTime[e] > 0 { arcs.append(Arc(tail: from, head: to, time: forwardTime[e], code: code)) }
            if backwardTime[e] > 0 { arcs.append(Arc(tail: to, head: from, time: backwardTime[e], code: code | 1)) }
            for c in profile.closures { closures.append(EdgeClosure(edge: Int32(newEdge), period: c.period, reason: c.reason)) }
            if !profile.closures.isEmpty { report.edgesWithClosures += 1 }
        }
        arcs.sort { ($0.tail, $0.head, $0.code) < ($1.tail, $1.head, $1.code) }
        var firstOut = [Int32](repeating: 0, count: kept.count + 1)
        for a in arcs { firstOut[Int(a.tail) + 1] += 1 }
        for v in 0 ..< kept.count { firstOut[v + 1] += firstOut[v] }
        report.keptArcs = arcs.count
        report.keptEdges = edgeFrom.count

        let graph = RoadGraph(
            firstOut: firstOut, head: arcs.map(\.head), travelTime: arcs.map(\.time), arcEdge: arcs.map(\.code),
            nodeCoordinates: kept.map { osm.nodePositions[Int(vertexNode[Int($0)])] },
            nodeOSMIDs: kept.map { osm.nodeIDs[Int(vertexNode[Int($0)])] },
            edgeFrom: edgeFrom, edgeTo: edgeTo, edgeLength: edgeLength, edgeWayID: edgeWayID, edgeRoadClass: edgeClass,
            edgeGeometryStart: geometryStart, geometry: geometry, geometryOSMIDs: geometryIDs,
            closures: closures,
            metadata: NetworkMetadata(source: baseName(osm.source), report: report.lines))
        return (graph, report)
    }

    func straightHeights(points: [(x: Double, y: Double)], first: Double, last: Double) -> [Double] {
        var cumulative = [0.0]
        for i in 1 ..< points.count {
            let dx = points[i].x - points[i - 1].x, dy = points[i].y - points[i - 1].y
            cumulative.append(cumulative[i - 1] + (dx * dx + dy * dy).squareRoot())
        }
        let total = cumulative.last!
        let a = first.isNaN ? (last.isNaN ? 0 : last) : first
        let b = last.isNaN ? a : last
        return cumulative.map { total > 0 ? a + (b - a) * $0 / total : a }
    }
}

@inline(__always) func deciseconds(_ seconds: Double) -> Int32 { max(1, Int32((seconds * 10).rounded())) }

func baseName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}

/// Position of `c` on a Hilbert curve over a 2^16 × 2^16 grid laid on `box`.
func hilbertIndex(_ c: Coordinate, in box: BoundingBox) -> UInt64 {
    let side: UInt64 = 1 << 16
    func scale(_ v: Double, _ lo: Double, _ hi: Double) -> UInt64 {
        guard hi > lo else { return 0 }
        return UInt64(min(Double(side - 1), max(0, (v - lo) / (hi - lo) * Double(side - 1))))
    }
    var x = scale(c.longitude, box.minLongitude, box.maxLongitude)
    var y = scale(c.latitude, box.minLatitude, box.maxLatitude)
    var d: UInt64 = 0
    var s = side / 2
    while s > 0 {
        let rx: UInt64 = (x & s) > 0 ? 1 : 0
        let ry: UInt64 = (y & s) > 0 ? 1 : 0
        d += s * s * ((3 * rx) ^ ry)
        if ry == 0 {
            if rx == 1 { x = side - 1 - x; y = side - 1 - y }
            swap(&x, &y)
        }
        s /= 2
    }
    return d
}

/// Strongly connected components (Tarjan, iterative). Returns the component of each node and the count.
/// - Complexity: O(n + m).
func stronglyConnectedComponents(nodeCount n: Int, tail: [Int32], head: [Int32]) -> ([Int32], Int) {
    var first = [Int32](repeating: 0, count: n + 1)
    for t in tail { first[Int(t) + 1] += 1 }
    for v in 0 ..< n { first[v + 1] += first[v] }
    var fill = Array(first[0 ..< n])
    var adjacency = [Int32](repeating: 0, count: head.count)
    for (t, h) in zip(tail, head) {
        adjacency[Int(fill[Int(t)])] = h
        fill[Int(t)] += 1
    }
    var index = [Int32](repeating: -1, count: n)
    var low = [Int32](repeating: 0, count: n)
    var onStack = [Bool](repeating: false, count: n)
    var component = [Int32](repeating: -1, count: n)
    var stack: [Int32] = []
    var calls: [(node: Int32, next: Int32)] = []
    var counter: Int32 = 0
    var components = 0
    for s in 0 ..< Int32(n) where index[Int(s)] < 0 {
        index[Int(s)] = counter; low[Int(s)] = counter; counter += 1
        stack.append(s); onStack[Int(s)] = true
        calls.append((s, first[Int(s)]))
        while let top = calls.last {
            let v = top.node
            if top.next < first[Int(v) + 1] {
                calls[calls.count - 1].next += 1
                let w = adjacency[Int(top.next)]
                if index[Int(w)] < 0 {
                    index[Int(w)] = counter; low[Int(w)] = counter; counter += 1
                    stack.append(w); onStack[Int(w)] = true
                    calls.append((w, first[Int(w)]))
                } else if onStack[Int(w)] {
                    low[Int(v)] = min(low[Int(v)], index[Int(w)])
                }
            } else {
                calls.removeLast()
                if low[Int(v)] == index[Int(v)] {
                    while true {
                        let w = stack.removeLast()
                        onStack[Int(w)] = false
                        component[Int(w)] = Int32(components)
                        if w == v { break }
                    }
                    components += 1
                }
                if let parent = calls.last { low[Int(parent.node)] = min(low[Int(parent.node)], low[Int(v)]) }
            }
        }
    }
    return (component, components)
}
