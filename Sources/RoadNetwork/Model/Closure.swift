/// When a closed road is closed.
public enum ClosurePeriod: Hashable, Sendable, CustomStringConvertible {
    /// Every year between two month-days inclusive (`month * 100 + day`); wraps over New Year when
    /// `from > to`, as winter closures do (e.g. 1201…0415).
    case yearly(fromMonthDay: Int, toMonthDay: Int)
    /// Between two dates inclusive.
    case dates(from: ServiceDate, to: ServiceDate)

    public func covers(_ date: ServiceDate) -> Bool {
        switch self {
        case let .yearly(from, to):
            let md = date.monthDay
            return from <= to ? (md >= from && md <= to) : (md >= from || md <= to)
        case let .dates(from, to):
            return date >= from && date <= to
        }
    }

    public var description: String {
        switch self {
        case let .yearly(from, to):
            "every year \(ClosurePeriod.monthName(from / 100)) \(from % 100) – \(ClosurePeriod.monthName(to / 100)) \(to % 100)"
        case let .dates(from, to): "\(from) – \(to)"
        }
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static func monthName(_ m: Int) -> String { (1...12).contains(m) ? monthNames[m - 1] : "?" }
}

/// A closure of one road edge (both directions) for a period, with the reason shown to people.
public struct EdgeClosure: Hashable, Sendable {
    public var edge: Int32
    public var period: ClosurePeriod
    public var reason: String

    public init(edge: Int32, period: ClosurePeriod, reason: String) {
        self.edge = edge
        self.period = period
        self.reason = reason
    }
}

/// A set of forward arcs that may not be used (closed on a date, or otherwise excluded).
/// - Complexity: O(1) membership test; O(m / 64) memory.
public struct ArcMask: Sendable, Hashable {
    @usableFromInline var words: [UInt64]
    public private(set) var count: Int

    public init(arcCount: Int) {
        words = [UInt64](repeating: 0, count: (arcCount + 63) / 64)
        count = 0
    }

    @inlinable @inline(__always)
    public func contains(_ arc: Int32) -> Bool {
        let a = Int(arc)
        return words[a >> 6] & (1 << UInt64(a & 63)) != 0
    }

    public mutating func insert(_ arc: Int32) {
        let a = Int(arc)
        let bit: UInt64 = 1 << UInt64(a & 63)
        if words[a >> 6] & bit == 0 {
            words[a >> 6] |= bit
            count += 1
        }
    }

    public var isEmpty: Bool { count == 0 }
}
