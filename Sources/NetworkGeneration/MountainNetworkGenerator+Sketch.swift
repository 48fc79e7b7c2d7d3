import RoadNetwork

// The generator's working state: nodes on the local plane, ways with shared tag arrays, a running
// count of graph nodes, a collision index that keeps new roads clear of old ones, and the rivers
// that turn crossing roads into bridges.

extension MountainNetworkGenerator {
    typealias Tags = [(key: String, value: String)]

    /// The tags of one class of way, shared by every way of the class (arrays are copy-on-write),
    /// with the variant used on bridges.
    struct TagClass: Sendable {
        let plain: Tags
        let onBridge: Tags

        init(_ tags: Tags) {
            plain = tags
            onBridge = tags + [("bridge", "yes"), ("layer", "1")]
        }

        /// The same class with `extra` tags appended.
        func adding(_ extra: Tags) -> TagClass { TagClass(plain + extra) }
    }

    /// Segments in a uniform grid of linked lists, for "does this new road come too close to an old one?".
    struct CollisionIndex {
        let minX: Double
        let minY: Double
        let cellSize: Double
        let columns: Int
        let rows: Int
        var head: [Int32]
        var entrySegment: [Int32] = []
        var entryNext: [Int32] = []
        var segmentA: [Int32] = []
        var segmentB: [Int32] = []
        /// Whether the segment belongs to a road that climbs out of the valley floor (branch or pass).
        var segmentElevated: [Bool] = []

        init(minX: Double, minY: Double, maxX: Double, maxY: Double, cellSize: Double) {
            self.minX = minX
            self.minY = minY
            self.cellSize = cellSize
            columns = max(1, Int(((maxX - minX) / cellSize).rounded(.up)) + 1)
            rows = max(1, Int(((maxY - minY) / cellSize).rounded(.up)) + 1)
            head = [Int32](repeating: -1, count: columns * rows)
        }

        func cells(minX x0: Double, minY y0: Double, maxX x1: Double, maxY y1: Double) -> (Int, Int, Int, Int) {
            let c0 = max(0, min(columns - 1, Int(((x0 - minX) / cellSize).rounded(.down))))
            let c1 = max(0, min(columns - 1, Int(((x1 - minX) / cellSize).rounded(.down))))
            let r0 = max(0, min(rows - 1, Int(((y0 - minY) / cellSize).rounded(.down))))
            let r1 = max(0, min(rows - 1, Int(((y1 - minY) / cellSize).rounded(.down))))
            return (c0, c1, r0, r1)
        }

        mutating func insert(_ a: Int32, _ b: Int32, _ pa: Point, _ pb: Point, elevated: Bool) {
            let segment = Int32(segmentA.count)
            segmentA.append(a)
            segmentB.append(b)
            segmentElevated.append(elevated)
            let (c0, c1, r0, r1) = cells(minX: min(pa.x, pb.x), minY: min(pa.y, pb.y),
                                         maxX: max(pa.x, pb.x), maxY: max(pa.y, pb.y))
            for r in r0...r1 {
                for c in c0...c1 {
                    let cell = r * columns + c
                    entrySegment.append(segment)
                    entryNext.append(head[cell])
                    head[cell] = Int32(entrySegment.count - 1)
                }
            }
        }
    }

    /// River centre lines in a cell grid, to find where a road crosses one.
    struct RiverIndex {
        var x0: [Double] = []
        var y0: [Double] = []
        var x1: [Double] = []
        var y1: [Double] = []
        var cells: SyntheticTerrain.CellIndex

        init(rivers: [[Point]]) {
            var boxes: [(minX: Double, minY: Double, maxX: Double, maxY: Double)] = []
            for river in rivers where river.count >= 2 {
                for i in 0..<(river.count - 1) {
                    let a = river[i]
                    let b = river[i + 1]
                    x0.append(a.x); y0.append(a.y); x1.append(b.x); y1.append(b.y)
                    boxes.append((min(a.x, b.x), min(a.y, b.y), max(a.x, b.x), max(a.y, b.y)))
                }
            }
            cells = SyntheticTerrain.CellIndex(boxes: boxes, cellSize: 400)
        }

