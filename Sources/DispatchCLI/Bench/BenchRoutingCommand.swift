import ArgumentParser
import DispatchWire
import Foundation
import RoadNetwork
import RoutingBench

struct BenchRoutingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routing",
        abstract: "Contraction hierarchies against Dijkstra on one network: build time, query time, tables, memory, mismatches."
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

    @Option(help: "json (one object) or table.")
    var format: NetworkInfoCommand.Format = .json

    @OptionGroup var output: OutputOption

    func validate() throws {
        if queries < 1 { throw ValidationError("--queries must be at least 1.") }
        if table < 1 { throw ValidationError("--table must be at least 1.") }
        if threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() async throws {
        let graph = try NetworkFile.load(path: network)
        let result = RoutingBenchmark(queries: queries, tableSize: table, seed: seed, threads: threads).run(graph)
        try output.write(format == .json ? try encodeJSON(result, pretty: false) : Self.table(result), what: "benchmark result")
    }

    /// The figures for people, one per line.
    static func table(_ r: RoutingBenchmark.Result) -> String {
        func f(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }
        return """
            network           \(r.nodes) nodes, \(r.arcs) arcs
            CH build          \(f(r.ch_build_s)) s, \(r.ch_shortcuts) shortcuts
            query             Dijkstra \(f(r.dijkstra_query_us, 1)) µs, CH \(f(r.ch_query_us, 1)) µs (\(f(r.speedup, 1))× faster)
            settled per query Dijkstra \(f(r.dijkstra_settled_per_query, 0)), CH \(f(r.ch_settled_per_query, 0))
            table             \(r.table_size) × \(r.table_size): CH \(f(r.table_ms, 1)) ms, Dijkstra \(f(r.dijkstra_table_ms, 1)) ms (\(f(r.table_speedup, 1))× faster, \(r.threads) threads)
            memory            CH \(r.ch_bytes) B, graph core \(r.graph_core_bytes) B, graph \(r.graph_bytes) B (CH / core \(f(r.ch_memory_ratio)))
            mismatches        \(r.mismatches)
            """
    }
}
