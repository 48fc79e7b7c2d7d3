import CZlib

/// One SRTM elevation tile: a square grid of heights covering one degree of latitude and longitude.
///
/// Reads the `.hgt` format of NASA's Shuttle Radar Topography Mission (SRTM, version 2/3):
/// big-endian `Int16` metres, rows from north to south, columns from west to east, the first and
/// last rows and columns lying exactly on the tile's edges (so neighbouring tiles share them).
/// 1201 × 1201 samples is SRTM3 (3″, about 90 m); 3601 × 3601 is SRTM1 (1″, about 30 m). The value
/// -32768 marks a void (no data). `.hgt.zip` archives, as distributed, are read directly.
///
/// Heights between samples are interpolated bilinearly. A void is never guessed: `elevation(at:)`
/// returns nil when any sample with a non-zero weight is void, so callers can fall back to
/// another source (e.g. an `ele` tag) instead of trusting an invented value.
public struct ElevationTile: ElevationSource {
    /// The sample value that marks "no data".
    public static let voidValue: Int16 = -32768

    /// Integer latitude and longitude of the south-west corner: N42E001 → (42, 1), S05W078 → (-5, -78).
    public let southWest: (lat: Int, lon: Int)
    /// Samples along each edge: 1201 (SRTM3) or 3601 (SRTM1).
    public let samplesPerSide: Int
    /// Heights in metres, row-major from the north-west corner; `voidValue` where there is no data.
    public let samples: [Int16]

    /// A tile from samples in `.hgt` order (row 0 along the north edge).
    /// - Precondition: `samplesPerSide >= 2` and `samples.count == samplesPerSide * samplesPerSide`.
    public init(southWest: (lat: Int, lon: Int), samplesPerSide: Int, samples: [Int16]) {
        precondition(samplesPerSide >= 2 && samples.count == samplesPerSide * samplesPerSide,
                     "An elevation tile needs samplesPerSide² samples")
        self.southWest = southWest
        self.samplesPerSide = samplesPerSide
        self.samples = samples
    }

    /// Loads an `.hgt` or `.hgt.zip` file whose name gives the corner, like `N42E001.hgt.zip`.
    /// For a zip archive whose own name gives no corner, the name of the `.hgt` inside is used.
    /// - Throws: `RoadNetworkError.cannotRead` when the file cannot be read or no name gives the
    ///   corner; `.corruptFile` for a damaged archive, a CRC mismatch or a wrong size;
    ///   `.unsupportedFeature` for ZIP64, encrypted or unusually compressed archives.
    /// - Complexity: O(samples).
    public static func load(path: String) throws -> ElevationTile {
        try load(path: path, southWest: nil)
    }

    /// Loads an `.hgt` or `.hgt.zip` file, taking the corner from `southWest` when given and
    /// otherwise from the file name (or the name of the `.hgt` inside a zip archive).
    /// - Throws: as `load(path:)`.
    /// - Complexity: O(samples).
    public static func load(path: String, southWest: (lat: Int, lon: Int)?) throws -> ElevationTile {
        let file = try FileBytes.read(path: path)
        var hgt = file
        var innerName: String?
        if file.count >= 4, file[0] == 0x50, file[1] == 0x4B, file[2] == 0x03 || file[2] == 0x05 {
            (innerName, hgt) = try ZipEntryReader.singleEntry(endingWith: ".hgt", in: file, path: path)
        }
        guard let corner = southWest ?? cornerFromName(path) ?? innerName.flatMap(cornerFromName) else {
            throw RoadNetworkError.cannotRead(
                path: path,
                reason: "its name does not give the tile's south-west corner; name SRTM tiles like N42E001.hgt or S05W078.hgt.zip")
        }
        return try parse(hgt: hgt, southWest: corner, source: path)
    }

