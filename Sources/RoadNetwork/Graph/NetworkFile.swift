import CZlib

/// The binary network file (`.dnet`): the built `RoadGraph` as little-endian arrays, loaded by bulk
/// copies without parsing text.
///
/// Layout: the 8-byte magic `DNETWORK`, the format version (UInt32), the section count (UInt32),
/// then one table entry per section — tag (4 ASCII bytes), offset (UInt64), byte length (UInt64),
/// CRC-32 of the bytes (UInt32), 4 bytes padding — then the sections, each 8-byte aligned.
/// Unknown sections are skipped, so later versions can add sections (e.g. a contraction hierarchy)
/// while a reader still refuses a file whose `formatVersion` differs from its own.
public enum NetworkFile {
    /// 2: contraction hierarchy sections (CH**), optional.
    public static let formatVersion: UInt32 = 2
    static let magic: [UInt8] = Array("DNETWORK".utf8)
    /// Largest travel time of one arc a file may hold (deciseconds, ~28 h): more is damage.
    static let maxArcTime: Int32 = 1_000_000
    /// Largest length of one edge a file may hold (metres).
    static let maxEdgeLength: Int32 = 1_000_000

    /// Writes `graph` (and its contraction hierarchy, if given) to `path` (atomically).
    public static func save(_ graph: RoadGraph, hierarchy: ContractionHierarchy? = nil, to path: String) throws {
        try FileBytes.write(encode(graph, hierarchy: hierarchy), to: path)
    }

    /// Reads the graph of a network file written by this format version.
    public static func load(path: String) throws -> RoadGraph {
        try decodeNetwork(try FileBytes.read(path: path), source: path).graph
    }

    /// Reads the graph and, when the file has one, its contraction hierarchy.
    public static func loadNetwork(path: String) throws -> (graph: RoadGraph, hierarchy: ContractionHierarchy?) {
        try decodeNetwork(try FileBytes.read(path: path), source: path)
    }

    public static func decode(_ bytes: [UInt8], source: String) throws -> RoadGraph {
        try decodeNetwork(bytes, source: source).graph
    }

    public static func encode(_ g: RoadGraph, hierarchy ch: ContractionHierarchy? = nil) -> [UInt8] {
        var sections: [(String, [UInt8])] = []
        func add<T>(_ tag: String, _ array: [T]) {
            sections.append((tag, array.withUnsafeBytes { Array($0) }))
        }
        add("FOUT", g.firstOut)
        add("HEAD", g.head)
        add("TIME", g.travelTime)
        add("AEDG", g.arcEdge)
        add("NCOR", g.nodeCoordinates)
        add("NOSM", g.nodeOSMIDs)
        add("EFRM", g.edgeFrom)
        add("ETO_", g.edgeTo)
        add("ELEN", g.edgeLength)
        add("EWAY", g.edgeWayID)
        add("ECLS", g.edgeRoadClass)
        add("EGEO", g.edgeGeometryStart)
        add("GEOM", g.geometry)
        add("GOSM", g.geometryOSMIDs)
        var closures = ByteWriter()
        closures.append(UInt32(g.closures.count))
        for c in g.closures {
            closures.append(UInt32(bitPattern: c.edge))
            switch c.period {
            case let .yearly(from, to):
                closures.append(UInt32(0)); closures.append(Int32(from)); closures.append(Int32(to))
            case let .dates(from, to):
                closures.append(UInt32(1)); closures.append(Int32(from.dayNumber)); closures.append(Int32(to.dayNumber))
            }
            closures.appendString(c.reason)
        }
        sections.append(("CLOS", closures.bytes))
        var meta = ByteWriter()
        meta.appendString(g.metadata.source)
        meta.append(UInt32(g.metadata.report.count))
        for line in g.metadata.report { meta.appendString(line) }
        sections.append(("META", meta.bytes))
        if let ch {
            add("CHRK", ch.rank)
            add("CHUF", ch.upFirst); add("CHUH", ch.upHead); add("CHUT", ch.upTime); add("CHUL", ch.upLength); add("CHUA", ch.upArc)
            add("CHDF", ch.downFirst); add("CHDT", ch.downTail); add("CHDW", ch.downTime); add("CHDL", ch.downLength); add("CHDA", ch.downArc)
            add("CHS1", ch.shortcutFirst); add("CHS2", ch.shortcutSecond)
        }

        var out = ByteWriter()
        out.bytes.append(contentsOf: magic)
        out.append(formatVersion)
        out.append(UInt32(sections.count))
        let tableSize = sections.count * 28
        var offset = align8(out.bytes.count + tableSize)
        for (tag, bytes) in sections {
            out.bytes.append(contentsOf: Array(tag.utf8))
            out.append(UInt64(offset))
            out.append(UInt64(bytes.count))
            out.append(UInt32(crc(bytes)))
            out.append(UInt32(0))
            offset = align8(offset + bytes.count)
        }
        for (_, bytes) in sections {
            out.bytes.append(contentsOf: [UInt8](repeating: 0, count: align8(out.bytes.count) - out.bytes.count))
            out.bytes.append(contentsOf: bytes)
        }
        return out.bytes
    }

