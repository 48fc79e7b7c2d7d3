// TEMPORARY STUB — replaced by the real reader.
public enum OSMXMLReader {
    public static func parse(bytes: [UInt8], source: String) throws -> OSMData { throw RoadNetworkError.unknownFileType(path: source) }
}
