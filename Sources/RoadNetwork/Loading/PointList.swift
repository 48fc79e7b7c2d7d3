/// A named point of a points file (`id,lat,lon`), as given to `dispatch network table`.
public struct NamedPoint: Sendable, Equatable {
    public var id: String
    public var coordinate: Coordinate
    /// Line in the file, for messages.
    public var line: Int
}

/// Reads CSV files of points: a header `id,lat,lon`, then one point per line (decimal degrees).
public enum PointList {
    public static func load(path: String) throws -> [NamedPoint] {
        try parse(String(decoding: try FileBytes.read(path: path), as: UTF8.self), source: path)
    }

    public static func parse(_ text: String, source: String) throws -> [NamedPoint] {
        var points: [NamedPoint] = []
        var sawHeader = false
        var seen = Set<String>()
        for (offset, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = raw.trimmingSpaces()
            if offset == 0, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = ClosureList.splitCSV(line)
            if !sawHeader {
                sawHeader = true
                guard fields.map({ $0.lowercased() }) == ["id", "lat", "lon"] else {
                    throw RoadNetworkError.invalidPoints(path: source, line: offset + 1, reason: "the first line must be the header id,lat,lon")
                }
                continue
            }
            guard fields.count == 3 else {
                throw RoadNetworkError.invalidPoints(path: source, line: offset + 1, reason: "expected 3 fields (id,lat,lon), found \(fields.count)")
            }
            guard !fields[0].isEmpty else { throw RoadNetworkError.invalidPoints(path: source, line: offset + 1, reason: "the id is empty") }
            guard seen.insert(fields[0]).inserted else {
                throw RoadNetworkError.invalidPoints(path: source, line: offset + 1, reason: "the id '\(fields[0])' is used twice")
            }
            guard let lat = Double(fields[1]), let lon = Double(fields[2]), Coordinate(latitude: lat, longitude: lon).isValid else {
                throw RoadNetworkError.invalidPoints(path: source, line: offset + 1, reason: "'\(fields[1]),\(fields[2])' is not a latitude,longitude in degrees")
            }
            points.append(NamedPoint(id: fields[0], coordinate: Coordinate(latitude: lat, longitude: lon), line: offset + 1))
        }
        if points.isEmpty { throw RoadNetworkError.invalidPoints(path: source, line: 1, reason: "the file lists no points") }
        return points
    }
}