    /// A tile from the bytes of an uncompressed `.hgt` file; the size gives the resolution.
    /// - Throws: `RoadNetworkError.corruptFile` when the size is neither SRTM3 nor SRTM1.
    /// - Complexity: O(samples).
    public static func parse(hgt bytes: [UInt8], southWest: (lat: Int, lon: Int), source: String) throws -> ElevationTile {
        let side: Int
        switch bytes.count {
        case 2 * 1201 * 1201: side = 1201
        case 2 * 3601 * 3601: side = 3601
        default:
            throw RoadNetworkError.corruptFile(
                path: source,
                reason: "an SRTM tile has 2,884,802 bytes (1201 × 1201, SRTM3) or 25,934,402 bytes (3601 × 3601, SRTM1), but this one has \(bytes.count)")
        }
        let samples = [Int16](unsafeUninitializedCapacity: side * side) { buffer, count in
            bytes.withUnsafeBufferPointer { raw in
                for k in 0..<(side * side) {
                    buffer[k] = Int16(bitPattern: UInt16(raw[2 * k]) << 8 | UInt16(raw[2 * k + 1]))
                }
            }
            count = side * side
        }
        return ElevationTile(southWest: southWest, samplesPerSide: side, samples: samples)
    }

    /// The corner a tile name gives: the last path component starting with `[NS]dd[EW]ddd`,
    /// in either case, e.g. `N42E001.hgt` → (42, 1) and `s05w078.hgt.zip` → (-5, -78).
    /// - Complexity: O(path length).
    public static func cornerFromName(_ path: String) -> (lat: Int, lon: Int)? {
        let name = Array(path.utf8.split(separator: 0x2F, omittingEmptySubsequences: false).last ?? [])
        guard name.count >= 7 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var v = 0
            for k in range {
                let d = name[k] &- 0x30
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            return v
        }
        let ns = name[0] | 0x20, ew = name[3] | 0x20
        guard ns == 0x6E || ns == 0x73, ew == 0x65 || ew == 0x77,
              let lat = number(1..<3), let lon = number(4..<7),
              lat < 90 || (lat == 90 && ns == 0x73), lon < 180 || (lon == 180 && ew == 0x77),
              name.count == 7 || name[7] == 0x2E
        else { return nil }
        return (ns == 0x73 ? -lat : lat, ew == 0x77 ? -lon : lon)
    }

    /// The area the tile covers (edges included).
    public var boundingBox: BoundingBox {
        BoundingBox(minLatitude: Double(southWest.lat), minLongitude: Double(southWest.lon),
                    maxLatitude: Double(southWest.lat + 1), maxLongitude: Double(southWest.lon + 1))
    }

    /// The sample at `row` (0 = north edge) and `column` (0 = west edge), nil when void.
    /// - Precondition: both lie in `0..<samplesPerSide`.
    public func sample(row: Int, column: Int) -> Int16? {
        precondition(row >= 0 && row < samplesPerSide && column >= 0 && column < samplesPerSide)
        let value = samples[row * samplesPerSide + column]
        return value == Self.voidValue ? nil : value
    }

    /// Height in metres at `coordinate`, interpolated bilinearly between the four surrounding
    /// samples; nil outside the tile or when a sample with non-zero weight is void.
    /// - Complexity: O(1).
    public func elevation(at coordinate: Coordinate) -> Double? {
        let south = Double(southWest.lat), west = Double(southWest.lon)
        guard coordinate.latitude >= south, coordinate.latitude <= south + 1,
              coordinate.longitude >= west, coordinate.longitude <= west + 1
        else { return nil }  // also rejects NaN
        let last = Double(samplesPerSide - 1)
        let y = Self.snapped((south + 1 - coordinate.latitude) * last)
        let x = Self.snapped((coordinate.longitude - west) * last)
        let row = min(Int(y), samplesPerSide - 2)
        let column = min(Int(x), samplesPerSide - 2)
        let fy = y - Double(row), fx = x - Double(column)
        let base = row * samplesPerSide + column
        return samples.withUnsafeBufferPointer { s -> Double? in
            var sum = 0.0
            @inline(__always) func add(_ index: Int, _ weight: Double) -> Bool {
                guard weight > 0 else { return true }
                let value = s[index]
                guard value != Self.voidValue else { return false }
                sum += weight * Double(value)
                return true
            }
            guard add(base, (1 - fy) * (1 - fx)), add(base + 1, (1 - fy) * fx),
                  add(base + samplesPerSide, fy * (1 - fx)), add(base + samplesPerSide + 1, fy * fx)
            else { return nil }
            return sum
        }
    }

