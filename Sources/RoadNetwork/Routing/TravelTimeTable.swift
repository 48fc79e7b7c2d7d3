/// A many-to-many table of travel times (deciseconds) and lengths (metres), row-major by source.
/// Unreachable pairs hold `RoadGraph.unreachable` in `times` (and 0 in `lengths`); they are never a
/// large number that could leak into an optimizer as a real time.
public struct TravelTimeTable: Sendable, Equatable {
    public let sourceCount: Int
    public let targetCount: Int
    public let times: [Int32]
    public let lengths: [Int32]

    public init(sourceCount: Int, targetCount: Int, times: [Int32], lengths: [Int32]) {
        precondition(times.count == sourceCount * targetCount && lengths.count == times.count)
        self.sourceCount = sourceCount
        self.targetCount = targetCount
        self.times = times
        self.lengths = lengths
    }

    /// Travel time from source `i` to target `j`, nil when unreachable.
    public func time(_ i: Int, _ j: Int) -> Int32? {
        let t = times[i * targetCount + j]
        return t == RoadGraph.unreachable ? nil : t
    }

    public func length(_ i: Int, _ j: Int) -> Int32? {
        time(i, j) == nil ? nil : lengths[i * targetCount + j]
    }
}

/// Many-to-many tables with buckets [Knopp et al. 2007] on a contraction hierarchy: one backward
/// upward search per target fills buckets at the nodes it settles, then one forward upward search per
/// source scans the buckets of the nodes it settles. Both phases run in parallel over `threads`
/// workers, each with its own search object; results are exact (equal to Dijkstra's).
/// - Complexity: |S| + |T| upward searches plus the bucket scans.
public enum ManyToMany {
    public static func table(_ ch: ContractionHierarchy, sources: [[SearchSeed]], targets: [[SearchSeed]],
                             threads: Int = 2) -> TravelTimeTable {
        let s = sources.count, t = targets.count
        if s == 0 || t == 0 { return TravelTimeTable(sourceCount: s, targetCount: t, times: [], lengths: []) }
        let workers = max(1, min(threads, max(s, t)))
        // Phase 1: buckets from backward searches, in parallel over chunks of targets.
        struct Entry { var node: Int32; var target: Int32; var time: Int32; var length: Int32 }
        let chunks = parallelMap(count: workers) { w -> [Entry] in
            let search = UpwardSearch(ch, forward: false)
            var entries: [Entry] = []
            var j = w
            while j < t {
                search.run(ch.chSeeds(targets[j]))
                for v in search.settled {
                    entries.append(Entry(node: v, target: Int32(j), time: search.distance[Int(v)], length: search.length[Int(v)]))
                }
                j += workers
            }
            return entries
        }
        var bucketFirst = [Int32](repeating: 0, count: ch.nodeCount + 1)
        for chunk in chunks { for e in chunk { bucketFirst[Int(e.node) + 1] += 1 } }
        for v in 0 ..< ch.nodeCount { bucketFirst[v + 1] += bucketFirst[v] }
        let total = Int(bucketFirst[ch.nodeCount])
        var bucketTarget = [Int32](repeating: 0, count: total)
        var bucketTime = [Int32](repeating: 0, count: total)
        var bucketLength = [Int32](repeating: 0, count: total)
        var fill = Array(bucketFirst.dropLast())
        for chunk in chunks {
            for e in chunk {
                let slot = Int(fill[Int(e.node)])
                fill[Int(e.node)] += 1
                bucketTarget[slot] = e.target
                bucketTime[slot] = e.time
                bucketLength[slot] = e.length
            }
        }
        // Phase 2: rows from forward searches, in parallel over interleaved sources, written in place
        // (each worker owns whole rows, so the writes never overlap).
        // The output is allocated uninitialized and each worker fills its own rows, so the first
        // touch of the 8 bytes per cell (page faults dominate a fresh 10^6-cell table) is shared too.
        var lengths: [Int32] = []
        let times = [Int32](unsafeUninitializedCapacity: s * t) { timesOut, timesCount in
            lengths = [Int32](unsafeUninitializedCapacity: s * t) { lengthsOut, lengthsCount in
                let output = RowOutput(times: timesOut.baseAddress, lengths: lengthsOut.baseAddress)
                bucketFirst.withUnsafeBufferPointer { first in
                    bucketTarget.withUnsafeBufferPointer { targetsOf in
                        bucketTime.withUnsafeBufferPointer { timesOf in
                            bucketLength.withUnsafeBufferPointer { lengthsOf in
                                let buckets = Buckets(first: first, target: targetsOf, time: timesOf, length: lengthsOf)
                                _ = parallelMap(count: workers) { w -> Int in
                                    let search = UpwardSearch(ch, forward: true)
                                    var i = w
                                    while i < s {
                                        search.run(ch.chSeeds(sources[i]))
                                        let rowTime = output.times! + i * t, rowLength = output.lengths! + i * t
                                        rowTime.initialize(repeating: RoadGraph.unreachable, count: t)
                                        rowLength.initialize(repeating: 0, count: t)
                                        for u in search.settled {
                                            let d = search.distance[Int(u)], l = search.length[Int(u)]
                                            var k = Int(buckets.first[Int(u)])
                                            let end = Int(buckets.first[Int(u) + 1])
                                            while k < end {
                                                let j = Int(buckets.target[k])
                                                let candidate = d &+ buckets.time[k]
                                                if candidate < rowTime[j] {
                                                    rowTime[j] = candidate
                                                    rowLength[j] = l &+ buckets.length[k]
                                                }
                                                k += 1
                                            }
                                        }
                                        i += workers
                                    }
                                    return 0
                                }
                            }
                        }
                    }
                }
                lengthsCount = s * t
            }
            timesCount = s * t
        }
        return TravelTimeTable(sourceCount: s, targetCount: t, times: times, lengths: lengths)
    }
}

