import ArgumentParser
import DispatchCore
import DispatchHeuristics
import DispatchMILP
import DispatchPlanning
import DispatchWire
import Foundation

struct SolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Solve a dial-a-ride benchmark instance (Cordeau 2006 format) and print the plan."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, table
    }

    @Argument(help: "The instance file (Cordeau's format: `K n T Q L`, then 2n + 2 node lines).")
    var instanceFile: String?

    @Option(name: .customLong("instance"), help: .hidden)
    var instanceOption: String?

    /// The instance file: positional like every command's input file (`--instance` still works).
    var instance: String { instanceFile ?? instanceOption ?? "" }

    @Option(name: .customLong("time-limit"), help: "Seconds to search.")
    var timeLimit: Double = 10

    @Option(help: "Stop after this many search iterations (with the seed, makes the plan reproducible).")
    var iterations: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "heuristic (ALNS with set-partitioning recombination), exact (event-based MILP with GLPK, ALNS warm start), or auto (exact up to \(ExactSolver.autoRequestLimit) requests on vehicles of at most 4 places, heuristic otherwise).")
    var solver: SolveStrategy.Choice = .auto

    @Option(help: "table or json.")
    var format: Format = .table

    @OptionGroup var output: OutputOption

    @Flag(help: "Pure ALNS: no set-partitioning recombination of the routes found (GLPK).")
    var noRecombination = false

    @Option(name: .customLong("mip-gap"), help: "Exact solver: stop at this relative gap (e.g. 0.01); 0 proves optimality.")
    var mipGap: Double = 0

    @Flag(help: "Exact solver: show GLPK's own progress output.")
    var verbose = false

    @Flag(help: "No lower bound from GLPK beside the plan (it runs on a second thread within the time limit).")
    var noBound = false

    @Option(help: "Cooperating heuristic searches, one per core (default: the cores the bound leaves free, 1 to 4).")
    var workers: Int?

    @Flag(help: "No progress line on the terminal.")
    var quiet = false

    func validate() throws {
        switch (instanceFile, instanceOption) {
        case (nil, nil): throw ValidationError("Missing the instance file: dispatch solve FILE.")
        case (.some, .some): throw ValidationError("Give the instance file once (as an argument).")
        default: break
        }
        guard timeLimit.isFinite, timeLimit > 0, timeLimit <= 86_400 else {
            throw ValidationError("--time-limit must be a number of seconds between 0 and 86400.")
        }
        if let iterations, iterations < 0 { throw ValidationError("--iterations must not be negative.") }
        if let workers, !(1...16).contains(workers) { throw ValidationError("--workers must be a whole number from 1 to 16.") }
        guard mipGap.isFinite, mipGap >= 0, mipGap < 1 else { throw ValidationError("--mip-gap must be at least 0 and below 1.") }
    }

    func run() async throws {
        let file = try CordeauInstance.load(path: instance)
        let model = try file.dispatchInstance()
        let progress = ProgressLine(enabled: !quiet)
        let limits = SolveLimits(timeLimit: .milliseconds(Int64(timeLimit * 1000)), iterationLimit: iterations, seed: seed)
        var strategy = SolveStrategy(solver)
        strategy.recombination = !noRecombination
        strategy.mipGap = mipGap
        strategy.verbose = verbose
        strategy.bound = !noBound
        strategy.workers = workers
        let decision = strategy.decide(for: model)
        let chosen = decision.used
        let (result, relaxation) = await BoundedSolve.run(decision.solver, instance: model, limits: limits, bound: strategy.bound) { point in
            let bound = point.bound.map { String(format: "  bound %.2f", model.timeScale.units($0)) } ?? ""
            progress.show("\(point.phase) \(String(format: "%.1f", point.seconds)) s  served \(point.served)/\(model.requestCount)  cost \(String(format: "%.2f", model.timeScale.units(point.cost)))" + bound)
        }
        progress.clear()
        let bound = BoundedSolve.bound(of: result.plan, instance: model, result: result, relaxation: relaxation)
        let report = SolveReport(cordeau: file, instance: model, result: result, seed: seed, solver: chosen.rawValue, solverReason: decision.reason,
                                 lowerBound: bound.lowerBound, penalty: bound.penalty, boundNote: bound.note)
        switch format {
        case .json:
            try output.write(try encodeJSON(report, pretty: false), what: "solution")
        case .table:
            var lines: [String] = []
            let plan = PlanReport(plan: result.plan, instance: model)
            let units = model.timeScale
            lines.append("instance   \(report.instance)")
            lines.append("status     \(report.status)")
            lines.append("cost       \(String(format: "%.2f", report.cost))")
            lines.append("vehicles   \(report.vehiclesUsed) of \(file.vehicleCount)")
            lines.append("served     \(file.requestCount - report.unserved.count) of \(file.requestCount)")
            for (r, reason) in plan.unserved { lines.append("unserved   \(model.requests[r].id): \(reason.explanation)") }
            lines.append("solver     \(chosen.rawValue) (\(decision.reason))")
            if let bound = report.lowerBound, let gap = report.gap {
                lines.append("bound      \(String(format: "%.2f", bound)) (GLPK), gap \(String(format: "%.2f", 100 * gap)) % to objective \(String(format: "%.2f", report.objective ?? 0))")
            } else {
                lines.append("bound      none (\((report.boundNote ?? "").replacingOccurrences(of: "no bound: ", with: "")))")
            }
            lines.append("search     \(String(format: "%.1f", report.seconds)) s, \(report.iterations) iterations, seed \(seed)")
            let longest = plan.rides.map { units.units($0.rideTime) }.max() ?? 0
            lines.append("rides      longest \(String(format: "%.1f", longest)) \(units.unitName) (limit \(String(format: "%.1f", file.maxRideTime)))")
            for (i, schedule) in plan.schedules.enumerated() {
                // node id of the file @ start of service, in the file's time unit
                let stops = schedule.stops.dropFirst().dropLast().map { "\(model.location[$0.node])@\(String(format: "%.1f", units.units($0.serviceStart)))" }
                lines.append("route \(i + 1)    depart \(String(format: "%.1f", units.units(schedule.departure)))  " + stops.joined(separator: " ")
                      + "  back \(String(format: "%.1f", units.units(schedule.returnTime)))")
            }
            try output.write(lines.joined(separator: "\n"), what: "solution")
        }
        // A benchmark instance asks for every request: a plan that leaves one out (or a proof that
        // none serves them all) is no solution (exit 3, after the plan is printed).
        if result.status == .infeasible || !result.plan.unserved.isEmpty {
            throw CLIError.noRoute("No feasible plan: \(result.plan.unserved.count) of \(file.requestCount) requests are left out (status \(report.status)).")
        }
    }
}

/// One line on standard error, rewritten in place; silent when standard error is not a terminal.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled && isatty(STDERR_FILENO) == 1 }

    func show(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        shown = true
    }

    func clear() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

extension SolveStrategy.Choice: ExpressibleByArgument {}
