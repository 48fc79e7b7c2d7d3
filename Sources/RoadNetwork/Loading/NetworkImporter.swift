/// Entry point for reading road data: detects the file type and builds or loads a `RoadGraph`.
public enum NetworkImporter {
    public enum FileKind: Sendable { case pbf, osmXML, network }

    /// The kind of a file from its first bytes (falling back to its name).
    static func kind(of bytes: [UInt8], path: String) throws -> FileKind {
        if bytes.starts(with: NetworkFile.magic) { return .network }
        var i = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while i < bytes.count, [9, 10, 13, 32].contains(bytes[i]) { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "<") { return .osmXML }
        if bytes.starts(with: [0x1F, 0x8B]) { return .osmXML }  // gzip-compressed .osm.gz
        // A PBF file starts with a 4-byte length and a BlobHeader whose field 1 is "OSMHeader".
        if bytes.count > 6, bytes[0] == 0, bytes[1] == 0, bytes[4] == 0x0A {
            return .pbf
        }
        if path.hasSuffix(".osm.pbf") || path.hasSuffix(".pbf") { return .pbf }
        throw RoadNetworkError.unknownFileType(path: path)
    }

    /// Reads OSM data from a `.osm.pbf` or `.osm` file.
    public static func readOSM(path: String) throws -> OSMData {
        let bytes = try FileBytes.read(path: path)
        switch try kind(of: bytes, path: path) {
        case .pbf: return try PBFReader.parse(bytes: bytes, source: path)
        case .osmXML: return try OSMXMLReader.parse(bytes: bytes, source: path)
        case .network: throw RoadNetworkError.unknownFileType(path: path)
        }
    }

    /// Builds a graph from an OSM file, with optional elevation and closure list baked in.
    public static func importNetwork(path: String, builder: RoadGraphBuilder = RoadGraphBuilder(),
                                     closureListPath: String? = nil) throws -> (graph: RoadGraph, report: ImportReport) {
        let osm = try readOSM(path: path)
        var (graph, report) = try builder.build(osm)
        if let closureListPath {
            let extra = try ClosureList.load(path: closureListPath, graph: graph)
            graph = graph.addingClosures(extra)
            report.edgesWithClosures = Set(graph.closures.map(\.edge)).count
        }
        return (graph, report)
    }
}

extension RoadGraph {
    /// The same graph with more closures.
    public func addingClosures(_ extra: [EdgeClosure]) -> RoadGraph {
        RoadGraph(firstOut: firstOut, head: head, travelTime: travelTime, arcEdge: arcEdge,
                  nodeCoordinates: nodeCoordinates, nodeOSMIDs: nodeOSMIDs,
                  edgeFrom: edgeFrom, edgeTo: edgeTo, edgeLength: edgeLength, edgeWayID: edgeWayID, edgeRoadClass: edgeRoadClass,
                  edgeGeometryStart: edgeGeometryStart, geometry: geometry, geometryOSMIDs: geometryOSMIDs,
                  closures: closures + extra, metadata: metadata)
    }
}