/// Raw output rows shared by table workers; each worker writes only its own rows.
struct RowOutput: @unchecked Sendable {
    let times: UnsafeMutablePointer<Int32>?
    let lengths: UnsafeMutablePointer<Int32>?
}

/// Read-only bucket arrays shared by table workers.
struct Buckets: @unchecked Sendable {
    let first: UnsafeBufferPointer<Int32>
    let target: UnsafeBufferPointer<Int32>
    let time: UnsafeBufferPointer<Int32>
    let length: UnsafeBufferPointer<Int32>
}

extension ManyToMany {
    /// Travel times and lengths between every pair of road positions on the network with `closed`
    /// arcs shut (`hierarchy` must be built without those arcs). A position to itself is 0; two
    /// positions on one edge also consider driving along the edge directly.
    public static func table(graph: RoadGraph, hierarchy: ContractionHierarchy, points: [SnappedPoint],
                             closed: ArcMask?, threads: Int = 2) -> TravelTimeTable {
        let entries = points.map { graph.entrySeeds(of: $0, closed: closed).map(\.seed) }
        let exits = points.map { graph.exitSeeds(of: $0, closed: closed).map(\.seed) }
        let table = ManyToMany.table(hierarchy, sources: entries, targets: exits, threads: threads)
        let k = points.count
        var times = table.times, lengths = table.lengths
        // Group points by edge so same-edge pairs are found without comparing all pairs.
        let byEdge = points.indices.sorted { (points[$0].edge, $0) < (points[$1].edge, $1) }
        var start = 0
        while start < byEdge.count {
            var end = start
            while end < byEdge.count && points[byEdge[end]].edge == points[byEdge[start]].edge { end += 1 }
            for a in byEdge[start ..< end] {
                for b in byEdge[start ..< end] where a != b {
                    if let direct = graph.sameEdgeTrip(from: points[a], to: points[b], closed: closed), direct.time < times[a * k + b] {
                        times[a * k + b] = direct.time
                        lengths[a * k + b] = direct.length
                    }
                }
            }
            start = end
        }
        for i in 0 ..< k {
            times[i * k + i] = 0
            lengths[i * k + i] = 0
        }
        return TravelTimeTable(sourceCount: k, targetCount: k, times: times, lengths: lengths)
    }
}
