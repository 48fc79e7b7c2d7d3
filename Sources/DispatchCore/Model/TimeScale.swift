/// Times and costs in the core are integer ticks (`Int`, 64-bit). An instance states how long a
/// tick is, so that the edges (CLI, JSON) can convert: one second for road zones, 10⁻⁶ minute for
/// the Euclidean benchmark instances (whose distances are irrational; travel times are rounded up
/// to the next tick, which keeps the triangle inequality and never makes an infeasible route look
/// feasible).
public struct TimeScale: Sendable, Hashable {
    /// Ticks in one unit of `unitName`.
    public let ticksPerUnit: Int
    /// The unit people read, e.g. "s" or "min".
    public let unitName: String
    /// Seconds in one unit (1 for "s", 60 for "min").
    public let secondsPerUnit: Int

    public init(ticksPerUnit: Int, unitName: String, secondsPerUnit: Int) {
        precondition(ticksPerUnit > 0 && secondsPerUnit > 0)
        self.ticksPerUnit = ticksPerUnit
        self.unitName = unitName
        self.secondsPerUnit = secondsPerUnit
    }

    public static let seconds = TimeScale(ticksPerUnit: 1, unitName: "s", secondsPerUnit: 1)
    /// Benchmark instances measured in minutes with unrounded Euclidean travel times.
    public static let microMinutes = TimeScale(ticksPerUnit: 1_000_000, unitName: "min", secondsPerUnit: 60)

    /// Deciseconds (the road network's unit) as ticks, rounded up.
    public func ticks(deciseconds ds: Int) -> Int {
        let denominator = 10 * secondsPerUnit
        return (ds * ticksPerUnit + denominator - 1) / denominator
    }

    /// `value` units as ticks, rounded to the nearest tick.
    public func ticks(_ value: Double) -> Int { Int((value * Double(ticksPerUnit)).rounded()) }
    /// `value` units as ticks, rounded up (for travel times).
    public func ticksRoundedUp(_ value: Double) -> Int { Int((value * Double(ticksPerUnit)).rounded(.up)) }
    public func units(_ ticks: Int) -> Double { Double(ticks) / Double(ticksPerUnit) }
}
