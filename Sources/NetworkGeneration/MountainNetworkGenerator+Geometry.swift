import DispatchCore
import RoadNetwork

// Plane geometry for the generator: points in metres on a local east/north plane, trigonometry
// that gives the same bits on every platform, smooth road centre lines and hairpin stairs.

extension MountainNetworkGenerator {
    /// A position or vector in metres on the generator's local plane (x east, y north).
    struct Point: Equatable, Sendable {
        var x: Double
        var y: Double

        init(_ x: Double, _ y: Double) {
            self.x = x
            self.y = y
        }

        static func + (a: Point, b: Point) -> Point { Point(a.x + b.x, a.y + b.y) }
        static func - (a: Point, b: Point) -> Point { Point(a.x - b.x, a.y - b.y) }
        static func * (a: Point, k: Double) -> Point { Point(a.x * k, a.y * k) }
        static prefix func - (a: Point) -> Point { Point(-a.x, -a.y) }

        func dot(_ b: Point) -> Double { x * b.x + y * b.y }
        func cross(_ b: Point) -> Double { x * b.y - y * b.x }
        var length: Double { (x * x + y * y).squareRoot() }
        var normalized: Point {
            let l = length
            return l > 0 ? Point(x / l, y / l) : Point(1, 0)
        }
        /// The vector turned 90° counter-clockwise.
        var left: Point { Point(-y, x) }
        /// The vector turned 90° clockwise.
        var right: Point { Point(y, -x) }
        func distance(to b: Point) -> Double { (self - b).length }
        /// The vector turned counter-clockwise by `angle` radians.
        func rotated(by angle: Double) -> Point {
            let c = Trig.cos(angle)
            let s = Trig.sin(angle)
            return Point(x * c - y * s, x * s + y * c)
        }
        /// Direction angle in radians, in (−π, π].
        var angle: Double { Trig.atan2(y, x) }
        static func unit(angle: Double) -> Point { Point(Trig.cos(angle), Trig.sin(angle)) }
        static func lerp(_ a: Point, _ b: Point, _ t: Double) -> Point { a + (b - a) * t }
    }

    /// sin, cos and atan2 from +, −, ×, ÷ only, so that generated coordinates are bit-for-bit the
    /// same whichever C library the platform has. Range reduction after Cody & Waite (constants
    /// from fdlibm), then Taylor polynomials on |r| ≤ π/4 (truncation error below 1e-18).
    enum Trig {
        static let pi = 3.141_592_653_589_793_116
        private static let halfPiHigh = 1.570_796_326_734_125_614_17
        private static let halfPiLow = 6.077_100_506_506_192_249_86e-11
        private static let twoOverPi = 0.636_619_772_367_581_382_43

        static func sin(_ x: Double) -> Double {
            let (r, quadrant) = reduce(x)
            switch quadrant {
            case 0: return sinPoly(r)
            case 1: return cosPoly(r)
            case 2: return -sinPoly(r)
            default: return -cosPoly(r)
            }
        }

        static func cos(_ x: Double) -> Double {
            let (r, quadrant) = reduce(x)
            switch quadrant {
            case 0: return cosPoly(r)
            case 1: return -sinPoly(r)
            case 2: return -cosPoly(r)
            default: return sinPoly(r)
            }
        }

        static func atan2(_ y: Double, _ x: Double) -> Double {
            if x > 0 { return atan(y / x) }
            if x < 0 { return y >= 0 ? atan(y / x) + pi : atan(y / x) - pi }
            if y > 0 { return pi / 2 }
            if y < 0 { return -pi / 2 }
            return 0
        }

        static func atan(_ x: Double) -> Double {
            var t = x < 0 ? -x : x
            let inverted = t > 1
            if inverted { t = 1 / t }
            // Reduce with atan(t) = a + atan((t − tan a) / (1 + t tan a)), a a multiple of π/12.
            let a: Double
            let tanA: Double
            if t < 0.131_652_497_587_395_85 {
                a = 0; tanA = 0
            } else if t < 0.414_213_562_373_095_03 {
                a = pi / 12; tanA = 0.267_949_192_431_122_7
            } else if t < 0.767_326_987_978_960_2 {
                a = pi / 6; tanA = 0.577_350_269_189_625_8
            } else {
                a = pi / 4; tanA = 1
            }
            let r = (t - tanA) / (1 + t * tanA)
            let r2 = r * r
            // Series to r^23; |r| ≤ tan(π/24) ≈ 0.132.
            var p = -1.0 / 23
            p = p * r2 + 1.0 / 21
            p = p * r2 - 1.0 / 19
            p = p * r2 + 1.0 / 17
            p = p * r2 - 1.0 / 15
            p = p * r2 + 1.0 / 13
            p = p * r2 - 1.0 / 11
            p = p * r2 + 1.0 / 9
            p = p * r2 - 1.0 / 7
            p = p * r2 + 1.0 / 5
            p = p * r2 - 1.0 / 3
            p = p * r2 + 1
            var result = a + r * p
            if inverted { result = pi / 2 - result }
            return x < 0 ? -result : result
        }

