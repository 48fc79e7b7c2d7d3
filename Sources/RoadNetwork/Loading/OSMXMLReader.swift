#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Reads OpenStreetMap XML (`.osm`, API 0.6, optionally gzip-compressed) into `OSMData`.
///
/// A hand-written single-pass tokenizer over the raw bytes: no Foundation, no `XMLParser`, no
/// strings except for the tags of ways that may be roads. It understands the XML that OSM tools
/// write (JOSM, osmium, Osmosis, Overpass, the API): the `<?xml …?>` declaration, comments,
/// CDATA and DOCTYPE (skipped), `<osm>`, `<bounds>` (several are united, as JOSM writes one per
/// download area; the 0.5-style `<bound box=…>` too), `<node>`, `<way>` with `<nd>` and `<tag>`,
/// and `<relation>` (skipped for roads; read with its `<member>`s for `OSMFeatures`). Attribute
/// values may use single or double quotes and the five predefined entities plus `&#NN;` /
/// `&#xNN;` character references; literal tabs and line breaks in values become spaces, as XML's
/// attribute-value normalization requires.
///
/// Only ways that pass `OSMWay.isRoadCandidate` are kept, and only the positions of nodes those
/// ways reference. Objects marked `action="delete"` (JOSM) or `visible="false"` (history) are
/// skipped. Coordinates are converted to E7 integers from their decimal digits, so
/// `lat="42.5078000"` becomes exactly 425_078_000 (digits past the seventh decimal round half up).
///
/// Tags are checked for well-formedness everywhere, but entities are decoded (and so validated)
/// only where a string is needed: in the tags of ways whose keys may include `highway`.
public enum OSMXMLReader {
    /// Reads and parses the OSM XML file at `path` (plain or gzip-compressed).
    /// - Throws: `RoadNetworkError.cannotRead` when the file cannot be read, `.corruptFile` when it
    ///   is not well-formed (the reason names the line), `.unknownFileType` when it is not OSM XML.
    /// - Complexity: O(b + n log n) for b bytes and n nodes.
    public static func read(path: String, maxInflatedBytes: Int? = nil) throws -> OSMData {
        try parse(bytes: try FileBytes.read(path: path), source: path, maxInflatedBytes: maxInflatedBytes)
    }

    /// The most bytes gzip-compressed input of `compressedBytes` bytes may inflate to unless the
    /// caller says otherwise: 64 times its size (OSM XML compresses about 10 to 15 times), at least
    /// 64 MiB (small files) and at most 4 GiB (the reader holds the whole document in memory).
    public static func defaultInflatedLimit(compressedBytes: Int) -> Int {
        min(4 << 30, max(64 << 20, compressedBytes.multipliedReportingOverflow(by: 64).overflow ? Int.max : compressedBytes * 64))
    }

    /// Parses OSM XML held in memory; `source` names it in errors and in `OSMData.source`.
    /// Gzip-compressed input (`.osm.gz`) is recognised by its first bytes and inflated first.
    /// Inflating stops with `.inflatedTooLarge` past `maxInflatedBytes` (default
    /// `defaultInflatedLimit(compressedBytes:)`), so a small gzip bomb cannot exhaust memory.
    /// - Throws: `RoadNetworkError.corruptFile` (with the line number), `.unknownFileType`,
    ///   `.inflatedTooLarge`, or `.unsupportedFeature` for osmChange files.
    /// - Complexity: O(b + n log n) for b bytes and n nodes.
    public static func parse(bytes: [UInt8], source: String, maxInflatedBytes: Int? = nil) throws -> OSMData {
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
            let limit = maxInflatedBytes ?? defaultInflatedLimit(compressedBytes: bytes.count)
            // The same limit for a gzip stream inside the gzip stream.
            return try parse(bytes: try gunzip(bytes, path: source, limit: limit), source: source, maxInflatedBytes: limit)
        }
        return try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                throw RoadNetworkError.corruptFile(path: source, reason: "the file is empty")
            }
            var parser = Parser(base: base, count: buffer.count, source: source)
            return try parser.run()
        }
    }

    /// Parses OSM XML for `OSMFeatures`: every node and way, the tags of nodes, and relations with
    /// their members; then keeps what `OSMFeatureElements` describes. Same errors as `parse`.
    /// - Complexity: O(b + e log e) for b bytes and e elements.
    static func parseFeatureElements(bytes: [UInt8], source: String) throws -> OSMFeatureElements {
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
            let limit = defaultInflatedLimit(compressedBytes: bytes.count)
            return try parseFeatureElements(bytes: try gunzip(bytes, path: source, limit: limit), source: source)
        }
        return try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                throw RoadNetworkError.corruptFile(path: source, reason: "the file is empty")
            }
            var parser = Parser(base: base, count: buffer.count, source: source)
            parser.collectsFeatures = true
            try parser.scan()
            return try parser.finishFeatures()
        }
    }

    /// Inflates a gzip stream (possibly several concatenated members) with zlib, refusing to
    /// produce more than `limit` bytes.
    /// - Complexity: O(input + min(output, limit)).
    static func gunzip(_ input: [UInt8], path: String, limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw RoadNetworkError.cannotRead(path: path, reason: "zlib could not be initialised")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, input.count * 4))
        let chunkSize = 1 << 18
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        try input.withUnsafeBufferPointer { inBuffer in
            stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
            stream.avail_in = UInt32(inBuffer.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(chunkSize)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, chunkSize - Int(stream.avail_out))
                }
                guard output.count + produced <= limit else { throw RoadNetworkError.inflatedTooLarge(path: path, limit: limit) }
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    // Concatenated gzip members are legal; skip trailing zero padding.
                    if stream.avail_in == 0 || stream.next_in.pointee == 0 { return }
                    inflateReset(&stream)
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw RoadNetworkError.corruptFile(path: path, reason: "the gzip stream ends early")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw RoadNetworkError.corruptFile(path: path, reason: "gzip data cannot be inflated (\(message))")
                }
            }
        }
        return output
    }
}

