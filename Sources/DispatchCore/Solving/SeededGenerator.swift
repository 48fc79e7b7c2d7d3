/// A small, fast pseudo-random generator whose output is the same on every platform and Swift
/// version: xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
/// ACM TOMS 2021), with its 256-bit state filled from the 64-bit seed by SplitMix64 (Steele, Lea &
/// Flood, OOPSLA 2014), as the authors recommend.
///
/// Use the helpers below rather than `Double.random(in:using:)` or `Int.random(in:using:)`: the
/// standard library does not promise that those map generator output to values the same way in
/// every release, and generated networks must not change when the compiler does.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose whole output is determined by `seed`.
    public init(seed: UInt64) {
        var x = seed
        s0 = SeededGenerator.splitMix64(&x)
        s1 = SeededGenerator.splitMix64(&x)
        s2 = SeededGenerator.splitMix64(&x)
        s3 = SeededGenerator.splitMix64(&x)
    }

    /// One step of SplitMix64: advances `state` and returns the next output.
    public static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits (xoshiro256**).
    /// - Complexity: O(1).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform double in [0, 1) built from the top 53 bits of `next()`.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in `range` (lower + (upper − lower) · `nextDouble()`).
    public mutating func nextDouble(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextDouble()
    }

    /// A uniform integer in 0..<`bound` without modulo bias (Lemire, "Fast random integer
    /// generation in an interval", ACM TOMACS 2019).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound")
        let n = UInt64(bound)
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold {
                product = next().multipliedFullWidth(by: n)
            }
        }
        return Int(product.high)
    }

    /// A uniform integer in `range`.
    public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `p`.
    public mutating func nextBool(probability p: Double) -> Bool {
        nextDouble() < p
    }

    /// An independent generator seeded from this one's next output, for a sub-task whose random
    /// draws must not shift when another sub-task draws more or fewer numbers.
    public mutating func fork() -> SeededGenerator {
        SeededGenerator(seed: next())
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
