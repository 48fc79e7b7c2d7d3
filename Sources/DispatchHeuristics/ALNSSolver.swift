import DispatchCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adaptive large neighbourhood search for the dial-a-ride problem (Ropke & Pisinger 2006, with
/// the DARP settings summarised in ALGORITHMS.md §2.2).
///
/// Construction by parallel regret-2 insertion; then each iteration removes 4…min(100, 0.4·n)
/// requests (random, worst, Shaw or route removal) and reinserts them (greedy or regret-2/3/4,
/// with or without noise), operators chosen by adaptive roulette. Acceptance is simulated
/// annealing on `cost + penalty · unserved`; the penalty defaults to more than any plan can save by
/// leaving requests out, so serving more always wins (lexicographic), unless the caller sets it.
/// Each new best plan is polished by local search (relocate, exchange, 2-opt*). After a long
/// stretch without a new best the search restarts from the best plan.
///
/// Deterministic: the same instance, seed and iteration limit (no time limit) give the same plan.
public struct ALNSSolver: DispatchSolver {
    public struct Configuration: Sendable {
        /// Penalty per unserved request in cost ticks; nil = lexicographic (serve first).
        public var unservedPenalty: Int?
        /// Start temperature as a fraction of the initial cost accepted with probability ½.
        public var startWorsening = 0.005
        /// Final temperature as a fraction of the start temperature.
        public var finalTemperatureRatio = 0.01
        /// Iterations without a new best before restarting from the best plan.
        public var restartAfter = 4_000
        /// Largest share of the requests removed in one iteration (Ropke & Pisinger: 0.4).
        public var removalFraction = 0.4
        public var segmentLength = 100
        public var reactionFactor = 0.1
        /// Local search on new best plans (skipped above `localSearchLimit` requests for exchange and 2-opt*).
        public var localSearch = true
        public var localSearchLimit = 400
        /// Iterations when neither a time nor an iteration limit is given.
        public var defaultIterations = 25_000
        /// Recombines the routes seen so far (e.g. set partitioning with GLPK) at 50 % and 80 % of
        /// the budget and at the end; nil = pure ALNS.
        public var recombiner: (any RouteRecombiner)?
        /// Recombination is skipped above this many requests.
        public var recombinationLimit = 300
        /// Share of the time budget each intermediate recombination may take; the final one takes
        /// what is left after the search stops at `1 − finalRecombinationShare`.
        public var recombinationShare = 0.06
        public var finalRecombinationShare = 0.1
        /// Candidates whose cost is within this share of the best give their routes to the pool.
        public var poolThreshold = 0.01

        public init(unservedPenalty: Int? = nil) { self.unservedPenalty = unservedPenalty }
    }

    public var configuration: Configuration
    /// A plan to start from instead of the construction (e.g. the day's tentative plan, whose
    /// bookings were promised): its feasible routes are kept, its unserved requests inserted.
    public var start: Plan?

    public init(configuration: Configuration = Configuration(), start: Plan? = nil) {
        self.configuration = configuration
        self.start = start
    }

    public func solve(_ instance: DispatchInstance, limits: SolveLimits, progress: ((SolveProgress) -> Void)?) -> SolveResult {
        let stopwatch = Stopwatch()
        func elapsed() -> Double { stopwatch.seconds }
        let config = configuration
        let context = SearchContext(instance: instance, seed: limits.seed, penalty: config.unservedPenalty)
        let penalty = context.penalty
        let iterationLimit = limits.iterationLimit ?? (limits.timeLimit == nil ? config.defaultIterations : Int.max)
        let timeLimit: Double? = limits.timeLimit.map(\.seconds)

        var history: [SolveProgress] = []
        func record(_ phase: String, _ s: Solution, _ iteration: Int) {
            let point = SolveProgress(phase: phase, seconds: elapsed(), iteration: iteration,
                                      served: instance.requestCount - s.unservedCount, cost: s.cost)
            history.append(point)
            progress?(point)
        }

        // Construction.
        let n = instance.requestCount
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
        let polish = LocalSearch(moves: smallEnough
            ? [RelocateRequest(), ExchangeRequests(), TailExchange()] : [RelocateRequest()])
        if config.localSearch { polish.run(&current, context: context) }
        var best = current
        record("construction", best, 0)
        var lastImprovement = 0
        let recombiner = instance.requestCount <= config.recombinationLimit ? config.recombiner : nil
        let pool = RoutePool()
        func collect(_ s: Solution) {
            guard recombiner != nil else { return }
            for route in s.routes where !route.isEmpty {
                pool.add(vehicleClass: context.vehicleClass[route.vehicle], stops: route.stops, cost: route.cost, requestCount: n)
            }
        }
        collect(best)
        var recombinationsDone = 0
        let recombinationPoints = [0.5, 0.8]
        /// Runs the recombiner; adopts its plan as best and current when it is better.
        func recombine(_ iteration: Int, final: Bool) {
            guard let recombiner else { return }
            let budget = timeLimit.map { max(0.05, final ? $0 - elapsed() : $0 * config.recombinationShare) } ?? 1.0
            guard let plan = recombiner.recombine(instance: instance, classes: context.classes, pool: pool, incumbent: best.plan,
                                                  incumbentCost: best.cost, timeLimit: .milliseconds(Int64(budget * 1000))) else { return }
            var improved = Solution(plan: plan, instance: instance)
            if config.localSearch { polish.run(&improved, context: context) }
            guard improved.unservedCount < best.unservedCount || (improved.unservedCount == best.unservedCount && improved.cost < best.cost) else { return }
            best = improved
            current = improved
            collect(best)
            lastImprovement = iteration
            record("recombination", best, iteration)
        }

        let removals: [any RemovalOperator] = [RandomRemoval(), WorstRemoval(), ShawRemoval(), RouteRemoval()]
        let repairs: [InsertionRepair] = [
            InsertionRepair(regret: 1, noise: false), InsertionRepair(regret: 2, noise: false),
            InsertionRepair(regret: 3, noise: false), InsertionRepair(regret: 4, noise: false),
            InsertionRepair(regret: 1, noise: true), InsertionRepair(regret: 2, noise: true),
        ]
        var removalWeights = [Double](repeating: 1, count: removals.count)
        var repairWeights = [Double](repeating: 1, count: repairs.count)
        var removalScores = removalWeights.map { _ in 0.0 }, removalUses = removalWeights.map { _ in 0 }
        var repairScores = repairWeights.map { _ in 0.0 }, repairUses = repairWeights.map { _ in 0 }
        var visited = Set<UInt64>()

        let startTemperature = max(1.0, config.startWorsening * Double(max(1, current.cost)) / 0.693_147_18)
        var temperature = startTemperature
        var iteration = 0
        var lastReport = 0.0

        func roulette(_ weights: [Double]) -> Int {
            let total = weights.reduce(0, +)
            var x = context.rng.nextDouble() * total
            for (i, w) in weights.enumerated() {
                x -= w
                if x < 0 { return i }
            }
            return weights.count - 1
        }

        while iteration < iterationLimit && n > 0 {
            let now = elapsed()
            if let timeLimit, now >= timeLimit { break }
            if limits.stopped { break }
            iteration += 1
            let fraction = iterationLimit != Int.max ? Double(iteration) / Double(iterationLimit) : now / (timeLimit ?? 1)
            if recombinationsDone < recombinationPoints.count && fraction >= recombinationPoints[recombinationsDone] {
                recombinationsDone += 1
                recombine(iteration, final: false)
            }
            if let timeLimit, recombiner != nil, now >= timeLimit * (1 - config.finalRecombinationShare) { break }
            temperature = startTemperature * pow(config.finalTemperatureRatio, min(1, fraction))

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
            let isNewBest = candidate.unservedCount < best.unservedCount
                || (candidate.unservedCount == best.unservedCount && candidate.cost < best.cost)
            if isNewBest {
                if config.localSearch {
                    polish.run(&candidate, context: context)
                    collect(candidate)
                }
                best = candidate
                current = candidate
                score = 33
                lastImprovement = iteration
                record("search", best, iteration)
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
            if progress != nil && now - lastReport >= 0.5 {
                lastReport = now
                progress?(SolveProgress(phase: "search", seconds: now, iteration: iteration,
                                        served: n - best.unservedCount, cost: best.cost))
            }
        }
        if !limits.stopped { recombine(iteration, final: true) }
        return SolveResult(plan: best.plan, status: .feasible, cost: best.cost, seconds: elapsed(),
                           iterations: iteration, history: history)
    }
}