// MARK: - Tokenizer and OSM semantics

extension OSMXMLReader {
    /// The elements the reader acts on; everything else is tokenized and ignored.
    private enum Element: UInt8 {
        case osm, osmChange, bounds, bound, node, way, nd, tag, relation, member, other
    }

    /// One attribute as byte offsets into the input; decoding happens only on demand.
    private struct Attribute {
        var nameStart: Int
        var nameLength: Int
        var valueStart: Int
        var valueEnd: Int
        /// The value contains `&` or a literal tab/line break and must be decoded before use.
        var needsDecoding: Bool
    }

    /// A `<tag>` of the current way, kept as offsets until the way is known to be a candidate.
    private struct RawTag {
        var key: Attribute
        var value: Attribute
    }

    /// An open element: where its name is, where its tag starts (for errors), what it is.
    private struct OpenElement {
        var nameStart: Int
        var nameLength: Int
        var tagStart: Int
        var element: Element
    }

    private enum Context { case none, node, way, relation }

    private struct Parser {
        let p: UnsafePointer<UInt8>
        let n: Int
        let source: String
        var i = 0

        var nodeIDs: [Int64] = []
        var nodePositions: [FixedCoordinate] = []
        var ways: [OSMWay] = []
        var bounds: BoundingBox?

        var stack: [OpenElement] = []
        var rootSeen = false
        var rootClosed = false
        var context = Context.none
        /// Set by `nextAttribute` when the tag ended with `/>`.
        var selfClosing = false

        var wayID: Int64 = 0
        var wayTagStart = 0
        var waySkipped = false
        var wayRefs: [Int64] = []
        var wayTags: [RawTag] = []

        /// Set for `OSMFeatures`: keep all ways, node tags and relations (`wayTags` then collects
        /// the tags of the current node, way or relation).
        var collectsFeatures = false
        var elementID: Int64 = 0
        var elementSkipped = false
        var featureNodes: [(id: Int64, position: FixedCoordinate, tags: [(key: String, value: String)])] = []
        var featureRelations: [OSMRelation] = []
        var relationMembers: [(id: Int64, role: String)] = []

        init(base: UnsafePointer<UInt8>, count: Int, source: String) {
            p = base
            n = count
            self.source = source
            stack.reserveCapacity(8)
            wayRefs.reserveCapacity(256)
            wayTags.reserveCapacity(32)
        }

        // MARK: Driver

        mutating func run() throws -> OSMData {
            try scan()
            return finish()
        }

        /// Tokenizes the whole document, acting on the elements as they come.
        mutating func scan() throws {
            if n >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { i = 3 }  // UTF-8 byte-order mark
            skipSpaces()
            guard i < n, p[i] == Byte.lt else {
                throw i < n ? RoadNetworkError.unknownFileType(path: source)
                    : RoadNetworkError.corruptFile(path: source, reason: "the file contains only white space")
            }
            while true {
                while i < n, p[i] != Byte.lt { i += 1 }  // character data between tags is ignored
                guard i < n else { break }
                guard i + 1 < n else { throw fail(at: i, "the file ends in the middle of a tag") }
                switch p[i + 1] {
                case Byte.question: try skip(past: "?>", what: "the processing instruction starting here")
                case Byte.exclamation: try skipMarkupDeclaration()
                case Byte.slash: try endTag()
                default: try startTag()
                }
            }
            if let open = stack.last {
                throw fail(at: open.tagStart, "the file ends inside <\(name(open.nameStart, open.nameLength))>, opened here; it is truncated")
            }
            guard rootSeen else {
                throw RoadNetworkError.corruptFile(path: source, reason: "the file contains no <osm> element")
            }
        }