    static func decodeNetwork(_ bytes: [UInt8], source: String) throws -> (graph: RoadGraph, hierarchy: ContractionHierarchy?) {
        func corrupt(_ reason: String) -> RoadNetworkError { .corruptFile(path: source, reason: reason) }
        guard bytes.count >= 16, Array(bytes[0 ..< 8]) == magic else {
            throw RoadNetworkError.unknownFileType(path: source)
        }
        var reader = ByteReader(bytes: bytes, position: 8)
        let version: UInt32 = try reader.read(or: corrupt("header"))
        guard version == formatVersion else {
            throw RoadNetworkError.formatVersionMismatch(path: source, found: version, expected: formatVersion)
        }
        let count: UInt32 = try reader.read(or: corrupt("header"))
        guard count < 1000 else { throw corrupt("implausible section count \(count)") }
        var table: [String: Range<Int>] = [:]
        for _ in 0 ..< count {
            guard reader.position + 28 <= bytes.count else { throw corrupt("the section table is cut short") }
            let tag = String(decoding: bytes[reader.position ..< reader.position + 4], as: UTF8.self)
            reader.position += 4
            let offset: UInt64 = try reader.read(or: corrupt("section table"))
            let length: UInt64 = try reader.read(or: corrupt("section table"))
            let checksum: UInt32 = try reader.read(or: corrupt("section table"))
            reader.position += 4
            guard offset <= UInt64(bytes.count), length <= UInt64(bytes.count) - offset else {
                throw corrupt("section \(tag) lies beyond the end of the file (\(bytes.count) bytes)")
            }
            let range = Int(offset) ..< Int(offset + length)
            guard crc(bytes[range]) == checksum else { throw corrupt("section \(tag) fails its checksum") }
            table[tag] = range
        }
        func array<T>(_ tag: String, _: T.Type) throws -> [T] {
            guard let range = table[tag] else { throw corrupt("section \(tag) is missing") }
            guard range.count % MemoryLayout<T>.stride == 0 else { throw corrupt("section \(tag) has a partial element") }
            let n = range.count / MemoryLayout<T>.stride
            return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                bytes.withUnsafeBytes { raw in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[range]))
                }
                initialized = n
            }
        }
        let firstOut = try array("FOUT", Int32.self)
        let head = try array("HEAD", Int32.self)
        let time = try array("TIME", Int32.self)
        let arcEdge = try array("AEDG", Int32.self)
        let nodes = try array("NCOR", FixedCoordinate.self)
        let nodeIDs = try array("NOSM", Int64.self)
        let edgeFrom = try array("EFRM", Int32.self)
        let edgeTo = try array("ETO_", Int32.self)
        let edgeLength = try array("ELEN", Int32.self)
        let edgeWay = try array("EWAY", Int64.self)
        let edgeClass = try array("ECLS", UInt8.self)
        let geometryStart = try array("EGEO", Int32.self)
        let geometry = try array("GEOM", FixedCoordinate.self)
        let geometryIDs = try array("GOSM", Int64.self)

        // Structural checks, so a damaged file is refused here rather than crashing a query.
        let n = nodes.count, m = head.count, e = edgeFrom.count
        guard firstOut.count == n + 1, firstOut.first == 0, Int(firstOut.last!) == m,
              zip(firstOut, firstOut.dropFirst()).allSatisfy({ $0 <= $1 }),
              time.count == m, arcEdge.count == m, nodeIDs.count == n,
              edgeTo.count == e, edgeLength.count == e, edgeWay.count == e, edgeClass.count == e,
              geometryStart.count == e + 1, geometryStart.first == 0, Int(geometryStart.last!) == geometry.count,
              zip(geometryStart, geometryStart.dropFirst()).allSatisfy({ Int($1) - Int($0) >= 2 }),
              geometryIDs.count == geometry.count,
              n > 0, m > 0,
              head.allSatisfy({ $0 >= 0 && Int($0) < n }), time.allSatisfy({ $0 > 0 && $0 <= maxArcTime }),
              edgeLength.allSatisfy({ $0 > 0 && $0 <= maxEdgeLength }),
              arcEdge.allSatisfy({ $0 >= 0 && Int($0 >> 1) < e }),
              edgeFrom.allSatisfy({ $0 >= 0 && Int($0) < n }), edgeTo.allSatisfy({ $0 >= 0 && Int($0) < n }),
              edgeClass.allSatisfy({ RoadClass(rawValue: $0) != nil })
        else { throw corrupt("its arrays are inconsistent") }
        // Every arc must drive its edge between the edge's end nodes.
        for v in 0 ..< n {
            for a in Int(firstOut[v]) ..< Int(firstOut[v + 1]) {
                let e = Int(arcEdge[a] >> 1), reversed = arcEdge[a] & 1 == 1
                let (from, to) = reversed ? (edgeTo[e], edgeFrom[e]) : (edgeFrom[e], edgeTo[e])
                guard Int(from) == v, to == head[a] else { throw corrupt("arc \(a) does not match its edge") }
            }
        }

        guard let closRange = table["CLOS"], let metaRange = table["META"] else { throw corrupt("a metadata section is missing") }
        var cr = ByteReader(bytes: bytes, position: closRange.lowerBound)
        let closureCount: UInt32 = try cr.read(or: corrupt("closures"))
        var closures: [EdgeClosure] = []
        for _ in 0 ..< closureCount {
            let edge = Int32(bitPattern: try cr.read(or: corrupt("closures")) as UInt32)
            let kind: UInt32 = try cr.read(or: corrupt("closures"))
            let a: Int32 = try cr.read(or: corrupt("closures"))
            let b: Int32 = try cr.read(or: corrupt("closures"))
            let reason = try cr.readString(or: corrupt("closures"))
            guard edge >= 0, Int(edge) < e, kind <= 1 else { throw corrupt("a closure is invalid") }
            let period: ClosurePeriod = kind == 0
                ? .yearly(fromMonthDay: Int(a), toMonthDay: Int(b))
                : .dates(from: ServiceDate(dayNumber: Int(a)), to: ServiceDate(dayNumber: Int(b)))
            closures.append(EdgeClosure(edge: edge, period: period, reason: reason))
        }
        guard cr.position <= closRange.upperBound else { throw corrupt("closures overrun their section") }
        var mr = ByteReader(bytes: bytes, position: metaRange.lowerBound)
        let sourceName = try mr.readString(or: corrupt("metadata"))
        let lineCount: UInt32 = try mr.read(or: corrupt("metadata"))
        guard lineCount < 10_000 else { throw corrupt("metadata") }
        var lines: [String] = []
        for _ in 0 ..< lineCount { lines.append(try mr.readString(or: corrupt("metadata"))) }

        let graph = RoadGraph(firstOut: firstOut, head: head, travelTime: time, arcEdge: arcEdge,
                              nodeCoordinates: nodes, nodeOSMIDs: nodeIDs,
                              edgeFrom: edgeFrom, edgeTo: edgeTo, edgeLength: edgeLength, edgeWayID: edgeWay, edgeRoadClass: edgeClass,
                              edgeGeometryStart: geometryStart, geometry: geometry, geometryOSMIDs: geometryIDs,
                              closures: closures, metadata: NetworkMetadata(source: sourceName, report: lines))
        guard table["CHRK"] != nil else { return (graph, nil) }
        let rank = try array("CHRK", Int32.self)
        let upFirst = try array("CHUF", Int32.self), upHead = try array("CHUH", Int32.self), upTime = try array("CHUT", Int32.self)
        let upLength = try array("CHUL", Int32.self), upArc = try array("CHUA", Int32.self)
        let downFirst = try array("CHDF", Int32.self), downTail = try array("CHDT", Int32.self), downTime = try array("CHDW", Int32.self)
        let downLength = try array("CHDL", Int32.self), downArc = try array("CHDA", Int32.self)
        let s1 = try array("CHS1", Int32.self), s2 = try array("CHS2", Int32.self)
        // The hierarchy must be consistent with the graph, or a query could read out of bounds.
        let totalArcs = Int32(m + s1.count)
        func halfIsValid(_ first: [Int32], _ other: [Int32], _ t: [Int32], _ l: [Int32], _ a: [Int32]) -> Bool {
            guard first.count == n + 1, first.first == 0, Int(first.last!) == other.count,
                  t.count == other.count, l.count == other.count, a.count == other.count,
                  zip(first, first.dropFirst()).allSatisfy({ $0 <= $1 }) else { return false }
            for v in 0 ..< n {
                for i in Int(first[v]) ..< Int(first[v + 1]) where other[i] <= Int32(v) || Int(other[i]) >= n { return false }
            }
            return t.allSatisfy { $0 >= 0 && $0 < Int32.max / 2 } && l.allSatisfy { $0 >= 0 && $0 < Int32.max / 2 }
                && a.allSatisfy { $0 >= 0 && $0 < totalArcs }
        }
        var seenRank = [Bool](repeating: false, count: n)
        var ranksValid = rank.count == n
        for r in rank where ranksValid {
            if r < 0 || Int(r) >= n || seenRank[Int(r)] { ranksValid = false } else { seenRank[Int(r)] = true }
        }
        guard ranksValid,
              halfIsValid(upFirst, upHead, upTime, upLength, upArc), halfIsValid(downFirst, downTail, downTime, downLength, downArc),
              s1.count == s2.count,
              s1.indices.allSatisfy({ s1[$0] >= 0 && s2[$0] >= 0 && s1[$0] < Int32(m + $0) && s2[$0] < Int32(m + $0) })
        else { throw corrupt("its contraction hierarchy is inconsistent with the graph") }
        let ch = ContractionHierarchy(nodeCount: n, originalArcCount: m, rank: rank,
                                      upFirst: upFirst, upHead: upHead, upTime: upTime, upLength: upLength, upArc: upArc,
                                      downFirst: downFirst, downTail: downTail, downTime: downTime, downLength: downLength, downArc: downArc,
                                      shortcutFirst: s1, shortcutSecond: s2)
        return (graph, ch)
    }

    static func crc<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var value: uLong = 0
        let array = Array(bytes)
        array.withUnsafeBytes { raw in
            value = crc32(0, raw.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(raw.count))
        }
        return UInt32(truncatingIfNeeded: value)
    }
}

@inline(__always) func align8(_ v: Int) -> Int { (v + 7) & ~7 }

struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    mutating func appendString(_ s: String) {
        let utf8 = Array(s.utf8)
        append(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}

struct ByteReader {
    let bytes: [UInt8]
    var position: Int
    mutating func read<T: FixedWidthInteger>(or error: @autoclosure () -> RoadNetworkError) throws -> T {
        let size = MemoryLayout<T>.size
        guard position + size <= bytes.count else { throw error() }
        var v: T = 0
        withUnsafeMutableBytes(of: &v) { $0.copyBytes(from: bytes[position ..< position + size]) }
        position += size
        return T(littleEndian: v)
    }
    mutating func readString(or error: @autoclosure () -> RoadNetworkError) throws -> String {
        let length: UInt32 = try read(or: error())
        guard position + Int(length) <= bytes.count else { throw error() }
        defer { position += Int(length) }
        return String(decoding: bytes[position ..< position + Int(length)], as: UTF8.self)
    }
}