    /// Rounds grid positions within 1e-6 samples (a few millimetres) of a sample onto it, so a
    /// coordinate on a sample is not blended with a void neighbour through rounding noise.
    @inline(__always)
    static func snapped(_ position: Double) -> Double {
        let nearest = position.rounded()
        return abs(position - nearest) < 1e-6 ? nearest : position
    }
}

/// Elevation over an area covered by one or more SRTM tiles, e.g. a zone across a degree line.
public struct ElevationModel: ElevationSource {
    /// The tiles, sorted by south-west corner (latitude, then longitude), corners unique.
    public let tiles: [ElevationTile]

    /// A model over `tiles`; when two tiles share a corner, the later one wins.
    /// - Complexity: O(t log t) for t tiles.
    public init(tiles: [ElevationTile]) {
        var sorted: [ElevationTile] = []
        for (_, tile) in tiles.enumerated().sorted(by: { a, b in
            let ka = Self.key(a.element.southWest.lat, a.element.southWest.lon)
            let kb = Self.key(b.element.southWest.lat, b.element.southWest.lon)
            return ka != kb ? ka < kb : a.offset < b.offset
        }) {
            if let last = sorted.last, Self.key(last.southWest.lat, last.southWest.lon) == Self.key(tile.southWest.lat, tile.southWest.lon) {
                sorted[sorted.count - 1] = tile
            } else {
                sorted.append(tile)
            }
        }
        self.tiles = sorted
    }

    /// Loads every tile file in `paths` (`.hgt` or `.hgt.zip`).
    /// - Throws: the first error of `ElevationTile.load(path:)`.
    /// - Complexity: O(total samples).
    public static func load(paths: [String]) throws -> ElevationModel {
        ElevationModel(tiles: try paths.map { try ElevationTile.load(path: $0) })
    }

    /// The tile whose south-west corner is (`lat`, `lon`), if loaded.
    /// - Complexity: O(log t).
    public func tile(southWest lat: Int, _ lon: Int) -> ElevationTile? {
        let wanted = Self.key(lat, lon)
        var lo = 0
        var hi = tiles.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if Self.key(tiles[mid].southWest.lat, tiles[mid].southWest.lon) < wanted { lo = mid + 1 } else { hi = mid }
        }
        guard lo < tiles.count, Self.key(tiles[lo].southWest.lat, tiles[lo].southWest.lon) == wanted else { return nil }
        return tiles[lo]
    }

    /// Height in metres at `coordinate` from the tile that contains it; on a shared tile edge the
    /// neighbouring tile is used when the first has no value. Nil where no tile has data.
    /// - Complexity: O(log t).
    public func elevation(at coordinate: Coordinate) -> Double? {
        guard coordinate.isValid else { return nil }
        let lat = Int(coordinate.latitude.rounded(.down)), lon = Int(coordinate.longitude.rounded(.down))
        if let value = tile(southWest: lat, lon)?.elevation(at: coordinate) { return value }
        let onSouthEdge = Double(lat) == coordinate.latitude, onWestEdge = Double(lon) == coordinate.longitude
        if onSouthEdge, let value = tile(southWest: lat - 1, lon)?.elevation(at: coordinate) { return value }
        if onWestEdge, let value = tile(southWest: lat, lon - 1)?.elevation(at: coordinate) { return value }
        if onSouthEdge, onWestEdge, let value = tile(southWest: lat - 1, lon - 1)?.elevation(at: coordinate) { return value }
        return nil
    }

    @inline(__always)
    static func key(_ lat: Int, _ lon: Int) -> Int { lat * 1000 + lon }
}

