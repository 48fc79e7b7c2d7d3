import Foundation
import NetworkGeneration
import RoadNetwork
import RoutingBench

// Routing benchmark (issue 2): import time, size in memory and Dijkstra throughput per network.
// Every ratio compares two figures measured in this same run on the same machine:
//   import_vs_inflate  = full import (PBF decode + graph build) / zlib inflate of every block alone
//   dijkstra_speedup   = textbook Dijkstra (adjacency lists of tuples, fresh arrays per query) / ours
//   CH figures: RoutingBench.RoutingBenchmark (the same code as `dispatch bench routing`), CH against Dijkstra.
// Usage: swift run -c release RoutingBenchmarks [--queries N] [--scaling 10000,100000,1000000] [FILE.osm.pbf|FILE.dnet ...]
//        swift run RoutingBenchmarks --memory [...]   (sizes only, no timing: any build configuration gives the same bytes)

let arguments = Array(CommandLine.arguments.dropFirst())
var queries = 2_000
var files: [String] = []
var scaling: [Int] = []
var memoryOnly = false
var i = 0
while i < arguments.count {
    if arguments[i] == "--memory" { memoryOnly = true; i += 1 }
    else if arguments[i] == "--queries", i + 1 < arguments.count, let n = Int(arguments[i + 1]) { queries = n; i += 2 }
    else if arguments[i] == "--scaling", i + 1 < arguments.count {
        scaling = arguments[i + 1].split(separator: ",").compactMap { Int($0) }
        i += 2
    } else { files.append(arguments[i]); i += 1 }
}
if files.isEmpty && scaling.isEmpty {
    let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/networks")
    for name in ["andorra-latest.osm.pbf", "liechtenstein-latest.osm.pbf", "andorra.osm.pbf"] {
        let p = shared.appendingPathComponent(name).path
        if FileManager.default.fileExists(atPath: p) { files.append(p) } else { print("note: \(p) is absent; skipped") }
    }
    let zone = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Networks/default-zone.dnet").path
    if FileManager.default.fileExists(atPath: zone) { files.append(zone) } else { print("note: \(zone) is absent; skipped") }
}

// Memory: the CH index against what its queries read and against the graph's routing core.
if memoryOnly {
    func kib(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1024) }
    func ratio(_ a: Int, _ b: Int) -> String { String(format: "%.2f", Double(a) / Double(b)) }
    var graphs: [(String, RoadGraph)] = []
    for file in files {
        let name = (file as NSString).lastPathComponent
        graphs.append((name, file.hasSuffix(".dnet") ? try NetworkFile.load(path: file) : try NetworkImporter.importNetwork(path: file).graph))
    }
    for target in scaling {
        graphs.append(("generated \(target)", try RoadGraphBuilder().build(try MountainNetworkGenerator.scalable(targetNodes: target, seed: 1).osm).graph))
    }
    print("| network | nodes | arcs | graph core KiB | whole graph KiB | backward CSR (no longer kept) KiB | CH index KiB | CH time query KiB | CH time + distance KiB | CH index ÷ time query | CH index ÷ time + distance | CH index ÷ graph core | CH time query ÷ graph core |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (name, graph) in graphs {
        let backward = 4 * (graph.nodeCount + 1 + 2 * graph.arcCount)   // firstIn, tail, inArc (Int32 each)
        let ch = ContractionHierarchyBuilder().build(graph)
        print("| \(name) | \(graph.nodeCount) | \(graph.arcCount) | \(kib(graph.routingCoreBytes)) | \(kib(graph.memoryBytes)) | \(kib(backward)) | \(kib(ch.memoryBytes)) | "
            + "\(kib(ch.timeQueryBytes)) | \(kib(ch.distanceQueryBytes)) | \(ratio(ch.memoryBytes, ch.timeQueryBytes)) | "
            + "\(ratio(ch.memoryBytes, ch.distanceQueryBytes)) | \(ratio(ch.memoryBytes, graph.routingCoreBytes)) | \(ratio(ch.timeQueryBytes, graph.routingCoreBytes)) |")
    }
    exit(0)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