        private static func reduce(_ x: Double) -> (Double, Int) {
            let k = (x * twoOverPi).rounded()
            let r = (x - k * halfPiHigh) - k * halfPiLow
            var q = Int(k) % 4
            if q < 0 { q += 4 }
            return (r, q)
        }

        private static func sinPoly(_ r: Double) -> Double {
            let r2 = r * r
            var p = 1.0 / 355_687_428_096_000
            p = p * r2 - 1.0 / 1_307_674_368_000
            p = p * r2 + 1.0 / 6_227_020_800
            p = p * r2 - 1.0 / 39_916_800
            p = p * r2 + 1.0 / 362_880
            p = p * r2 - 1.0 / 5_040
            p = p * r2 + 1.0 / 120
            p = p * r2 - 1.0 / 6
            p = p * r2 + 1
            return r * p
        }

        private static func cosPoly(_ r: Double) -> Double {
            let r2 = r * r
            var p = 1.0 / 6_402_373_705_728_000
            p = p * r2 - 1.0 / 20_922_789_888_000
            p = p * r2 + 1.0 / 87_178_291_200
            p = p * r2 - 1.0 / 479_001_600
            p = p * r2 + 1.0 / 3_628_800
            p = p * r2 - 1.0 / 40_320
            p = p * r2 + 1.0 / 720
            p = p * r2 - 1.0 / 24
            p = p * r2 + 0.5
            return 1 - r2 * p
        }
    }

    /// Smoothstep 3t² − 2t³ of `t` clamped to [0, 1].
    static func smoothstep(_ t: Double) -> Double {
        let c = t < 0 ? 0 : (t > 1 ? 1 : t)
        return c * c * (3 - 2 * c)
    }

    /// Cumulative lengths along `points` (first entry 0).
    static func cumulativeLengths(_ points: [Point]) -> [Double] {
        var result = [Double](repeating: 0, count: points.count)
        var i = 1
        while i < points.count {
            result[i] = result[i - 1] + points[i].distance(to: points[i - 1])
            i += 1
        }
        return result
    }

    /// `count` + 1 points on the cubic Hermite curve from `p0` (tangent `m0`) to `p1` (tangent `m1`).
    static func hermite(_ p0: Point, _ m0: Point, _ p1: Point, _ m1: Point, segments count: Int) -> [Point] {
        var points: [Point] = []
        points.reserveCapacity(count + 1)
        for i in 0...count {
            let t = Double(i) / Double(count)
            let t2 = t * t
            let t3 = t2 * t
            let h00 = 2 * t3 - 3 * t2 + 1
            let h10 = t3 - 2 * t2 + t
            let h01 = -2 * t3 + 3 * t2
            let h11 = t3 - t2
            points.append(p0 * h00 + m0 * h10 + p1 * h01 + m1 * h11)
        }
        return points
    }

    /// A straight run from `a` to `b` with points about `spacing` apart, both ends included.
    static func straight(from a: Point, to b: Point, spacing: Double) -> [Point] {
        let n = max(1, Int((a.distance(to: b) / spacing).rounded(.up)))
        return (0...n).map { Point.lerp(a, b, Double($0) / Double(n)) }
    }

    /// Lateral meanders for a road or river: the sum of two sines with random phases.
    struct Meander: Sendable {
        var amplitude: Double
        var wavelength: Double
        var phase1: Double
        var phase2: Double
        var ratio2: Double

        init(amplitude: Double, wavelength: Double, rng: inout SeededGenerator) {
            self.amplitude = amplitude
            self.wavelength = wavelength
            phase1 = rng.nextDouble() * 2 * Trig.pi
            phase2 = rng.nextDouble() * 2 * Trig.pi
            ratio2 = rng.nextDouble(in: 0.31...0.43)
        }

        func offset(at s: Double) -> Double {
            let w = 2 * Trig.pi / wavelength
            return amplitude * (0.75 * Trig.sin(w * s + phase1) + 0.25 * Trig.sin(w * s / ratio2 + phase2))
        }
    }

