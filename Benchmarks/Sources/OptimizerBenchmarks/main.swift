// Optimizer benchmarks (issue 4): the Cordeau (2006) "a" instances against their best-known
// values, and a large generated wide-area day.
//
//   swift run -c release OptimizerBenchmarks [--time-limit 10] [--seed 1] [--only a2-16,a8-96]
//   swift run -c release OptimizerBenchmarks --large [--requests 2000] [--vehicles 40] [--time-limit 60]
//   swift run -c release OptimizerBenchmarks --zone-days [--bookings-list 20,40,60] [--seeds 3] [--time-limit 10]
import DispatchCore
import DispatchHeuristics
import DispatchMILP
import DispatchTestSupport
import DispatchWire
import Foundation
import RoadNetwork

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}
let large = arguments.contains("--large")
let timeLimit = option("--time-limit").flatMap(Double.init) ?? (large ? 60 : 10)
let seed = option("--seed").flatMap(UInt64.init) ?? 1
let only = option("--only").map { Set($0.split(separator: ",").map(String.init)) }
let darpDirectory = option("--darp") ?? "../../shared/instances/darp-a"

/// The instances to run (all of BKS.csv, or `--only`) with their best-known costs; exits with a
/// note when the Cordeau folder is absent.
func bestKnownInstances() -> [(name: String, best: Double)] {
    let bksPath = "\(darpDirectory)/BKS.csv"
    guard let text = try? String(contentsOfFile: bksPath, encoding: .utf8) else {
        print("The Cordeau instances are absent (\(bksPath)); nothing to measure.")
        exit(0)
    }
    var result: [(name: String, best: Double)] = []
    for line in text.split(separator: "\n").dropFirst() {
        let f = line.split(separator: ",", maxSplits: 2)
        guard f.count >= 2, let best = Double(f[1]) else { continue }
        let name = String(f[0])
        if only?.contains(name) ?? true { result.append((name, best)) }
    }
    return result
}

func limits() -> SolveLimits { SolveLimits(timeLimit: .milliseconds(Int64(timeLimit * 1000)), seed: seed) }

if large {
    runLarge()
} else if arguments.contains("--exact") {
    runExact()
} else if arguments.contains("--auto") {
    runAuto()
} else if arguments.contains("--parallel") {
    runParallel()
} else if arguments.contains("--generated") {
    runGenerated()
} else if arguments.contains("--cooperation") {
    runCooperation()
} else if arguments.contains("--zone-days") {
    await runZoneDays()
} else {
    runCordeau()
}

/// `--auto`: what `dispatch solve` does by default (`ExactSolver.suits`: exact for small instances
/// with interchangeable vehicles, ALNS + SP otherwise), `--time-limit` seconds each (default 10).
func runAuto() {
    let instances = bestKnownInstances()
    print("--solver auto on the Cordeau \"a\" instances, \(timeLimit) s each, one thread, seed \(seed), \(Date())")
    print("")
    print("| instance | BKS | solver | status | cost | gap % | seconds |")
    print("|---|---:|---|---|---:|---:|---:|")
    var gaps: [Double] = [], feasible = 0
    for (name, best) in instances {
        do {
            let file = try CordeauInstance.load(path: "\(darpDirectory)/\(name).txt")
            let instance = try file.dispatchInstance()
            var configuration = ALNSSolver.Configuration()
            configuration.recombiner = SetPartitioningRecombiner()
            let heuristic = ALNSSolver(configuration: configuration)
            let exact = ExactSolver.suits(instance)
            let solver: any DispatchSolver = exact ? ExactSolver(warmStart: heuristic) : heuristic
            let result = solver.solve(instance, limits: limits(), progress: nil)
            let cost = file.cost(ofRoutes: file.fileRoutes(of: result.plan, in: instance))
            let valid = PlanChecker.violations(of: result.plan, in: instance).isEmpty && result.plan.unserved.isEmpty
            if valid { feasible += 1 }
            let gap = (cost - best) / best * 100
            gaps.append(gap)
            print(String(format: "| %@ | %.2f | %@ | %@ | %.2f | %.3f | %.1f |", name, best, exact ? "exact" : "heuristic",
                         result.status.rawValue + (valid ? "" : " (INVALID)"), cost, gap, result.seconds))
        } catch {
            print("| \(name) | error: \(error) |")
        }
    }
    guard !gaps.isEmpty else { return }
    print("")
    print(String(format: "feasible %d/%d, mean gap %.3f %%, worst gap %.3f %%", feasible, gaps.count, gaps.reduce(0, +) / Double(gaps.count), gaps.max()!))
}