/// Textbook Dijkstra: array-of-arrays adjacency, a binary heap of tuples, distances allocated per query.
struct TextbookDijkstra {
    let adjacency: [[(to: Int, weight: Int)]]
    init(_ g: RoadGraph) {
        var adj = [[(to: Int, weight: Int)]](repeating: [], count: g.nodeCount)
        for v in 0 ..< g.nodeCount {
            for a in Int(g.firstOut[v]) ..< Int(g.firstOut[v + 1]) { adj[v].append((Int(g.head[a]), Int(g.travelTime[a]))) }
        }
        adjacency = adj
    }
    func time(from s: Int, to t: Int) -> Int? {
        var dist = [Int](repeating: .max, count: adjacency.count)
        var heap: [(Int, Int)] = [(0, s)]
        dist[s] = 0
        while !heap.isEmpty {
            heap.swapAt(0, heap.count - 1)
            let (d, v) = heap.removeLast()
            var i = 0
            while true {
                var c = 2 * i + 1
                if c >= heap.count { break }
                if c + 1 < heap.count && heap[c + 1].0 < heap[c].0 { c += 1 }
                if heap[i].0 <= heap[c].0 { break }
                heap.swapAt(i, c); i = c
            }
            if d > dist[v] { continue }
            if v == t { return d }
            for (w, weight) in adjacency[v] where d + weight < dist[w] {
                dist[w] = d + weight
                heap.append((d + weight, w))
                var j = heap.count - 1
                while j > 0 && heap[(j - 1) / 2].0 > heap[j].0 { heap.swapAt(j, (j - 1) / 2); j = (j - 1) / 2 }
            }
        }
        return nil
    }
}

struct Row: Codable {
    var network: String
    var nodes: Int
    var arcs: Int
    var import_s: Double?
    var inflate_only_s: Double?
    var import_vs_inflate: Double?
    var graph_mib: Double
    var dijkstra_queries_per_s: Double
    var textbook_queries_per_s: Double
    var dijkstra_speedup: Double
    var mean_settled_nodes: Double
    var one_to_all_ms: Double
}

var rows: [Row] = []
var chRows: [(String, RoutingBenchmark.Result)] = []
for file in files {
    let name = (file as NSString).lastPathComponent
    var graph: RoadGraph
    var importSeconds: Double?
    var inflateSeconds: Double?
    if file.hasSuffix(".dnet") {
        graph = try NetworkFile.load(path: file)
    } else {
        var g: RoadGraph?
        importSeconds = median(try (0 ..< 3).map { _ in try seconds { g = try NetworkImporter.importNetwork(path: file).graph } })
        graph = g!
        inflateSeconds = median(try (0 ..< 3).map { _ in try seconds { _ = try PBFReader.inflateAllBlocks(path: file) } })
    }
    var state: UInt64 = 42
    func nextNode() -> Int32 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int32(truncatingIfNeeded: (state >> 33) % UInt64(graph.nodeCount))
    }
    let pairs = (0 ..< queries).map { _ in (nextNode(), nextNode()) }
    let query = ShortestPathQuery(graph: graph)
    var ours: [Int32?] = []
    var settled = 0
    let oursSeconds = seconds {
        for (s, t) in pairs { ours.append(query.time(from: s, to: t)); settled += query.settledCount }
    }
    let textbook = TextbookDijkstra(graph)
    var theirs: [Int?] = []
    let textbookSeconds = seconds { for (s, t) in pairs { theirs.append(textbook.time(from: Int(s), to: Int(t))) } }
    precondition(zip(ours, theirs).allSatisfy { $0.map(Int.init) == $1 }, "Dijkstra answers differ from the textbook baseline")
    let allSeconds = seconds { for s in pairs.prefix(100) { _ = query.timesFromNode(s.0) } }
    let row = Row(network: name, nodes: graph.nodeCount, arcs: graph.arcCount,
                  import_s: importSeconds, inflate_only_s: inflateSeconds,
                  import_vs_inflate: importSeconds.flatMap { i in inflateSeconds.map { i / $0 } },
                  graph_mib: Double(graph.memoryBytes) / 1_048_576,
                  dijkstra_queries_per_s: Double(queries) / oursSeconds,
                  textbook_queries_per_s: Double(queries) / textbookSeconds,
                  dijkstra_speedup: textbookSeconds / oursSeconds,
                  mean_settled_nodes: Double(settled) / Double(queries),
                  one_to_all_ms: allSeconds / 100 * 1000)
    rows.append(row)
    let ch = RoutingBenchmark(queries: 1_000, tableSize: 1_000, seed: 1, threads: 2).run(graph)
    chRows.append((name, ch))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(row), as: UTF8.self))
    print(String(decoding: try encoder.encode(ch), as: UTF8.self))
}

