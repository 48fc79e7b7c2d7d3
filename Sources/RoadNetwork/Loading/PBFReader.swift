import CZlib

/// Reads OpenStreetMap `.osm.pbf` files: our own reader over the protobuf wire format plus zlib.
///
/// Two passes over the file's blobs, as libosmium and OSRM do: pass 1 decodes every data block and
/// keeps the road ways (`OSMWay.isRoadCandidate`) and the ids of the nodes they use; pass 2 decodes
/// only the blocks that hold nodes and keeps the positions of those ids. Blocks are independent
/// (own string table, own delta bases), so each pass decodes them in parallel.
/// Format: osmpbf `fileformat.proto` / `osmformat.proto` (https://wiki.openstreetmap.org/wiki/PBF_Format).
public enum PBFReader {
    static let maxBlobHeaderSize = 64 * 1024
    static let maxUncompressedBlobSize = 32 * 1024 * 1024
    static let understoodFeatures: Set<String> = ["OsmSchema-V0.6", "DenseNodes"]

    public static func read(path: String) throws -> OSMData {
        try parse(bytes: try FileBytes.read(path: path), source: path)
    }

    struct BlobRef {
        var isHeader: Bool
        var offset: Int
        var size: Int
    }

    public static func parse(bytes: [UInt8], source: String) throws -> OSMData {
        let blobs = try indexBlobs(bytes, source: source)
        guard let first = blobs.first, first.isHeader else {
            throw RoadNetworkError.corruptFile(path: source, reason: "the first block is not an OSMHeader")
        }
        let bbox = try parseHeader(bytes, first, source: source)
        let dataBlobs = blobs.filter { !$0.isHeader }

        // Pass 1: ways.
        let pass1 = parallelMap(count: dataBlobs.count) { i in
            Result { try decodeWays(bytes, dataBlobs[i], source: source) }
        }
        var ways: [OSMWay] = []
        var nodeBlobs: [BlobRef] = []
        for (i, result) in pass1.enumerated() {
            let r = try result.get()
            ways.append(contentsOf: r.ways)
            if r.hasNodes { nodeBlobs.append(dataBlobs[i]) }
        }
        var needed: [Int64] = []
        needed.reserveCapacity(ways.reduce(0) { $0 + $1.nodeIDs.count })
        for w in ways { needed.append(contentsOf: w.nodeIDs) }
        needed.sort()
        needed = uniqued(needed)

        // Pass 2: positions of the needed nodes.
        let neededIDs = needed
        let nodeBlobList = nodeBlobs
        let pass2 = parallelMap(count: nodeBlobs.count) { i in
            Result { try decodeNodes(bytes, nodeBlobList[i], needed: neededIDs, source: source) }
        }
        var positions = [FixedCoordinate](repeating: FixedCoordinate(latitudeE7: 0, longitudeE7: 0), count: needed.count)
        var found = [Bool](repeating: false, count: needed.count)
        for result in pass2 {
            for (index, position) in try result.get() {
                positions[index] = position
                found[index] = true
            }
        }
        var ids: [Int64] = []
        var coords: [FixedCoordinate] = []
        ids.reserveCapacity(needed.count)
        coords.reserveCapacity(needed.count)
        for i in needed.indices where found[i] {
            ids.append(needed[i])
            coords.append(positions[i])
        }
        return OSMData(ways: ways, nodeIDs: ids, nodePositions: coords, headerBoundingBox: bbox, source: source)
    }

    // MARK: - File and blob structure

