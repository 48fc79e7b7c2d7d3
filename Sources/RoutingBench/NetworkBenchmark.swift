import RoadNetwork

/// `dispatch bench routing NET …`: one row per network, measured in one run. A `.dnet` file is
/// loaded (its stored hierarchy is not used: the CH is built and timed here); an OpenStreetMap
/// file (`.osm.pbf`, `.osm`) is imported, and the import is timed instead of the load.
public struct NetworkBenchmark: Sendable {
    public struct Row: Codable, Sendable, Equatable {
        /// The file's name, as given.
        public var network: String
        /// `load` for a network file, `import` for an OpenStreetMap file.
        public var source: String
        /// Seconds to load or import the network.
        public var load_s: Double
        public var figures: RoutingBenchmark.Result

        enum CodingKeys: String, CodingKey { case network, source, load_s }

        public init(network: String, source: String, load_s: Double, figures: RoutingBenchmark.Result) {
            self.network = network
            self.source = source
            self.load_s = load_s
            self.figures = figures
        }

        // One flat object per network: the name and load time beside the benchmark's figures.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(network, forKey: .network)
            try container.encode(source, forKey: .source)
            try container.encode(load_s, forKey: .load_s)
            try figures.encode(to: encoder)
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            network = try container.decode(String.self, forKey: .network)
            source = try container.decode(String.self, forKey: .source)
            load_s = try container.decode(Double.self, forKey: .load_s)
            figures = try RoutingBenchmark.Result(from: decoder)
        }
    }

    public var benchmark: RoutingBenchmark

    public init(benchmark: RoutingBenchmark) { self.benchmark = benchmark }

    /// Loads or imports `path` and measures it.
    public func measure(path: String) throws -> Row {
        let isNetworkFile = path.hasSuffix(".dnet")
        var graph: RoadGraph?
        let loadSeconds = try timed { graph = isNetworkFile ? try NetworkFile.load(path: path) : try NetworkImporter.importNetwork(path: path).graph }
        return Row(network: path, source: isNetworkFile ? "load" : "import", load_s: (loadSeconds * 1000).rounded() / 1000,
                   figures: benchmark.run(graph!))
    }
}

func timed(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}