        /// Keeps the points of interest, the wanted relations and the ways and nodes they need.
        func finishFeatures() throws -> OSMFeatureElements {
            var e = OSMFeatureElements(source: source)
            e.headerBoundingBox = bounds
            let positions = OSMData(ways: [], nodes: nodeIDs.indices.map { (nodeIDs[$0], nodePositions[$0]) }, source: source)
            for node in featureNodes {
                if let kind = PointOfInterestKind.classify(node.tags) { e.pointNodes.append((node.id, node.position, node.tags, kind)) }
            }
            e.relations = featureRelations.filter(\.isWanted)
            let neededWays = OSMFeatureElements.neededWayIDs(e.relations)
            for way in ways {
                if way.nodeIDs.count >= 4, way.nodeIDs.first == way.nodeIDs.last, PointOfInterestKind.classify(way.tags) != nil {
                    e.areaWays.append(way)
                }
                if binarySearch(neededWays, way.id) != nil {
                    e.memberWays.append(OSMWay(id: way.id, nodeIDs: way.nodeIDs, tags: []))
                }
            }
            e.memberWays.sort { $0.id < $1.id }
            let neededNodes = OSMFeatureElements.neededNodeIDs(e.areaWays, e.memberWays)
            for id in neededNodes {
                if let k = positions.nodeIndex(of: id) {
                    e.nodeIDs.append(id)
                    e.nodePositions.append(positions.nodePositions[k])
                }
            }
            return e
        }

        /// Keeps the positions of the nodes the kept ways use.
        func finish() -> OSMData {
            var used: [Int64] = []
            for way in ways { used.append(contentsOf: way.nodeIDs) }
            used.sort()
            var unique = 0
            for k in used.indices where k == 0 || used[k] != used[k - 1] {
                used[unique] = used[k]
                unique += 1
            }
            used.removeLast(used.count - unique)
            var keptIDs: [Int64] = []
            var keptPositions: [FixedCoordinate] = []
            keptIDs.reserveCapacity(unique)
            keptPositions.reserveCapacity(unique)
            var increasing = true
            used.withUnsafeBufferPointer { ids in
                for k in nodeIDs.indices where Self.contains(ids, nodeIDs[k]) {
                    if let last = keptIDs.last, last >= nodeIDs[k] { increasing = false }
                    keptIDs.append(nodeIDs[k])
                    keptPositions.append(nodePositions[k])
                }
            }
            if increasing {  // the usual case: files sorted by id without duplicates
                return OSMData(ways: ways, nodeIDs: keptIDs, nodePositions: keptPositions,
                               headerBoundingBox: bounds, source: source)
            }
            let pairs = keptIDs.indices.map { (id: keptIDs[$0], position: keptPositions[$0]) }
            return OSMData(ways: ways, nodes: pairs, headerBoundingBox: bounds, source: source)
        }

        @inline(__always)
        static func contains(_ sorted: UnsafeBufferPointer<Int64>, _ id: Int64) -> Bool {
            var lo = 0
            var hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if sorted[mid] < id { lo = mid + 1 } else { hi = mid }
            }
            return lo < sorted.count && sorted[lo] == id
        }

        // MARK: Tags

        mutating func startTag() throws {
            let tagStart = i
            i += 1
            let nameStart = i
            while i < n, !Byte.endsName(p[i]) { i += 1 }
            let nameLength = i - nameStart
            guard nameLength > 0 else {
                throw fail(at: tagStart, i < n ? "'<' is not followed by an element name (write &lt; for a literal '<')"
                    : "the file ends in the middle of a tag")
            }
            let element = classify(nameStart, nameLength)
            if stack.isEmpty {
                if rootClosed {
                    throw fail(at: tagStart, "a second root element <\(name(nameStart, nameLength))> follows </osm>")
                }
                switch element {
                case .osm: rootSeen = true
                case .osmChange:
                    throw RoadNetworkError.unsupportedFeature(path: source, feature: "osmChange (.osc) diff files")
                default: throw RoadNetworkError.unknownFileType(path: source)
                }
            }
            switch element {
            case .node: try startNode(tagStart)
            case .way: try startWay(tagStart)
            case .nd: try readNodeReference(tagStart)
            case .tag: try readTag(tagStart)
            case .relation:
                try checkNotNested(.relation, tagStart)
                if collectsFeatures { try startRelation(tagStart) } else { try skipAttributes(tagStart) }
                context = .relation
            case .member: try readMember(tagStart)
            case .bounds: try readBounds(tagStart)
            case .bound: try readBound(tagStart)
            case .osm, .osmChange, .other: try skipAttributes(tagStart)
            }
            if selfClosing {
                try close(element)
                if stack.isEmpty { rootClosed = true }
            } else {
                stack.append(OpenElement(nameStart: nameStart, nameLength: nameLength, tagStart: tagStart, element: element))
            }
        }

        mutating func endTag() throws {
            let tagStart = i
            i += 2
            let nameStart = i
            while i < n, !Byte.endsName(p[i]) { i += 1 }
            let nameLength = i - nameStart
            skipSpaces()
            guard i < n, p[i] == Byte.gt else {
                throw fail(at: tagStart, i < n ? "the end tag </\(name(nameStart, nameLength))> is malformed (expected '>')"
                    : "the file ends in the middle of an end tag")
            }
            i += 1
            guard let open = stack.popLast() else {
                throw fail(at: tagStart, "</\(name(nameStart, nameLength))> has no matching start tag")
            }
            guard open.nameLength == nameLength, memcmp(p + open.nameStart, p + nameStart, nameLength) == 0 else {
                throw fail(at: tagStart, "</\(name(nameStart, nameLength))> does not close <\(name(open.nameStart, open.nameLength))>, opened on line \(line(at: open.tagStart))")
            }
            try close(open.element)
            if stack.isEmpty { rootClosed = true }
        }

