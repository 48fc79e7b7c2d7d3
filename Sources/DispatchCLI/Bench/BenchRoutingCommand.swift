import ArgumentParser
import DispatchWire
import RoadNetwork
import RoutingBench

struct BenchRoutingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routing",
        abstract: "Contraction hierarchies against Dijkstra on one network: build time, query time, tables, memory, mismatches (one JSON object)."
    )

    @Argument(help: "The network file (.dnet).")
    var network: String

    @Option(help: "Random point-to-point queries.")
    var queries: Int = 1_000

    @Option(help: "Table size M (an M × M table).")
    var table: Int = 1_000

    @Option(help: "Worker threads for tables.")
    var threads: Int = 2

    @Option(help: "Random seed for the queries.")
    var seed: UInt64 = 1

    func validate() throws {
        if queries < 1 { throw ValidationError("--queries must be at least 1.") }
        if table < 1 { throw ValidationError("--table must be at least 1.") }
        if threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() async throws {
        let graph = try NetworkFile.load(path: network)
        let result = RoutingBenchmark(queries: queries, tableSize: table, seed: seed, threads: threads).run(graph)
        print(try encodeJSON(result, pretty: false))
    }
}
