/// A source of terrain height, in metres above sea level.
public protocol ElevationSource: Sendable {
    func elevation(at coordinate: Coordinate) -> Double?
}

/// How long a vehicle takes to drive a road, with the slowdowns that matter in the mountains.
///
/// The model, per edge and direction (constants are the stored properties below):
/// 1. **Cruise speed** `V`: the way's `maxspeed`, else the default for its `highway` class
///    (`defaultSpeedsKmh`), times `maxspeedFactor`; `_link` roads use 80 % of their class default.
/// 2. **Grade**: with an elevation source, each segment's grade is the height difference over a
///    window of ±`gradeWindowMetres` along the road (SRTM cells are ~90 m, so shorter differences are
///    noise). Bridges and tunnels take a straight line between their end heights. Uphill grades above
///    `uphillFreeGrade` cut the speed by `uphillSlowdownPerGrade` per unit grade, downhill grades
///    steeper than `downhillFreeGrade` by `downhillSlowdownPerGrade` (braking on descents); the
///    factor never goes below `minimumGradeFactor`.
/// 3. **Curvature**: at each interior point of the geometry the turn angle θ over the mean length
///    `c` of its two segments gives the curve radius `R = c / θ` (a polyline approximating a circle of
///    radius R turns by c/R per vertex, whatever its resolution). The safe speed there is
///    `√(lateralAcceleration · R)`; hairpins (θ ≈ π over ~15 m) give 10–15 km/h.
/// 4. **Speed profile**: the vehicle enters and leaves the edge at its cruise speed, brakes and
///    accelerates at `longitudinalAcceleration` between the point limits (a forward and a backward
///    pass, as in speed-profile planning), and each segment takes the time of its trapezoidal
///    (or triangular) speed curve. So a series of hairpins costs what braking into and out of each
///    costs, not just the slow length of the bends.
/// Times are rounded once per edge to whole deciseconds (at least 1).
public struct TravelTimeModel: Sendable, Equatable {
    /// Default speed in km/h per `RoadClass` (index by raw value).
    public var defaultSpeedsKmh: [Double] = [90, 70, 60, 50, 40, 30, 30, 10, 15, 25, 15]
    /// Multiplies the tagged speed limit (drivers of small buses with elderly riders stay below it).
    public var maxspeedFactor = 0.9
    public var lateralAcceleration = 2.0
    public var longitudinalAcceleration = 1.0
    public var gradeWindowMetres = 50.0
    public var uphillFreeGrade = 0.03
    public var uphillSlowdownPerGrade = 3.0
    public var downhillFreeGrade = 0.05
    public var downhillSlowdownPerGrade = 2.0
    public var minimumGradeFactor = 0.5
    public var minimumSpeedKmh = 5.0
    /// Whether `highway=track` is routable (off for passenger vehicles).
    public var includeTracks = false

    public init() {}

    func cruiseSpeedKmh(_ profile: WayProfile) -> Double {
        let classDefault = defaultSpeedsKmh[Int(profile.roadClass.rawValue)] * (profile.isLink ? 0.8 : 1)
        let speed = profile.maxspeedKmh.map { $0 * maxspeedFactor } ?? classDefault
        return max(minimumSpeedKmh, speed)
    }

    func gradeFactor(_ grade: Double) -> Double {
        var f = 1.0
        if grade > uphillFreeGrade { f = 1 - uphillSlowdownPerGrade * (grade - uphillFreeGrade) }
        if grade < -downhillFreeGrade { f = 1 - downhillSlowdownPerGrade * (-grade - downhillFreeGrade) }
        return max(minimumGradeFactor, f)
    }