        /// The smallest fraction along `p`–`q` at which it crosses a river, if any.
        func firstCrossing(_ p: Point, _ q: Point) -> Double? {
            guard !x0.isEmpty else { return nil }
            var best: Double?
            let step = cells.cellSize
            var y = min(p.y, q.y)
            let yEnd = max(p.y, q.y)
            while true {
                var x = min(p.x, q.x)
                let xEnd = max(p.x, q.x)
                while true {
                    for k in cells.cellRange(x: x, y: y) {
                        let i = Int(cells.items[k])
                        if let t = segmentParameter(p, q, Point(x0[i], y0[i]), Point(x1[i], y1[i])),
                           best == nil || t < best! {
                            best = t
                        }
                    }
                    if x >= xEnd { break }
                    x = min(xEnd, x + step)
                }
                if y >= yEnd { break }
                y = min(yEnd, y + step)
            }
            return best
        }
    }

    /// Nodes, ways and indices under construction.
    struct Sketch {
        var xs: [Double] = []
        var ys: [Double] = []
        var references: [UInt8] = []
        var isWayEnd: [Bool] = []
        private(set) var graphNodeCount = 0
        var ways: [OSMWay] = []
        var collision: CollisionIndex
        var rivers: RiverIndex
        /// Whether ways added now climb out of the valley floor (see `collides`).
        var elevatedMode = false
        /// Whether new ways go into the collision index (off once no more checks will be made).
        var recordsCollisions = true
        /// Whether ways added now are dead-end extras (lanes, driveways, tracks) that may be pruned.
        var leafMode = false
        /// Per way: whether it was added in `leafMode`.
        var prunable: [Bool] = []

        init(minX: Double, minY: Double, maxX: Double, maxY: Double, rivers: [[Point]]) {
            collision = CollisionIndex(minX: minX, minY: minY, maxX: maxX, maxY: maxY, cellSize: 200)
            self.rivers = RiverIndex(rivers: rivers)
        }

        @inline(__always)
        func point(_ node: Int32) -> Point { Point(xs[Int(node)], ys[Int(node)]) }

        mutating func addNode(_ p: Point) -> Int32 {
            xs.append(p.x)
            ys.append(p.y)
            references.append(0)
            isWayEnd.append(false)
            return Int32(xs.count - 1)
        }

        mutating func addNodes(_ points: some Sequence<Point>) -> [Int32] {
            points.map { addNode($0) }
        }

        /// Adds a way through `nodes`. Where a segment crosses a river (and `bridges` is on), the way is
        /// split and a 30 m bridge way (bridge=yes, layer=1) carries it across.
        mutating func addWay(_ nodes: [Int32], _ tags: TagClass, bridges: Bool = true) {
            precondition(nodes.count >= 2, "a way needs two nodes")
            guard bridges else {
                finishWay(nodes, tags.plain)
                return
            }
            var current: [Int32] = [nodes[0]]
            for k in 0..<(nodes.count - 1) {
                var a = nodes[k]
                let b = nodes[k + 1]
                var pa = point(a)
                let pb = point(b)
                var reachedB = false
                while let t = rivers.firstCrossing(pa, pb) {
                    let length = pa.distance(to: pb)
                    let direction = (pb - pa) * (1 / length)
                    let at = t * length
                    let half = 15.0
                    let start: Int32 = at - half > 6 ? addNode(pa + direction * (at - half)) : a
                    if current.last != start { current.append(start) }
                    if current.count >= 2 { finishWay(current, tags.plain) }
                    let end: Int32 = length - at - half > 6 ? addNode(pa + direction * (at + half)) : b
                    finishWay([start, end], tags.onBridge)
                    current = [end]
                    if end == b { reachedB = true; break }
                    a = end
                    pa = point(a)
                }
                if !reachedB { current.append(b) }
            }
            if current.count >= 2 { finishWay(current, tags.plain) }
        }

        private mutating func finishWay(_ nodes: [Int32], _ tags: Tags) {
            var ids: [Int64] = []
            ids.reserveCapacity(nodes.count)
            for (i, n) in nodes.enumerated() {
                let index = Int(n)
                let wasGraphNode = isWayEnd[index] || references[index] >= 2
                if references[index] < 255 { references[index] += 1 }
                if i == 0 || i == nodes.count - 1 { isWayEnd[index] = true }
                if !wasGraphNode && (isWayEnd[index] || references[index] >= 2) { graphNodeCount += 1 }
                ids.append(Int64(n) + 1)
                if i > 0 && recordsCollisions {
                    collision.insert(nodes[i - 1], n, point(nodes[i - 1]), point(n), elevated: elevatedMode)
                }
            }
            ways.append(OSMWay(id: Int64(ways.count + 1), nodeIDs: ids, tags: tags))
            prunable.append(leafMode)
        }

