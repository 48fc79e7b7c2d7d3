/// Reading `OSMFeatures` from PBF: a reader of its own beside the road reader, so that road
/// import stays exactly as fast as it was.
///
/// Pass 1 decodes every block in parallel and keeps tagged nodes that are points of interest
/// (found through DenseNodes `keys_vals` before any id or position is decoded), closed ways that
/// are points of interest (`refs` decoded only for those), and the wanted relations (administrative
/// boundaries, multipolygon POIs). Pass 2 decodes only the blocks holding ways, when relations need
/// member ways, keeping those ways' references. Pass 3 decodes only the blocks holding nodes and
/// keeps the positions of the nodes of kept ways (`decodeNodes`, as the road reader does).
extension PBFReader {
    struct FeatureBlock {
        var pointNodes: [(id: Int64, position: FixedCoordinate, tags: [(key: String, value: String)], kind: PointOfInterestKind)] = []
        var areaWays: [OSMWay] = []
        var relations: [OSMRelation] = []
        var hasNodes = false
        var hasWays = false
    }

    static func parseFeatureElements(bytes: [UInt8], source: String) throws -> OSMFeatureElements {
        let blobs = try indexBlobs(bytes, source: source)
        guard let first = blobs.first, first.isHeader else {
            throw RoadNetworkError.corruptFile(path: source, reason: "the first block is not an OSMHeader")
        }
        var elements = OSMFeatureElements(source: source)
        elements.headerBoundingBox = try parseHeader(bytes, first, source: source)
        let dataBlobs = blobs.filter { !$0.isHeader }

        // Pass 1: points of interest and relations.
        let pass1 = parallelMap(count: dataBlobs.count) { i in
            Result { try decodeFeatureBlock(bytes, dataBlobs[i], source: source) }
        }
        var nodeBlobs: [BlobRef] = []
        var wayBlobs: [BlobRef] = []
        for (i, result) in pass1.enumerated() {
            let block = try result.get()
            elements.pointNodes.append(contentsOf: block.pointNodes)
            elements.areaWays.append(contentsOf: block.areaWays)
            elements.relations.append(contentsOf: block.relations)
            if block.hasNodes { nodeBlobs.append(dataBlobs[i]) }
            if block.hasWays { wayBlobs.append(dataBlobs[i]) }
        }

        // Pass 2: the member ways of the kept relations.
        let neededWays = OSMFeatureElements.neededWayIDs(elements.relations)
        if !neededWays.isEmpty {
            let wayBlobList = wayBlobs
            let pass2 = parallelMap(count: wayBlobList.count) { i in
                Result { try decodeMemberWays(bytes, wayBlobList[i], needed: neededWays, source: source) }
            }
            for result in pass2 { elements.memberWays.append(contentsOf: try result.get()) }
            elements.memberWays.sort { $0.id < $1.id }
        }

        // Pass 3: positions of the nodes of kept ways.
        let neededNodes = OSMFeatureElements.neededNodeIDs(elements.areaWays, elements.memberWays)
        if !neededNodes.isEmpty {
            let nodeBlobList = nodeBlobs
            let pass3 = parallelMap(count: nodeBlobList.count) { i in
                Result { try decodeNodes(bytes, nodeBlobList[i], needed: neededNodes, source: source) }
            }
            var positions = [FixedCoordinate](repeating: FixedCoordinate(latitudeE7: 0, longitudeE7: 0), count: neededNodes.count)
            var found = [Bool](repeating: false, count: neededNodes.count)
            for result in pass3 {
                for (index, position) in try result.get() {
                    positions[index] = position
                    found[index] = true
                }
            }
            for i in neededNodes.indices where found[i] {
                elements.nodeIDs.append(neededNodes[i])
                elements.nodePositions.append(positions[i])
            }
        }
        return elements
    }

    /// For each string of a block's table, whether it is one of `PointOfInterestKind.keys`.
    static func pointOfInterestKeys(_ strings: StringTable, in raw: UnsafeRawBufferPointer) -> [Bool] {
        var marks = [Bool](repeating: false, count: strings.ranges.count)
        for key in PointOfInterestKind.keys {
            if let i = strings.index(of: key, in: raw) { marks[i] = true }
        }
        return marks
    }

