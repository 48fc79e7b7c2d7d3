import DispatchCore
import DispatchHeuristics
import DispatchMILP
import DispatchTestSupport
import DispatchWire
import Foundation

/// The large batch of issue 4: a generated wide-area day (2,000 requests, 40 vehicles by default)
/// solved by ALNS within the time limit; reports served share, cost, and cost over time. The
/// baseline in the same run is the parallel regret-2 construction (the first point of the curve).
func runLarge() {
    let requests = option("--requests").flatMap(Int.init) ?? 2_000
    let vehicles = option("--vehicles").flatMap(Int.init) ?? 40
    let generationStart = Date()
    let scenario: WideAreaScenario
    do {
        scenario = try WideAreaScenario.generate(requests: requests, vehicles: vehicles, seed: seed)
    } catch {
        print("scenario: \(error)")
        exit(1)
    }
    let instance = scenario.instance
    let generated = Date().timeIntervalSince(generationStart)
    print("Wide-area day: \(requests) requests, \(vehicles) vehicles, \(instance.travel.count) locations, seed \(seed), generated in \(String(format: "%.2f", generated)) s, \(Date())")
    if arguments.contains("--compare-recombination") {
        compareRecombination(instance)
        return
    }
    if arguments.contains("--compare-workers") {
        compareWorkers(instance)
        return
    }
    let result = ALNSSolver().solve(instance, limits: limits(), progress: nil)
    let violations = PlanChecker.violations(of: result.plan, in: instance)
    let served = result.plan.servedCount
    print("")
    print("| seconds | iteration | served | served % | cost (vehicle-hours driving) |")
    print("|---:|---:|---:|---:|---:|")
    var lastPrinted = -1.0
    for (i, point) in result.history.enumerated() where i == 0 || i == result.history.count - 1 || point.seconds - lastPrinted >= timeLimit / 12 {
        lastPrinted = point.seconds
        print(String(format: "| %.1f | %d | %d | %.1f | %.1f |", point.seconds, point.iteration, point.served,
                     100 * Double(point.served) / Double(requests), Double(point.cost) / 3600))
    }
    print("")
    let evaluator = RouteEvaluator(instance: instance)
    let reasons = Dictionary(grouping: result.plan.unserved) { UnservedDiagnosis.reason(request: $0, instance: instance, evaluator: evaluator) }
    print(String(format: "final: served %d of %d (%.1f %%), cost %.1f vehicle-hours, %d vehicles used, %d iterations in %.1f s, checker: %@",
                 served, requests, 100 * Double(served) / Double(requests), Double(result.cost) / 3600, result.plan.vehiclesUsed,
                 result.iterations, result.seconds, violations.isEmpty ? "valid" : "\(violations.count) violations"))
    print("unserved by reason: " + reasons.map { "\($0.key.rawValue) \($0.value.count)" }.sorted().joined(separator: ", "))
    if let first = result.history.first {
        print(String(format: "construction (regret-2) %.1f s: served %d, cost %.1f h; ALNS end: served %d, cost %.1f h (cost ratio %.3f)",
                     first.seconds, first.served, Double(first.cost) / 3600, served, Double(result.cost) / 3600,
                     Double(result.cost) / Double(max(1, first.cost))))
    }
}

/// `--large --compare-recombination`: pure ALNS against ALNS + set partitioning (recombination
/// forced on above the default 300-request limit) at the same time limit and seed.
func compareRecombination(_ instance: DispatchInstance) {
    print("")
    print("| variant | served | cost (vehicle-hours) | iterations | seconds | checker |")
    print("|---|---:|---:|---:|---:|---|")
    for withSP in [false, true] {
        var configuration = ALNSSolver.Configuration()
        if withSP {
            configuration.recombiner = SetPartitioningRecombiner()
            configuration.recombinationLimit = Int.max
        }
        let result = ALNSSolver(configuration: configuration).solve(instance, limits: limits(), progress: nil)
        let violations = PlanChecker.violations(of: result.plan, in: instance)
        print(String(format: "| %@ | %d | %.2f | %d | %.1f | %@ |", withSP ? "ALNS + SP" : "ALNS", result.plan.servedCount,
                     Double(result.cost) / 3600, result.iterations, result.seconds, violations.isEmpty ? "valid" : "\(violations.count) violations"))
    }
}

/// `--large --compare-workers`: ALNS with one search against two cooperating searches (one per
/// core), the same time limit and seed.
func compareWorkers(_ instance: DispatchInstance) {
    print("")
    print("| searches | served | served % | cost (vehicle-hours) | iterations | seconds | checker |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for workers in [1, 2] {
        var configuration = ALNSSolver.Configuration()
        configuration.workers = workers
        if let s = option("--sync-seconds").flatMap(Double.init) { configuration.syncSeconds = s }
        if arguments.contains("--share-best-only") { configuration.shareCurrent = false }
        let result = ALNSSolver(configuration: configuration).solve(instance, limits: limits(), progress: nil)
        let violations = PlanChecker.violations(of: result.plan, in: instance)
        print(String(format: "| %d | %d | %.1f | %.2f | %d | %.1f | %@ |", workers, result.plan.servedCount,
                     100 * Double(result.plan.servedCount) / Double(instance.requestCount), Double(result.cost) / 3600, result.iterations,
                     result.seconds, violations.isEmpty ? "valid" : "\(violations.count) violations"))
    }
}
