import DispatchCore

/// Travel matrices for hand-made and random test instances.
public enum TravelMatrices {
    /// Points on a line: the travel time between locations `i` and `j` is `|x[i] − x[j]|` ticks.
    public static func line(_ x: [Int]) -> TravelMatrix {
        TravelMatrix(count: x.count) { i, j in abs(x[i] - x[j]) }
    }

    /// Points in the plane: Euclidean distance times `ticksPerUnit`, rounded up, then closed under
    /// shortest paths (Floyd–Warshall) so that the triangle inequality holds exactly even where
    /// rounding of square roots could break it.
    /// - Complexity: O(p³) for p points.
    public static func euclidean(_ points: [(x: Int, y: Int)], ticksPerUnit: Double) -> TravelMatrix {
        let p = points.count
        var t = [Int](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in 0..<p where i != j {
                let dx = Double(points[i].x - points[j].x), dy = Double(points[i].y - points[j].y)
                t[i * p + j] = Int(((dx * dx + dy * dy).squareRoot() * ticksPerUnit).rounded(.up))
            }
        }
        for k in 0..<p {
            for i in 0..<p {
                for j in 0..<p where t[i * p + k] + t[k * p + j] < t[i * p + j] {
                    t[i * p + j] = t[i * p + k] + t[k * p + j]
                }
            }
        }
        return TravelMatrix(count: p, times: t.map { Int32($0) })
    }

    /// True when `t(a, c) ≤ t(a, b) + t(b, c)` for all reachable triples.
    public static func satisfiesTriangleInequality(_ m: TravelMatrix) -> Bool {
        for a in 0..<m.count {
            for b in 0..<m.count where m.isReachable(a, b) {
                for c in 0..<m.count where m.isReachable(b, c) {
                    if !m.isReachable(a, c) || m[a, c] > m[a, b] + m[b, c] { return false }
                }
            }
        }
        return true
    }
}
