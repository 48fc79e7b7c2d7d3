import DispatchCore
import DispatchHeuristics
import DispatchMILP
import DispatchTestSupport
import DispatchWire
import Foundation

/// Dial-a-ride instances of the shape of Cordeau & Laporte's (2003) pr01–pr20 set, generated
/// here (reproducible by seed): coordinates uniform in [−10, 10]², the depot at the centre, travel
/// time = Euclidean distance; capacity 6, loads 1, service 10 min, maximum ride 90 min, route
/// duration 480 min, a 1,440-minute day. Half the users are outbound (window at the destination,
/// its end uniform in [60, 1,440]), half inbound (window at the origin, its start uniform in
/// [0, 1,380]); windows are 15 minutes wide ("narrow") or 45 ("wide").
func generatedInstance(requests n: Int, vehicles m: Int, wide: Bool, seed: UInt64) -> CordeauInstance {
    var g = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(n * 100 + m) &+ (wide ? 7 : 0))
    func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * Double(g.next() >> 11) / Double(1 << 53) }
    let width = wide ? 45.0 : 15.0, horizon = 1440.0
    var lines = ["\(m) \(n) 480 6 90", String(format: "0 %.3f %.3f 0 0 0 %.0f", 0.0, 0.0, horizon)]
    var pickups: [String] = [], deliveries: [String] = []
    for r in 0..<n {
        let (x1, y1, x2, y2) = (uniform(-10, 10), uniform(-10, 10), uniform(-10, 10), uniform(-10, 10))
        if r < n / 2 {
            let end = uniform(60, horizon).rounded()
            pickups.append(String(format: "%d %.3f %.3f 10 1 0 %.0f", 1 + r, x1, y1, horizon))
            deliveries.append(String(format: "%d %.3f %.3f 10 -1 %.0f %.0f", 1 + n + r, x2, y2, end - width, end))
        } else {
            let start = uniform(0, horizon - 60).rounded()
            pickups.append(String(format: "%d %.3f %.3f 10 1 %.0f %.0f", 1 + r, x1, y1, start, start + width))
            deliveries.append(String(format: "%d %.3f %.3f 10 -1 0 %.0f", 1 + n + r, x2, y2, horizon))
        }
    }
    lines += pickups + deliveries
    lines.append(String(format: "%d %.3f %.3f 0 0 0 %.0f", 2 * n + 1, 0.0, 0.0, horizon))
    let name = "g\(n)-\(m)\(wide ? "w" : "n")-s\(seed)"
    // The text is made above in the reader's format; a parse error here is a bug of the generator.
    return try! CordeauInstance.parse(lines.joined(separator: "\n"), name: name, source: name)
}

/// `--generated`: ALNS + SP with one search and with two cooperating searches at `--time-limit`
/// seconds (default 30) on generated instances of 96, 120 and 144 requests (narrow and wide
/// windows), each against the best plan any run of this benchmark found, including a reference
/// run of two searches for `--reference-time` seconds (default 600).
func runGenerated() {
    let seconds = option("--time-limit").flatMap(Double.init) ?? 30
    let reference = option("--reference-time").flatMap(Double.init) ?? 600
    let shapes = [(96, 8), (120, 10), (144, 13)]
    let seeds = (option("--seeds").flatMap(Int.init)).map { UInt64(1)...UInt64($0) } ?? UInt64(1)...UInt64(1)
    print("Generated pr-shaped instances: ALNS + SP, one search against two, \(seconds) s each; reference: two searches, \(reference) s; \(Date())")
    print("")
    print("| instance | best: served | best: travel min | 1 search: served | travel min | gap % | 2 searches: served | travel min | gap % | reference (\(Int(reference)) s): served | travel min |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    var one: [Double] = [], two: [Double] = []
    /// Objective as every solver has it (`unservedPenalty` per request left out: serving more always wins).
    func run(_ instance: DispatchInstance, workers: Int, seconds: Double) -> (objective: Int, served: Int, travel: Double, valid: Bool) {
        var configuration = ALNSSolver.Configuration()
        configuration.recombiner = SetPartitioningRecombiner()
        configuration.workers = workers
        let result = ALNSSolver(configuration: configuration).solve(instance, limits: SolveLimits(timeLimit: .milliseconds(Int64(seconds * 1000)), seed: seed),
                                                                      progress: nil)
        let valid = PlanChecker.violations(of: result.plan, in: instance).isEmpty
        return (instance.objective(of: result.plan), instance.requestCount - result.plan.unserved.count,
                instance.timeScale.units(result.cost), valid)
    }
    for s in seeds {
        for (n, m) in shapes {
            for wide in [false, true] {
                let file = generatedInstance(requests: n, vehicles: m, wide: wide, seed: s)
                guard let instance = try? file.dispatchInstance() else { print("| \(file.name) | cannot be built |"); continue }
                let a = run(instance, workers: 1, seconds: seconds), b = run(instance, workers: 2, seconds: seconds)
                let r = run(instance, workers: 2, seconds: reference)
                let best = [a, b, r].min { $0.objective < $1.objective }!
                // The gap in the objective: travel when the served counts are equal; a plan serving one
                // fewer is a penalty (hundreds of %) worse.
                let gapA = Double(a.objective - best.objective) / Double(best.objective) * 100
                let gapB = Double(b.objective - best.objective) / Double(best.objective) * 100
                one.append(gapA)
                two.append(gapB)
                print(String(format: "| %@ | %d | %.1f | %d | %.1f | %.3f%@ | %d | %.1f | %.3f%@ | %d | %.1f |", file.name, best.served, best.travel,
                             a.served, a.travel, gapA, a.valid ? "" : " INVALID", b.served, b.travel, gapB, b.valid ? "" : " INVALID", r.served, r.travel))
            }
        }
    }
    guard !one.isEmpty else { return }
    print("")
    print(String(format: "one search: mean gap %.3f %%, worst %.3f %%; two searches: mean gap %.3f %%, worst %.3f %%",
                 one.reduce(0, +) / Double(one.count), one.max()!, two.reduce(0, +) / Double(two.count), two.max()!))
}
