import RoadNetwork

/// Travel times between the locations of an instance, in ticks, as a dense row-major matrix.
/// Travel cost equals travel time. `TravelMatrix.unreachable` marks pairs with no route.
public struct TravelMatrix: Sendable, Equatable {
    public static let unreachable = Int32.max

    public let count: Int
    @usableFromInline let times: ContiguousArray<Int32>

    /// - Precondition: `times.count == count * count`, entries non-negative.
    public init(count: Int, times: some Sequence<Int32>) {
        let stored = ContiguousArray(times)
        precondition(stored.count == count * count, "a travel matrix needs count² entries")
        self.count = count
        self.times = stored
    }

    /// Builds a matrix from a function of location pairs (ticks, or nil when unreachable).
    public init(count: Int, time: (Int, Int) -> Int?) {
        var stored = ContiguousArray<Int32>(repeating: 0, count: count * count)
        for i in 0..<count {
            for j in 0..<count where i != j {
                if let t = time(i, j) { stored[i * count + j] = Int32(clamping: max(0, t)) } else { stored[i * count + j] = Self.unreachable }
            }
        }
        self.count = count
        self.times = stored
    }

    /// A matrix from a road-network travel-time table over the same points (deciseconds there,
    /// converted to `scale` ticks rounded up, which keeps the triangle inequality).
    public init(table: TravelTimeTable, scale: TimeScale) {
        precondition(table.sourceCount == table.targetCount, "a travel matrix needs a square table")
        let n = table.sourceCount
        self.init(count: n) { i, j in
            guard let ds = table.time(i, j) else { return nil }
            return scale.ticks(deciseconds: Int(ds))
        }
    }

    /// Travel time from location `i` to `j` in ticks.
    @inlinable @inline(__always)
    public subscript(i: Int, j: Int) -> Int { Int(times[i &* count &+ j]) }

    @inlinable
    public func isReachable(_ i: Int, _ j: Int) -> Bool { times[i &* count &+ j] != Self.unreachable }
}