        /// Keeps the ways flagged in `keep`, renumbers them 1, 2, … and recounts node references and
        /// graph nodes. (The collision index keeps the dropped segments, which only makes it stricter.)
        mutating func retainWays(_ keep: [Bool]) {
            var kept: [OSMWay] = []
            var keptPrunable: [Bool] = []
            kept.reserveCapacity(ways.count)
            for i in references.indices {
                references[i] = 0
                isWayEnd[i] = false
            }
            for (w, way) in ways.enumerated() where keep[w] {
                var way = way
                way.id = Int64(kept.count + 1)
                for (k, id) in way.nodeIDs.enumerated() {
                    let index = Int(id - 1)
                    if references[index] < 255 { references[index] += 1 }
                    if k == 0 || k == way.nodeIDs.count - 1 { isWayEnd[index] = true }
                }
                kept.append(way)
                keptPrunable.append(prunable[w])
            }
            ways = kept
            prunable = keptPrunable
            graphNodeCount = 0
            for i in references.indices where isWayEnd[i] || references[i] >= 2 { graphNodeCount += 1 }
        }

        /// Registers an obstacle outline (e.g. the land reserved for a town) that new roads must not cross.
        mutating func addObstacle(_ ring: [Point]) {
            let nodes = ring.map { addNode($0) }
            for i in 0..<nodes.count {
                let a = nodes[i]
                let b = nodes[(i + 1) % nodes.count]
                collision.insert(a, b, point(a), point(b), elevated: false)
            }
        }

        /// Whether the polyline `points` (which starts at node `attachedTo`, if given) comes within
        /// `clearance` metres of an existing segment, not counting the roads that meet at `attachedTo`
        /// near the start. Beyond `separationFrom` metres from the start it must also keep `separation`
        /// metres from roads that climb out of the valley floor, so that neighbouring side valleys
        /// leave room for the ridge between them.
        func collides(_ points: [Point], attachedTo: Int32?, clearance: Double,
                      separation: Double = 0, separationFrom: Double = 0) -> Bool {
            guard points.count >= 2 else { return false }
            let start = points[0]
            var first = 0
            if attachedTo != nil {
                // Near the junction the new road is necessarily close to the roads that meet there:
                // check from the point 1.2 × clearance from the start.
                while first < points.count - 1 && points[first + 1].distance(to: start) < clearance * 1.2 { first += 1 }
                if first >= points.count - 1 { return false }
            }
            for i in first..<(points.count - 1) {
                var p = points[i]
                let q = points[i + 1]
                if attachedTo != nil && i == first && p.distance(to: start) < clearance * 1.2 {
                    var t0 = 0.0
                    var t1 = 1.0
                    for _ in 0..<30 {
                        let t = (t0 + t1) / 2
                        if Point.lerp(p, q, t).distance(to: start) < clearance * 1.2 { t0 = t } else { t1 = t }
                    }
                    p = Point.lerp(p, q, t1)
                }
                let far = separation > clearance && p.distance(to: start) >= separationFrom
                let reach = far ? separation : clearance
                let (c0, c1, r0, r1) = collision.cells(minX: min(p.x, q.x) - reach, minY: min(p.y, q.y) - reach,
                                                      maxX: max(p.x, q.x) + reach, maxY: max(p.y, q.y) + reach)
                for r in r0...r1 {
                    for c in c0...c1 {
                        var e = collision.head[r * collision.columns + c]
                        while e >= 0 {
                            let s = Int(collision.entrySegment[Int(e)])
                            e = collision.entryNext[Int(e)]
                            let a = collision.segmentA[s]
                            let b = collision.segmentB[s]
                            if let attachedTo, a == attachedTo || b == attachedTo { continue }
                            let limit = far && collision.segmentElevated[s] ? separation : clearance
                            if distance(p, q, point(a), point(b)) < limit { return true }
                        }
                    }
                }
            }
            return false
        }

        /// Whether the segment `p`–`q` crosses a river.
        func crossesRiver(_ p: Point, _ q: Point) -> Bool { rivers.firstCrossing(p, q) != nil }
    }
}
