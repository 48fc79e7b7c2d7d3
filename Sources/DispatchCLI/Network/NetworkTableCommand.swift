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

    @OptionGroup var roads: RoadConditionOptions

    @Option(help: "csv (one row per pair, UTF-8 with BOM) or json (matrices).")
    var format: TableFormat = .csv

    enum TableFormat: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @OptionGroup var output: OutputOption

    func run() async throws {
        let named = try PointList.load(path: points)
        let (graph, stored) = try NetworkFile.loadNetwork(path: network)
        let day = roads.serviceDate
        let closed = try roads.closedArcs(in: graph)
        let index = SnapIndex(graph: graph)
        let snapped = try named.map { p in
            do { return try index.snap(p.coordinate, in: graph, closed: closed, maxDistanceMetres: roads.maxSnap) } catch let error as RoadNetworkError {
                throw CLIError.badInput("\(points), line \(p.line) (point '\(p.id)'): \(error.description)")
            }
        }
        let hierarchy = ContractionHierarchyCache(graph: graph, base: stored).hierarchy(closed: closed)
        let table = ManyToMany.table(graph: graph, hierarchy: hierarchy, points: snapped, closed: closed)
        let result = TravelTimeTableDocument(ids: named.map(\.id), date: day, table: table)
        try output.write(format == .json ? try encodeJSON(result) : result.csv, what: "travel-time table")
    }
}
