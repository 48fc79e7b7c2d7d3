/// A contraction hierarchy over a `RoadGraph`'s travel times (Geisberger, Sanders, Schultes and
/// Delling 2008; layout after RoutingKit): nodes contracted one by one in order of importance, with
/// shortcuts where no witness path exists, stored as two CSR halves that point only upwards.
///
/// Nodes inside the hierarchy are numbered by contraction rank (`rank[graphNode]`), so the searches,
/// which end among the few most important nodes, touch memory that lies together.
/// - `up` (forward search): for CH node v, arcs v→w with w > v.
/// - `down` (backward search): for CH node v, arcs u→v with u > v, listed at v with tail u.
/// Each entry carries its travel time (deciseconds), length (metres) and CH arc id: an id below
/// `originalArcCount` is that arc of the graph; a larger id is the shortcut `id − originalArcCount`,
/// made of two CH arcs (`shortcutFirst`, `shortcutSecond`), so paths unpack recursively into graph arcs.
///
/// Closed arcs (a date's closures) are left out when the hierarchy is built: a closure makes a new
/// hierarchy (re-contraction; see `ContractionHierarchyCache`).
public struct ContractionHierarchy: Sendable, Equatable {
    public let nodeCount: Int
    public let originalArcCount: Int
    /// Contraction position of each graph node (0 = contracted first, least important); the CH node id.
    public let rank: [Int32]
    public let upFirst: [Int32]
    public let upHead: [Int32]
    public let upTime: [Int32]
    public let upLength: [Int32]
    public let upArc: [Int32]
    public let downFirst: [Int32]
    public let downTail: [Int32]
    public let downTime: [Int32]
    public let downLength: [Int32]
    public let downArc: [Int32]
    public let shortcutFirst: [Int32]
    public let shortcutSecond: [Int32]

    public var shortcutCount: Int { shortcutFirst.count }

    /// Bytes of the search structure (both halves, shortcut children, ranks).
    public var memoryBytes: Int {
        4 * (rank.count + upFirst.count + upHead.count + upTime.count + upLength.count + upArc.count
            + downFirst.count + downTail.count + downTime.count + downLength.count + downArc.count
            + shortcutFirst.count + shortcutSecond.count)
    }

    /// Bytes of the arrays a travel-time query reads (`CHQuery.time`): ranks and each half's first,
    /// head and time arrays. Lengths, arc ids and shortcut children are read only for distances and paths.
    public var timeQueryBytes: Int {
        4 * (rank.count + upFirst.count + upHead.count + upTime.count + downFirst.count + downTail.count + downTime.count)
    }

    /// Bytes of the arrays a time-and-distance search reads (`ManyToMany.table`, `CHQuery.query`):
    /// `timeQueryBytes` plus each half's lengths. Paths (`pathArcs`) read the whole index (`memoryBytes`).
    public var distanceQueryBytes: Int {
        timeQueryBytes + 4 * (upLength.count + downLength.count)
    }

    package init(nodeCount: Int, originalArcCount: Int, rank: [Int32],
                 upFirst: [Int32], upHead: [Int32], upTime: [Int32], upLength: [Int32], upArc: [Int32],
                 downFirst: [Int32], downTail: [Int32], downTime: [Int32], downLength: [Int32], downArc: [Int32],
                 shortcutFirst: [Int32], shortcutSecond: [Int32]) {
        self.nodeCount = nodeCount
        self.originalArcCount = originalArcCount
        self.rank = rank
        self.upFirst = upFirst
        self.upHead = upHead
        self.upTime = upTime
        self.upLength = upLength
        self.upArc = upArc
        self.downFirst = downFirst
        self.downTail = downTail
        self.downTime = downTime
        self.downLength = downLength
        self.downArc = downArc
        self.shortcutFirst = shortcutFirst
        self.shortcutSecond = shortcutSecond
    }

    /// Graph arcs of a CH arc, in driving order.
    public func unpack(_ chArc: Int32, into out: inout [Int32]) {
        var stack: [Int32] = [chArc]
        let m = Int32(originalArcCount)
        while let a = stack.popLast() {
            if a < m {
                out.append(a)
            } else {
                stack.append(shortcutSecond[Int(a - m)])
                stack.append(shortcutFirst[Int(a - m)])
            }
        }
    }

    /// Seeds given by graph node are searched from their CH node.
    @inline(__always) func chSeeds(_ seeds: [SearchSeed]) -> [SearchSeed] {
        seeds.map { SearchSeed(node: rank[Int($0.node)], time: $0.time, length: $0.length) }
    }
}
