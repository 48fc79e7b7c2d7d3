import ArgumentParser
import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

struct StandingCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel",
                                                    abstract: "Cancel a standing booking and its bookings after now (those before stay as they are).")

    @Argument(help: "The standing booking's id (sb-…).")
    var id: String

    @OptionGroup var options: StandingOptions

    @Option(help: "table or json.")
    var format: StandingCommand.Format = .table

    @OptionGroup var output: OutputOption

    func run() async throws {
        let (zone, store, desk) = try await options.load()
        guard let standing = try await store.standingBooking(id: id) else { throw CLIError.badInput("there is no standing booking \(id)") }
        let today = options.today(zone)
        let cancelled = try await desk.cancel(standing, actor: "cli", today: today)
        let record = try await store.standingBooking(id: id) ?? standing
        switch format {
        case .json:
            try output.write(String(decoding: try await StandingJSON.document(record, desk: desk, today: today.date).bytes, as: UTF8.self) + "\n")
        case .table:
            try output.write("cancelled \(id) and \(cancelled.count) future booking\(cancelled.count == 1 ? "" : "s")"
                             + cancelled.map { "\n  \($0.serviceDate)  \($0.id)" }.joined() + "\n")
        }
    }
}
