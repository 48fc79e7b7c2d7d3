/// A closed interval `[earliest, latest]` of ticks in which service must start.
public struct TimeWindow: Sendable, Hashable, CustomStringConvertible {
    public var earliest: Int
    public var latest: Int

    public init(earliest: Int, latest: Int) {
        self.earliest = earliest
        self.latest = latest
    }

    public var isEmpty: Bool { latest < earliest }
    public func contains(_ t: Int) -> Bool { t >= earliest && t <= latest }
    public var description: String { "[\(earliest), \(latest)]" }
}