    /// A smooth, winding centre line from `a` to `b`: a Hermite curve leaving `a` along `startDirection`
    /// and reaching `b` along `endDirection`, plus meanders that fade out at both ends; points are
    /// about `spacing` apart.
    static func windingPath(from a: Point, direction startDirection: Point?, to b: Point, direction endDirection: Point?,
                            meander: Meander, spacing: Double) -> [Point] {
        let chord = b - a
        let length = chord.length
        let d0 = (startDirection ?? chord).normalized * length
        let d1 = (endDirection ?? chord).normalized * length
        let n = max(2, Int((length * 1.08 / spacing).rounded(.up)))
        var base = hermite(a, d0, b, d1, segments: n * 4)
        let s = cumulativeLengths(base)
        let total = s[s.count - 1]
        let ramp = min(350, total / 3)
        var shifted = base
        for i in 1..<(base.count - 1) {
            let tangent = (base[i + 1] - base[i - 1]).normalized
            let envelope = smoothstep(s[i] / ramp) * smoothstep((total - s[i]) / ramp)
            shifted[i] = base[i] + tangent.left * (envelope * meander.offset(at: s[i]))
        }
        base = shifted
        return resample(base, spacing: spacing)
    }

    /// Points evenly spaced about `spacing` apart along `points` (ends kept).
    static func resample(_ points: [Point], spacing: Double) -> [Point] {
        let s = cumulativeLengths(points)
        let total = s[s.count - 1]
        let n = max(1, Int((total / spacing).rounded()))
        var result: [Point] = [points[0]]
        result.reserveCapacity(n + 1)
        var j = 0
        for k in 1..<n {
            let target = total * Double(k) / Double(n)
            while j + 1 < s.count - 1 && s[j + 1] < target { j += 1 }
            let segment = s[j + 1] - s[j]
            let t = segment > 0 ? (target - s[j]) / segment : 0
            result.append(Point.lerp(points[j], points[j + 1], t))
        }
        result.append(points[points.count - 1])
        return result
    }

    /// A hairpin stair: legs across a slope joined by tight turns, climbing along `up`.
    struct HairpinStair {
        /// Road points from the foot to the top.
        var points: [Point]
        /// Indices into `points` of the foot, each full leg's midpoint and the top, with how far up
        /// the slope (metres along `up`) each lies; elevations are interpolated between them.
        var anchors: [(index: Int, along: Double)]
        var top: Point
        /// Direction of travel on leaving the top.
        var exitDirection: Point
        /// Direction of travel on leaving the foot.
        var entryDirection: Point
        /// Total distance along `up` from foot to top.
        var rise: Double
    }

