import ArgumentParser
import DispatchWire
import Foundation
import RoadNetwork
import RoutingBench

struct BenchRoutingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routing",
        abstract: "Contraction hierarchies against Dijkstra on each network: load or import time, CH build, query time, tables, memory, mismatches.",
        discussion: "One row per network, all measured in one run on the same machine. A .dnet file is loaded; an OpenStreetMap file (.osm.pbf, .osm) is imported (and the import timed). Build with -c release for figures."
    )

    @Argument(help: "Network files (.dnet) or OpenStreetMap files (.osm.pbf, .osm).")
    var networks: [String]

    @Option(help: "Random point-to-point queries.")
    var queries: Int = 1_000

    @Option(help: "Table size M (an M × M table).")
    var table: Int = 1_000

    @Option(help: "Worker threads for tables.")
    var threads: Int = 2

    @Option(help: "Random seed for the queries.")
    var seed: UInt64 = 1

    @Option(help: "table, csv or json (a list with one object per network).")
    var format: Format = .table

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @OptionGroup var output: OutputOption

    func validate() throws {
        if networks.isEmpty { throw ValidationError("Name at least one network file: dispatch bench routing NET.dnet [NET.dnet …].") }
        if queries < 1 { throw ValidationError("--queries must be at least 1.") }
        if table < 1 { throw ValidationError("--table must be at least 1.") }
        if threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() async throws {
        let bench = NetworkBenchmark(benchmark: RoutingBenchmark(queries: queries, tableSize: table, seed: seed, threads: threads))
        var rows: [NetworkBenchmark.Row] = []
        for network in networks { rows.append(try bench.measure(path: network)) }
        let text = switch format {
        case .json: try encodeJSON(rows)
        case .csv: Self.csv(rows)
        case .table: Self.table(rows)
        }
        try output.write(text, what: "benchmark result")
    }

    static let headers = ["network", "nodes", "arcs", "load s", "CH build s", "shortcuts", "Dijkstra µs", "CH µs", "speed-up",
                          "table", "CH table ms", "Dijkstra table ms", "table speed-up", "CH MiB", "graph MiB", "mismatches"]

    static func cells(_ row: NetworkBenchmark.Row) -> [String] {
        let r = row.figures
        func f(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
        func mib(_ bytes: Int) -> String { f(Double(bytes) / 1_048_576, 1) }
        return [row.network, "\(r.nodes)", "\(r.arcs)", f(row.load_s, 2) + (row.source == "import" ? " (import)" : ""), f(r.ch_build_s, 2),
                "\(r.ch_shortcuts)", f(r.dijkstra_query_us, 1), f(r.ch_query_us, 1), f(r.speedup, 1), "\(r.table_size)×\(r.table_size)",
                f(r.table_ms, 1), f(r.dijkstra_table_ms, 1), f(r.table_speedup, 1), mib(r.ch_bytes), mib(r.graph_bytes), "\(r.mismatches)"]
    }

    /// The figures for people: one row per network.
    static func table(_ rows: [NetworkBenchmark.Row]) -> String {
        var table = TextTable(headers: headers, alignments: [.left] + Array(repeating: .right, count: headers.count - 1))
        for row in rows { table.append(cells(row)) }
        return table.text
    }

    static func csv(_ rows: [NetworkBenchmark.Row]) -> String {
        let names = ["network", "source", "load_s", "nodes", "arcs", "ch_build_s", "ch_shortcuts", "dijkstra_query_us", "ch_query_us", "speedup",
                     "table_size", "table_ms", "dijkstra_table_ms", "table_speedup", "ch_bytes", "graph_bytes", "mismatches"]
        return CSV.document([names.joined(separator: ",")] + rows.map { row in
            let r = row.figures
            return [CSV.text(row.network), row.source, "\(row.load_s)", "\(r.nodes)", "\(r.arcs)", "\(r.ch_build_s)", "\(r.ch_shortcuts)",
                    "\(r.dijkstra_query_us)", "\(r.ch_query_us)", "\(r.speedup)", "\(r.table_size)", "\(r.table_ms)", "\(r.dijkstra_table_ms)",
                    "\(r.table_speedup)", "\(r.ch_bytes)", "\(r.graph_bytes)", "\(r.mismatches)"].joined(separator: ",")
        })
    }
}