        mutating func close(_ element: Element) throws {
            switch element {
            case .node:
                context = .none
                if collectsFeatures { try finishFeatureNode() }
            case .relation:
                context = .none
                if collectsFeatures { try finishRelation() }
            case .way:
                context = .none
                try finishWay()
            default: break
            }
        }

        mutating func checkNotNested(_ element: Element, _ tagStart: Int) throws {
            guard context == .none else {
                let outer = context == .node ? "node" : context == .way ? "way" : "relation"
                let inner = element == .node ? "node" : element == .way ? "way" : "relation"
                throw fail(at: tagStart, "<\(inner)> may not appear inside <\(outer)>")
            }
        }

        // MARK: OSM elements

        mutating func startNode(_ tagStart: Int) throws {
            try checkNotNested(.node, tagStart)
            context = .node
            var id: Int64?
            var lat: Attribute?
            var lon: Attribute?
            var skipped = false
            while let a = try nextAttribute(tagStart) {
                switch a.nameLength {
                case 2 where isName(a, "id"): id = try integer(a, "node id")
                case 3 where isName(a, "lat"): lat = a
                case 3 where isName(a, "lon"): lon = a
                case 6 where isName(a, "action"): skipped = skipped || isValue(a, "delete")
                case 7 where isName(a, "visible"): skipped = skipped || isValue(a, "false")
                default: break
                }
            }
            guard let id else { throw fail(at: tagStart, "a <node> has no id attribute") }
            if collectsFeatures {
                elementID = id
                elementSkipped = skipped
                wayTags.removeAll(keepingCapacity: true)
            }
            if skipped { return }
            guard let lat, let lon else {
                throw fail(at: tagStart, "node \(id) has no \(lat == nil ? "lat" : "lon") attribute")
            }
            let latE7 = try degreesE7(lat, limit: 90, node: id, axis: "latitude")
            let lonE7 = try degreesE7(lon, limit: 180, node: id, axis: "longitude")
            nodeIDs.append(id)
            nodePositions.append(FixedCoordinate(latitudeE7: latE7, longitudeE7: lonE7))
        }

        /// Keeps a node with tags for `OSMFeatures`.
        mutating func finishFeatureNode() throws {
            guard !elementSkipped, !wayTags.isEmpty, let position = nodePositions.last else { return }
            var tags: [(key: String, value: String)] = []
            for t in wayTags { tags.append((try string(t.key), try string(t.value))) }
            featureNodes.append((elementID, position, tags))
            wayTags.removeAll(keepingCapacity: true)
        }

        mutating func startRelation(_ tagStart: Int) throws {
            var id: Int64?
            var skipped = false
            while let a = try nextAttribute(tagStart) {
                switch a.nameLength {
                case 2 where isName(a, "id"): id = try integer(a, "relation id")
                case 6 where isName(a, "action"): skipped = skipped || isValue(a, "delete")
                case 7 where isName(a, "visible"): skipped = skipped || isValue(a, "false")
                default: break
                }
            }
            guard let id else { throw fail(at: tagStart, "a <relation> has no id attribute") }
            elementID = id
            elementSkipped = skipped
            wayTags.removeAll(keepingCapacity: true)
            relationMembers.removeAll(keepingCapacity: true)
        }

        /// A `<member type= ref= role=>` of a relation; only way members are kept.
        mutating func readMember(_ tagStart: Int) throws {
            guard collectsFeatures, context == .relation else { return try skipAttributes(tagStart) }
            var type: Attribute?
            var ref: Int64?
            var role: Attribute?
            while let a = try nextAttribute(tagStart) {
                switch a.nameLength {
                case 3 where isName(a, "ref"): ref = try integer(a, "member reference")
                case 4 where isName(a, "type"): type = a
                case 4 where isName(a, "role"): role = a
                default: break
                }
            }
            guard let type, let ref else {
                throw fail(at: tagStart, "a <member> of relation \(elementID) lacks its \(type == nil ? "type" : "ref") attribute")
            }
            if isValue(type, "way") { relationMembers.append((ref, try role.map { try string($0) } ?? "")) }
        }

        mutating func finishRelation() throws {
            guard !elementSkipped else { return }
            var tags: [(key: String, value: String)] = []
            for t in wayTags { tags.append((try string(t.key), try string(t.value))) }
            featureRelations.append(OSMRelation(id: elementID, tags: tags, wayMembers: relationMembers))
            wayTags.removeAll(keepingCapacity: true)
        }

