import DispatchCore
import DispatchTestSupport
import Testing

@Suite struct TimeSegmentTests {
    /// Three consecutive stretches of one random sequence of stops: in "plausible" sequences the
    /// windows move forward in time as a route's would; in the others they are drawn at random, so
    /// that time warp is common.
    static func randomStretches(using rng: inout SeededGenerator) -> (TimeSegment, Int, TimeSegment, Int, TimeSegment) {
        let plausible = rng.nextBool(probability: 0.6)
        var clock = rng.nextInt(in: 0...50)
        func stop() -> TimeSegment {
            let e = plausible ? clock : rng.nextInt(in: 0...200)
            clock += rng.nextInt(in: 0...30)
            return TimeSegment(duration: rng.nextInt(in: 0...5), timeWarp: 0, earliest: e, latest: e + rng.nextInt(in: 0...60))
        }
        func stretch() -> TimeSegment {
            var segment = stop()
            for _ in 0..<rng.nextInt(in: 0...3) { segment = segment.then(stop(), travel: rng.nextInt(in: 0...20)) }
            return segment
        }
        let a = stretch(), ab = rng.nextInt(in: 0...20), b = stretch(), bc = rng.nextInt(in: 0...20), c = stretch()
        return (a, ab, b, bc, c)
    }

    @Test func concatenationIsAssociative() {
        var rng = SeededGenerator(seed: 7)
        var warped = 0, clean = 0
        for _ in 0..<20_000 {
            let (a, ab, b, bc, c) = Self.randomStretches(using: &rng)
            let left = a.then(b, travel: ab).then(c, travel: bc)
            let right = a.then(b.then(c, travel: bc), travel: ab)
            #expect(left == right, "\(a) \(b) \(c) travel \(ab), \(bc)")
            if left.timeWarp > 0 { warped += 1 } else { clean += 1 }
        }
        // With this seed 13 425 of 20 000 warp.
        #expect(warped >= 5_000 && clean >= 5_000)
    }

    @Test func concatenationOfStopsMeetsTheirWindowsOrReportsTheLateness() {
        // Two stops 10 apart: [0, 5] then [20, 30] waits 5; then [0, 12] is 3 late after the first.
        let first = TimeSegment(duration: 0, timeWarp: 0, earliest: 0, latest: 5)
        let waits = first.then(TimeSegment(duration: 0, timeWarp: 0, earliest: 20, latest: 30), travel: 10)
        #expect(waits == TimeSegment(duration: 15, timeWarp: 0, earliest: 5, latest: 5))
        let late = first.then(TimeSegment(duration: 0, timeWarp: 0, earliest: 0, latest: 7), travel: 10)
        #expect(late.timeWarp == 3)
        #expect(late.duration == 10 && late.earliest == 0 && late.latest == 0)
    }
}
