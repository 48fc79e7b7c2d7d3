import DispatchCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One ALNS search's state (ALNSSolver runs one; the cooperative parallel search runs one per
/// core and lets them share their best plans and routes at synchronisation points). Not
/// thread-safe: one thread at a time.
final class ALNSRun {
    let instance: DispatchInstance
    let config: ALNSSolver.Configuration
    let context: SearchContext
    let polish: LocalSearch
    /// Routes of good candidates, for set-partitioning recombination (nil: no recombination).
    let pool: RoutePool?
    var current: Solution
    var best: Solution
    var iteration = 0
    var lastImprovement = 0
    /// The iteration of this run's last own new best (not one adopted from another run).
    var lastOwnBest = 0
    let startTemperature: Double

    private let removals: [any RemovalOperator] = [RandomRemoval(), WorstRemoval(), ShawRemoval(), RouteRemoval()]
    private let repairs: [InsertionRepair] = [
        InsertionRepair(regret: 1, noise: false), InsertionRepair(regret: 2, noise: false),
        InsertionRepair(regret: 3, noise: false), InsertionRepair(regret: 4, noise: false),
        InsertionRepair(regret: 1, noise: true), InsertionRepair(regret: 2, noise: true),
    ]
    private var removalWeights: [Double]
    private var repairWeights: [Double]
    private var removalScores: [Double], removalUses: [Int]
    private var repairScores: [Double], repairUses: [Int]
    private var visited = Set<UInt64>()

    var n: Int { instance.requestCount }
    var penalty: Int { context.penalty }

    /// Constructs the first plan (from `start` where given) and polishes it.
    init(instance: DispatchInstance, config: ALNSSolver.Configuration, seed: UInt64, start: Plan?, recombining: Bool) {
        self.instance = instance
        self.config = config
        context = SearchContext(instance: instance, seed: seed, penalty: config.unservedPenalty)
        pool = recombining ? RoutePool() : nil
        var current = Solution(instance: instance)
        if let start, start.routes.count == instance.vehicleCount {
            // Routes that fail the exact check (they should not) start empty; their requests are repaired.
            let evaluator = RouteEvaluator(instance: instance)
            var routes = start.routes
            for k in routes.indices where !routes[k].isEmpty && !evaluator.isFeasible(vehicle: k, stops: routes[k]) { routes[k] = [] }
            var placed = [Bool](repeating: false, count: instance.requestCount)
            for route in routes { for node in route where instance.isPickup(Int(node)) { placed[Int(node)] = true } }
            current = Solution(plan: Plan(routes: routes, unserved: (0..<instance.requestCount).filter { !placed[$0] }), instance: instance)
        }
        InsertionRepair(regret: 2, noise: false).repair(&current, context: context)
        let smallEnough = instance.requestCount <= config.localSearchLimit
        polish = LocalSearch(moves: smallEnough ? [RelocateRequest(), ExchangeRequests(), TailExchange()] : [RelocateRequest()])
        if config.localSearch { polish.run(&current, context: context) }
        self.current = current
        best = current
        removalWeights = [Double](repeating: 1, count: removals.count)
        repairWeights = [Double](repeating: 1, count: repairs.count)
        removalScores = removalWeights.map { _ in 0.0 }; removalUses = removalWeights.map { _ in 0 }
        repairScores = repairWeights.map { _ in 0.0 }; repairUses = repairWeights.map { _ in 0 }
        startTemperature = max(1.0, config.startWorsening * Double(max(1, current.cost)) / 0.693_147_18)
        collect(best)
    }

    /// Whether `a` is a better plan than `b` (serves more, or as many at a lower cost).
    static func better(_ a: Solution, than b: Solution) -> Bool {
        a.unservedCount < b.unservedCount || (a.unservedCount == b.unservedCount && a.cost < b.cost)
    }

    func collect(_ s: Solution) {
        guard let pool else { return }
        for route in s.routes where !route.isEmpty {
            pool.add(vehicleClass: context.vehicleClass[route.vehicle], stops: route.stops, cost: route.cost, requestCount: n)
        }
    }

    /// Takes `s` as best and current when it is better than this run's best.
    @discardableResult
    func adopt(_ s: Solution, asCurrent: Bool = true) -> Bool {
        guard Self.better(s, than: best) else { return false }
        best = s
        if asCurrent { current = s }
        lastImprovement = iteration
        return true
    }

    /// Polishes a plan from outside (recombination) with this run's local search.
    func polished(_ plan: Plan) -> Solution {
        var s = Solution(plan: plan, instance: instance)
        if config.localSearch { polish.run(&s, context: context) }
        return s
    }

    private func roulette(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = context.rng.nextDouble() * total
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { return i }
        }
        return weights.count - 1
    }

    /// One destroy-and-repair iteration at `fraction` of the budget (for the temperature).
    /// Returns whether it found a new best plan.
    @discardableResult
    func step(fraction: Double) -> Bool {
        iteration += 1
        let temperature = startTemperature * pow(config.finalTemperatureRatio, min(1, fraction))
        let d = roulette(removalWeights), r = roulette(repairWeights)
        let served = n - current.unservedCount
        let upper = max(1, min(100, Int(config.removalFraction * Double(n)), served))
        let lower = min(4, upper)
        let count = context.rng.nextInt(in: lower...upper)
        var candidate = current
        removals[d].remove(count: count, from: &candidate, context: context)
        repairs[r].repair(&candidate, context: context)
        // Every candidate's routes are feasible; those of good candidates (within
        // `poolThreshold` of the best) feed the recombination pool.
        if candidate.unservedCount <= best.unservedCount
            && Double(candidate.cost) <= Double(best.cost) * (1 + config.poolThreshold) { collect(candidate) }

        let fNew = candidate.objective(penalty: penalty), fOld = current.objective(penalty: penalty)
        var score = 0.0
        let isNewBest = Self.better(candidate, than: best)
        if isNewBest {
            if config.localSearch {
                polish.run(&candidate, context: context)
                collect(candidate)
            }
            best = candidate
            current = candidate
            score = 33
            lastImprovement = iteration
            lastOwnBest = iteration
        } else {
            let fresh = visited.insert(candidate.fingerprint).inserted
            if fNew < fOld {
                current = candidate
                if fresh { score = 9 }
            } else if fNew > fOld {
                let p = exp(-Double(fNew - fOld) / temperature)
                if context.rng.nextDouble() < p {
                    current = candidate
                    if fresh { score = 13 }
                }
            }
        }
        removalScores[d] += score; removalUses[d] += 1
        repairScores[r] += score; repairUses[r] += 1
        if iteration % config.segmentLength == 0 {
            for i in removalWeights.indices where removalUses[i] > 0 {
                removalWeights[i] = (1 - config.reactionFactor) * removalWeights[i] + config.reactionFactor * removalScores[i] / Double(removalUses[i])
                removalWeights[i] = max(removalWeights[i], 0.05)
                removalScores[i] = 0; removalUses[i] = 0
            }
            for i in repairWeights.indices where repairUses[i] > 0 {
                repairWeights[i] = (1 - config.reactionFactor) * repairWeights[i] + config.reactionFactor * repairScores[i] / Double(repairUses[i])
                repairWeights[i] = max(repairWeights[i], 0.05)
                repairScores[i] = 0; repairUses[i] = 0
            }
            if visited.count > 200_000 { visited.removeAll(keepingCapacity: true) }
        }
        if iteration - lastImprovement >= config.restartAfter {
            current = best
            lastImprovement = iteration
        }
        return isNewBest
    }
}
