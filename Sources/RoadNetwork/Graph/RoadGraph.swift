/// A routable road network: a directed graph in forward CSR form, with dense node ids
/// `0..<nodeCount`, arc travel times in deciseconds, and per-edge geometry, lengths and closures.
///
/// An *edge* is a stretch of one OSM way between two graph nodes (junctions or way ends), with its
/// geometry; it yields one *arc* per direction a vehicle may drive it. Arc ids index the forward CSR
/// (`firstOut`/`head`); an arc's tail is `arcTail(_:)`. No backward CSR is kept: the searches that
/// go backward run on the contraction hierarchy's `down` half, and its builder makes its own
/// incoming lists.
/// The value is immutable and `Sendable`: share it across threads; each thread owns its query objects.
public struct RoadGraph: Sendable {
    /// Sentinel for "no node" / "no arc".
    public static let invalidID: Int32 = -1
    /// Sentinel travel time for "unreachable".
    public static let unreachable: Int32 = .max

    // Forward CSR.
    public let firstOut: [Int32]
    public let head: [Int32]
    /// Travel time of each arc in deciseconds (≥ 1).
    public let travelTime: [Int32]
    /// `edge << 1 | reversed` for each arc: which edge it drives and whether against the geometry.
    public let arcEdge: [Int32]
    // Nodes.
    public let nodeCoordinates: [FixedCoordinate]
    public let nodeOSMIDs: [Int64]
    // Edges.
    public let edgeFrom: [Int32]
    public let edgeTo: [Int32]
    /// Length in metres (≥ 1).
    public let edgeLength: [Int32]
    public let edgeWayID: [Int64]
    public let edgeRoadClass: [UInt8]
    /// Geometry of edge e is `geometry[edgeGeometryStart[e] ..< edgeGeometryStart[e + 1]]`, from `edgeFrom` to `edgeTo`.
    public let edgeGeometryStart: [Int32]
    public let geometry: [FixedCoordinate]
    public let geometryOSMIDs: [Int64]
    /// Closures known when the network was built (seasonal tags, imported closure lists).
    public let closures: [EdgeClosure]
    public let metadata: NetworkMetadata

    public var nodeCount: Int { firstOut.count - 1 }
    public var arcCount: Int { head.count }
    public var edgeCount: Int { edgeFrom.count }

    package init(firstOut: [Int32], head: [Int32], travelTime: [Int32], arcEdge: [Int32],
                 nodeCoordinates: [FixedCoordinate], nodeOSMIDs: [Int64],
                 edgeFrom: [Int32], edgeTo: [Int32], edgeLength: [Int32], edgeWayID: [Int64], edgeRoadClass: [UInt8],
                 edgeGeometryStart: [Int32], geometry: [FixedCoordinate], geometryOSMIDs: [Int64],
                 closures: [EdgeClosure], metadata: NetworkMetadata) {
        self.firstOut = firstOut
        self.head = head
        self.travelTime = travelTime
        self.arcEdge = arcEdge
        self.nodeCoordinates = nodeCoordinates
        self.nodeOSMIDs = nodeOSMIDs
        self.edgeFrom = edgeFrom
        self.edgeTo = edgeTo
        self.edgeLength = edgeLength
        self.edgeWayID = edgeWayID
        self.edgeRoadClass = edgeRoadClass
        self.edgeGeometryStart = edgeGeometryStart
        self.geometry = geometry
        self.geometryOSMIDs = geometryOSMIDs
        self.closures = closures
        self.metadata = metadata
    }

    /// The node an arc leaves.
    @inline(__always) public func arcTail(_ arc: Int32) -> Int32 {
        let code = arcEdge[Int(arc)]
        return code & 1 == 0 ? edgeFrom[Int(code >> 1)] : edgeTo[Int(code >> 1)]
    }

    /// Length of an arc in metres.
    @inline(__always) public func arcLength(_ arc: Int32) -> Int32 { edgeLength[Int(arcEdge[Int(arc)] >> 1)] }

    /// The arc driving `edge` along its geometry (`reversed == false`) or against it, if a vehicle may.
    public func arc(onEdge edge: Int32, reversed: Bool) -> Int32? {
        let from = reversed ? edgeTo[Int(edge)] : edgeFrom[Int(edge)]
        let code = edge << 1 | (reversed ? 1 : 0)
        for a in Int(firstOut[Int(from)]) ..< Int(firstOut[Int(from) + 1]) where arcEdge[a] == code { return Int32(a) }
        return nil
    }

    /// The geometry of an arc in driving order.
    public func arcGeometry(_ arc: Int32) -> ArraySlice<FixedCoordinate> {
        let code = arcEdge[Int(arc)]
        let e = Int(code >> 1)
        return geometry[Int(edgeGeometryStart[e]) ..< Int(edgeGeometryStart[e + 1])]
    }

    /// Arcs closed on `date` by the network's own closures plus `extra` ones.
    /// - Complexity: O(number of closures + m / 64).
    public func closedArcs(on date: ServiceDate?, extra: [EdgeClosure] = []) -> ArcMask {
        var mask = ArcMask(arcCount: arcCount)
        guard let date else { return mask }
        for c in closures where c.period.covers(date) { closeEdge(c.edge, in: &mask) }
        for c in extra where c.period.covers(date) { closeEdge(c.edge, in: &mask) }
        return mask
    }

    func closeEdge(_ e: Int32, in mask: inout ArcMask) {
        if let a = arc(onEdge: e, reversed: false) { mask.insert(a) }
        if let a = arc(onEdge: e, reversed: true) { mask.insert(a) }
    }

    /// Bytes held by the graph's arrays (what `network info` reports as size in memory).
    public var memoryBytes: Int {
        4 * (firstOut.count + head.count + travelTime.count + arcEdge.count)
            + 8 * nodeCoordinates.count + 8 * nodeOSMIDs.count
            + 4 * (edgeFrom.count + edgeTo.count + edgeLength.count + edgeGeometryStart.count) + 8 * edgeWayID.count + edgeRoadClass.count
            + 8 * geometry.count + 8 * geometryOSMIDs.count
    }

    /// Bytes of the routing core alone (forward CSR and travel times: what a Dijkstra travel-time
    /// search reads), the baseline against which speed-up structures are measured.
    public var routingCoreBytes: Int {
        4 * (firstOut.count + head.count + travelTime.count)
    }

    /// The bounding box of all nodes.
    public var boundingBox: BoundingBox {
        var box = BoundingBox.empty
        for c in geometry { box.extend(c.coordinate) }
        return box
    }
}

/// Facts about how a network was built, kept in the network file.
public struct NetworkMetadata: Sendable, Equatable {
    /// Where the data came from (file name or generator), without directories.
    public var source: String
    /// Import figures: node, arc, edge counts of the input and what was dropped, one line each.
    public var report: [String]

    public init(source: String, report: [String]) {
        self.source = source
        self.report = report
    }
}
