/// Writes OpenStreetMap XML (API 0.6) that `OSMXMLReader` and other OSM tools read back.
///
/// Coordinates are printed from their E7 integers with exactly seven decimals (no floating-point
/// rounding); bounds use the shortest decimal that reads back as the same `Double`, never
/// exponent notation. Attribute values are escaped (`& < > " '`, and tab, line feed and carriage
/// return as character references so they survive attribute-value normalization). Control
/// characters that XML 1.0 cannot represent at all (U+0001–U+001F except those three) are
/// written as U+FFFD.
public enum OSMXMLWriter {
    /// A node with its tags, as the writer takes it.
    public typealias Node = (id: Int64, position: FixedCoordinate, tags: [(key: String, value: String)])

    /// The XML document for `nodes`, `ways` and optional `bounds`, in the order given.
    /// - Complexity: O(output size).
    public static func xml(nodes: [Node], ways: [OSMWay], bounds: BoundingBox?) -> String {
        String(decoding: bytes(nodes: nodes, ways: ways, bounds: bounds), as: UTF8.self)
    }

    /// The XML document for `data`: its ways, its node positions (without tags) and header box.
    /// - Complexity: O(output size).
    public static func xml(_ data: OSMData) -> String {
        String(decoding: bytes(data), as: UTF8.self)
    }

    /// Writes the document for `nodes`, `ways` and `bounds` to `path`, replacing any file there
    /// atomically (through a temporary file).
    /// - Throws: `RoadNetworkError.cannotWrite` with the system's reason.
    /// - Complexity: O(output size).
    public static func write(nodes: [Node], ways: [OSMWay], bounds: BoundingBox?, to path: String) throws {
        try FileBytes.write(bytes(nodes: nodes, ways: ways, bounds: bounds), to: path)
    }

    /// Writes the document for `data` to `path`, replacing any file there.
    /// - Throws: `RoadNetworkError.cannotWrite` with the system's reason.
    /// - Complexity: O(output size).
    public static func write(_ data: OSMData, to path: String) throws {
        try FileBytes.write(bytes(data), to: path)
    }

    // MARK: - Encoding

    static func bytes(_ data: OSMData) -> [UInt8] {
        var nodes: [Node] = []
        nodes.reserveCapacity(data.nodeIDs.count)
        for k in data.nodeIDs.indices { nodes.append((data.nodeIDs[k], data.nodePositions[k], [])) }
        return bytes(nodes: nodes, ways: data.ways, bounds: data.headerBoundingBox)
    }