    static func indexBlobs(_ bytes: [UInt8], source: String) throws -> [BlobRef] {
        var blobs: [BlobRef] = []
        var pos = 0
        try bytes.withUnsafeBytes { raw in
            while pos < raw.count {
                guard raw.count - pos >= 4 else {
                    throw RoadNetworkError.corruptFile(path: source, reason: "the file ends inside a block length at byte \(pos)")
                }
                let headerSize = Int(raw[pos]) << 24 | Int(raw[pos + 1]) << 16 | Int(raw[pos + 2]) << 8 | Int(raw[pos + 3])
                pos += 4
                guard headerSize > 0, headerSize <= maxBlobHeaderSize else {
                    throw RoadNetworkError.corruptFile(path: source, reason: "a block header claims \(headerSize) bytes at byte \(pos - 4) (not a PBF file?)")
                }
                guard raw.count - pos >= headerSize else {
                    throw RoadNetworkError.corruptFile(path: source, reason: "the file ends inside a block header at byte \(pos)")
                }
                var reader = ProtobufReader(UnsafeRawBufferPointer(rebasing: raw[pos ..< pos + headerSize]))
                var type = ""
                var dataSize = -1
                do {
                    while let (field, wire) = try reader.readKey() {
                        switch (field, wire) {
                        case (1, 2): type = try reader.readString()
                        case (3, 0): dataSize = Int(truncatingIfNeeded: try reader.readInt64())
                        default: try reader.skip(wireType: wire)
                        }
                    }
                } catch let e as ProtobufError {
                    throw RoadNetworkError.corruptFile(path: source, reason: "bad block header at byte \(pos): \(e.reason)")
                }
                pos += headerSize
                guard dataSize >= 0, dataSize <= maxUncompressedBlobSize else {
                    throw RoadNetworkError.corruptFile(path: source, reason: "block at byte \(pos) has an invalid size \(dataSize)")
                }
                guard raw.count - pos >= dataSize else {
                    throw RoadNetworkError.corruptFile(path: source, reason: "the file ends inside a \(type) block (\(raw.count - pos) of \(dataSize) bytes present)")
                }
                if type == "OSMHeader" || type == "OSMData" {
                    blobs.append(BlobRef(isHeader: type == "OSMHeader", offset: pos, size: dataSize))
                }
                pos += dataSize
            }
        }
        if blobs.isEmpty {
            throw RoadNetworkError.corruptFile(path: source, reason: "it holds no OSM blocks")
        }
        return blobs
    }

    /// Inflates a Blob message into its raw bytes.
    static func blobContents(_ bytes: [UInt8], _ blob: BlobRef, source: String) throws -> [UInt8] {
        try bytes.withUnsafeBytes { raw in
            var reader = ProtobufReader(UnsafeRawBufferPointer(rebasing: raw[blob.offset ..< blob.offset + blob.size]))
            var rawSize = -1
            var rawData: UnsafeRawBufferPointer?
            var zlibData: UnsafeRawBufferPointer?
            do {
                while let (field, wire) = try reader.readKey() {
                    switch (field, wire) {
                    case (1, 2): rawData = try reader.readBytes()
                    case (2, 0): rawSize = Int(truncatingIfNeeded: try reader.readInt64())
                    case (3, 2): zlibData = try reader.readBytes()
                    case (4, _): throw RoadNetworkError.unsupportedFeature(path: source, feature: "LZMA-compressed blocks")
                    case (5, _): throw RoadNetworkError.unsupportedFeature(path: source, feature: "bzip2-compressed blocks")
                    case (6, _): throw RoadNetworkError.unsupportedFeature(path: source, feature: "LZ4-compressed blocks")
                    case (7, _): throw RoadNetworkError.unsupportedFeature(path: source, feature: "Zstandard-compressed blocks")
                    default: try reader.skip(wireType: wire)
                    }
                }
            } catch let e as ProtobufError {
                throw RoadNetworkError.corruptFile(path: source, reason: "bad blob at byte \(blob.offset): \(e.reason)")
            }
            if let rawData { return Array(rawData) }
            guard let zlibData else {
                throw RoadNetworkError.corruptFile(path: source, reason: "blob at byte \(blob.offset) has no data")
            }
            guard rawSize >= 0, rawSize <= maxUncompressedBlobSize else {
                throw RoadNetworkError.corruptFile(path: source, reason: "blob at byte \(blob.offset) claims \(rawSize) uncompressed bytes")
            }
            var output = [UInt8](repeating: 0, count: rawSize)
            var outLength = uLongf(rawSize)
            let status = output.withUnsafeMutableBytes { out in
                uncompress(out.baseAddress!.assumingMemoryBound(to: Bytef.self), &outLength,
                           zlibData.baseAddress!.assumingMemoryBound(to: Bytef.self), uLong(zlibData.count))
            }
            guard status == Z_OK, Int(outLength) == rawSize else {
                throw RoadNetworkError.corruptFile(path: source, reason: "zlib data of the blob at byte \(blob.offset) does not inflate (zlib status \(status))")
            }
            return output
        }
    }