        mutating func startWay(_ tagStart: Int) throws {
            try checkNotNested(.way, tagStart)
            context = .way
            var id: Int64?
            var skipped = false
            while let a = try nextAttribute(tagStart) {
                switch a.nameLength {
                case 2 where isName(a, "id"): id = try integer(a, "way id")
                case 6 where isName(a, "action"): skipped = skipped || isValue(a, "delete")
                case 7 where isName(a, "visible"): skipped = skipped || isValue(a, "false")
                default: break
                }
            }
            guard let id else { throw fail(at: tagStart, "a <way> has no id attribute") }
            wayID = id
            wayTagStart = tagStart
            waySkipped = skipped
            wayRefs.removeAll(keepingCapacity: true)
            wayTags.removeAll(keepingCapacity: true)
        }

        mutating func readNodeReference(_ tagStart: Int) throws {
            guard context == .way else { return try skipAttributes(tagStart) }
            var ref: Int64?
            while let a = try nextAttribute(tagStart) {
                if a.nameLength == 3, isName(a, "ref") { ref = try integer(a, "node reference") }
            }
            guard let ref else { throw fail(at: tagStart, "an <nd> of way \(wayID) has no ref attribute") }
            wayRefs.append(ref)
        }

        mutating func readTag(_ tagStart: Int) throws {
            guard context == .way || (collectsFeatures && context != .none) else { return try skipAttributes(tagStart) }
            var key: Attribute?
            var value: Attribute?
            while let a = try nextAttribute(tagStart) {
                if a.nameLength == 1 {
                    if p[a.nameStart] == Byte.k { key = a } else if p[a.nameStart] == Byte.v { value = a }
                }
            }
            guard let key, let value else {
                throw fail(at: tagStart, "a <tag> of \(context == .way ? "way \(wayID)" : context == .node ? "node \(elementID)" : "relation \(elementID)") lacks its \(key == nil ? "k" : "v") attribute")
            }
            wayTags.append(RawTag(key: key, value: value))
        }

        /// Applies `OSMWay.isRoadCandidate`; strings are made only when a key may be `highway`.
        mutating func finishWay() throws {
            guard !waySkipped else { return }
            if collectsFeatures {
                var tags: [(key: String, value: String)] = []
                for t in wayTags { tags.append((try string(t.key), try string(t.value))) }
                ways.append(OSMWay(id: wayID, nodeIDs: wayRefs, tags: tags))
                return
            }
            var mayBeRoad = false
            for t in wayTags where t.key.needsDecoding || isValue(t.key, "highway") {
                mayBeRoad = true
                break
            }
            guard mayBeRoad else { return }
            var tags: [(key: String, value: String)] = []
            tags.reserveCapacity(wayTags.count)
            for t in wayTags { tags.append((try string(t.key), try string(t.value))) }
            if OSMWay.isRoadCandidate(tags) {
                ways.append(OSMWay(id: wayID, nodeIDs: wayRefs, tags: tags))
            }
        }

        mutating func readBounds(_ tagStart: Int) throws {
            var values: [Double?] = [nil, nil, nil, nil]  // minlat, minlon, maxlat, maxlon
            while let a = try nextAttribute(tagStart) {
                guard a.nameLength == 6 else { continue }
                let slot = isName(a, "minlat") ? 0 : isName(a, "minlon") ? 1 : isName(a, "maxlat") ? 2
                    : isName(a, "maxlon") ? 3 : -1
                if slot >= 0 { values[slot] = Double(try string(a)) }
            }
            guard let minLat = values[0], let minLon = values[1], let maxLat = values[2], let maxLon = values[3] else {
                throw fail(at: tagStart, "<bounds> needs numeric minlat, minlon, maxlat and maxlon attributes")
            }
            addBounds(minLat, minLon, maxLat, maxLon)
        }

        /// The API 0.5 form `<bound box="minlat,minlon,maxlat,maxlon" …/>`.
        mutating func readBound(_ tagStart: Int) throws {
            var parts: [Double] = []
            while let a = try nextAttribute(tagStart) {
                if isName(a, "box") {
                    parts = try string(a).split(separator: ",").compactMap { Double($0.trimmingSpaces()) }
                }
            }
            guard parts.count == 4 else {
                throw fail(at: tagStart, "<bound> needs a box attribute of four numbers \"minlat,minlon,maxlat,maxlon\"")
            }
            addBounds(parts[0], parts[1], parts[2], parts[3])
        }

        mutating func addBounds(_ minLat: Double, _ minLon: Double, _ maxLat: Double, _ maxLon: Double) {
            var box = bounds ?? .empty
            box.extend(Coordinate(latitude: minLat, longitude: minLon))
            box.extend(Coordinate(latitude: maxLat, longitude: maxLon))
            bounds = box
        }

        // MARK: Attributes

        mutating func skipAttributes(_ tagStart: Int) throws {
            while try nextAttribute(tagStart) != nil {}
        }

