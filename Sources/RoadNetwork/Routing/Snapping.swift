/// A position on the road network: a point on one edge, at a fraction of the edge's length.
public struct SnappedPoint: Sendable, Equatable {
    /// The coordinate that was asked for.
    public var query: Coordinate
    /// The nearest point on the road.
    public var onRoad: Coordinate
    public var edge: Int32
    /// Position along the edge's geometry, 0 at `edgeFrom`, 1 at `edgeTo`, by length.
    public var fraction: Double
    /// Straight-line distance from `query` to `onRoad` in metres.
    public var distanceMetres: Double
}

/// Finds the nearest open road to a coordinate, with a uniform grid over the edges' segments.
///
/// Cells are `cellMetres` square in a local projection; a query scans rings of cells outwards and
/// stops once the ring lies farther than the best match or the snapping limit.
/// - Complexity: build O(total segment length / cell size + segments); query O(cells scanned + segments in them).
public struct SnapIndex: Sendable {
    public let cellMetres: Double
    let projection: LocalProjection
    let originX: Double
    let originY: Double
    let columns: Int
    let rows: Int
    let cellStart: [Int32]
    /// Global geometry index of each segment's first point, grouped by cell.
    let cellSegments: [Int32]
    /// Edge of each geometry point (the edge whose geometry the point starts a segment of).
    let pointEdge: [Int32]

    public init(graph: RoadGraph, cellMetres: Double = 250) {
        self.cellMetres = cellMetres
        let box = graph.boundingBox
        let projection = LocalProjection(referenceLatitude: box.isEmpty ? 0 : (box.minLatitude + box.maxLatitude) / 2)
        self.projection = projection
        let lo = projection.project(Coordinate(latitude: box.minLatitude, longitude: box.minLongitude))
        let hi = projection.project(Coordinate(latitude: box.maxLatitude, longitude: box.maxLongitude))
        originX = lo.x
        originY = lo.y
        columns = max(1, Int(((hi.x - lo.x) / cellMetres).rounded(.up)) + 1)
        rows = max(1, Int(((hi.y - lo.y) / cellMetres).rounded(.up)) + 1)
        var pointEdge = [Int32](repeating: -1, count: graph.geometry.count)
        var entries: [(cell: Int32, segment: Int32)] = []
        entries.reserveCapacity(graph.geometry.count)
        let projected = graph.geometry.map { projection.project($0.coordinate) }
        for e in 0 ..< graph.edgeCount {
            let start = Int(graph.edgeGeometryStart[e]), end = Int(graph.edgeGeometryStart[e + 1])
            for i in start ..< end - 1 {
                pointEdge[i] = Int32(e)
                let a = projected[i], b = projected[i + 1]
                let c0 = max(0, Int((min(a.x, b.x) - lo.x) / cellMetres)), c1 = min(columns - 1, Int((max(a.x, b.x) - lo.x) / cellMetres))
                let r0 = max(0, Int((min(a.y, b.y) - lo.y) / cellMetres)), r1 = min(rows - 1, Int((max(a.y, b.y) - lo.y) / cellMetres))
                for r in r0 ... max(r0, r1) {
                    for c in c0 ... max(c0, c1) { entries.append((Int32(r * columns + c), Int32(i))) }
                }
            }
        }
        var start = [Int32](repeating: 0, count: columns * rows + 1)
        for entry in entries { start[Int(entry.cell) + 1] += 1 }
        for i in 0 ..< columns * rows { start[i + 1] += start[i] }
        var fill = Array(start.dropLast())
        var segments = [Int32](repeating: 0, count: entries.count)
        for entry in entries {
            segments[Int(fill[Int(entry.cell)])] = entry.segment
            fill[Int(entry.cell)] += 1
        }
        cellStart = start
        cellSegments = segments
        self.pointEdge = pointEdge
    }

    /// The nearest point on an edge that a vehicle may drive in at least one direction (arcs in
    /// `closed` do not count), within `maxDistanceMetres`.
    public func snap(_ c: Coordinate, in graph: RoadGraph, closed: ArcMask? = nil,
                     maxDistanceMetres: Double = 500) throws -> SnappedPoint {
        guard c.isValid else { throw RoadNetworkError.invalidCoordinate(c.description) }
        let p = projection.project(c)
        let cx = Int(((p.x - originX) / cellMetres).rounded(.down)), cy = Int(((p.y - originY) / cellMetres).rounded(.down))
        var best: (distance: Double, segment: Int, t: Double)?
        var usable = [Int32: Bool]()
        func isUsable(_ edge: Int32) -> Bool {
            guard let closed else { return true }
            if let known = usable[edge] { return known }
            let open = [false, true].contains { reversed in
                graph.arc(onEdge: edge, reversed: reversed).map { !closed.contains($0) } ?? false
            }
            usable[edge] = open
            return open
        }
        var ring = 0
        // Distance from p to the outside of the ring `ring` around (cx, cy) is at least ring * cell minus the offset inside the cell.
        while true {
            let reach = Double(ring - 1) * cellMetres
            if let best, best.distance <= reach { break }
            if reach > maxDistanceMetres { break }
            if ring > columns + rows + abs(cx) + abs(cy) { break }
            // Only the cells of the ring that lie inside the grid.
            let firstRow = max(0, cy - ring), lastRow = min(rows - 1, cy + ring)
            let firstColumn = max(0, cx - ring), lastColumn = min(columns - 1, cx + ring)
            for r in stride(from: firstRow, through: lastRow, by: 1) {
                let edgeRow = abs(r - cy) == ring
                let ringColumns: [Int] = edgeRow
                    ? Array(stride(from: firstColumn, through: lastColumn, by: 1))
                    : [cx - ring, cx + ring].filter { $0 >= 0 && $0 < columns }
                for col in ringColumns {
                    let cell = r * columns + col
                    for s in cellStart[cell] ..< cellStart[cell + 1] {
                        let i = Int(cellSegments[Int(s)])
                        let a = projection.project(graph.geometry[i].coordinate), b = projection.project(graph.geometry[i + 1].coordinate)
                        let (t, d2) = segmentProjection(x: p.x, y: p.y, x0: a.x, y0: a.y, x1: b.x, y1: b.y)
                        let d = d2.squareRoot()
                        if best == nil || d < best!.distance || (d == best!.distance && i < best!.segment) {
                            guard isUsable(pointEdge[i]) else { continue }
                            best = (d, i, t)
                        }
                    }
                }
            }
            ring += 1
        }
        guard let best, best.distance <= maxDistanceMetres else {
            throw RoadNetworkError.pointTooFarFromRoad(c, nearestMetres: best?.distance, limitMetres: maxDistanceMetres)
        }
        let edge = pointEdge[best.segment]
        // Fraction along the edge by length.
        let start = Int(graph.edgeGeometryStart[Int(edge)]), end = Int(graph.edgeGeometryStart[Int(edge) + 1])
        var total = 0.0, before = 0.0
        for i in start ..< end - 1 {
            let l = graph.geometry[i].coordinate.distance(to: graph.geometry[i + 1].coordinate)
            if i < best.segment { before += l } else if i == best.segment { before += l * best.t }
            total += l
        }
        let a = graph.geometry[best.segment].coordinate, b = graph.geometry[best.segment + 1].coordinate
        let onRoad = Coordinate(latitude: a.latitude + best.t * (b.latitude - a.latitude),
                                longitude: a.longitude + best.t * (b.longitude - a.longitude))
        return SnappedPoint(query: c, onRoad: onRoad, edge: edge, fraction: total > 0 ? before / total : 0,
                            distanceMetres: best.distance)
    }
}
