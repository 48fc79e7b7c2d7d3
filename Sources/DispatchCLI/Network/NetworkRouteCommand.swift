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

    @Option(help: "Route on the network as it is on this date (YYYY-MM-DD): seasonal and listed closures apply.")
    var date: String?

    @Option(help: "An extra closure list (CSV: road,from,to,reason); needs --date.")
    var closures: String?

    @Option(help: "How far a point may lie from the nearest open road, in metres.")
    var maxSnap: Double = 500

    @Option(help: "Output format: text or json (json adds the GeoJSON geometry).")
    var format: OutputFormat = .text

    func validate() throws {
        if Coordinate(parsing: Substring(from)) == nil { throw ValidationError(RoadNetworkError.invalidCoordinate(from).description) }
        if Coordinate(parsing: Substring(to)) == nil { throw ValidationError(RoadNetworkError.invalidCoordinate(to).description) }
        if let date, ServiceDate(parsing: date) == nil { throw ValidationError(RoadNetworkError.invalidDate(date).description) }
        if closures != nil && date == nil { throw ValidationError("--closures needs --date, the day to route on.") }
        if !(maxSnap > 0) { throw ValidationError("--max-snap must be a positive number of metres.") }
    }

    func run() async throws {
        let graph = try NetworkFile.load(path: network)
        let day = date.flatMap { ServiceDate(parsing: $0) }
        let extra = try closures.map { try ClosureList.load(path: $0, graph: graph) } ?? []
        let closed = graph.closedArcs(on: day, extra: extra)
        let index = SnapIndex(graph: graph)
        let source = try index.snap(Coordinate(parsing: Substring(from))!, in: graph, closed: closed, maxDistanceMetres: maxSnap)
        let target = try index.snap(Coordinate(parsing: Substring(to))!, in: graph, closed: closed, maxDistanceMetres: maxSnap)
        guard let route = ShortestPathQuery(graph: graph).route(from: source, to: target, closed: closed) else {
            throw CLIError.noRoute("No road connects \(from) to \(to)\(day.map { " on \($0) (closures apply)" } ?? "").")
        }
        let summary = RouteSummary(route: route, from: source, to: target, date: day, includeGeometry: format == .json)
        print(format == .json ? try encodeJSON(summary) : summary.text)
    }
}