    static func parseHeader(_ bytes: [UInt8], _ blob: BlobRef, source: String) throws -> BoundingBox? {
        let data = try blobContents(bytes, blob, source: source)
        var bbox: BoundingBox?
        var required: [String] = []
        do {
            try data.withUnsafeBytes { raw in
                var reader = ProtobufReader(raw)
                while let (field, wire) = try reader.readKey() {
                    switch (field, wire) {
                    case (1, 2):
                        var b = try reader.readMessage()
                        var v = [Int64](repeating: 0, count: 5)
                        while let (f, w) = try b.readKey() {
                            if (1...4).contains(f) && w == 0 { v[f] = try b.readSignedVarint() } else { try b.skip(wireType: w) }
                        }
                        bbox = BoundingBox(minLatitude: Double(v[4]) * 1e-9, minLongitude: Double(v[1]) * 1e-9,
                                           maxLatitude: Double(v[3]) * 1e-9, maxLongitude: Double(v[2]) * 1e-9)
                    case (4, 2): required.append(try reader.readString())
                    default: try reader.skip(wireType: wire)
                    }
                }
            }
        } catch let e as ProtobufError {
            throw RoadNetworkError.corruptFile(path: source, reason: "bad OSMHeader: \(e.reason)")
        }
        for feature in required where !understoodFeatures.contains(feature) {
            throw RoadNetworkError.unsupportedFeature(path: source, feature: "the required feature \"\(feature)\"")
        }
        return bbox
    }

    // MARK: - Primitive blocks

