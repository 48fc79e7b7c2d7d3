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
        try NetworkFile.save(graph, to: output)
        let seconds = Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds)
        let summary = NetworkSummary(graph: graph)
        print("nodes:      \(graph.nodeCount)")
        print("arcs:       \(graph.arcCount)")
        print("components: \(report.stronglyConnectedComponents) (kept the largest)")
        print("dropped:    \(report.droppedNodes) nodes, \(report.droppedEdges) edges outside the largest component")
        print("bbox:       lon \(summary.boundingBox[0])…\(summary.boundingBox[2]), lat \(summary.boundingBox[1])…\(summary.boundingBox[3])")
        print("build time: \(String(format: "%.2f", seconds)) s")
        for line in report.lines { print("  " + line) }
        print("wrote \(output)")
    }
}