/// `--parallel`: ALNS + SP with one search against two cooperating searches (one per core), the
/// same seed and `--time-limit` seconds each (default 10).
func runParallel() {
    let instances = bestKnownInstances()
    let cores = ProcessInfo.processInfo.activeProcessorCount
    print("Cordeau \"a\": ALNS + SP, one search against two cooperating searches, \(timeLimit) s each, seed \(seed), \(cores) cores, \(Date())")
    print("")
    print("| instance | BKS | 1 search gap % | 2 searches gap % | iterations 1 | iterations 2 |")
    print("|---|---:|---:|---:|---:|---:|")
    var one: [Double] = [], two: [Double] = [], feasible = 0
    for (name, best) in instances {
        do {
            let file = try CordeauInstance.load(path: "\(darpDirectory)/\(name).txt")
            let instance = try file.dispatchInstance()
            var results: [(gap: Double, iterations: Int, valid: Bool)] = []
            for workers in [1, 2] {
                var configuration = ALNSSolver.Configuration()
                configuration.recombiner = SetPartitioningRecombiner()
                configuration.workers = workers
                let result = ALNSSolver(configuration: configuration).solve(instance, limits: limits(), progress: nil)
                let cost = file.cost(ofRoutes: file.fileRoutes(of: result.plan, in: instance))
                let valid = PlanChecker.violations(of: result.plan, in: instance).isEmpty && result.plan.unserved.isEmpty
                results.append(((cost - best) / best * 100, result.iterations, valid))
            }
            if results.allSatisfy(\.valid) { feasible += 1 }
            one.append(results[0].gap)
            two.append(results[1].gap)
            print(String(format: "| %@ | %.2f | %.3f%@ | %.3f%@ | %d | %d |", name, best, results[0].gap, results[0].valid ? "" : " INVALID",
                         results[1].gap, results[1].valid ? "" : " INVALID", results[0].iterations, results[1].iterations))
        } catch {
            print("| \(name) | error: \(error) |")
        }
    }
    guard !one.isEmpty else { return }
    print("")
    print(String(format: "feasible %d/%d; one search: mean gap %.3f %%, worst %.3f %%; two searches: mean gap %.3f %%, worst %.3f %%",
                 feasible, one.count, one.reduce(0, +) / Double(one.count), one.max()!, two.reduce(0, +) / Double(two.count), two.max()!))
}

/// `--cooperation`: the same total work (iterations, so the machine's load does not matter) as one
/// search of 2·N iterations or two cooperating searches of N each, with and without moving a
/// stuck search to the shared best; `--iterations N` (default 5,000), seeds 1…`--seeds` (default 3).
func runCooperation() {
    let n = option("--iterations").flatMap(Int.init) ?? 5_000
    let seeds = option("--seeds").flatMap(Int.init) ?? 3
    let instances = bestKnownInstances()
    print("Cordeau \"a\": ALNS + SP, equal work: one search of \(2 * n) iterations against two of \(n); seeds 1…\(seeds); \(Date())")
    print("")
    print("| instance | BKS | 1 × \(2 * n) gap % | 2 × \(n), share best and current % | 2 × \(n), share best only % |")
    print("|---|---:|---:|---:|---:|")
    var sums = [0.0, 0.0, 0.0], count = 0
    for (name, best) in instances {
        guard let file = try? CordeauInstance.load(path: "\(darpDirectory)/\(name).txt"), let instance = try? file.dispatchInstance() else { continue }
        var gaps = [0.0, 0.0, 0.0]
        for s in 1...seeds {
            for (i, setup) in [(1, true), (2, true), (2, false)].enumerated() {
                var configuration = ALNSSolver.Configuration()
                configuration.recombiner = SetPartitioningRecombiner()
                configuration.workers = setup.0
                configuration.shareCurrent = setup.1
                let iterations = setup.0 == 1 ? 2 * n : n
                let result = ALNSSolver(configuration: configuration).solve(instance, limits: SolveLimits(iterationLimit: iterations, seed: UInt64(s)), progress: nil)
                let cost = file.cost(ofRoutes: file.fileRoutes(of: result.plan, in: instance))
                gaps[i] += (cost - best) / best * 100 / Double(seeds)
            }
        }
        for i in 0..<3 { sums[i] += gaps[i] }
        count += 1
        print(String(format: "| %@ | %.2f | %.3f | %.3f | %.3f |", name, best, gaps[0], gaps[1], gaps[2]))
    }
    guard count > 0 else { return }
    print("")
    print(String(format: "mean gap: one search %.3f %%, two sharing best and current %.3f %%, two sharing best only %.3f %%",
                 sums[0] / Double(count), sums[1] / Double(count), sums[2] / Double(count)))
}