    /// Byte ranges of a block's string table entries.
    struct StringTable {
        var ranges: [Range<Int>] = []
        func index(of text: StaticString, in raw: UnsafeRawBufferPointer) -> Int? {
            let target = UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            for (i, r) in ranges.enumerated() where r.count == target.count {
                if memcmpEqual(raw.baseAddress! + r.lowerBound, target.baseAddress!, r.count) { return i }
            }
            return nil
        }
        func string(_ i: Int, in raw: UnsafeRawBufferPointer) -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: raw[ranges[i]]), as: UTF8.self)
        }
    }

    struct BlockHeader {
        var strings = StringTable()
        var granularity: Int64 = 100
        var latOffset: Int64 = 0
        var lonOffset: Int64 = 0
        var groups: [ProtobufReader] = []
    }

    static func readBlock(_ raw: UnsafeRawBufferPointer) throws -> BlockHeader {
        var reader = ProtobufReader(raw)
        var h = BlockHeader()
        while let (field, wire) = try reader.readKey() {
            switch (field, wire) {
            case (1, 2):
                var st = try reader.readMessage()
                while let (f, w) = try st.readKey() {
                    if f == 1 && w == 2 {
                        let s = try st.readMessage()
                        h.strings.ranges.append(s.position ..< s.end)
                    } else { try st.skip(wireType: w) }
                }
            case (2, 2): h.groups.append(try reader.readMessage())
            case (17, 0): h.granularity = try reader.readInt64()
            case (19, 0): h.latOffset = try reader.readInt64()
            case (20, 0): h.lonOffset = try reader.readInt64()
            default: try reader.skip(wireType: wire)
            }
        }
        return h
    }

    static func decodeWays(_ bytes: [UInt8], _ blob: BlobRef, source: String) throws -> (ways: [OSMWay], hasNodes: Bool) {
        let data = try blobContents(bytes, blob, source: source)
        do {
            return try data.withUnsafeBytes { raw in
                let block = try readBlock(raw)
                var ways: [OSMWay] = []
                var hasNodes = false
                let highway = block.strings.index(of: "highway", in: raw)
                var keys: [Int] = []
                var vals: [Int] = []
                var refs: [Int64] = []
                for var group in block.groups {
                    while let (field, wire) = try group.readKey() {
                        switch field {
                        case 1, 2:
                            hasNodes = true
                            try group.skip(wireType: wire)
                        case 3 where wire == 2:
                            var w = try group.readMessage()
                            guard let highway else { continue }
                            keys.removeAll(keepingCapacity: true)
                            vals.removeAll(keepingCapacity: true)
                            refs.removeAll(keepingCapacity: true)
                            var id: Int64 = 0
                            while let (f, wt) = try w.readKey() {
                                switch f {
                                case 1: id = try w.readInt64()
                                case 2: try w.forEachVarint(wireType: wt) { keys.append(Int(truncatingIfNeeded: $0)) }
                                case 3: try w.forEachVarint(wireType: wt) { vals.append(Int(truncatingIfNeeded: $0)) }
                                case 8:
                                    var last: Int64 = 0
                                    try w.forEachVarint(wireType: wt) { last &+= zigzag($0); refs.append(last) }
                                default: try w.skip(wireType: wt)
                                }
                            }
                            guard keys.contains(highway) else { continue }
                            guard keys.count == vals.count else { throw ProtobufError(reason: "way \(id) has \(keys.count) keys but \(vals.count) values") }
                            let count = block.strings.ranges.count
                            var tags: [(key: String, value: String)] = []
                            tags.reserveCapacity(keys.count)
                            for (k, v) in zip(keys, vals) {
                                guard k >= 0, v >= 0, k < count, v < count else { throw ProtobufError(reason: "way \(id) names string \(max(k, v)) of \(count)") }
                                tags.append((block.strings.string(k, in: raw), block.strings.string(v, in: raw)))
                            }
                            if OSMWay.isRoadCandidate(tags) && refs.count >= 2 {
                                ways.append(OSMWay(id: id, nodeIDs: refs, tags: tags))
                            }
                        default:
                            try group.skip(wireType: wire)
                        }
                    }
                }
                return (ways, hasNodes)
            }
        } catch let e as ProtobufError {
            throw RoadNetworkError.corruptFile(path: source, reason: "bad data block at byte \(blob.offset): \(e.reason)")
        }
    }

    static func decodeNodes(_ bytes: [UInt8], _ blob: BlobRef, needed: [Int64], source: String) throws -> [(Int, FixedCoordinate)] {
        let data = try blobContents(bytes, blob, source: source)
        do {
            return try data.withUnsafeBytes { raw in
                let block = try readBlock(raw)
                var out: [(Int, FixedCoordinate)] = []
                func fixed(_ lat: Int64, _ lon: Int64) throws -> FixedCoordinate {
                    // Nanodegrees → 1e-7 degrees, refusing values no valid file can hold.
                    func nano(_ offset: Int64, _ value: Int64, limit: Int64) throws -> Int64 {
                        let (product, o1) = block.granularity.multipliedReportingOverflow(by: value)
                        let (sum, o2) = product.addingReportingOverflow(offset)
                        guard !o1, !o2, sum >= -limit, sum <= limit else {
                            throw ProtobufError(reason: "a node position lies outside the globe")
                        }
                        return sum
                    }
                    let latNano = try nano(block.latOffset, lat, limit: 90_000_000_000)
                    let lonNano = try nano(block.lonOffset, lon, limit: 180_000_000_000)
                    return FixedCoordinate(latitudeE7: Int32(roundedDivide(latNano, 100)), longitudeE7: Int32(roundedDivide(lonNano, 100)))
                }
                var ids: [Int64] = []
                var lats: [Int64] = []
                var lons: [Int64] = []
                for var group in block.groups {
                    while let (field, wire) = try group.readKey() {
                        switch (field, wire) {
                        case (2, 2):
                            let dense = try group.readMessage()
                            try decodeDenseIDsAndPositions(dense, ids: &ids, lats: &lats, lons: &lons)
                            for i in ids.indices {
                                if let index = binarySearch(needed, ids[i]) { out.append((index, try fixed(lats[i], lons[i]))) }
                            }
                        case (1, 2):
                            var node = try group.readMessage()
                            var id: Int64 = 0, lat: Int64 = 0, lon: Int64 = 0
                            while let (f, wt) = try node.readKey() {
                                switch f {
                                case 1: id = try node.readSignedVarint()
                                case 8: lat = try node.readSignedVarint()
                                case 9: lon = try node.readSignedVarint()
                                default: try node.skip(wireType: wt)
                                }
                            }
                            if let index = binarySearch(needed, id) { out.append((index, try fixed(lat, lon))) }
                        default:
                            try group.skip(wireType: wire)
                        }
                    }
                }
                return out
            }
        } catch let e as ProtobufError {
            throw RoadNetworkError.corruptFile(path: source, reason: "bad data block at byte \(blob.offset): \(e.reason)")
        }
    }
}

