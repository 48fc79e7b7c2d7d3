import ArgumentParser
import DispatchWire
import RoadNetwork

struct NetworkInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Describe a network file.")

    @Argument(help: "The network file (.dnet).")
    var network: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let (graph, hierarchy) = try NetworkFile.loadNetwork(path: network)
        let summary = NetworkSummary(graph: graph, hierarchy: hierarchy)
        print(format == .json ? try encodeJSON(summary) : summary.text)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
