/// How a search enters or leaves the graph at a point on a road: the node at one end of the point's
/// edge, the time and length of the partial arc between the point and that node, and the arc
/// (`RoadGraph.invalidID` when the point is that node itself).
public struct RoadPositionSeed: Sendable, Equatable {
    public var seed: SearchSeed
    public var arc: Int32
}

/// A point this close to an end of its edge (as a fraction of the edge) stands on that end's node.
let nodeFractionTolerance = 1e-9

extension RoadGraph {
    /// Where a trip starting at `p` enters the graph: the head of each open arc of `p`'s edge, with
    /// the rest of that arc (by length fraction) already driven.
    public func entrySeeds(of p: SnappedPoint, closed: ArcMask?) -> [RoadPositionSeed] {
        var seeds: [RoadPositionSeed] = []
        for reversed in [false, true] {
            guard let a = arc(onEdge: p.edge, reversed: reversed), !(closed?.contains(a) ?? false) else { continue }
            let share = reversed ? p.fraction : 1 - p.fraction
            seeds.append(RoadPositionSeed(seed: SearchSeed(node: head[Int(a)], time: partial(travelTime[Int(a)], share),
                                                           length: partialLength(arcLength(a), share)), arc: a))
        }
        appendNodeSeed(of: p, to: &seeds)
        return seeds
    }

    /// A point on a junction stands on the node itself: it may leave by any road from there, not
    /// only by the edge the snapping picked.
    func appendNodeSeed(of p: SnappedPoint, to seeds: inout [RoadPositionSeed]) {
        if p.fraction <= nodeFractionTolerance {
            seeds.append(RoadPositionSeed(seed: SearchSeed(node: edgeFrom[Int(p.edge)]), arc: RoadGraph.invalidID))
        } else if p.fraction >= 1 - nodeFractionTolerance {
            seeds.append(RoadPositionSeed(seed: SearchSeed(node: edgeTo[Int(p.edge)]), arc: RoadGraph.invalidID))
        }
    }

    /// Where a trip ending at `p` leaves the graph: the tail of each open arc of `p`'s edge, with the
    /// part of that arc up to `p` still to drive.
    public func exitSeeds(of p: SnappedPoint, closed: ArcMask?) -> [RoadPositionSeed] {
        var seeds: [RoadPositionSeed] = []
        for reversed in [false, true] {
            guard let a = arc(onEdge: p.edge, reversed: reversed), !(closed?.contains(a) ?? false) else { continue }
            let share = reversed ? 1 - p.fraction : p.fraction
            seeds.append(RoadPositionSeed(seed: SearchSeed(node: arcTail(a), time: partial(travelTime[Int(a)], share),
                                                           length: partialLength(arcLength(a), share)), arc: a))
        }
        appendNodeSeed(of: p, to: &seeds)
        return seeds
    }

    /// The trip along one edge when `to` lies ahead of `from` on it in a direction a vehicle may drive.
    public func sameEdgeTrip(from: SnappedPoint, to: SnappedPoint, closed: ArcMask?) -> (time: Int32, length: Int32, arc: Int32)? {
        guard from.edge == to.edge else { return nil }
        var best: (time: Int32, length: Int32, arc: Int32)?
        for reversed in [false, true] {
            guard let a = arc(onEdge: from.edge, reversed: reversed), !(closed?.contains(a) ?? false) else { continue }
            let ahead = reversed ? to.fraction <= from.fraction : to.fraction >= from.fraction
            guard ahead else { continue }
            let share = abs(to.fraction - from.fraction)
            let t = partial(travelTime[Int(a)], share)
            if best == nil || t < best!.time { best = (t, partialLength(arcLength(a), share), a) }
        }
        return best
    }
}

@inline(__always) func partial(_ time: Int32, _ fraction: Double) -> Int32 {
    Int32((Double(time) * min(1, max(0, fraction))).rounded())
}

@inline(__always) func partialLength(_ metres: Int32, _ fraction: Double) -> Int32 {
    Int32((Double(metres) * min(1, max(0, fraction))).rounded())
}