extension PBFReader {
    /// The ids and raw latitudes and longitudes of a DenseNodes message (delta-coded), replacing
    /// the arrays' contents (their capacity is kept for the next block).
    static func decodeDenseIDsAndPositions(_ message: ProtobufReader, ids: inout [Int64], lats: inout [Int64], lons: inout [Int64]) throws {
        ids.removeAll(keepingCapacity: true)
        lats.removeAll(keepingCapacity: true)
        lons.removeAll(keepingCapacity: true)
        var dense = message
        while let (f, wt) = try dense.readKey() {
            switch f {
            case 1:
                var last: Int64 = 0
                try dense.forEachVarint(wireType: wt) { last &+= zigzag($0); ids.append(last) }
            case 8:
                var last: Int64 = 0
                try dense.forEachVarint(wireType: wt) { last &+= zigzag($0); lats.append(last) }
            case 9:
                var last: Int64 = 0
                try dense.forEachVarint(wireType: wt) { last &+= zigzag($0); lons.append(last) }
            default: try dense.skip(wireType: wt)
            }
        }
        guard ids.count == lats.count, ids.count == lons.count else {
            throw ProtobufError(reason: "dense nodes with \(ids.count) ids, \(lats.count) latitudes and \(lons.count) longitudes")
        }
    }
}

@inline(__always) func roundedDivide(_ a: Int64, _ b: Int64) -> Int64 {
    a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b)
}

/// Index of `value` in the sorted array `a`, or nil.
/// - Complexity: O(log n).
@inline(__always) func binarySearch(_ a: [Int64], _ value: Int64) -> Int? {
    var lo = 0
    var hi = a.count
    while lo < hi {
        let mid = (lo + hi) >> 1
        if a[mid] < value { lo = mid + 1 } else { hi = mid }
    }
    return lo < a.count && a[lo] == value ? lo : nil
}

func uniqued(_ sorted: [Int64]) -> [Int64] {
    var out: [Int64] = []
    out.reserveCapacity(sorted.count)
    for v in sorted where out.last != v { out.append(v) }
    return out
}

func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    for i in 0 ..< n where a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) {
        return false
    }
    return true
}

extension PBFReader {
    /// Inflates every block of a PBF file and discards the result: the floor under any PBF import,
    /// used as the same-run baseline in the import benchmark. Returns the inflated byte count.
    public static func inflateAllBlocks(path: String) throws -> Int {
        let bytes = try FileBytes.read(path: path)
        let blobs = try indexBlobs(bytes, source: path)
        return try parallelMap(count: blobs.count) { i in
            Result { try blobContents(bytes, blobs[i], source: path).count }
        }.reduce(0) { $0 + (try $1.get()) }
    }
}
