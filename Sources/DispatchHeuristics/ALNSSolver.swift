import DispatchCore
import Dispatch
import Foundation
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
        /// Searches run side by side, one per core (cooperative: they meet to share the best plan
        /// and the good routes); 1 = one search on the calling thread.
        public var workers = 1
        /// Under an iteration limit the workers meet every this many iterations each (so the plan
        /// depends only on the seed and the limit), under a time limit every `syncSeconds`.
        public var syncIterations = 250
        public var syncSeconds = 0.25
        /// At a meeting, a search that found no new best of its own since the last one continues
        /// from the shared best plan (true), or only takes it as the plan to restart from (false).
        public var shareCurrent = true

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
        let n = instance.requestCount
        let iterationLimit = limits.iterationLimit ?? (limits.timeLimit == nil ? config.defaultIterations : Int.max)
        let timeLimit: Double? = limits.timeLimit.map(\.seconds)
        let recombiner = n <= config.recombinationLimit ? config.recombiner : nil
        let workers = max(1, n > 0 ? config.workers : 1)

        // One run per worker; the first with the caller's seed.
        var runs: [ALNSRun] = []
        if workers == 1 {
            runs = [ALNSRun(instance: instance, config: config, seed: limits.seed, start: start, recombining: recombiner != nil)]
        } else {
            let made = RunSlots(workers), start = start
            inParallel(workers) { w in
                made.set(w, ALNSRun(instance: instance, config: config, seed: Self.seed(limits.seed, worker: w), start: start, recombining: recombiner != nil))
            }
            runs = made.all
        }
        let lead = runs[0]
        var best = runs.map(\.best).min { ALNSRun.better($0, than: $1) }!
        var history: [SolveProgress] = []
        func record(_ phase: String, _ s: Solution, _ iteration: Int) {
            let point = SolveProgress(phase: phase, seconds: elapsed(), iteration: iteration, served: n - s.unservedCount, cost: s.cost)
            history.append(point)
            progress?(point)
        }
        record("construction", best, 0)

        /// Shares the best plan: every run takes it as its best; a run that found nothing itself
        /// since `since` also continues from it.
        func share(since: Int) {
            for run in runs {
                let stuck = run.lastOwnBest <= since
                run.adopt(best, asCurrent: stuck && config.shareCurrent)
            }
        }
        var recombinationsDone = 0
        let recombinationPoints = [0.5, 0.8]
        /// Runs the recombiner on the routes of every run; adopts its plan when it is better.
        func recombine(_ iteration: Int, final: Bool) {
            guard let recombiner, let pool = lead.pool else { return }
            let budget = timeLimit.map { max(0.05, final ? $0 - elapsed() : $0 * config.recombinationShare) } ?? 1.0
            guard let plan = recombiner.recombine(instance: instance, classes: lead.context.classes, pool: pool, incumbent: best.plan,
                                                  incumbentCost: best.cost, timeLimit: .milliseconds(Int64(budget * 1000))) else { return }
            let improved = lead.polished(plan)
            guard ALNSRun.better(improved, than: best) else { return }
            best = improved
            for run in runs {
                run.adopt(improved)
                run.collect(improved)
            }
            record("recombination", best, iteration)
        }

        /// Runs `run` until `target` iterations or the end of the slice; false when time is up or stopped.
        func advance(_ run: ALNSRun, to target: Int, sliceEnd: Double?) {
            while run.iteration < target && n > 0 {
                let now = elapsed()
                if let sliceEnd, now >= sliceEnd { return }
                if limits.stopped { return }
                let fraction = iterationLimit != Int.max ? Double(run.iteration + 1) / Double(iterationLimit) : now / (timeLimit ?? 1)
                run.step(fraction: fraction)
                if workers == 1, run.lastOwnBest == run.iteration { best = run.best; record("search", best, run.iteration) }
            }
        }

        // The search stops early enough for the final recombination.
        let searchEnd: Double? = timeLimit.map { recombiner != nil ? $0 * (1 - config.finalRecombinationShare) : $0 }
        // Workers meet every `syncIterations` iterations (deterministic under an iteration limit)
        // or `syncSeconds` (under a time limit); a single run meets itself at the same points
        // (recombination, progress).
        var lastReport = 0.0
        while lead.iteration < iterationLimit && n > 0 && !limits.stopped {
            let now = elapsed()
            if let searchEnd, now >= searchEnd { break }
            let fraction = iterationLimit != Int.max ? Double(lead.iteration) / Double(iterationLimit) : now / (timeLimit ?? 1)
            if recombinationsDone < recombinationPoints.count && fraction >= recombinationPoints[recombinationsDone] {
                recombinationsDone += 1
                recombine(lead.iteration, final: false)
                continue
            }
            // The next meeting: the next sync point, but not past the next recombination point.
            var target = min(iterationLimit, lead.iteration + config.syncIterations)
            var sliceEnd = searchEnd.map { min($0, now + config.syncSeconds) }
            if recombinationsDone < recombinationPoints.count {
                let point = recombinationPoints[recombinationsDone]
                if iterationLimit != Int.max { target = min(target, max(lead.iteration + 1, Int((point * Double(iterationLimit)).rounded(.up)))) }
                if let timeLimit, let end = sliceEnd { sliceEnd = min(end, max(now + 0.001, point * timeLimit)) }
            }
            let startIteration = lead.iteration
            if workers == 1 {
                advance(lead, to: target, sliceEnd: sliceEnd)
            } else {
                let meet = target, end = sliceEnd, all = runs
                inParallel(workers) { w in advance(all[w], to: meet, sliceEnd: end) }
                let found = runs.map(\.best).min { ALNSRun.better($0, than: $1) }!
                if ALNSRun.better(found, than: best) {
                    best = found
                    record("search", best, lead.iteration)
                }
                share(since: startIteration)
                // The lead's pool (recombination) gets the others' good routes.
                if recombiner != nil { for run in runs.dropFirst() { run.collect(run.best) } ; for run in runs.dropFirst() { lead.collect(run.best) } }
            }
            if lead.iteration == startIteration && (sliceEnd.map { elapsed() < $0 } ?? true) && !limits.stopped { break }
            if progress != nil && elapsed() - lastReport >= 0.5 {
                lastReport = elapsed()
                progress?(SolveProgress(phase: "search", seconds: lastReport, iteration: lead.iteration, served: n - best.unservedCount, cost: best.cost))
            }
        }
        if !limits.stopped { recombine(lead.iteration, final: true) }
        let iterations = runs.reduce(0) { $0 + $1.iteration }
        return SolveResult(plan: best.plan, status: .feasible, cost: best.cost, seconds: elapsed(), iterations: iterations, history: history)
    }

    /// The seed of worker `w` (worker 0 keeps the caller's).
    static func seed(_ seed: UInt64, worker w: Int) -> UInt64 {
        w == 0 ? seed : (seed &+ UInt64(w) &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03
    }
}

/// Runs `body(0)`, …, `body(count − 1)` side by side on the system's threads and returns when all
/// have. Each index must touch only its own state (here: its own `ALNSRun`), which the compiler
/// cannot check, hence the unchecked box.
func inParallel(_ count: Int, _ body: (Int) -> Void) {
    withoutActuallyEscaping(body) { body in
        let box = UncheckedBox(body)
        DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
    }
}

private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Slots the workers fill concurrently (each its own index).
private final class RunSlots: @unchecked Sendable {
    private var slots: [ALNSRun?]
    private let lock = NSLock()
    init(_ count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ run: ALNSRun) { lock.lock(); slots[i] = run; lock.unlock() }
    var all: [ALNSRun] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}
