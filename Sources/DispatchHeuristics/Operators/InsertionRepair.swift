import DispatchCore

/// Greedy and regret-k insertion of the bank (Ropke & Pisinger 2006, §4.2), also the construction.
///
/// A table keeps each bank request's best insertion per route; after an insertion only the changed
/// route's column is recomputed. Regret-k picks the request maximising Σ_{h=2..k}(Δ_h − Δ_1) over its
/// k best routes (requests with fewer than k feasible routes first, then by Δ_1); k = 1 is greedy.
/// With noise, each evaluated cost gets U[−η·maxTravel, η·maxTravel] added (η = 0.025) for the choice.
/// - Complexity: O(|bank| · routes) insertion searches, then O(|bank|) per inserted request.
struct InsertionRepair {
    var regret: Int
    var noise: Bool

    var name: String { (regret <= 1 ? "greedy" : "regret-\(regret)") + (noise ? "+noise" : "") }

    func repair(_ solution: inout Solution, context: SearchContext) {
        let inst = context.instance
        var routes: [Int] = []
        context.candidateRoutes(solution, into: &routes)
        let kCount = inst.vehicleCount
        let bank = solution.bank
        // table[i * kCount + k]: best insertion of bank[i] into route k (nil: none, or not a candidate route).
        var table = [Insertion?](repeating: nil, count: bank.count * kCount)
        var noisy = [Int](repeating: 0, count: bank.count * kCount)
        var open = [Bool](repeating: true, count: bank.count)
        // No feasible insertion of bank[i] into route k. Inserting other requests into k cannot
        // change that: removing them again from a feasible route with bank[i] would give a feasible
        // insertion into the old route (removal keeps feasibility under the triangle inequality).
        var infeasible = [Bool](repeating: false, count: bank.count * kCount)
        let amplitude = noise ? max(1, context.maxTravel / 40) : 0
        func evaluate(_ i: Int, _ k: Int) {
            let slot = i * kCount + k
            // An insertion that costs more than leaving the request out is no insertion (finite penalty only).
            let found = context.bestInsertion(request: Int(bank[i]), into: solution.routes[k])
            infeasible[slot] = found == nil
            if let best = found, best.delta < context.penalty {
                table[slot] = best
                noisy[slot] = amplitude == 0 ? best.delta : max(0, best.delta + context.rng.nextInt(in: -amplitude...amplitude))
            } else {
                table[slot] = nil
            }
        }
        for i in 0..<bank.count { for k in routes { evaluate(i, k) } }
        var openCount = bank.count
        while openCount > 0 {
            var chosen = -1, chosenRoute = -1
            // Lexicographic key, larger is better: (urgent, urgency or regret, −cheapest cost).
            var chosenKey = (0, 0, 0)
            var best = [Int](repeating: Int.max, count: max(1, regret))
            for i in 0..<bank.count where open[i] {
                for h in 0..<best.count { best[h] = Int.max }
                var bestRoute = -1
                var feasible = 0
                for k in routes {
                    guard table[i * kCount + k] != nil else { continue }
                    feasible += 1
                    let c = noisy[i * kCount + k]
                    if c < best[0] { bestRoute = k }
                    var j = best.count - 1
                    if c < best[j] {
                        best[j] = c
                        while j > 0 && best[j] < best[j - 1] { best.swapAt(j, j - 1); j -= 1 }
                    }
                }
                guard feasible > 0 else { continue }
                let key: (Int, Int, Int)
                if regret <= 1 {
                    key = (0, 0, -best[0])
                } else if feasible < regret {
                    key = (1, -feasible, -best[0])
                } else {
                    var value = 0
                    for h in 1..<regret { value += best[h] - best[0] }
                    key = (0, value, -best[0])
                }
                if chosen < 0 || key > chosenKey {
                    chosen = i
                    chosenRoute = bestRoute
                    chosenKey = key
                }
            }
            guard chosen >= 0, let insertion = table[chosen * kCount + chosenRoute] else { break }
            let wasEmpty = solution.routes[chosenRoute].isEmpty
            solution.insert(insertion, route: chosenRoute, instance: inst)
            open[chosen] = false
            openCount -= 1
            if wasEmpty {
                // Another empty route of the same class becomes a candidate.
                let previous = routes
                context.candidateRoutes(solution, into: &routes)
                for k in routes where !previous.contains(k) {
                    for i in 0..<bank.count where open[i] { evaluate(i, k) }
                }
            }
            for i in 0..<bank.count where open[i] && !infeasible[i * kCount + chosenRoute] { evaluate(i, chosenRoute) }
        }
    }
}
