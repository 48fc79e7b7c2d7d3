import ArgumentParser
import DispatchPlanning
import DispatchWire
import RideRequestStore
import RoadNetwork

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Per-municipality figures over a period, from the latest whole-day plan stored for each date."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json, html }

    @Option(help: "First date, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last date (inclusive), YYYY-MM-DD.")
    var to: String

    @Option(help: "sqlite:PATH or postgres://… (as for serve).")
    var store = Defaults.store

    @Option(name: .customLong("zone"), help: "The zone file (default: the embedded zone that ships with dispatch).")
    var zoneOption: String?
    var zone: String { zoneOption ?? Defaults.zone }

    @Option(help: "table, csv (UTF-8 with BOM), json or html.")
    var format: Format = .table

    @OptionGroup var output: OutputOption

    func validate() throws {
        guard let a = ServiceDate(parsing: from) else { throw ValidationError("--from must be a date YYYY-MM-DD, not '\(from)'.") }
        guard let b = ServiceDate(parsing: to) else { throw ValidationError("--to must be a date YYYY-MM-DD, not '\(to)'.") }
        guard a <= b else { throw ValidationError("--from must not be after --to.") }
        guard PeriodReport.dates(a, b).count <= PeriodReport.maxDays else {
            throw ValidationError("a report covers at most \(PeriodReport.maxDays) days.")
        }
    }

    func run() async throws {
        let report = try await PeriodReport.make(store: try await openStore(store), zone: try ZoneFile.load(path: zone),
                                                 from: ServiceDate(parsing: from)!, to: ServiceDate(parsing: to)!)
        let text = switch format {
        case .json: try report.json()
        case .csv: report.csv()
        case .table: report.table()
        case .html: report.html()
        }
        try output.write(text, what: "report")
    }
}
