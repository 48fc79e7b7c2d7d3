import ArgumentParser
import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

struct StandingListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the standing bookings.")

    @Option(help: "Only active or cancelled ones.")
    var status: StandingStatus?

    @OptionGroup var options: StandingOptions

    @Option(help: "table or json.")
    var format: StandingCommand.Format = .table

    @OptionGroup var output: OutputOption

    func run() async throws {
        let (_, store, _) = try await options.load()
        let records = try await store.standingBookings(municipality: nil, createdBy: nil, status: status)
        switch format {
        case .json:
            let document: JSONValue = ["standing_bookings": .array(records.map { .object(StandingJSON.pattern($0)) })]
            try output.write(String(decoding: document.bytes, as: UTF8.self) + "\n")
        case .table:
            try output.write(records.isEmpty ? "no standing bookings\n" : records.map { StandingTable.pattern(StandingJSON.pattern($0)) }.joined(separator: "\n") + "\n")
        }
    }
}
