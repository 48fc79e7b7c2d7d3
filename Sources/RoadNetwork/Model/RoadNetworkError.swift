/// Everything that can go wrong in the road-network module, each case with a message for people.
public enum RoadNetworkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file could not be opened or read.
    case cannotRead(path: String, reason: String)
    /// A file could not be written.
    case cannotWrite(path: String, reason: String)
    /// The file's name or first bytes name no format this build reads.
    case unknownFileType(path: String)
    /// A PBF, XML, zip or tile file is damaged or not what it claims to be.
    case corruptFile(path: String, reason: String)
    /// The PBF file needs a feature this reader does not implement (e.g. lzma blobs, history files).
    case unsupportedFeature(path: String, feature: String)
    /// A network file written by another version of the format.
    case formatVersionMismatch(path: String, found: UInt32, expected: UInt32)
    /// The input holds no routable road.
    case noRoutableRoads(path: String)
    /// A coordinate is farther from every open road than the snapping limit.
    case pointTooFarFromRoad(Coordinate, nearestMetres: Double?, limitMetres: Double)
    /// A coordinate lies outside the valid latitude/longitude range.
    case invalidCoordinate(String)
    /// A date is not a valid YYYY-MM-DD calendar date.
    case invalidDate(String)
    /// A line in a closure list cannot be understood.
    case invalidClosure(path: String, line: Int, reason: String)
    /// A closure names a way, node pair or place that the network does not contain.
    case closureNotFound(path: String, line: Int, what: String)
    /// A line of a points file cannot be understood.
    case invalidPoints(path: String, line: Int, reason: String)
    /// Invalid parameters for the synthetic network generator.
    case invalidGeneratorParameters(String)
    /// Compressed input inflates to more bytes than the reader allows (a decompression bomb).
    case inflatedTooLarge(path: String, limit: Int)

    public var description: String {
        switch self {
        case let .cannotRead(path, reason): "Cannot read \(path): \(reason)."
        case let .cannotWrite(path, reason): "Cannot write \(path): \(reason)."
        case let .unknownFileType(path):
            "\(path) is neither an OpenStreetMap .osm.pbf nor an .osm XML file (nor a .dnet network file)."
        case let .corruptFile(path, reason): "\(path) is damaged or truncated: \(reason)."
        case let .unsupportedFeature(path, feature): "\(path) needs \(feature), which this reader does not support."
        case let .formatVersionMismatch(path, found, expected):
            "\(path) was written in network format version \(found); this build reads version \(expected). Re-import it with `dispatch network import`."
        case let .noRoutableRoads(path): "\(path) contains no road that a vehicle may drive on."
        case let .pointTooFarFromRoad(c, nearest, limit):
            if let nearest {
                "The point \(c) is \(metres(nearest)) m from the nearest open road; the limit is \(metres(limit)) m."
            } else {
                "The point \(c) is more than \(metres(limit)) m from every open road of the network."
            }
        case let .invalidCoordinate(text): "'\(text)' is not a coordinate; write LAT,LON in decimal degrees, e.g. 42.5078,1.5211."
        case let .invalidDate(text): "'\(text)' is not a date; write YYYY-MM-DD, e.g. 2026-12-01."
        case let .invalidClosure(path, line, reason): "\(path), line \(line): \(reason)."
        case let .closureNotFound(path, line, what): "\(path), line \(line): the network has no \(what)."
        case let .invalidPoints(path, line, reason): "\(path), line \(line): \(reason)."
        case let .invalidGeneratorParameters(reason): "Invalid generator parameters: \(reason)."
        case let .inflatedTooLarge(path, limit):
            "\(path) inflates to more than \(limit / 1_048_576) MiB, more than a compressed OSM file of its size can hold; "
                + "it may be a decompression bomb. If it is genuine, decompress it yourself and import the .osm file."
        }
    }

    /// Whether the error is caused by the user's input (exit code 2) rather than by the program.
    public var isBadInput: Bool {
        switch self {
        case .cannotWrite: false
        default: true
        }
    }
}

/// Whole metres for messages; never traps on infinite or huge values.
func metres(_ value: Double) -> String {
    value.isFinite && abs(value) < 1e15 ? String(Int64(value.rounded())) : "\(value)"
}
