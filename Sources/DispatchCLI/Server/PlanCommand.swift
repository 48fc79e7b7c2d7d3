import ArgumentParser
import DispatchCore
import DispatchPlanning
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a service date from the stored bookings: manifests per vehicle, unserved bookings with reasons, figures.",
        subcommands: [PlanDiffCommand.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv, geojson, html }

    @Option(help: "The service date, YYYY-MM-DD.")
    var date: String

    @Option(help: "sqlite:PATH or postgres://… (as for serve).")
    var store = Defaults.store

    @Option(name: .customLong("zone"), help: "The zone file (default: the embedded zone that ships with dispatch).")
    var zoneOption: String?
    var zone: String { zoneOption ?? Defaults.zone }

    @Option(name: .customLong("time-limit"), help: "Seconds to optimize.")
    var timeLimit: Double = 10

    @Option(help: "auto, heuristic or exact.")
    var solver: SolveStrategy.Choice = .auto

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Stop after this many search iterations instead of at the time limit (with --seed, the plan is reproducible).")
    var iterations: Int?

    @Option(help: "table, json, csv (one row per stop, UTF-8 with BOM), geojson (routes along the roads, stops) or html (map and timeline, self-contained).")
    var format: Format = .table

    @OptionGroup var output: OutputOption

    @Option(help: "Re-plan during the day: stops before HH:MM stay as they were, passengers on board stay with their vehicle, vehicles start from their last stop.")
    var now: String?

    @Flag(help: "With --now: keep bookings on the vehicle already announced to residents, unless it can no longer serve them.")
    var pin = false

    @Flag(name: .customLong("compare-standalone"), help: "Also solve each municipality alone (own vehicles, own residents) and every coalition, and print alone vs together with the Shapley and proportional cost splits.")
    var compareStandalone = false

    @Option(name: .customLong("coalition-time-limit"), help: "Seconds per coalition for --compare-standalone (with --iterations, that many iterations instead).")
    var coalitionTimeLimit: Double = 2

    @Flag(help: "No lower bound from GLPK beside the plan (it runs on a second thread within the time limit).")
    var noBound = false

    @Option(help: "Cooperating heuristic searches, one per core (default: the cores the bound leaves free, 1 to 4).")
    var workers: Int?

    @Flag(help: "No progress line.")
    var quiet = false

    func validate() throws {
        guard ServiceDate(parsing: date) != nil else { throw ValidationError("--date must be a date YYYY-MM-DD, not '\(date)'.") }
        guard timeLimit.isFinite, timeLimit > 0, timeLimit <= 3_600 else { throw ValidationError("--time-limit must be between 0 and 3600 seconds.") }
        if let iterations, iterations < 0 { throw ValidationError("--iterations must not be negative.") }
        if let now, TimeText.seconds(ofClock: now) == nil { throw ValidationError("--now must be a time HH:MM or HH:MM:SS, not '\(now)'.") }
        if pin && now == nil { throw ValidationError("--pin needs --now.") }
        if let workers, !(1...16).contains(workers) { throw ValidationError("--workers must be a whole number from 1 to 16.") }
        if compareStandalone && now != nil { throw ValidationError("--compare-standalone compares whole days; it cannot be used with --now.") }
        guard coalitionTimeLimit.isFinite, coalitionTimeLimit > 0, coalitionTimeLimit <= 600 else {
            throw ValidationError("--coalition-time-limit must be between 0 and 600 seconds.")
        }
    }

    func run() async throws {
        let serviceDate = ServiceDate(parsing: date)!
        let serviceZone = try ServiceZone.load(zonePath: zone)
        let opened = try await openStore(store)
        let count = try await opened.bookings(serviceDate: serviceDate.description, municipality: nil, createdBy: nil).count
        guard count > 0 else {
            print("No bookings for \(serviceDate) in \(opened.location): nothing to plan.")
            return
        }
        let progress = ProgressLine(enabled: !quiet)
        var strategy = SolveStrategy(solver)
        strategy.bound = !noBound
        strategy.workers = workers
        let outcome = try await PlanRun.run(store: opened, zone: serviceZone, date: serviceDate, strategy: strategy,
                                            limits: SolveLimits(timeLimit: iterations == nil ? .milliseconds(Int64(timeLimit * 1000)) : nil,
                                                                iterationLimit: iterations, seed: seed), holder: "cli",
                                            replan: now.flatMap { TimeText.seconds(ofClock: $0) }.map { Replanning.Options(now: $0, pin: pin) }) { point in
            progress.show("\(point.phase) \(String(format: "%.1f", point.seconds)) s  served \(point.served)  driving \(String(format: "%.1f", Double(point.cost) / 3600)) h")
        }
        progress.clear()
        var comparison: WideAreaComparison.Report?
        if compareStandalone {
            progress.show("comparing coalitions of municipalities…")
            let limits = SolveLimits(timeLimit: iterations == nil ? .milliseconds(Int64(coalitionTimeLimit * 1000)) : nil,
                                     iterationLimit: iterations, seed: seed)
            comparison = try await WideAreaComparison.compare(loaded: outcome.loaded, zone: serviceZone, jointPlan: outcome.plan, limits: limits)
            progress.clear()
        }
        var text: String
        switch format {
        case .table: text = PlanText.table(outcome, zone: serviceZone)
        case .json: text = try PlanText.json(outcome.document)
        case .csv: text = PlanText.csv(outcome, zone: serviceZone)
        case .geojson: text = try PlanGeoJSON.render(outcome)
        case .html: text = PlanHTML.render(outcome, zone: serviceZone)
        }
        if let comparison {
            switch format {
            case .table: text += "\n" + comparison.text(zone: serviceZone)
            case .json:
                // The plan document with the comparison beside it.
                text = try encodeJSON(PlanAndComparison(plan: outcome.document, wideArea: comparison)) + "\n"
            default:
                FileHandle.standardError.write(Data(comparison.text(zone: serviceZone).utf8))
            }
        }
        try output.write(text, what: "plan \(serviceDate) v\(outcome.version)")
        try PlanCommand.checkPromises(outcome)
    }

    /// Exit code 4 (after the plan is stored and printed) when the plan breaks promises.
    static func checkPromises(_ outcome: PlanRun.Outcome) throws {
        guard let broken = outcome.document.brokenPromises, !broken.isEmpty else { return }
        throw CLIError.brokenPromises("plan \(outcome.document.date) v\(outcome.version) is stored but breaks \(broken.count) promised pickup window(s): "
            + broken.prefix(3).map { "\($0.bookingId) (\($0.reason))" }.joined(separator: ", ") + (broken.count > 3 ? ", …" : "")
            + "; phone these passengers")
    }
}

/// `plan --compare-standalone --format json`: the plan document and the comparison beside it.
struct PlanAndComparison<Comparison: Encodable>: Encodable {
    var plan: DayPlanDocument
    var wideArea: Comparison

    enum CodingKeys: String, CodingKey { case plan, wideArea = "wide_area" }
}
