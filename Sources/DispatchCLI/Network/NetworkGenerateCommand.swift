import ArgumentParser
import DispatchWire
import NetworkGeneration
import RoadNetwork

struct NetworkGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a synthetic mountain network: the embedded zone, or one of a given size for benchmarks.",
        discussion: "Without --nodes this writes the embedded default zone (network + zone file), as committed under Networks/."
    )

    @Option(help: "Random seed; the same seed gives byte-identical files.")
    var seed: UInt64 = 1

    @Option(help: "Approximate number of graph nodes (junctions and way ends) for a scaling network; omit for the embedded zone.")
    var nodes: Int?

    @Option(name: .shortAndLong, help: "The network file to write (.dnet).")
    var output: String

    @Option(help: "Also write the zone file (embedded zone only).")
    var zoneOutput: String?

    @Option(help: "Also write the generated OpenStreetMap data as .osm XML (for inspection in JOSM or QGIS).")
    var osmOutput: String?

    func validate() throws {
        if let nodes, nodes < 100 || nodes > 20_000_000 { throw ValidationError("--nodes must be between 100 and 20,000,000.") }
        if nodes != nil && zoneOutput != nil { throw ValidationError("--zone-output is only for the embedded zone (without --nodes).") }
    }

    func run() async throws {
        let generated = try nodes.map { try MountainNetworkGenerator.scalable(targetNodes: $0, seed: seed) }
            ?? MountainNetworkGenerator.embeddedZone(seed: seed)
        let (graph, report) = try EmbeddedZone.graph(of: generated)
        try NetworkFile.save(graph, hierarchy: ContractionHierarchyBuilder().build(graph), to: output)
        print("nodes: \(graph.nodeCount), arcs: \(graph.arcCount), edges: \(graph.edgeCount)")
        for line in report.lines { print("  " + line) }
        print("wrote \(output)")
        if let zoneOutput {
            let name = output.split(separator: "/").last.map(String.init) ?? output
            let zone = EmbeddedZone.zoneFile(of: generated, networkFileName: name,
                                             name: "Shinano valleys wide-area demand-taxi zone (fictional)")
            try zone.validate(path: zoneOutput)
            try zone.write(to: zoneOutput)
            print("wrote \(zoneOutput): \(zone.municipalities.count) municipalities, \(zone.stops.count) stops, \(zone.vehicles.count) vehicles")
        }
        if let osmOutput {
            try OSMXMLWriter.write(generated.osm, to: osmOutput)
            print("wrote \(osmOutput)")
        }
    }
}