        /// Reads the next attribute of the tag starting at `tagStart`, or returns nil at its end,
        /// setting `selfClosing`.
        @inline(__always)
        mutating func nextAttribute(_ tagStart: Int) throws -> Attribute? {
            skipSpaces()
            guard i < n else { throw fail(at: tagStart, "the tag starting here is never closed; the file is truncated") }
            let c = p[i]
            if c == Byte.gt {
                i += 1
                selfClosing = false
                return nil
            }
            if c == Byte.slash {
                guard i + 1 < n, p[i + 1] == Byte.gt else { throw fail(at: i, "expected '>' after '/' in a tag") }
                i += 2
                selfClosing = true
                return nil
            }
            let nameStart = i
            while i < n, !Byte.endsName(p[i]) { i += 1 }
            let nameLength = i - nameStart
            guard nameLength > 0 else {
                if c == Byte.lt { throw fail(at: tagStart, "the tag starting here is not closed with '>' before the next '<'") }
                throw fail(at: i, "unexpected character '\(Character(Unicode.Scalar(c)))' in a tag")
            }
            skipSpaces()
            guard i < n, p[i] == Byte.equals else {
                throw fail(at: nameStart, i < n ? "attribute '\(name(nameStart, nameLength))' has no '=' and value"
                    : "the tag starting here is never closed; the file is truncated")
            }
            i += 1
            skipSpaces()
            guard i < n, p[i] == Byte.quote || p[i] == Byte.apostrophe else {
                throw fail(at: nameStart, "the value of attribute '\(name(nameStart, nameLength))' is not in quotes")
            }
            let quote = p[i]
            i += 1
            let valueStart = i
            var needsDecoding = false
            while true {
                guard i < n else {
                    throw fail(at: nameStart, "the value of attribute '\(name(nameStart, nameLength))' is never closed; the file is truncated")
                }
                let b = p[i]
                if b == quote { break }
                if b <= Byte.lt {
                    if b == Byte.lt {
                        throw fail(at: nameStart, "the value of attribute '\(name(nameStart, nameLength))' contains '<' or lacks its closing quote")
                    }
                    if b == Byte.ampersand || b == Byte.tab || b == Byte.lineFeed || b == Byte.carriageReturn {
                        needsDecoding = true
                    }
                }
                i += 1
            }
            let attribute = Attribute(nameStart: nameStart, nameLength: nameLength, valueStart: valueStart,
                                      valueEnd: i, needsDecoding: needsDecoding)
            i += 1
            return attribute
        }

        @inline(__always)
        func isName(_ a: Attribute, _ literal: StaticString) -> Bool {
            a.nameLength == literal.utf8CodeUnitCount && memcmp(p + a.nameStart, literal.utf8Start, a.nameLength) == 0
        }

        /// Whether the raw (undecoded) value equals `literal`.
        @inline(__always)
        func isValue(_ a: Attribute, _ literal: StaticString) -> Bool {
            let length = a.valueEnd - a.valueStart
            return length == literal.utf8CodeUnitCount && memcmp(p + a.valueStart, literal.utf8Start, length) == 0
        }

        /// The attribute value as a string, entities decoded. Invalid UTF-8 is repaired with U+FFFD.
        func string(_ a: Attribute) throws -> String {
            guard a.needsDecoding else {
                return String(decoding: UnsafeBufferPointer(start: p + a.valueStart, count: a.valueEnd - a.valueStart),
                              as: UTF8.self)
            }
            return String(decoding: try decoded(a), as: UTF8.self)
        }