    /// Travel time in seconds along a polyline in the direction given.
    /// - Parameters:
    ///   - points: projected positions in metres, in driving order.
    ///   - heights: heights in metres per point (empty when no elevation is known).
    /// - Complexity: O(k) for k points (O(k · window) for grades).
    func traversalSeconds(points: [(x: Double, y: Double)], heights: [Double], cruiseKmh: Double) -> Double {
        let k = points.count
        precondition(k >= 2)
        let v0 = cruiseKmh / 3.6
        let vMin = minimumSpeedKmh / 3.6
        var lengths = [Double](repeating: 0, count: k - 1)
        for i in 0 ..< k - 1 {
            let dx = points[i + 1].x - points[i].x, dy = points[i + 1].y - points[i].y
            lengths[i] = (dx * dx + dy * dy).squareRoot()
        }
        // Segment speed caps from grades.
        var caps = [Double](repeating: v0, count: k - 1)
        if heights.count == k {
            var cumulative = [Double](repeating: 0, count: k)
            for i in 0 ..< k - 1 { cumulative[i + 1] = cumulative[i] + lengths[i] }
            let total = cumulative[k - 1]
            if total > 0 {
                func height(at s: Double) -> Double {
                    let s = min(max(s, 0), total)
                    var j = 0
                    while j < k - 2 && cumulative[j + 1] < s { j += 1 }
                    let span = cumulative[j + 1] - cumulative[j]
                    let t = span > 0 ? (s - cumulative[j]) / span : 0
                    return heights[j] + t * (heights[j + 1] - heights[j])
                }
                let half = min(gradeWindowMetres, total / 2)
                for i in 0 ..< k - 1 {
                    let mid = (cumulative[i] + cumulative[i + 1]) / 2
                    var a = mid - half, b = mid + half
                    if a < 0 { b -= a; a = 0 }
                    if b > total { a -= b - total; b = total; a = max(0, a) }
                    let grade = b > a ? (height(at: b) - height(at: a)) / (b - a) : 0
                    caps[i] = max(vMin, v0 * gradeFactor(grade))
                }
            }
        }
        // Point speed limits: curvature at interior points, caps of adjacent segments.
        var limit = [Double](repeating: 0, count: k)
        limit[0] = caps[0]
        limit[k - 1] = caps[k - 2]
        if k > 2 {
            for j in 1 ..< k - 1 {
                var v = min(caps[j - 1], caps[j])
                let ax = points[j].x - points[j - 1].x, ay = points[j].y - points[j - 1].y
                let bx = points[j + 1].x - points[j].x, by = points[j + 1].y - points[j].y
                if lengths[j - 1] > 0, lengths[j] > 0 {
                    let theta = abs(arctangent2(ax * by - ay * bx, ax * bx + ay * by))
                    if theta > 1e-6 {
                        let radius = (lengths[j - 1] + lengths[j]) / 2 / theta
                        v = min(v, (lateralAcceleration * radius).squareRoot())
                    }
                }
                limit[j] = max(vMin, v)
            }
        }
        // Forward (acceleration) and backward (braking) passes.
        let a = longitudinalAcceleration
        for j in 1 ..< k { limit[j] = min(limit[j], (limit[j - 1] * limit[j - 1] + 2 * a * lengths[j - 1]).squareRoot()) }
        for j in stride(from: k - 2, through: 0, by: -1) {
            limit[j] = min(limit[j], (limit[j + 1] * limit[j + 1] + 2 * a * lengths[j]).squareRoot())
        }
        var seconds = 0.0
        for i in 0 ..< k - 1 {
            let l = lengths[i]
            if l <= 0 { continue }
            let u = limit[i], w = limit[i + 1], c = max(caps[i], max(u, w))
            let accelerate = (c * c - u * u) / (2 * a), brake = (c * c - w * w) / (2 * a)
            if accelerate + brake <= l {
                seconds += (c - u) / a + (c - w) / a + (l - accelerate - brake) / c
            } else {
                let peak = ((2 * a * l + u * u + w * w) / 2).squareRoot()
                seconds += (peak - u) / a + (peak - w) / a
            }
        }
        return seconds
    }
}
