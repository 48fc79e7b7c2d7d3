import Dispatch
import DispatchCore
import RoadNetwork

/// Measures CH against Dijkstra on one network, every figure in the same run on the same random
/// queries (what `dispatch bench routing` prints). Correctness is part of the measurement:
/// `mismatches` counts CH answers (point-to-point and table) that differ from Dijkstra.
public struct RoutingBenchmark: Sendable {
    public struct Result: Codable, Sendable, Equatable {
        public var nodes: Int
        public var arcs: Int
        public var ch_build_s: Double
        public var ch_shortcuts: Int
        public var dijkstra_query_us: Double
        public var ch_query_us: Double
        public var speedup: Double
        public var table_size: Int
        public var table_ms: Double
        public var dijkstra_table_ms: Double
        public var table_speedup: Double
        public var threads: Int
        /// Bytes of the CH search structure and of the graph's routing core (forward CSR + times).
        public var ch_bytes: Int
        public var graph_core_bytes: Int
        public var graph_bytes: Int
        public var ch_memory_ratio: Double
        public var mismatches: Int
        public var ch_settled_per_query: Double
        public var dijkstra_settled_per_query: Double
    }

    public var queries: Int
    public var tableSize: Int
    public var seed: UInt64
    public var threads: Int

    public init(queries: Int = 1_000, tableSize: Int = 1_000, seed: UInt64 = 1, threads: Int = 2) {
        self.queries = queries
        self.tableSize = tableSize
        self.seed = seed
        self.threads = threads
    }

    /// Runs the benchmark; builds the hierarchy unless one is given (then `ch_build_s` is 0).
    public func run(_ graph: RoadGraph, hierarchy: ContractionHierarchy? = nil) -> Result {
        var random = SeededGenerator(seed: seed)
        func randomNode() -> Int32 { Int32(random.nextInt(below: graph.nodeCount)) }
        let buildStart = DispatchTime.now().uptimeNanoseconds
        let ch = hierarchy ?? ContractionHierarchyBuilder().build(graph)
        let buildSeconds = hierarchy == nil ? Double(DispatchTime.now().uptimeNanoseconds - buildStart) / 1e9 : 0

        let pairs = (0 ..< queries).map { _ in (randomNode(), randomNode()) }
        let dijkstra = ShortestPathQuery(graph: graph)
        let chQuery = CHQuery(ch)
        var expected: [Int32?] = []
        var answers: [Int32?] = []
        var dijkstraSettled = 0, chSettled = 0
        for (s, t) in pairs {
            expected.append(dijkstra.time(from: s, to: t)); dijkstraSettled += dijkstra.settledCount
            answers.append(chQuery.time(from: s, to: t)); chSettled += chQuery.settledCount
        }
        var mismatches = zip(expected, answers).filter { $0 != $1 }.count
        // Timing: five rounds, each timing Dijkstra and then CH on the same queries, so that a change
        // of machine speed during the run hits both; the figures are the medians over the rounds.
        var dijkstraTimes: [Double] = [], chTimes: [Double] = [], ratios: [Double] = []
        for _ in 0 ..< 5 {
            let dSeconds = seconds { for (s, t) in pairs { _ = dijkstra.time(from: s, to: t) } } / Double(max(1, queries))
            var rounds = 0
            var cTotal = 0.0
            repeat {
                cTotal += seconds { for (s, t) in pairs { _ = chQuery.time(from: s, to: t) } }
                rounds += 1
            } while cTotal < 0.05 && rounds < 1000
            let cSeconds = cTotal / Double(rounds * max(1, queries))
            dijkstraTimes.append(dSeconds)
            chTimes.append(cSeconds)
            ratios.append(dSeconds / cSeconds)
        }
        func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
        let dijkstraPerQuery = median(dijkstraTimes), chPerQuery = median(chTimes)

        let m = min(tableSize, graph.nodeCount)
        let sources = (0 ..< m).map { _ in randomNode() }
        let targets = (0 ..< m).map { _ in randomNode() }
        var table: TravelTimeTable?
        let tableSeconds = seconds {
            table = ManyToMany.table(ch, sources: sources.map { [SearchSeed(node: $0)] }, targets: targets.map { [SearchSeed(node: $0)] },
                                     threads: threads)
        }
        let workers = threads
        var rows: [[Int32]] = []
        let dijkstraTableSeconds = seconds {
            rows = parallelMap(count: workers) { w -> [(Int, [Int32])] in
                let q = ShortestPathQuery(graph: graph)
                return stride(from: w, to: m, by: workers).map { i in
                    let all = q.timesFromNode(sources[i])
                    return (i, targets.map { all[Int($0)] })
                }
            }.flatMap { $0 }.sorted { $0.0 < $1.0 }.map(\.1)
        }
        for i in 0 ..< m {
            for j in 0 ..< m where table!.times[i * m + j] != rows[i][j] { mismatches += 1 }
        }
        return Result(nodes: graph.nodeCount, arcs: graph.arcCount, ch_build_s: round3(buildSeconds), ch_shortcuts: ch.shortcutCount,
                      dijkstra_query_us: round3(dijkstraPerQuery * 1e6), ch_query_us: round3(chPerQuery * 1e6),
                      speedup: round3(median(ratios)),
                      table_size: m, table_ms: round3(tableSeconds * 1e3), dijkstra_table_ms: round3(dijkstraTableSeconds * 1e3),
                      table_speedup: round3(dijkstraTableSeconds / tableSeconds), threads: threads,
                      ch_bytes: ch.memoryBytes, graph_core_bytes: graph.routingCoreBytes, graph_bytes: graph.memoryBytes,
                      ch_memory_ratio: round3(Double(ch.memoryBytes) / Double(graph.routingCoreBytes)),
                      mismatches: mismatches,
                      ch_settled_per_query: Double(chSettled) / Double(max(1, queries)),
                      dijkstra_settled_per_query: Double(dijkstraSettled) / Double(max(1, queries)))
    }
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