    /// Builds a stair of `hairpins` turns of radius `radius` whose centres alternate `halfWidth`
    /// metres (times `widthFactors[k]` for turn k, when given) either side of the line from `base`
    /// along `up`, `spacing` metres apart up the slope.
    /// Each turn is a circular arc tangent to both legs (the crossing tangents of consecutive circles),
    /// sampled every `arcStep` radians; legs have points every `legSpacing` metres.
    static func hairpinStair(base: Point, up: Point, halfWidth: Double, spacing: Double, hairpins: Int,
                             radius: Double, firstSide: Double, legSpacing: Double, arcStep: Double,
                             widthFactors: [Double] = []) -> HairpinStair {
        let u = up.normalized
        let v = u.right
        // Circles: (centre, signed radius ρ = orientation · r); orientation +1 is counter-clockwise.
        var centres: [Point] = [base]
        var rho: [Double] = [0]
        var side = firstSide
        for k in 0..<hairpins {
            let factor = k < widthFactors.count ? widthFactors[k] : 1
            centres.append(base + u * (spacing * (Double(k) + 0.5)) + v * (side * halfWidth * factor))
            rho.append(side * radius)
            side = -side
        }
        let top = base + u * (spacing * Double(hairpins))
        centres.append(top)
        rho.append(0)

        // Tangent points between consecutive circles.
        var departures: [Point] = []
        var arrivals: [Point] = []
        var directions: [Point] = []
        for i in 0..<(centres.count - 1) {
            let d = centres[i + 1] - centres[i]
            let l = d.length
            let dr = rho[i + 1] - rho[i]
            let theta = d.angle - asinDeterministic(dr / l)
            let t = Point.unit(angle: theta)
            departures.append(centres[i] - t.left * rho[i])
            arrivals.append(centres[i + 1] - t.left * rho[i + 1])
            directions.append(t)
        }

        var points: [Point] = [base]
        var anchors: [(index: Int, along: Double)] = [(0, 0)]
        for i in 0..<(centres.count - 1) {
            let from = departures[i]
            let to = arrivals[i]
            let fullLeg = i > 0 && i < centres.count - 2
            if fullLeg {
                let mid = Point.lerp(from, to, 0.5)
                let first = straight(from: from, to: mid, spacing: legSpacing)
                points.append(contentsOf: first.dropFirst())
                anchors.append((points.count - 1, spacing * Double(i)))
                let second = straight(from: mid, to: to, spacing: legSpacing)
                points.append(contentsOf: second.dropFirst())
            } else {
                let leg = straight(from: from, to: to, spacing: legSpacing)
                points.append(contentsOf: leg.dropFirst())
            }
            // Arc around circle i + 1 (none after the top).
            if i + 1 < centres.count - 1 {
                let c = centres[i + 1]
                let orientation: Double = rho[i + 1] > 0 ? 1 : -1
                let startAngle = (to - c).angle
                let endAngle = (departures[i + 1] - c).angle
                var sweep = endAngle - startAngle
                if orientation > 0 {
                    while sweep <= 0 { sweep += 2 * Trig.pi }
                } else {
                    while sweep >= 0 { sweep -= 2 * Trig.pi }
                }
                let steps = max(1, Int((abs(sweep) / arcStep).rounded(.up)))
                for k in 1...steps {
                    let a = startAngle + sweep * Double(k) / Double(steps)
                    points.append(c + Point.unit(angle: a) * radius)
                }
            }
        }
        anchors.append((points.count - 1, spacing * Double(hairpins)))
        return HairpinStair(points: points, anchors: anchors, top: top,
                            exitDirection: directions[directions.count - 1],
                            entryDirection: directions[0], rise: spacing * Double(hairpins))
    }

    /// asin from the deterministic atan: asin x = atan2(x, √(1 − x²)).
    static func asinDeterministic(_ x: Double) -> Double {
        let c = x < -1 ? -1 : (x > 1 ? 1 : x)
        return Trig.atan2(c, (1 - c * c).squareRoot())
    }

    /// Whether `p` lies inside the closed ring `ring` (even–odd rule).
    static func contains(_ ring: [Point], _ p: Point) -> Bool {
        ringContains(count: ring.count, x: { ring[$0].x }, y: { ring[$0].y }, px: p.x, py: p.y)
    }

    /// Distance from `p` to the segment `a`–`b`.
    static func distance(_ p: Point, _ a: Point, _ b: Point) -> Double {
        let ab = b - a
        let l2 = ab.dot(ab)
        var t = l2 > 0 ? (p - a).dot(ab) / l2 : 0
        t = t < 0 ? 0 : (t > 1 ? 1 : t)
        return p.distance(to: a + ab * t)
    }

    /// Distance between segments `p1`–`p2` and `q1`–`q2` (0 when they cross).
    static func distance(_ p1: Point, _ p2: Point, _ q1: Point, _ q2: Point) -> Double {
        if segmentParameter(p1, p2, q1, q2) != nil { return 0 }
        return min(min(distance(p1, q1, q2), distance(p2, q1, q2)), min(distance(q1, p1, p2), distance(q2, p1, p2)))
    }

    /// Where segment `p1`–`p2` properly crosses `q1`–`q2`, as a fraction of the way from `p1` to `p2`.
    static func segmentParameter(_ p1: Point, _ p2: Point, _ q1: Point, _ q2: Point) -> Double? {
        let r = p2 - p1
        let s = q2 - q1
        let denominator = r.cross(s)
        if denominator == 0 { return nil }
        let qp = q1 - p1
        let t = qp.cross(s) / denominator
        let u = qp.cross(r) / denominator
        guard t >= 0, t <= 1, u >= 0, u <= 1 else { return nil }
        return t
    }

    /// A well-mixed 64-bit hash of a few integers, for jitter that must not depend on drawing order.
    static func hash(_ a: UInt64, _ b: Int, _ c: Int) -> UInt64 {
        var state = a ^ (UInt64(bitPattern: Int64(b)) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(bitPattern: Int64(c)) &* 0xC2B2_AE3D_27D4_EB4F)
        return SeededGenerator.splitMix64(&state)
    }

    /// A value in [−1, 1) from `hash`.
    static func signedUnit(_ hash: UInt64) -> Double {
        Double(hash >> 11) * 0x1.0p-52 - 1
    }
}
