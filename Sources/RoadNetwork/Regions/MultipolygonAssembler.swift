/// A way that is a member of a relation, with the positions of its nodes as far as the file has them.
public struct RelationMemberWay: Sendable, Equatable {
    public var wayID: Int64
    /// The member's role: `outer`, `inner`, or empty (treated by containment).
    public var role: String
    /// The way's node references; empty when the file does not contain the way.
    public var nodeIDs: [Int64]
    /// Positions of `nodeIDs`, index by index; nil where the file lacks the node.
    public var positions: [Coordinate?]

    public init(wayID: Int64, role: String, nodeIDs: [Int64], positions: [Coordinate?]) {
        precondition(nodeIDs.count == positions.count)
        self.wayID = wayID
        self.role = role
        self.nodeIDs = nodeIDs
        self.positions = positions
    }

    /// Whether the file contains the way itself.
    public var isInFile: Bool { !nodeIDs.isEmpty }
}

/// The area of a relation: a (multi)polygon, or why it could not be built.
public enum AssembledArea: Sendable, Hashable {
    case polygon(GeoMultiPolygon)
    /// The rings cannot be closed or positions are missing, usually because the extract cuts the
    /// relation off; the reason is a sentence for people.
    case incomplete(reason: String)

    public var polygon: GeoMultiPolygon? {
        if case let .polygon(p) = self { return p }
        return nil
    }
}

/// Builds the (multi)polygon of an OSM multipolygon or boundary relation from its member ways.
///
/// The usual three steps (OSM wiki "Relation:multipolygon/Algorithm"; libosmium's area assembler):
/// 1. Ring building: ways are joined end to end at shared end nodes, reversing them as needed,
///    until a ring closes; a ring that comes back to one of its own joints splits off there (figure
///    eights, touching rings). A chain that cannot be continued leaves the relation incomplete.
/// 2. Classification: a ring made only of `inner` ways is inner, only of `outer` ways outer; rings
///    with empty or mixed roles are outer at even nesting depth and inner at odd depth. An `inner`
///    ring that no outer ring contains is kept as an outer ring.
/// 3. Each inner ring becomes a hole of the smallest outer ring containing it. Rings are oriented
///    as RFC 7946 wants: exteriors counter-clockwise, holes clockwise.
/// Members that are nodes (`admin_centre`, `label`) or relations (`subarea`) take no part.
public enum MultipolygonAssembler {
    /// Assembles the way members of one relation; `relationID` only names it in reasons.
    /// - Complexity: O(m log m + r²·v) for m member nodes and r rings of v vertices (containment
    ///   tests between rings; r is small for administrative areas).
    public static func assemble(_ members: [RelationMemberWay]) -> AssembledArea {
        let ways = members.filter { $0.role == "outer" || $0.role == "inner" || $0.role.isEmpty }
        guard !ways.isEmpty else { return .incomplete(reason: "it has no outer or inner member ways") }
        let absent = ways.filter { !$0.isInFile }
        if !absent.isEmpty {
            return .incomplete(reason: "\(absent.count) of its \(ways.count) member ways are not in the file "
                + "(e.g. way \(absent[0].wayID)); the extract cuts it off")
        }
        let missingNodes = ways.reduce(0) { $0 + $1.positions.count { $0 == nil } }
        if missingNodes > 0 {
            let way = ways.first { $0.positions.contains(nil) }!
            return .incomplete(reason: "\(missingNodes) nodes of its member ways have no position in the file "
                + "(e.g. in way \(way.wayID)); the extract cuts it off")
        }
        let rings: [Ring]
        switch buildRings(ways) {
        case let .success(r): rings = r
        case let .failure(reason): return .incomplete(reason: reason.text)
        }
        return classify(rings)
    }

    struct Ring {
        var nodeIDs: [Int64]  // open
        var positions: [Coordinate]  // open
        var roles: Set<String>
        var wayIDs: [Int64]
        var box = BoundingBox.empty
        var area = 0.0  // unsigned, m²
    }

    struct Failure: Error { var text: String }

