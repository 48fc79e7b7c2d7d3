import DispatchPlanning
import Testing

@Suite struct CostSharingTests {
    /// The airport game: c(S) = max over S of each player's runway need. Its Shapley value is known
    /// in closed form (Littlechild & Owen 1973): sort needs, each segment's cost is shared equally
    /// by the players needing it.
    @Test func theAirportGameHasItsKnownShapleyValue() {
        let needs: [Double] = [10, 40, 40, 100]
        let phi = CostSharing.shapley(players: 4) { mask in (0..<4).filter { mask & (1 << $0) != 0 }.map { needs[$0] }.max() ?? 0 }
        let expected: [Double] = [10.0 / 4, 10.0 / 4 + 30.0 / 3, 10.0 / 4 + 30.0 / 3, 10.0 / 4 + 30.0 / 3 + 60]
        for i in 0..<4 { #expect(abs(phi[i] - expected[i]) < 1e-9) }
    }

    @Test func sharesSumToTheJointCostSymmetricPlayersPayTheSameAndANullPlayerPaysNothing() {
        // Players 0 and 1 are identical, player 3 adds nothing to any coalition, and each more
        // municipality in the pool saves everyone another 10 % (a convex game: the core is not empty).
        let base: [Double] = [100, 100, 160, 0]
        func cost(_ mask: CostSharing.Coalition) -> Double {
            let members = (0..<3).filter { mask & (1 << $0) != 0 }
            let alone = members.reduce(0.0) { $0 + base[$1] }
            return alone * (1 - 0.1 * Double(max(0, members.count - 1)))
        }
        let phi = CostSharing.shapley(players: 4, cost: cost)
        #expect(abs(phi.reduce(0, +) - cost(0b1111)) < 1e-9)
        #expect(abs(phi[0] - phi[1]) < 1e-9)
        #expect(abs(phi[3]) < 1e-12)
        // Cooperation clearly helps: nobody pays more than alone, and the split is in the core.
        for i in 0..<4 { #expect(phi[i] <= cost(1 << i) + 1e-9) }
        #expect(CostSharing.coreViolations(players: 4, split: phi, cost: cost).isEmpty)
    }

    @Test func aGameWithAnEmptyCoreIsReported() {
        // Three players; any pair is cheap together but the three together are expensive.
        func cost(_ mask: CostSharing.Coalition) -> Double {
            switch mask.nonzeroBitCount { case 1: 10; case 2: 12; default: 30 }
        }
        let phi = CostSharing.shapley(players: 3, cost: cost)
        #expect(abs(phi.reduce(0, +) - 30) < 1e-9)
        #expect(!CostSharing.coreViolations(players: 3, split: phi, cost: cost).isEmpty)
    }

    @Test func sampledValuesLieWithinTheirStatedErrorOfTheExactOnes() {
        let weights: [Double] = [3, 5, 8, 13, 21, 34, 55, 89, 144, 233]
        func cost(_ mask: CostSharing.Coalition) -> Double {
            let members = (0..<10).filter { mask & (1 << $0) != 0 }
            let sum = members.reduce(0.0) { $0 + weights[$1] }
            return sum.squareRoot() * 10 + (members.count > 3 ? 5 : 0)
        }
        let exact = CostSharing.shapley(players: 10, cost: cost)
        let sampled = CostSharing.sampledShapley(players: 10, permutations: 4_000, seed: 7, cost: cost)
        var outside = 0
        for i in 0..<10 where abs(sampled.values[i] - exact[i]) > sampled.halfWidth95[i] { outside += 1 }
        #expect(outside <= 2)   // 95 % intervals: about one in twenty may miss
        #expect(abs(sampled.values.reduce(0, +) - cost((1 << 10) - 1)) < 1e-6)   // every permutation sums to c(N)
    }

    @Test func theProportionalSplitFollowsTheWeights() {
        #expect(CostSharing.proportional(total: 100, weights: [1, 3]) == [25, 75])
        #expect(CostSharing.proportional(total: 90, weights: [0, 0, 0]) == [30, 30, 30])
    }
}
