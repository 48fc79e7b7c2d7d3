import ArgumentParser
import DispatchWire
import RoadNetwork

struct NetworkInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Describe a network file.")

    @Argument(help: "The network file (.dnet).")
    var network: String

    @Option(help: "table or json.")
    var format: Format = .table

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var output: OutputOption

    func run() async throws {
        let (graph, hierarchy) = try NetworkFile.loadNetwork(path: network)
        let summary = NetworkSummary(graph: graph, hierarchy: hierarchy)
        try output.write(format == .json ? try encodeJSON(summary) : summary.text, what: "network summary")
    }
}
