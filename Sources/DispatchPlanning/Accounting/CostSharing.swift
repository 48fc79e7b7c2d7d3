/// Splitting a joint cost among players (municipalities) of a cooperative cost game c(S), with
/// c(∅) = 0: the Shapley value (exact, or sampled with a stated error) and the proportional split.
public enum CostSharing {
    /// Coalitions are bit masks over at most 30 players.
    public typealias Coalition = UInt32

    /// The Shapley value: φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (c(S ∪ {i}) − c(S)).
    /// Calls `cost` once per coalition (2^n), so keep n small (the CLI uses it up to 8).
    public static func shapley(players n: Int, cost: (Coalition) -> Double) -> [Double] {
        precondition(n >= 1 && n <= 16, "exact Shapley values need 1…16 players")
        let count = 1 << n
        var c = [Double](repeating: 0, count: count)
        for mask in 1..<count { c[mask] = cost(Coalition(mask)) }
        var factorial = [Double](repeating: 1, count: n + 1)
        for k in 1...n { factorial[k] = factorial[k - 1] * Double(k) }
        var phi = [Double](repeating: 0, count: n)
        for mask in 0..<count {
            let size = mask.nonzeroBitCount
            for i in 0..<n where mask & (1 << i) == 0 {
                let weight = factorial[size] * factorial[n - size - 1] / factorial[n]
                phi[i] += weight * (c[mask | (1 << i)] - c[mask])
            }
        }
        return phi
    }

    /// The Shapley value estimated from `permutations` random orders (Castro, Gómez & Tejada 2009):
    /// each player's mean marginal cost, with the half-width of a 95 % confidence interval
    /// (1.96 · standard deviation / √permutations). Unbiased; `cost` may be called repeatedly
    /// for the same coalition, so cache it.
    public static func sampledShapley(players n: Int, permutations: Int, seed: UInt64,
                                      cost: (Coalition) -> Double) -> (values: [Double], halfWidth95: [Double]) {
        precondition(n >= 1 && n <= 30 && permutations >= 2)
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var sum = [Double](repeating: 0, count: n), sumSquares = [Double](repeating: 0, count: n)
        var order = Array(0..<n)
        for _ in 0..<permutations {
            for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(next() % UInt64(i + 1))) }
            var mask: Coalition = 0
            var before = 0.0
            for i in order {
                mask |= 1 << i
                let after = cost(mask)
                let marginal = after - before
                sum[i] += marginal
                sumSquares[i] += marginal * marginal
                before = after
            }
        }
        let m = Double(permutations)
        let values = sum.map { $0 / m }
        let halfWidths = (0..<n).map { i -> Double in
            let variance = max(0, (sumSquares[i] - m * values[i] * values[i]) / (m - 1))
            return 1.96 * (variance / m).squareRoot()
        }
        return (values, halfWidths)
    }

    /// `total` split in proportion to `weights` (equal shares when all weights are zero).
    public static func proportional(total: Double, weights: [Double]) -> [Double] {
        let sum = weights.reduce(0, +)
        guard sum > 0 else { return weights.map { _ in total / Double(max(1, weights.count)) } }
        return weights.map { total * $0 / sum }
    }

    /// Coalitions that would pay less on their own than the split asks of them together
    /// (Σ_{i∈S} x_i > c(S) + tolerance): empty when the split is in the core.
    public static func coreViolations(players n: Int, split: [Double], cost: (Coalition) -> Double,
                                      tolerance: Double = 1e-6) -> [(coalition: Coalition, excess: Double)] {
        var out: [(Coalition, Double)] = []
        for mask in 1..<(1 << n) {
            let paid = (0..<n).filter { mask & (1 << $0) != 0 }.reduce(0.0) { $0 + split[$1] }
            let alone = cost(Coalition(mask))
            if paid > alone + tolerance { out.append((Coalition(mask), paid - alone)) }
        }
        return out
    }
}