    static func decodeFeatureBlock(_ bytes: [UInt8], _ blob: BlobRef, source: String) throws -> FeatureBlock {
        let data = try blobContents(bytes, blob, source: source)
        do {
            return try data.withUnsafeBytes { raw in
                let block = try readBlock(raw)
                let count = block.strings.ranges.count
                let poiKey = pointOfInterestKeys(block.strings, in: raw)
                var out = FeatureBlock()
                func tags(_ keys: [Int], _ vals: [Int], of what: @autoclosure () -> String) throws -> [(key: String, value: String)] {
                    guard keys.count == vals.count else { throw ProtobufError(reason: "\(what()) has \(keys.count) keys but \(vals.count) values") }
                    var tags: [(key: String, value: String)] = []
                    tags.reserveCapacity(keys.count)
                    for (k, v) in zip(keys, vals) {
                        guard k >= 0, v >= 0, k < count, v < count else { throw ProtobufError(reason: "\(what()) names string \(max(k, v)) of \(count)") }
                        tags.append((block.strings.string(k, in: raw), block.strings.string(v, in: raw)))
                    }
                    return tags
                }
                func isPOIKey(_ k: Int) -> Bool { k >= 0 && k < count && poiKey[k] }
                func fixed(_ lat: Int64, _ lon: Int64) throws -> FixedCoordinate {
                    try fixedCoordinate(lat, lon, block)
                }
                var keys: [Int] = []
                var vals: [Int] = []
                var refs: [Int64] = []
                for var group in block.groups {
                    while let (field, wire) = try group.readKey() {
                        switch (field, wire) {
                        case (2, 2):
                            out.hasNodes = true
                            let dense = try group.readMessage()
                            try decodeDenseFeatures(dense, isPOIKey: isPOIKey, tags: { try tags($0, $1, of: "a node") },
                                                    fixed: fixed, into: &out)
                        case (1, 2):
                            out.hasNodes = true
                            var node = try group.readMessage()
                            keys.removeAll(keepingCapacity: true)
                            vals.removeAll(keepingCapacity: true)
                            var id: Int64 = 0, lat: Int64 = 0, lon: Int64 = 0
                            while let (f, wt) = try node.readKey() {
                                switch f {
                                case 1: id = try node.readSignedVarint()
                                case 2: try node.forEachVarint(wireType: wt) { keys.append(Int(truncatingIfNeeded: $0)) }
                                case 3: try node.forEachVarint(wireType: wt) { vals.append(Int(truncatingIfNeeded: $0)) }
                                case 8: lat = try node.readSignedVarint()
                                case 9: lon = try node.readSignedVarint()
                                default: try node.skip(wireType: wt)
                                }
                            }
                            guard keys.contains(where: isPOIKey) else { continue }
                            let t = try tags(keys, vals, of: "node \(id)")
                            if let kind = PointOfInterestKind.classify(t) {
                                out.pointNodes.append((id, try fixed(lat, lon), t, kind))
                            }
                        case (3, 2):
                            out.hasWays = true
                            var w = try group.readMessage()
                            keys.removeAll(keepingCapacity: true)
                            vals.removeAll(keepingCapacity: true)
                            var id: Int64 = 0
                            var refsField: (reader: ProtobufReader, wire: Int)?
                            while let (f, wt) = try w.readKey() {
                                switch f {
                                case 1: id = try w.readInt64()
                                case 2: try w.forEachVarint(wireType: wt) { keys.append(Int(truncatingIfNeeded: $0)) }
                                case 3: try w.forEachVarint(wireType: wt) { vals.append(Int(truncatingIfNeeded: $0)) }
                                case 8:
                                    // Kept as a slice; decoded only for a candidate way.
                                    refsField = (w, wt)
                                    try w.skip(wireType: wt)
                                default: try w.skip(wireType: wt)
                                }
                            }
                            guard keys.contains(where: isPOIKey), let refsField else { continue }
                            let t = try tags(keys, vals, of: "way \(id)")
                            guard PointOfInterestKind.classify(t) != nil else { continue }
                            refs.removeAll(keepingCapacity: true)
                            var last: Int64 = 0
                            var refsReader = refsField.reader
                            try refsReader.forEachVarint(wireType: refsField.wire) { last &+= zigzag($0); refs.append(last) }
                            if refs.count >= 4, refs.first == refs.last {
                                out.areaWays.append(OSMWay(id: id, nodeIDs: refs, tags: t))
                            }
                        case (4, 2):
                            var r = try group.readMessage()
                            keys.removeAll(keepingCapacity: true)
                            vals.removeAll(keepingCapacity: true)
                            var id: Int64 = 0
                            var roles: [Int] = []
                            var memberIDs: [Int64] = []
                            var types: [UInt64] = []
                            while let (f, wt) = try r.readKey() {
                                switch f {
                                case 1: id = try r.readInt64()
                                case 2: try r.forEachVarint(wireType: wt) { keys.append(Int(truncatingIfNeeded: $0)) }
                                case 3: try r.forEachVarint(wireType: wt) { vals.append(Int(truncatingIfNeeded: $0)) }
                                case 8: try r.forEachVarint(wireType: wt) { roles.append(Int(truncatingIfNeeded: Int32(truncatingIfNeeded: $0))) }
                                case 9:
                                    var last: Int64 = 0
                                    try r.forEachVarint(wireType: wt) { last &+= zigzag($0); memberIDs.append(last) }
                                case 10: try r.forEachVarint(wireType: wt) { types.append($0) }
                                default: try r.skip(wireType: wt)
                                }
                            }
                            var relation = OSMRelation(id: id, tags: try tags(keys, vals, of: "relation \(id)"), wayMembers: [])
                            guard relation.isWanted else { continue }
                            guard roles.count == memberIDs.count, types.count == memberIDs.count else {
                                throw ProtobufError(reason: "relation \(id) has \(memberIDs.count) members but \(roles.count) roles and \(types.count) types")
                            }
                            for m in memberIDs.indices where types[m] == 1 {
                                guard roles[m] >= 0, roles[m] < count else { throw ProtobufError(reason: "relation \(id) names string \(roles[m]) of \(count)") }
                                relation.wayMembers.append((memberIDs[m], block.strings.string(roles[m], in: raw)))
                            }
                            out.relations.append(relation)
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

    /// Scans a DenseNodes message's `keys_vals` for points of interest; decodes ids and positions
    /// only when it holds one.
    static func decodeDenseFeatures(_ dense: ProtobufReader, isPOIKey: (Int) -> Bool,
                                    tags: ([Int], [Int]) throws -> [(key: String, value: String)],
                                    fixed: (Int64, Int64) throws -> FixedCoordinate,
                                    into out: inout FeatureBlock) throws {
        // Node index, then its keys and values, for every node with a candidate key.
        var candidates: [(node: Int, keys: [Int], vals: [Int])] = []
        var scan = dense
        while let (f, wt) = try scan.readKey() {
            guard f == 10 else { try scan.skip(wireType: wt); continue }
            var node = 0
            var keys: [Int] = [], vals: [Int] = []
            var pendingKey: Int?
            var candidate = false
            try scan.forEachVarint(wireType: wt) { v in
                let s = Int(truncatingIfNeeded: Int32(truncatingIfNeeded: v))
                if let k = pendingKey {
                    vals.append(s)
                    keys.append(k)
                    pendingKey = nil
                } else if s == 0 {
                    if candidate { candidates.append((node, keys, vals)) }
                    node += 1
                    keys.removeAll(keepingCapacity: true)
                    vals.removeAll(keepingCapacity: true)
                    candidate = false
                } else {
                    pendingKey = s
                    if isPOIKey(s) { candidate = true }
                }
            }
        }
        guard !candidates.isEmpty else { return }
        var ids: [Int64] = [], lats: [Int64] = [], lons: [Int64] = []
        try PBFReader.decodeDenseIDsAndPositions(dense, ids: &ids, lats: &lats, lons: &lons)
        for c in candidates {
            guard c.node < ids.count else { throw ProtobufError(reason: "dense keys_vals describe more nodes than the \(ids.count) ids") }
            let t = try tags(c.keys, c.vals)
            if let kind = PointOfInterestKind.classify(t) {
                out.pointNodes.append((ids[c.node], try fixed(lats[c.node], lons[c.node]), t, kind))
            }
        }
    }

    /// A PBF position (granularity units from the block's offsets) in 1e-7 degrees, refusing values
    /// no valid file can hold (the same conversion as `decodeNodes`).
    static func fixedCoordinate(_ lat: Int64, _ lon: Int64, _ block: BlockHeader) throws -> FixedCoordinate {
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

    /// The ways of a block whose ids are in `needed` (sorted), with their references only.
    static func decodeMemberWays(_ bytes: [UInt8], _ blob: BlobRef, needed: [Int64], source: String) throws -> [OSMWay] {
        let data = try blobContents(bytes, blob, source: source)
        do {
            return try data.withUnsafeBytes { raw in
                let block = try readBlock(raw)
                var ways: [OSMWay] = []
                for var group in block.groups {
                    while let (field, wire) = try group.readKey() {
                        guard field == 3, wire == 2 else { try group.skip(wireType: wire); continue }
                        var w = try group.readMessage()
                        var id: Int64 = 0
                        var refsField: (reader: ProtobufReader, wire: Int)?
                        while let (f, wt) = try w.readKey() {
                            switch f {
                            case 1: id = try w.readInt64()
                            case 8:
                                refsField = (w, wt)
                                try w.skip(wireType: wt)
                            default: try w.skip(wireType: wt)
                            }
                        }
                        guard binarySearch(needed, id) != nil else { continue }
                        var refs: [Int64] = []
                        if let refsField {
                            var reader = refsField.reader
                            var last: Int64 = 0
                            try reader.forEachVarint(wireType: refsField.wire) { last &+= zigzag($0); refs.append(last) }
                        }
                        ways.append(OSMWay(id: id, nodeIDs: refs, tags: []))
                    }
                }
                return ways
            }
        } catch let e as ProtobufError {
            throw RoadNetworkError.corruptFile(path: source, reason: "bad data block at byte \(blob.offset): \(e.reason)")
        }
    }
}
