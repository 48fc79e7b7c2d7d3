import ArgumentParser
import RoadNetwork

/// The options that say which roads are open: a date, an extra closure list, and how far a point
/// may lie from an open road. Shared by `network route` and `network table`.
struct RoadConditionOptions: ParsableArguments {
    @Option(help: "Use the network as it is on this date (YYYY-MM-DD): seasonal and listed closures apply.")
    var date: String?

    @Option(help: "An extra closure list (CSV: road,from,to,reason); needs --date.")
    var closures: String?

    @Option(help: "How far a point may lie from the nearest open road, in metres.")
    var maxSnap: Double = 500

    func validate() throws {
        if let date, ServiceDate(parsing: date) == nil { throw ValidationError(RoadNetworkError.invalidDate(date).description) }
        if closures != nil && date == nil { throw ValidationError("--closures needs --date, the day to route on.") }
        if !(maxSnap > 0 && maxSnap <= 50_000) { throw ValidationError("--max-snap must be a number of metres above 0 and at most 50000.") }
    }

    var serviceDate: ServiceDate? { date.flatMap { ServiceDate(parsing: $0) } }

    /// Arcs closed on the chosen date (none without a date).
    func closedArcs(in graph: RoadGraph) throws -> ArcMask {
        let extra = try closures.map { try ClosureList.load(path: $0, graph: graph) } ?? []
        return graph.closedArcs(on: serviceDate, extra: extra)
    }
}
