import ArgumentParser
import DispatchWire
import RoadNetwork

struct NetworkRouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "route", abstract: "Fastest route between two coordinates.")

    @Argument(help: "The network file (.dnet).")
    var network: String

    @Option(help: "Start as LAT,LON in decimal degrees.")
    var from: String

    @Option(help: "Destination as LAT,LON in decimal degrees.")
    var to: String

    @OptionGroup var roads: RoadConditionOptions

    @Option(help: "table or json (json adds the GeoJSON geometry).")
    var format: NetworkInfoCommand.Format = .table

    @OptionGroup var output: OutputOption

    func validate() throws {
        if Coordinate(parsing: Substring(from)) == nil { throw ValidationError(RoadNetworkError.invalidCoordinate(from).description) }
        if Coordinate(parsing: Substring(to)) == nil { throw ValidationError(RoadNetworkError.invalidCoordinate(to).description) }
    }

    func run() async throws {
        let graph = try NetworkFile.load(path: network)
        let day = roads.serviceDate
        let closed = try roads.closedArcs(in: graph)
        let index = SnapIndex(graph: graph)
        let source = try index.snap(Coordinate(parsing: Substring(from))!, in: graph, closed: closed, maxDistanceMetres: roads.maxSnap)
        let target = try index.snap(Coordinate(parsing: Substring(to))!, in: graph, closed: closed, maxDistanceMetres: roads.maxSnap)
        guard let route = ShortestPathQuery(graph: graph).route(from: source, to: target, closed: closed) else {
            throw CLIError.noRoute("No road connects \(from) to \(to)\(day.map { " on \($0) (closures apply)" } ?? "").")
        }
        let summary = RouteSummary(route: route, from: source, to: target, date: day, includeGeometry: format == .json)
        try output.write(format == .json ? try encodeJSON(summary) : summary.text, what: "route")
    }
}
