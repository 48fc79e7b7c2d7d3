import ArgumentParser
import DispatchWire
import Foundation
import RoadNetwork

struct NetworkImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Build a routable network file from OpenStreetMap data (.osm.pbf or .osm)."
    )

    @Argument(help: "The OpenStreetMap file (.osm.pbf or .osm XML).")
    var file: String

    @Option(name: .customLong("elevation"), help: "SRTM tile(s) (.hgt or .hgt.zip) for grades; repeat for several tiles.")
    var elevation: [String] = []

    @Option(help: "A closure list (CSV: road,from,to,reason) to bake into the network.")
    var closures: String?

    @Option(name: .shortAndLong, help: "The network file to write (.dnet).")
    var output: String

    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        var builder = RoadGraphBuilder()
        if !elevation.isEmpty { builder.elevation = try ElevationModel.load(paths: elevation) }
        let (graph, report) = try NetworkImporter.importNetwork(path: file, builder: builder, closureListPath: closures)
        let importDone = clock.now
        let hierarchy = ContractionHierarchyBuilder().build(graph)
        try NetworkFile.save(graph, hierarchy: hierarchy, to: output)
        let seconds = (clock.now - start).seconds
        let chSeconds = (clock.now - importDone).seconds
        let summary = NetworkSummary(graph: graph)
        print("nodes:      \(graph.nodeCount)")
        print("arcs:       \(graph.arcCount)")
        print("components: \(report.stronglyConnectedComponents) (kept the largest)")
        print("dropped:    \(report.droppedNodes) nodes, \(report.droppedEdges) edges outside the largest component")
        print("bbox:       lon \(summary.boundingBox[0])…\(summary.boundingBox[2]), lat \(summary.boundingBox[1])…\(summary.boundingBox[3])")
        print("build time: \(String(format: "%.2f", seconds)) s (contraction hierarchy \(String(format: "%.2f", chSeconds)) s, \(hierarchy.shortcutCount) shortcuts)")
        for line in report.lines { print("  " + line) }
        print("wrote \(output)")
    }
}


extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