// MARK: - Zip archives

/// Extracts one entry from a zip archive (PKWARE APPNOTE 6.3): the central directory gives the
/// sizes and CRC-32 (so data descriptors need no special care), entries are stored (method 0)
/// or raw deflate (method 8, inflated with zlib), and the CRC-32 is always verified.
enum ZipEntryReader {
    /// The name and uncompressed bytes of the single entry whose name ends with `suffix`
    /// (case-insensitive; macOS `__MACOSX/` and `._` resource forks are ignored).
    /// - Throws: `RoadNetworkError.corruptFile` or `.unsupportedFeature`, naming the problem.
    /// - Complexity: O(archive size + entry size).
    static func singleEntry(endingWith suffix: String, in zip: [UInt8], path: String) throws -> (name: String, bytes: [UInt8]) {
        func corrupt(_ reason: String) -> RoadNetworkError { .corruptFile(path: path, reason: reason) }
        func u16(_ o: Int) throws -> Int {
            guard o >= 0, o + 2 <= zip.count else { throw corrupt("a zip record points past the end of the file") }
            return Int(zip[o]) | Int(zip[o + 1]) << 8
        }
        func u32(_ o: Int) throws -> Int {
            guard o >= 0, o + 4 <= zip.count else { throw corrupt("a zip record points past the end of the file") }
            return Int(zip[o]) | Int(zip[o + 1]) << 8 | Int(zip[o + 2]) << 16 | Int(zip[o + 3]) << 24
        }

        // End of central directory: 22 bytes plus a comment of at most 65,535 bytes, at the end.
        var end = zip.count - 22
        let earliest = max(0, zip.count - 22 - 65_535)
        while end >= earliest, !(zip[end] == 0x50 && zip[end + 1] == 0x4B && zip[end + 2] == 0x05 && zip[end + 3] == 0x06) {
            end -= 1
        }
        guard end >= earliest, end >= 0 else {
            throw corrupt("it has no zip end-of-central-directory record, so the archive is truncated or not a zip file")
        }
        let entryCount = try u16(end + 10)
        let directorySize = try u32(end + 12)
        let directoryOffset = try u32(end + 16)
        if entryCount == 0xFFFF || directoryOffset == 0xFFFF_FFFF {
            throw RoadNetworkError.unsupportedFeature(path: path, feature: "ZIP64 archives")
        }
        guard directoryOffset + directorySize <= end else {
            throw corrupt("the zip central directory lies outside the file; the archive is truncated")
        }

        struct Entry { var name: String; var flags, method, crc, compressedSize, size, localOffset: Int }
        var matches: [Entry] = []
        var o = directoryOffset
        let lowerSuffix = Array(suffix.lowercased().utf8)
        for _ in 0..<entryCount {
            guard try u32(o) == 0x0201_4B50 else { throw corrupt("the zip central directory is damaged") }
            let nameLength = try u16(o + 28), extraLength = try u16(o + 30), commentLength = try u16(o + 32)
            guard o + 46 + nameLength <= zip.count else { throw corrupt("the zip central directory is damaged") }
            let nameBytes = Array(zip[(o + 46)..<(o + 46 + nameLength)])
            let lower = nameBytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            let base = lower.split(separator: 0x2F, omittingEmptySubsequences: false).last ?? []
            let isResourceFork = lower.starts(with: Array("__macosx/".utf8)) || base.starts(with: [0x2E, 0x5F])
            if lower.count >= lowerSuffix.count, Array(lower.suffix(lowerSuffix.count)) == lowerSuffix, !isResourceFork {
                matches.append(Entry(name: String(decoding: nameBytes, as: UTF8.self), flags: try u16(o + 8),
                                     method: try u16(o + 10), crc: try u32(o + 16), compressedSize: try u32(o + 20),
                                     size: try u32(o + 24), localOffset: try u32(o + 42)))
            }
            o += 46 + nameLength + extraLength + commentLength
        }
        guard matches.count == 1, let entry = matches.first else {
            throw matches.isEmpty
                ? corrupt("the zip archive holds no \(suffix) file")
                : RoadNetworkError.unsupportedFeature(
                    path: path, feature: "a zip archive with \(matches.count) \(suffix) files (\(matches.map(\.name).joined(separator: ", ")))")
        }
        if entry.flags & 1 != 0 {
            throw RoadNetworkError.unsupportedFeature(path: path, feature: "encrypted zip entries")
        }
        if entry.compressedSize == 0xFFFF_FFFF || entry.size == 0xFFFF_FFFF || entry.localOffset == 0xFFFF_FFFF {
            throw RoadNetworkError.unsupportedFeature(path: path, feature: "ZIP64 archives")
        }
        guard try u32(entry.localOffset) == 0x0403_4B50 else {
            throw corrupt("the local header of \(entry.name) is missing")
        }
        let dataStart = entry.localOffset + 30 + (try u16(entry.localOffset + 26)) + (try u16(entry.localOffset + 28))
        guard dataStart + entry.compressedSize <= zip.count else {
            throw corrupt("\(entry.name) needs \(entry.compressedSize) compressed bytes but the file ends after \(max(0, zip.count - dataStart)); it is truncated")
        }

        let bytes: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.size else { throw corrupt("the stored entry \(entry.name) has inconsistent sizes") }
            bytes = Array(zip[dataStart..<(dataStart + entry.size)])
        case 8:
            bytes = try inflateRaw(zip, from: dataStart, count: entry.compressedSize, size: entry.size, name: entry.name, path: path)
        default:
            throw RoadNetworkError.unsupportedFeature(
                path: path, feature: "zip compression method \(entry.method) (only stored and deflate are supported)")
        }
        let crc = bytes.withUnsafeBufferPointer { buffer in
            Int(crc32(0, buffer.baseAddress, UInt32(buffer.count)))
        }
        guard crc == entry.crc else {
            throw corrupt("the CRC-32 of \(entry.name) is \(hex(crc)) but the archive records \(hex(entry.crc)); the data is damaged")
        }
        return (entry.name, bytes)
    }

    /// Inflates raw deflate data (RFC 1951) of known output size with zlib.
    /// - Complexity: O(count + size).
    static func inflateRaw(_ input: [UInt8], from start: Int, count: Int, size: Int, name: String, path: String) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw RoadNetworkError.cannotRead(path: path, reason: "zlib could not be initialised")
        }
        defer { inflateEnd(&stream) }
        guard size > 0 else { return [] }
        var output = [UInt8](repeating: 0, count: size)
        let status = input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress! + start)
                stream.avail_in = UInt32(count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(size)
                return inflate(&stream, Z_FINISH)
            }
        }
        switch status {
        case Z_STREAM_END where Int(stream.total_out) == size:
            return output
        case Z_STREAM_END:
            throw RoadNetworkError.corruptFile(path: path, reason: "\(name) inflates to \(stream.total_out) bytes, not the \(size) the archive records")
        case Z_BUF_ERROR where stream.avail_out == 0:
            throw RoadNetworkError.corruptFile(path: path, reason: "\(name) inflates to more than the \(size) bytes the archive records")
        case Z_BUF_ERROR:
            throw RoadNetworkError.corruptFile(path: path, reason: "the compressed data of \(name) ends early; the archive is truncated")
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
            throw RoadNetworkError.corruptFile(path: path, reason: "the compressed data of \(name) is damaged (\(message))")
        }
    }

    static func hex(_ value: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
