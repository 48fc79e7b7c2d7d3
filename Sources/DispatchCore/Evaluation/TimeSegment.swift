/// Time-window data of a stretch of consecutive stops, concatenated in O(1) (Vidal et al. 2013,
/// "A hybrid genetic algorithm with adaptive diversity management…", as in PyVRP's
/// `DurationSegment`).
///
/// `duration` is the least time from the start of service at the first stop to the end of service
/// at the last (waiting included), `timeWarp` the total lateness the stretch cannot avoid, and
/// `[earliest, latest]` the window in which service at the first stop may start without adding
/// time warp. Ride-time limits are not part of it: a segment test is a necessary condition that the
/// exact `RouteEvaluator` confirms.
public struct TimeSegment: Sendable, Hashable {
    public var duration: Int
    public var timeWarp: Int
    public var earliest: Int
    public var latest: Int

    @inline(__always)
    public init(duration: Int, timeWarp: Int, earliest: Int, latest: Int) {
        self.duration = duration
        self.timeWarp = timeWarp
        self.earliest = earliest
        self.latest = latest
    }

    /// The segment of one stop.
    @inline(__always)
    public init(node v: Int, in instance: DispatchInstance) {
        self.init(node: v, in: instance.tables)
    }

    /// The segment of one stop, from the raw tables.
    @inline(__always)
    public init(node v: Int, in tables: InstanceTables) {
        self.init(duration: tables.serviceTime[v], timeWarp: 0, earliest: tables.earliest[v], latest: tables.latest[v])
    }

    /// `self` followed by `next`, with `travel` ticks between the last stop of `self` and the first of `next`.
    /// - Complexity: O(1).
    @inline(__always)
    public func then(_ next: TimeSegment, travel: Int) -> TimeSegment {
        let delta = duration &- timeWarp &+ travel
        let wait = max(next.earliest &- delta &- latest, 0)
        let warp = max(earliest &+ delta &- next.latest, 0)
        return TimeSegment(duration: duration &+ next.duration &+ travel &+ wait,
                           timeWarp: timeWarp &+ next.timeWarp &+ warp,
                           earliest: max(next.earliest &- delta, earliest) &- wait,
                           latest: min(next.latest &- delta, latest) &+ warp)
    }
}
