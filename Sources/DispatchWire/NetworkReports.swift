import Foundation
import RoadNetwork

/// What `dispatch network info` prints, as a value shared by the CLI and (later) the server.
public struct NetworkSummary: Codable, Sendable, Equatable {
    public var source: String
    public var formatVersion: UInt32
    public var nodes: Int
    public var arcs: Int
    public var edges: Int
    public var roadKilometres: Double
    public var boundingBox: [Double]  // [minLon, minLat, maxLon, maxLat], as GeoJSON bbox
    public var memoryBytes: Int
    public var closures: [ClosureSummary]
    public var importReport: [String]
    /// Shortcuts of the stored contraction hierarchy, nil when the file has none.
    public var hierarchyShortcuts: Int?

    public struct ClosureSummary: Codable, Sendable, Equatable {
        public var wayID: Int64
        public var edges: Int
        public var period: String
        public var reason: String

        // `reason` is free text (the OSM tag or the closure list's words), so not under an enumeration key.
        enum CodingKeys: String, CodingKey { case wayID = "way_id", edges, period, reason = "description" }
    }

    enum CodingKeys: String, CodingKey {
        case source, formatVersion = "format_version", nodes, arcs, edges, roadKilometres = "road_kilometres"
        case boundingBox = "bounding_box", memoryBytes = "memory_bytes", closures, importReport = "import_report"
        case hierarchyShortcuts = "hierarchy_shortcuts"
    }

    public init(graph: RoadGraph, hierarchy: ContractionHierarchy? = nil) {
        hierarchyShortcuts = hierarchy?.shortcutCount
        source = graph.metadata.source
        formatVersion = NetworkFile.formatVersion
        nodes = graph.nodeCount
        arcs = graph.arcCount
        edges = graph.edgeCount
        roadKilometres = (Double(graph.edgeLength.reduce(0) { $0 + Int($1) }) / 100).rounded() / 10
        let box = graph.boundingBox
        boundingBox = [box.minLongitude, box.minLatitude, box.maxLongitude, box.maxLatitude].map { ($0 * 1e6).rounded() / 1e6 }
        memoryBytes = graph.memoryBytes
        // Group closures by way, period and reason.
        var groups: [ClosureSummary] = []
        for c in graph.closures {
            let way = graph.edgeWayID[Int(c.edge)]
            let period = c.period.description
            if let i = groups.firstIndex(where: { $0.wayID == way && $0.period == period && $0.reason == c.reason }) {
                groups[i].edges += 1
            } else {
                groups.append(ClosureSummary(wayID: way, edges: 1, period: period, reason: c.reason))
            }
        }
        closures = groups
        importReport = graph.metadata.report
    }

    /// Text for a person at a terminal.
    public var text: String {
        var lines = [
            "network:    \(source) (format version \(formatVersion))",
            "nodes:      \(nodes)",
            "arcs:       \(arcs)",
            "edges:      \(edges) (\(roadKilometres) km of road)",
            "bbox:       lon \(boundingBox[0])…\(boundingBox[2]), lat \(boundingBox[1])…\(boundingBox[3])",
            "memory:     \(formatBytes(memoryBytes))",
            "hierarchy:  \(hierarchyShortcuts.map { "contraction hierarchy with \($0) shortcuts" } ?? "none (re-import to add one)")",
            "closures:   \(closures.isEmpty ? "none" : "\(closures.count) (way, edges, period, reason)")",
        ]
        for c in closures.prefix(20) { lines.append("  way \(c.wayID), \(c.edges) edges, \(c.period): \(c.reason)") }
        if closures.count > 20 { lines.append("  … \(closures.count - 20) more") }
        lines.append("import:")
        lines += importReport.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

/// The answer of `dispatch network route`.
public struct RouteSummary: Codable, Sendable, Equatable {
    /// The asked points, as objects (arrays are GeoJSON [lon, lat], only in `geometry`).
    public var from: LatLon
    public var to: LatLon
    public var date: String?
    public var travelTimeSeconds: Double
    public var distanceMetres: Int
    public var snapDistanceMetres: [Double]
    public var geometry: GeoJSONLineString?

    public struct LatLon: Codable, Sendable, Equatable {
        public var lat: Double
        public var lon: Double
    }

    enum CodingKeys: String, CodingKey {
        case from, to, date, travelTimeSeconds = "travel_time_seconds", distanceMetres = "distance_metres"
        case snapDistanceMetres = "snap_distance_metres", geometry
    }

    public struct GeoJSONLineString: Codable, Sendable, Equatable {
        public var type = "LineString"
        /// [lon, lat] pairs, as GeoJSON wants.
        public var coordinates: [[Double]]
    }

    public init(route: RoadRoute, from: SnappedPoint, to: SnappedPoint, date: ServiceDate?, includeGeometry: Bool) {
        self.from = LatLon(lat: from.query.latitude, lon: from.query.longitude)
        self.to = LatLon(lat: to.query.latitude, lon: to.query.longitude)
        self.date = date?.description
        travelTimeSeconds = route.travelSeconds
        distanceMetres = route.distanceMetres
        snapDistanceMetres = [from.distanceMetres, to.distanceMetres].map { ($0 * 10).rounded() / 10 }
        geometry = includeGeometry
            ? GeoJSONLineString(coordinates: route.geometry.map { [($0.longitude * 1e7).rounded() / 1e7, ($0.latitude * 1e7).rounded() / 1e7] })
            : nil
    }

    public var text: String {
        let minutes = Int(travelTimeSeconds) / 60, seconds = Int(travelTimeSeconds) % 60
        return "travel time: \(travelTimeSeconds) s (\(minutes) min \(seconds) s)\ndistance:    \(distanceMetres) m"
    }
}


func formatBytes(_ bytes: Int) -> String {
    if bytes >= 1 << 20 { return String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
    if bytes >= 1 << 10 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
    return "\(bytes) B"
}

/// A travel-time table as printed by `dispatch network table`: seconds and metres, null where unreachable.
public struct TravelTimeTableDocument: Codable, Sendable, Equatable {
    public var ids: [String]
    public var date: String?
    /// `travelTimeSeconds[i][j]` from `ids[i]` to `ids[j]`, nil when no open road connects them.
    public var travelTimeSeconds: [[Double?]]
    public var distanceMetres: [[Int?]]

    public init(ids: [String], date: ServiceDate?, table: TravelTimeTable) {
        self.ids = ids
        self.date = date?.description
        travelTimeSeconds = (0 ..< table.sourceCount).map { i in (0 ..< table.targetCount).map { j in table.time(i, j).map { Double($0) / 10 } } }
        distanceMetres = (0 ..< table.sourceCount).map { i in (0 ..< table.targetCount).map { j in table.length(i, j).map(Int.init) } }
    }

    /// One row per pair: from,to,travel_time_s,distance_m,reachable (empty figures when unreachable).
    public var csv: String {
        var rows = ["from,to,travel_time_s,distance_m,reachable"]
        for (i, from) in ids.enumerated() {
            for (j, to) in ids.enumerated() {
                let t = travelTimeSeconds[i][j], d = distanceMetres[i][j]
                rows.append("\(CSV.text(from)),\(CSV.text(to)),\(t.map { "\($0)" } ?? ""),\(d.map { "\($0)" } ?? ""),\(t != nil)")
            }
        }
        return CSV.document(rows)
    }

    enum CodingKeys: String, CodingKey {
        case ids, date, travelTimeSeconds = "travel_time_seconds", distanceMetres = "distance_metres"
    }
}