    static func bytes(nodes: [Node], ways: [OSMWay], bounds: BoundingBox?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 * nodes.count + 160 * ways.count + 256)
        out.append(literal: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"dispatch\">\n")
        if let b = bounds, !b.isEmpty, b.minLatitude.isFinite, b.minLongitude.isFinite,
           b.maxLatitude.isFinite, b.maxLongitude.isFinite {
            out.append(literal: "  <bounds minlat=\"")
            appendDecimal(b.minLatitude, to: &out)
            out.append(literal: "\" minlon=\"")
            appendDecimal(b.minLongitude, to: &out)
            out.append(literal: "\" maxlat=\"")
            appendDecimal(b.maxLatitude, to: &out)
            out.append(literal: "\" maxlon=\"")
            appendDecimal(b.maxLongitude, to: &out)
            out.append(literal: "\"/>\n")
        }
        for node in nodes {
            out.append(literal: "  <node id=\"")
            appendInteger(node.id, to: &out)
            out.append(literal: "\" lat=\"")
            appendE7(node.position.latitudeE7, to: &out)
            out.append(literal: "\" lon=\"")
            appendE7(node.position.longitudeE7, to: &out)
            if node.tags.isEmpty {
                out.append(literal: "\"/>\n")
            } else {
                out.append(literal: "\">\n")
                appendTags(node.tags, to: &out)
                out.append(literal: "  </node>\n")
            }
        }
        for way in ways {
            out.append(literal: "  <way id=\"")
            appendInteger(way.id, to: &out)
            if way.nodeIDs.isEmpty && way.tags.isEmpty {
                out.append(literal: "\"/>\n")
                continue
            }
            out.append(literal: "\">\n")
            for ref in way.nodeIDs {
                out.append(literal: "    <nd ref=\"")
                appendInteger(ref, to: &out)
                out.append(literal: "\"/>\n")
            }
            appendTags(way.tags, to: &out)
            out.append(literal: "  </way>\n")
        }
        out.append(literal: "</osm>\n")
        return out
    }

    static func appendTags(_ tags: [(key: String, value: String)], to out: inout [UInt8]) {
        for tag in tags {
            out.append(literal: "    <tag k=\"")
            appendEscaped(tag.key, to: &out)
            out.append(literal: "\" v=\"")
            appendEscaped(tag.value, to: &out)
            out.append(literal: "\"/>\n")
        }
    }

    /// Appends `text` escaped for a double-quoted attribute value.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        for b in text.utf8 {
            switch b {
            case 0x26: out.append(literal: "&amp;")
            case 0x3C: out.append(literal: "&lt;")
            case 0x3E: out.append(literal: "&gt;")
            case 0x22: out.append(literal: "&quot;")
            case 0x27: out.append(literal: "&apos;")
            case 0x09: out.append(literal: "&#9;")
            case 0x0A: out.append(literal: "&#10;")
            case 0x0D: out.append(literal: "&#13;")
            case 0x00..<0x20: out.append(contentsOf: [0xEF, 0xBF, 0xBD])  // U+FFFD
            default: out.append(b)
            }
        }
    }

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }

    /// Appends `value` × 1e-7 with exactly seven decimals, e.g. 425078000 → "42.5078000".
    static func appendE7(_ value: Int32, to out: inout [UInt8]) {
        let wide = Int64(value)
        if wide < 0 { out.append(0x2D) }
        let magnitude = wide.magnitude
        appendInteger(Int64(magnitude / 10_000_000), to: &out)
        out.append(0x2E)
        var fraction = magnitude % 10_000_000
        var divisor: UInt64 = 1_000_000
        for _ in 0..<7 {
            out.append(UInt8(fraction / divisor) + 0x30)
            fraction %= divisor
            divisor /= 10
        }
    }

    /// Appends the shortest decimal that reads back as `value`, without exponent notation.
    static func appendDecimal(_ value: Double, to out: inout [UInt8]) {
        let text = "\(value)"
        guard let e = text.utf8.firstIndex(where: { $0 == 0x65 || $0 == 0x45 }) else {
            out.append(contentsOf: text.utf8)
            return
        }
        let mantissa = text.utf8[..<e]
        let exponent = Int(String(text[text.index(after: e)...])) ?? 0
        var negative = false
        var digits: [UInt8] = []
        var pointIndex = 0
        for b in mantissa {
            if b == 0x2D { negative = true }
            else if b == 0x2E { pointIndex = digits.count }
            else if b >= 0x30 && b <= 0x39 { digits.append(b) }
        }
        if !mantissa.contains(0x2E) { pointIndex = digits.count }
        let point = pointIndex + exponent  // digits before the decimal point
        if negative { out.append(0x2D) }
        if point <= 0 {
            out.append(contentsOf: [0x30, 0x2E])
            out.append(contentsOf: repeatElement(0x30, count: -point))
            out.append(contentsOf: digits)
        } else if point >= digits.count {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(0x30, count: point - digits.count))
            out.append(contentsOf: [0x2E, 0x30])
        } else {
            out.append(contentsOf: digits[..<point])
            out.append(0x2E)
            out.append(contentsOf: digits[point...])
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of a string literal without creating a `String`.
    @inline(__always)
    fileprivate mutating func append(literal: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}