    /// Joins ways at their end nodes into closed rings.
    static func buildRings(_ ways: [RelationMemberWay]) -> Result<[Ring], Failure> {
        // Ways by end node: sorted (node, way) pairs, searched by binary search.
        var ends: [(node: Int64, way: Int)] = []
        var used = [Bool](repeating: false, count: ways.count)
        var rings: [Ring] = []
        for (k, w) in ways.enumerated() {
            if w.nodeIDs.count >= 4, w.nodeIDs.first == w.nodeIDs.last {
                // Closed on its own: a ring of one way.
                used[k] = true
                rings.append(Ring(nodeIDs: Array(w.nodeIDs.dropLast()), positions: w.positions.dropLast().map { $0! },
                                  roles: [w.role], wayIDs: [w.wayID]))
                continue
            }
            guard w.nodeIDs.count >= 2 else { used[k] = true; continue }
            ends.append((w.nodeIDs.first!, k))
            ends.append((w.nodeIDs.last!, k))
        }
        ends.sort { $0.node != $1.node ? $0.node < $1.node : $0.way < $1.way }
        func nextWay(at node: Int64) -> Int? {
            var lo = 0, hi = ends.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if ends[mid].node < node { lo = mid + 1 } else { hi = mid }
            }
            while lo < ends.count, ends[lo].node == node {
                if !used[ends[lo].way] { return ends[lo].way }
                lo += 1
            }
            return nil
        }
        for start in ways.indices where !used[start] {
            used[start] = true
            var nodes = ways[start].nodeIDs
            var positions = ways[start].positions.map { $0! }
            var roles: Set<String> = [ways[start].role]
            var wayIDs = [ways[start].wayID]
            // Joints: positions in `nodes` where ways meet, to split off rings that close early.
            var joints: [(node: Int64, index: Int)] = [(nodes[0], 0)]
            while true {
                let end = nodes.last!
                if end == nodes[0] {
                    nodes.removeLast()
                    positions.removeLast()
                    if nodes.count >= 3 { rings.append(Ring(nodeIDs: nodes, positions: positions, roles: roles, wayIDs: wayIDs)) }
                    break
                }
                if let j = joints.firstIndex(where: { $0.node == end && $0.index > 0 }) {
                    // Came back to an earlier joint: the part after it is a ring of its own.
                    let k = joints[j].index
                    let ringNodes = Array(nodes[k ..< nodes.count - 1])
                    if ringNodes.count >= 3 {
                        rings.append(Ring(nodeIDs: ringNodes, positions: Array(positions[k ..< positions.count - 1]), roles: roles, wayIDs: wayIDs))
                    }
                    nodes.removeLast(nodes.count - k - 1)
                    positions.removeLast(positions.count - k - 1)
                    joints.removeLast(joints.count - j - 1)
                    // The remaining chain continues from the joint.
                } else {
                    joints.append((end, nodes.count - 1))
                }
                guard let k = nextWay(at: end) else {
                    let shown = wayIDs.prefix(5).map(String.init).joined(separator: ", ")
                    return .failure(Failure(text: "its ring through way\(wayIDs.count == 1 ? "" : "s") \(shown)\(wayIDs.count > 5 ? ", …" : "") "
                        + "ends open at node \(end): no other member way continues it (the extract cuts it off, or the relation is broken)"))
                }
                used[k] = true
                let w = ways[k]
                let forward = w.nodeIDs.first == end
                let ids = forward ? w.nodeIDs : w.nodeIDs.reversed()
                let pos = forward ? w.positions : w.positions.reversed()
                nodes.append(contentsOf: ids.dropFirst())
                positions.append(contentsOf: pos.dropFirst().map { $0! })
                roles.insert(w.role)
                wayIDs.append(w.wayID)
            }
        }
        guard !rings.isEmpty else { return .failure(Failure(text: "its member ways form no ring of three or more nodes")) }
        for i in rings.indices {
            for c in rings[i].positions { rings[i].box.extend(c) }
            rings[i].area = abs(GeoMultiPolygon.ringArea(rings[i].positions))
        }
        return .success(rings)
    }

    /// Whether ring `a` lies inside ring `b`: decided at a vertex of `a` that is not a vertex of
    /// `b` (rings may touch at shared nodes).
    static func ring(_ a: Ring, isInside b: Ring) -> Bool {
        guard a.box.minLatitude >= b.box.minLatitude, a.box.maxLatitude <= b.box.maxLatitude,
              a.box.minLongitude >= b.box.minLongitude, a.box.maxLongitude <= b.box.maxLongitude,
              a.area < b.area else { return false }
        let shared = Set(b.nodeIDs)
        guard let k = a.nodeIDs.firstIndex(where: { !shared.contains($0) }) else { return false }
        return GeoPolygon.ringContains(b.positions, a.positions[k])
    }

    static func classify(_ rings: [Ring]) -> AssembledArea {
        var isInner = [Bool](repeating: false, count: rings.count)
        for i in rings.indices {
            if rings[i].roles == ["inner"] {
                isInner[i] = true
            } else if rings[i].roles == ["outer"] {
                isInner[i] = false
            } else {
                let depth = rings.indices.reduce(0) { $0 + ($1 != i && ring(rings[i], isInside: rings[$1]) ? 1 : 0) }
                isInner[i] = depth % 2 == 1
            }
        }
        // Each inner ring goes to the smallest outer ring around it.
        var holes = [[Int]](repeating: [], count: rings.count)
        for i in rings.indices where isInner[i] {
            var best: Int?
            for o in rings.indices where !isInner[o] && ring(rings[i], isInside: rings[o]) {
                if best == nil || rings[o].area < rings[best!].area { best = o }
            }
            if let best { holes[best].append(i) } else { isInner[i] = false }
        }
        var polygons: [GeoPolygon] = []
        for o in rings.indices where !isInner[o] {
            polygons.append(GeoPolygon(exterior: oriented(rings[o].positions, counterClockwise: true),
                                       holes: holes[o].map { oriented(rings[$0].positions, counterClockwise: false) }))
        }
        return .polygon(GeoMultiPolygon(polygons: polygons))
    }

    static func oriented(_ ring: [Coordinate], counterClockwise: Bool) -> [Coordinate] {
        (GeoMultiPolygon.ringArea(ring) > 0) == counterClockwise ? ring : ring.reversed()
    }
}