var scalingRows: [(Int, Int, Double, Double, RoutingBenchmark.Result)] = []
for target in scaling {
    var generated: GeneratedNetwork?
    let generateSeconds = try seconds { generated = try MountainNetworkGenerator.scalable(targetNodes: target, seed: 1) }
    var graph: RoadGraph?
    let buildSeconds = try seconds { graph = try RoadGraphBuilder().build(generated!.osm).graph }
    generated = nil
    let result = RoutingBenchmark(queries: 200, tableSize: 100, seed: 1, threads: 2).run(graph!)
    scalingRows.append((target, graph!.nodeCount, generateSeconds, buildSeconds, result))
    print("scaling \(target): " + String(decoding: try JSONEncoder().encode(result), as: UTF8.self))
}

func f(_ v: Double?, _ digits: Int = 2) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "–" }
print("\n| network | nodes | arcs | import s | inflate-only s | import ÷ inflate | graph MiB | Dijkstra q/s | textbook q/s | speed-up | settled/query | one-to-all ms |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows {
    print("| \(r.network) | \(r.nodes) | \(r.arcs) | \(f(r.import_s)) | \(f(r.inflate_only_s)) | \(f(r.import_vs_inflate, 1)) | \(f(r.graph_mib)) | \(f(r.dijkstra_queries_per_s, 0)) | \(f(r.textbook_queries_per_s, 0)) | \(f(r.dijkstra_speedup, 1))× | \(f(r.mean_settled_nodes, 0)) | \(f(r.one_to_all_ms, 3)) |")
}

if !chRows.isEmpty {
    print("\n| network | nodes | CH build s | shortcuts | Dijkstra µs | CH µs | speed-up | settled Dijkstra / CH | 1000² table ms | 1000 one-to-all ms | table speed-up | CH bytes ÷ graph core | CH bytes ÷ whole graph | mismatches |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (name, r) in chRows {
        print("| \(name) | \(r.nodes) | \(f(r.ch_build_s, 3)) | \(r.ch_shortcuts) | \(f(r.dijkstra_query_us, 1)) | \(f(r.ch_query_us, 2)) | \(f(r.speedup, 0))× | \(f(r.dijkstra_settled_per_query, 0)) / \(f(r.ch_settled_per_query, 0)) | \(f(r.table_ms, 1)) | \(f(r.dijkstra_table_ms, 0)) | \(f(r.table_speedup, 1))× | \(f(r.ch_memory_ratio, 2)) | \(f(Double(r.ch_bytes) / Double(r.graph_bytes), 2)) | \(r.mismatches) |")
    }
}
if !scalingRows.isEmpty {
    print("\n| target nodes | graph nodes | arcs | generate s | graph build s | CH build s | shortcuts | Dijkstra µs | CH µs | speed-up | 100² table ms | 100 one-to-all ms | table speed-up | CH bytes ÷ graph core | mismatches |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (target, nodes, gen, build, r) in scalingRows {
        print("| \(target) | \(nodes) | \(r.arcs) | \(f(gen, 1)) | \(f(build, 1)) | \(f(r.ch_build_s, 1)) | \(r.ch_shortcuts) | \(f(r.dijkstra_query_us, 0)) | \(f(r.ch_query_us, 1)) | \(f(r.speedup, 0))× | \(f(r.table_ms, 1)) | \(f(r.dijkstra_table_ms, 0)) | \(f(r.table_speedup, 0))× | \(f(r.ch_memory_ratio, 2)) | \(r.mismatches) |")
    }
}