/// `--exact`: the exact solver (event-based MILP, 1 s ALNS warm start included) on every instance,
/// with its proven bound and gap, `--time-limit` seconds each (default 120).
func runExact() {
    let seconds = option("--time-limit").flatMap(Double.init) ?? 120
    let instances = bestKnownInstances()
    print("Exact solver on the Cordeau \"a\" instances, \(seconds) s each, one thread, \(Date())")
    print("")
    print("| instance | BKS | status | cost | bound | gap % | seconds |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for (name, best) in instances {
        do {
            let file = try CordeauInstance.load(path: "\(darpDirectory)/\(name).txt")
            let instance = try file.dispatchInstance()
            var configuration = ALNSSolver.Configuration()
            configuration.recombiner = SetPartitioningRecombiner()
            var solver = ExactSolver(warmStart: ALNSSolver(configuration: configuration))
            solver.warmStartSeconds = 1
            let result = solver.solve(instance, limits: SolveLimits(timeLimit: .milliseconds(Int64(seconds * 1000)), seed: seed), progress: nil)
            let cost = file.cost(ofRoutes: file.fileRoutes(of: result.plan, in: instance))
            let valid = PlanChecker.violations(of: result.plan, in: instance).isEmpty && result.plan.unserved.isEmpty
            let bound = result.lowerBound.map { instance.timeScale.units($0) }
            let gap = bound.map { (cost - $0) / cost * 100 }
            print(String(format: "| %@ | %.2f | %@ | %.2f | %@ | %@ | %.1f |", name, best, result.status.rawValue + (valid ? "" : " (INVALID)"), cost,
                         bound.map { String(format: "%.2f", $0) } ?? "–", gap.map { String(format: "%.2f", $0) } ?? "–", result.seconds))
        } catch {
            print("| \(name) | error: \(error) |")
        }
    }
}

func runCordeau() {
    let instances = bestKnownInstances()
    print("Cordeau \"a\" instances, \(timeLimit) s each, one thread, seed \(seed), \(Date())")
    print("")
    print("| instance | BKS | construction gap % | ALNS gap % | ALNS + SP gap % | feasible | vehicles | iterations | last improvement s |")
    print("|---|---:|---:|---:|---:|:---:|---:|---:|---:|")
    var gaps: [Double] = [], pureGaps: [Double] = [], feasibleCount = 0, total = 0
    for (name, best) in instances {
        total += 1
        do {
            let file = try CordeauInstance.load(path: "\(darpDirectory)/\(name).txt")
            let instance = try file.dispatchInstance()
            // Baseline in the same run: pure ALNS; then ALNS with set-partitioning recombination (GLPK).
            let pure = ALNSSolver().solve(instance, limits: limits(), progress: nil)
            var configuration = ALNSSolver.Configuration()
            configuration.recombiner = SetPartitioningRecombiner()
            let result = ALNSSolver(configuration: configuration).solve(instance, limits: limits(), progress: nil)
            let pureCost = file.cost(ofRoutes: file.fileRoutes(of: pure.plan, in: instance))
            let routes = file.fileRoutes(of: result.plan, in: instance)
            let cost = file.cost(ofRoutes: routes)
            let violations = PlanChecker.violations(of: result.plan, in: instance) + PlanChecker.violations(of: pure.plan, in: instance)
            let feasible = violations.isEmpty && result.plan.unserved.isEmpty && pure.plan.unserved.isEmpty
            if feasible { feasibleCount += 1 }
            let construction = instance.timeScale.units(result.history.first?.cost ?? 0)
            let gap = (cost - best) / best * 100
            gaps.append(gap)
            pureGaps.append((pureCost - best) / best * 100)
            print(String(format: "| %@ | %.2f | %.2f | %.3f | %.3f | %@ | %d | %d | %.1f |",
                         name, best, (construction - best) / best * 100, (pureCost - best) / best * 100, gap, feasible ? "yes" : "NO",
                         result.plan.vehiclesUsed, result.iterations, result.history.last?.seconds ?? 0))
            if !violations.isEmpty { print("    violations: \(violations.prefix(3))") }
        } catch {
            print("| \(name) | error: \(error) |")
        }
    }
    guard !gaps.isEmpty else { return }
    let mean = gaps.reduce(0, +) / Double(gaps.count)
    let pureMean = pureGaps.reduce(0, +) / Double(pureGaps.count)
    print("")
    print(String(format: "feasible %d/%d; ALNS + SP: mean gap %.3f %%, worst %.3f %%; pure ALNS: mean gap %.3f %%, worst %.3f %%",
                 feasibleCount, total, mean, gaps.max()!, pureMean, pureGaps.max()!))
}
