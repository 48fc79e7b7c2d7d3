/// One OpenStreetMap way as the importer needs it: id, node references and the tags that matter.
public struct OSMWay: Sendable, Equatable {
    public var id: Int64
    public var nodeIDs: [Int64]
    public var tags: [(key: String, value: String)]

    public init(id: Int64, nodeIDs: [Int64], tags: [(key: String, value: String)]) {
        self.id = id
        self.nodeIDs = nodeIDs
        self.tags = tags
    }

    public subscript(key: String) -> String? {
        for t in tags where t.key == key { return t.value }
        return nil
    }

    public static func == (a: OSMWay, b: OSMWay) -> Bool {
        a.id == b.id && a.nodeIDs == b.nodeIDs && a.tags.elementsEqual(b.tags, by: { $0 == $1 })
    }
}

/// The part of an OpenStreetMap file that routing needs: candidate road ways and the positions of
/// the nodes they use. Loaders fill it; `RoadGraphBuilder` turns it into a `RoadGraph`.
public struct OSMData: Sendable {
    /// Ways that passed the cheap "is this a road" filter (`WayFilter.isCandidate`).
    public var ways: [OSMWay]
    /// Sorted ids of every node referenced by `ways` whose position was found.
    public var nodeIDs: [Int64]
    /// Positions matching `nodeIDs` index by index.
    public var nodePositions: [FixedCoordinate]
    /// Bounding box from the file header, if it has one.
    public var headerBoundingBox: BoundingBox?
    /// Where the data came from (file path or generator name), for reports.
    public var source: String

    public init(ways: [OSMWay], nodeIDs: [Int64], nodePositions: [FixedCoordinate],
                headerBoundingBox: BoundingBox? = nil, source: String) {
        precondition(nodeIDs.count == nodePositions.count)
        self.ways = ways
        self.nodeIDs = nodeIDs
        self.nodePositions = nodePositions
        self.headerBoundingBox = headerBoundingBox
        self.source = source
    }

    /// Builds the node arrays from unsorted (id, position) pairs; duplicates keep the last position.
    public init(ways: [OSMWay], nodes: [(id: Int64, position: FixedCoordinate)],
                headerBoundingBox: BoundingBox? = nil, source: String) {
        let sorted = nodes.enumerated().sorted { a, b in
            a.element.id != b.element.id ? a.element.id < b.element.id : a.offset < b.offset
        }
        var ids: [Int64] = []
        var positions: [FixedCoordinate] = []
        ids.reserveCapacity(sorted.count)
        positions.reserveCapacity(sorted.count)
        for (_, node) in sorted {
            if let last = ids.last, last == node.id {
                positions[positions.count - 1] = node.position
            } else {
                ids.append(node.id)
                positions.append(node.position)
            }
        }
        self.init(ways: ways, nodeIDs: ids, nodePositions: positions,
                  headerBoundingBox: headerBoundingBox, source: source)
    }

    /// Index of `id` in `nodeIDs`, or nil when the node's position is unknown.
    /// - Complexity: O(log n).
    public func nodeIndex(of id: Int64) -> Int? {
        var lo = 0
        var hi = nodeIDs.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if nodeIDs[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < nodeIDs.count && nodeIDs[lo] == id ? lo : nil
    }
}

extension OSMWay {
    /// The cheap first filter every loader applies: a way with a `highway` tag that is not an area.
    /// `RoadGraphBuilder` decides later, from all tags, whether and how a vehicle may use it.
    public static func isRoadCandidate(_ tags: [(key: String, value: String)]) -> Bool {
        var highway = false
        for t in tags {
            if t.key == "highway" { highway = true }
            if t.key == "area" && t.value == "yes" { return false }
        }
        return highway
    }
}
