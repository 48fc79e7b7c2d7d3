/// Ad-hoc road closures (landslides, snow, works) from a CSV file a dispatcher can write by hand.
///
/// Format: a header line `road,from,to,reason`, then one closure per line:
/// - `road` is `way:ID` (every edge of that OSM way), `nodes:A-B` (the stretch between two
///   consecutive OSM nodes of one way), or `at:LAT;LON` (the road edge nearest that point, within 100 m);
/// - `from`, `to` are dates `YYYY-MM-DD` (inclusive);
/// - `reason` is free text shown to people (quote it with `"` if it contains a comma).
/// Empty lines and lines starting with `#` are skipped.
public enum ClosureList {
    public static func load(path: String, graph: RoadGraph) throws -> [EdgeClosure] {
        let bytes = try FileBytes.read(path: path)
        return try parse(String(decoding: bytes, as: UTF8.self), source: path, graph: graph)
    }

    public static func parse(_ text: String, source: String, graph: RoadGraph) throws -> [EdgeClosure] {
        var closures: [EdgeClosure] = []
        var sawHeader = false
        var snapIndex: SnapIndex?
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNumber = offset + 1
            var line = rawLine.trimmingSpaces()
            if offset == 0, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = splitCSV(line)
            if !sawHeader {
                sawHeader = true
                guard fields.map({ $0.lowercased() }) == ["road", "from", "to", "reason"] else {
                    throw RoadNetworkError.invalidClosure(path: source, line: lineNumber,
                        reason: "the first line must be the header road,from,to,reason")
                }
                continue
            }
            guard fields.count == 4 else {
                throw RoadNetworkError.invalidClosure(path: source, line: lineNumber, reason: "expected 4 fields (road,from,to,reason), found \(fields.count)")
            }
            guard let from = ServiceDate(parsing: fields[1]) else {
                throw RoadNetworkError.invalidClosure(path: source, line: lineNumber, reason: "'\(fields[1])' in column from is not a date YYYY-MM-DD")
            }
            guard let to = ServiceDate(parsing: fields[2]) else {
                throw RoadNetworkError.invalidClosure(path: source, line: lineNumber, reason: "'\(fields[2])' in column to is not a date YYYY-MM-DD")
            }
            guard from <= to else {
                throw RoadNetworkError.invalidClosure(path: source, line: lineNumber, reason: "the closure ends (\(to)) before it starts (\(from))")
            }
            let reason = fields[3].isEmpty ? "closure listed in \(baseName(source))" : fields[3]
            let road = fields[0]
            var edges: [Int32] = []
            if road.hasPrefix("way:") {
                guard let id = Int64(road.dropFirst(4)) else {
                    throw RoadNetworkError.invalidClosure(path: source, line: lineNumber, reason: "'\(road)' is not way:ID")
                }
                edges = (0 ..< Int32(graph.edgeCount)).filter { graph.edgeWayID[Int($0)] == id }
                if edges.isEmpty { throw RoadNetworkError.closureNotFound(path: source, line: lineNumber, what: "way \(id)") }
            } else if road.hasPrefix("nodes:") {
                let parts = road.dropFirst(6).split(separator: "-")
                guard parts.count == 2, let a = Int64(parts[0]), let b = Int64(parts[1]) else {
                    throw RoadNetworkError.invalidClosure(path: source, line: lineNumber, reason: "'\(road)' is not nodes:A-B")
                }
                for e in 0 ..< graph.edgeCount {
                    let ids = graph.geometryOSMIDs[Int(graph.edgeGeometryStart[e]) ..< Int(graph.edgeGeometryStart[e + 1])]
                    if zip(ids, ids.dropFirst()).contains(where: { ($0 == a && $1 == b) || ($0 == b && $1 == a) }) {
                        edges.append(Int32(e))
                    }
                }
                if edges.isEmpty {
                    throw RoadNetworkError.closureNotFound(path: source, line: lineNumber, what: "road stretch between OSM nodes \(a) and \(b)")
                }
            } else if road.hasPrefix("at:") {
                let parts = road.dropFirst(3).split(separator: ";")
                guard parts.count == 2, let lat = Double(parts[0]), let lon = Double(parts[1]),
                      Coordinate(latitude: lat, longitude: lon).isValid else {
                    throw RoadNetworkError.invalidClosure(path: source, line: lineNumber, reason: "'\(road)' is not at:LAT;LON")
                }
                if snapIndex == nil { snapIndex = SnapIndex(graph: graph) }
                do {
                    edges = [try snapIndex!.snap(Coordinate(latitude: lat, longitude: lon), in: graph, maxDistanceMetres: 100).edge]
                } catch {
                    throw RoadNetworkError.closureNotFound(path: source, line: lineNumber, what: "road within 100 m of \(lat),\(lon)")
                }
            } else {
                throw RoadNetworkError.invalidClosure(path: source, line: lineNumber,
                    reason: "'\(road)' names no road; write way:ID, nodes:A-B or at:LAT;LON")
            }
            for e in edges { closures.append(EdgeClosure(edge: e, period: .dates(from: from, to: to), reason: reason)) }
        }
        return closures
    }

    /// Splits one CSV line; fields may be quoted with `"` (a doubled `""` is a quote).
    static func splitCSV(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" && current.isEmpty {
                quoted = true
            } else if c == "," {
                fields.append(String(Substring(current).trimmingSpaces()))
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(String(Substring(current).trimmingSpaces()))
        return fields
    }
}