        /// Decodes entities and character references and normalizes literal white space.
        func decoded(_ a: Attribute) throws -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(a.valueEnd - a.valueStart)
            var j = a.valueStart
            while j < a.valueEnd {
                let b = p[j]
                if b == Byte.ampersand {
                    var semicolon = j + 1
                    while semicolon < a.valueEnd, semicolon - j <= 12, p[semicolon] != Byte.semicolon { semicolon += 1 }
                    guard semicolon < a.valueEnd, p[semicolon] == Byte.semicolon else {
                        throw fail(at: j, "an '&' in the value of attribute '\(name(a.nameStart, a.nameLength))' starts no entity (write &amp;)")
                    }
                    let entity = UnsafeBufferPointer(start: p + j + 1, count: semicolon - j - 1)
                    if entity.first == Byte.hash {
                        guard let scalar = Self.characterReference(entity) else {
                            throw fail(at: j, "'&\(name(j + 1, semicolon - j - 1));' is not a valid character reference")
                        }
                        Self.appendUTF8(scalar, to: &out)
                    } else if let byte = Self.predefinedEntity(entity) {
                        out.append(byte)
                    } else {
                        throw fail(at: j, "unknown entity '&\(name(j + 1, semicolon - j - 1));' (OSM XML uses only &amp; &lt; &gt; &quot; &apos; and &#…;)")
                    }
                    j = semicolon + 1
                } else if b == Byte.carriageReturn {
                    out.append(Byte.space)
                    j += (j + 1 < a.valueEnd && p[j + 1] == Byte.lineFeed) ? 2 : 1
                } else if b == Byte.tab || b == Byte.lineFeed {
                    out.append(Byte.space)
                    j += 1
                } else {
                    out.append(b)
                    j += 1
                }
            }
            return out
        }

        static func predefinedEntity(_ e: UnsafeBufferPointer<UInt8>) -> UInt8? {
            func equals(_ literal: StaticString) -> Bool {
                e.count == literal.utf8CodeUnitCount && memcmp(e.baseAddress!, literal.utf8Start, e.count) == 0
            }
            if equals("amp") { return Byte.ampersand }
            if equals("lt") { return Byte.lt }
            if equals("gt") { return Byte.gt }
            if equals("quot") { return Byte.quote }
            if equals("apos") { return Byte.apostrophe }
            return nil
        }

        /// Parses `#123` or `#x1F68C` (without `&` and `;`) into a scalar XML allows.
        static func characterReference(_ e: UnsafeBufferPointer<UInt8>) -> UInt32? {
            var k = 1
            let hex = e.count > 1 && (e[1] == Byte.x || e[1] == Byte.capitalX)
            if hex { k = 2 }
            guard k < e.count else { return nil }
            var value: UInt32 = 0
            while k < e.count {
                let b = e[k]
                let digit: UInt32
                if b >= 0x30 && b <= 0x39 {
                    digit = UInt32(b - 0x30)
                } else if hex && (b | 0x20) >= 0x61 && (b | 0x20) <= 0x66 {
                    digit = UInt32((b | 0x20) - 0x61 + 10)
                } else {
                    return nil
                }
                value = value * (hex ? 16 : 10) + digit
                guard value <= 0x10FFFF else { return nil }
                k += 1
            }
            guard value != 0, !(0xD800...0xDFFF).contains(value) else { return nil }
            return value
        }

        static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
            switch v {
            case 0..<0x80:
                out.append(UInt8(v))
            case 0x80..<0x800:
                out.append(UInt8(0xC0 | (v >> 6)))
                out.append(UInt8(0x80 | (v & 0x3F)))
            case 0x800..<0x10000:
                out.append(UInt8(0xE0 | (v >> 12)))
                out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (v & 0x3F)))
            default:
                out.append(UInt8(0xF0 | (v >> 18)))
                out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (v & 0x3F)))
            }
        }

        // MARK: Numbers

        /// A decimal Int64 such as an id or a node reference (negative ids, as JOSM writes, allowed).
        func integer(_ a: Attribute, _ what: String) throws -> Int64 {
            if a.needsDecoding {
                let bytes = try decoded(a)
                if let v = bytes.withUnsafeBufferPointer({ Self.parseInt64($0) }) { return v }
            } else if let v = Self.parseInt64(UnsafeBufferPointer(start: p + a.valueStart, count: a.valueEnd - a.valueStart)) {
                return v
            }
            throw fail(at: a.nameStart, "the \(what) '\(try string(a))' is not an integer")
        }

        @inline(__always)
        static func parseInt64(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
            var j = 0
            var negative = false
            if j < s.count, s[j] == Byte.minus || s[j] == Byte.plus {
                negative = s[j] == Byte.minus
                j += 1
            }
            guard j < s.count else { return nil }
            var v: Int64 = 0
            while j < s.count {
                let d = s[j] &- 0x30
                guard d < 10 else { return nil }
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (sum, o2) = m.addingReportingOverflow(Int64(d))
                guard !o1, !o2 else { return nil }
                v = sum
                j += 1
            }
            return negative ? -v : v
        }

        /// Degrees in units of 1e-7, exactly from the decimal digits.
        func degreesE7(_ a: Attribute, limit: Int64, node: Int64, axis: StaticString) throws -> Int32 {
            let parsed: Int32?
            if a.needsDecoding {
                parsed = try decoded(a).withUnsafeBufferPointer { Self.parseDegreesE7($0, limit: limit) }
            } else {
                parsed = Self.parseDegreesE7(UnsafeBufferPointer(start: p + a.valueStart, count: a.valueEnd - a.valueStart),
                                             limit: limit)
            }
            guard let parsed else {
                throw fail(at: a.nameStart, "node \(node) has \(axis) '\(try string(a))', which is not a number between -\(limit) and \(limit)")
            }
            return parsed
        }

        /// Parses `[-+]ddd[.ddddddd…]` into E7 units, rounding half up at the eighth decimal;
        /// falls back to `Double` parsing for exponent notation.
        @inline(__always)
        static func parseDegreesE7(_ s: UnsafeBufferPointer<UInt8>, limit: Int64) -> Int32? {
            var j = 0
            var negative = false
            if j < s.count, s[j] == Byte.minus || s[j] == Byte.plus {
                negative = s[j] == Byte.minus
                j += 1
            }
            var whole: Int64 = 0
            var wholeDigits = 0
            while j < s.count {
                let d = s[j] &- 0x30
                guard d < 10 else { break }
                whole = whole * 10 + Int64(d)
                guard whole <= limit else { return nil }
                wholeDigits += 1
                j += 1
            }
            var fraction: Int64 = 0
            var fractionDigits = 0
            var roundUp = false
            if j < s.count, s[j] == Byte.dot {
                j += 1
                while j < s.count {
                    let d = s[j] &- 0x30
                    guard d < 10 else { break }
                    if fractionDigits < 7 {
                        fraction = fraction * 10 + Int64(d)
                    } else if fractionDigits == 7 {
                        roundUp = d >= 5
                    }
                    fractionDigits += 1
                    j += 1
                }
            }
            guard wholeDigits + fractionDigits > 0 else { return nil }
            if j < s.count {
                guard s[j] == Byte.e || s[j] == Byte.capitalE,
                      let d = Double(String(decoding: s, as: UTF8.self)), d.isFinite,
                      abs(d) <= Double(limit)
                else { return nil }
                return Int32((d * 1e7).rounded())
            }
            for _ in fractionDigits..<max(fractionDigits, 7) { fraction *= 10 }
            let value = whole * 10_000_000 + fraction + (roundUp ? 1 : 0)
            guard value <= limit * 10_000_000 else { return nil }
            return Int32(negative ? -value : value)
        }

        // MARK: Markup that carries no OSM data

        /// Skips `<!-- … -->`, `<![CDATA[ … ]]>` and `<!DOCTYPE … [ … ]>`.
        mutating func skipMarkupDeclaration() throws {
            if startsWith("<!--") {
                try skip(past: "-->", what: "the comment starting here")
            } else if startsWith("<![CDATA[") {
                try skip(past: "]]>", what: "the CDATA section starting here")
            } else {
                let start = i
                var depth = 0
                i += 2
                while i < n {
                    let b = p[i]
                    if b == Byte.openBracket { depth += 1 }
                    else if b == Byte.closeBracket { depth -= 1 }
                    else if b == Byte.gt && depth <= 0 { i += 1; return }
                    i += 1
                }
                throw fail(at: start, "the declaration starting here is never closed")
            }
        }

        func startsWith(_ literal: StaticString) -> Bool {
            let length = literal.utf8CodeUnitCount
            return n - i >= length && memcmp(p + i, literal.utf8Start, length) == 0
        }

        mutating func skip(past terminator: StaticString, what: String) throws {
            let start = i
            let length = terminator.utf8CodeUnitCount
            let first = terminator.utf8Start.pointee
            i += 2
            while i + length <= n {
                if p[i] == first && memcmp(p + i, terminator.utf8Start, length) == 0 {
                    i += length
                    return
                }
                i += 1
            }
            throw fail(at: start, "\(what) is never closed")
        }

        // MARK: Helpers

        @inline(__always)
        mutating func skipSpaces() {
            while i < n, Byte.isSpace(p[i]) { i += 1 }
        }

        func classify(_ start: Int, _ length: Int) -> Element {
            func equals(_ literal: StaticString) -> Bool {
                memcmp(p + start, literal.utf8Start, length) == 0
            }
            switch length {
            case 2: return equals("nd") ? .nd : .other
            case 3: return equals("tag") ? .tag : equals("way") ? .way : equals("osm") ? .osm : .other
            case 4: return equals("node") ? .node : .other
            case 5: return equals("bound") ? .bound : .other
            case 6: return equals("bounds") ? .bounds : equals("member") ? .member : .other
            case 8: return equals("relation") ? .relation : .other
            case 9: return equals("osmChange") ? .osmChange : .other
            default: return .other
            }
        }

        /// Bytes as text for messages, shortened when long.
        func name(_ start: Int, _ length: Int) -> String {
            let shown = min(length, 60)
            let text = String(decoding: UnsafeBufferPointer(start: p + start, count: shown), as: UTF8.self)
            return shown < length ? text + "…" : text
        }

        /// 1-based line of a byte offset, counted only when an error is reported.
        func line(at offset: Int) -> Int {
            var line = 1
            for k in 0..<min(offset, n) where p[k] == Byte.lineFeed { line += 1 }
            return line
        }

        func fail(at offset: Int, _ message: String) -> RoadNetworkError {
            .corruptFile(path: source, reason: "line \(line(at: offset)): \(message)")
        }
    }

    /// ASCII bytes the tokenizer looks for.
    private enum Byte {
        static let tab: UInt8 = 0x09, lineFeed: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D, space: UInt8 = 0x20
        static let exclamation: UInt8 = 0x21, quote: UInt8 = 0x22, hash: UInt8 = 0x23, ampersand: UInt8 = 0x26
        static let apostrophe: UInt8 = 0x27, plus: UInt8 = 0x2B, minus: UInt8 = 0x2D, dot: UInt8 = 0x2E
        static let slash: UInt8 = 0x2F, semicolon: UInt8 = 0x3B, lt: UInt8 = 0x3C, equals: UInt8 = 0x3D
        static let gt: UInt8 = 0x3E, question: UInt8 = 0x3F, capitalE: UInt8 = 0x45, capitalX: UInt8 = 0x58
        static let openBracket: UInt8 = 0x5B, closeBracket: UInt8 = 0x5D, e: UInt8 = 0x65, k: UInt8 = 0x6B
        static let v: UInt8 = 0x76, x: UInt8 = 0x78

        @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
            b == space || b == lineFeed || b == tab || b == carriageReturn
        }

        /// Bytes that end an element or attribute name.
        @inline(__always) static func endsName(_ b: UInt8) -> Bool {
            b <= space || b == equals || b == gt || b == slash || b == lt || b == quote || b == apostrophe
        }
    }
}
