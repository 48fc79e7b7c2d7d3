import ArgumentParser
import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

struct StandingExtendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend",
        abstract: "Book the dates of every active standing booking that entered the horizon (idempotent: a daily timer can run it)."
    )

    @OptionGroup var options: StandingOptions

    @Option(help: "table or json.")
    var format: StandingCommand.Format = .table

    @OptionGroup var output: OutputOption

    func run() async throws {
        let (zone, _, desk) = try await options.load()
        let today = options.today(zone)
        let rows = try await desk.extend(today: today).map(StandingJSON.occurrence)
        switch format {
        case .json:
            let document: JSONValue = ["date": .string(today.date.description), "occurrences": .array(rows.map(JSONValue.object))]
            try output.write(String(decoding: document.bytes, as: UTF8.self) + "\n")
        case .table:
            try output.write(StandingTable.occurrences(rows))
        }
    }
}
