import ArgumentParser
import DispatchWire
import RoadNetwork

struct NetworkTableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Travel times and distances between every pair of points (contraction hierarchies, many-to-many)."
    )

    @Argument(help: "The network file (.dnet).")
    var network: String

    @Option(help: "CSV file of points with the header id,lat,lon.")
    var points: String

    @Option(help: "Use the network as it is on this date (YYYY-MM-DD): seasonal and listed closures apply.")
    var date: String?

    @Option(help: "An extra closure list (CSV: road,from,to,reason); needs --date.")
    var closures: String?

    @Option(help: "How far a point may lie from the nearest open road, in metres.")
    var maxSnap: Double = 500

    @Option(help: "Output format: csv (one row per pair) or json (matrices).")
    var format: TableFormat = .csv

    enum TableFormat: String, ExpressibleByArgument, CaseIterable { case csv, json }

    func validate() throws {
        if let date, ServiceDate(parsing: date) == nil { throw ValidationError(RoadNetworkError.invalidDate(date).description) }
        if closures != nil && date == nil { throw ValidationError("--closures needs --date, the day to route on.") }
        if !(maxSnap > 0) { throw ValidationError("--max-snap must be a positive number of metres.") }
    }

    func run() async throws {
        let named = try PointList.load(path: points)
        let (graph, stored) = try NetworkFile.loadNetwork(path: network)
        let day = date.flatMap { ServiceDate(parsing: $0) }
        let extra = try closures.map { try ClosureList.load(path: $0, graph: graph) } ?? []
        let closed = graph.closedArcs(on: day, extra: extra)
        let index = SnapIndex(graph: graph)
        let snapped = try named.map { p in
            do { return try index.snap(p.coordinate, in: graph, closed: closed, maxDistanceMetres: maxSnap) } catch let error as RoadNetworkError {
                throw CLIError.badInput("\(points), line \(p.line) (point '\(p.id)'): \(error.description)")
            }
        }
        let hierarchy = ContractionHierarchyCache(graph: graph, base: stored).hierarchy(closed: closed)
        let table = ManyToMany.table(graph: graph, hierarchy: hierarchy, points: snapped, closed: closed)
        let result = TravelTimeTableDocument(ids: named.map(\.id), date: day, table: table)
        print(format == .json ? try encodeJSON(result) : result.csv, terminator: format == .json ? "\n" : "")
    }
}
