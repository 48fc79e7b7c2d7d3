/// Elapsed wall-clock time of a solve, in seconds.
public struct Stopwatch: Sendable {
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant

    public init() { started = clock.now }

    public var seconds: Double { (clock.now - started).seconds }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }

    /// The duration in whole milliseconds (rounded down).
    public var milliseconds: Int { Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000) }
}
