import ArgumentParser
import DispatchPlanning
import DispatchWire
import RideRequestStore
import RoadNetwork

/// `dispatch plan diff`: the call list between two stored plan versions of a date.
struct PlanDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "The call list: which passengers a new plan version changes (moved vehicle, pickup moved, no longer served, served after all, broken promise) and what to tell them."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @Option(help: "The service date, YYYY-MM-DD.")
    var date: String

    @Option(help: "The earlier plan version (default: the one before --to).")
    var from: Int?

    @Option(help: "The later plan version (default: the latest).")
    var to: Int?

    @Option(help: "List pickups that moved by more than this many minutes.")
    var threshold: Int = PlanDiff.defaultThresholdMinutes

    @Option(help: "sqlite:PATH or postgres://… (as for serve).")
    var store = Defaults.store

    @Option(name: .customLong("zone"), help: "The zone file, for the municipalities' names (default: the embedded zone that ships with dispatch).")
    var zoneOption: String?
    var zone: String { zoneOption ?? Defaults.zone }

    @Option(help: "table, csv (UTF-8 with BOM, Japanese names) or json.")
    var format: Format = .table

    @OptionGroup var output: OutputOption

    func validate() throws {
        guard ServiceDate(parsing: date) != nil else { throw ValidationError("--date must be a date YYYY-MM-DD, not '\(date)'.") }
        if let from, from < 1 { throw ValidationError("--from must be a plan version (1 or more).") }
        if let to, to < 1 { throw ValidationError("--to must be a plan version (1 or more).") }
        if let from, let to, from >= to { throw ValidationError("--from must be an earlier version than --to.") }
        guard (0...1_440).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1440 minutes.") }
    }

    func run() async throws {
        let list = try await CallList.make(store: try await openStore(store), date: ServiceDate(parsing: date)!, from: from, to: to,
                                           thresholdMinutes: threshold)
        let text = switch format {
        case .json: try list.json()
        case .csv: list.csv(zone: try ZoneFile.load(path: zone))
        case .table: list.table(zone: try ZoneFile.load(path: zone))
        }
        try output.write(text, what: "call list \(list.date) v\(list.changes.fromVersion)→v\(list.toVersion)")
    }
}

/// `dispatch plan diff …` is parsed on a tree of its own: ArgumentParser decodes every command on
/// the path, so `plan`'s own options (`--date`, `--format`, `--store`, `-o`) would take the
/// arguments meant for `diff`, and `plan` requires `--date` even for `plan diff --help`.
/// `plan` still lists `diff` among its subcommands.
enum PlanDiffRoute {
    struct Root: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dispatch", subcommands: [Plan.self])
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "plan", subcommands: [PlanDiffCommand.self])
    }

    /// True for `plan diff …` and `help plan diff`.
    static func matches(_ arguments: [String]) -> Bool {
        arguments.prefix(2) == ["plan", "diff"] || arguments.prefix(3) == ["help", "plan", "diff"]
    }
}
