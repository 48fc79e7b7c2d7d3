/// What a region needs from OpenStreetMap besides its roads: administrative boundaries as
/// (multi)polygons and the places people ask to go as points. Read with `OSMFeatures.read(path:)`.
///
/// ```swift
/// let features = try OSMFeatures.read(path: "andorra-latest.osm.pbf")
/// let country = features.boundaries(named: "Andorra").first { $0.adminLevel == 2 }
/// let parishes = features.boundaries(adminLevel: 7, within: country!.area.polygon!)
/// for p in parishes.inside { print(p.name ?? "?", p.area.polygon!.areaSquareKilometres) }
/// for p in parishes.incomplete { print("left out:", p.name ?? "?", p.area) }
/// let hospitals = features.pointsOfInterest.filter { $0.kind == .hospital }
/// ```
public struct OSMFeatures: Sendable {
    /// `boundary=administrative` relations (of `type=boundary` or `type=multipolygon`), by relation id.
    public var boundaries: [AdministrativeBoundary]
    /// Points of interest (tagged nodes, and areas reduced to a point inside them), by element.
    public var pointsOfInterest: [PointOfInterest]
    /// Areas mapped as POIs whose geometry could not be built (e.g. cut off), with the reason.
    public var incompletePointsOfInterest: [(element: OSMElementID, kind: PointOfInterestKind, reason: String)]
    /// Bounding box from the file header, if it has one.
    public var headerBoundingBox: BoundingBox?
    /// The file read.
    public var source: String

    /// Reads a `.osm.pbf` or `.osm` XML file (plain or gzip-compressed) in one call.
    /// - Throws: `RoadNetworkError` (`.cannotRead`, `.corruptFile`, `.unknownFileType`, …).
    /// - Complexity: O(file size + e log e) for e kept elements; a PBF file is inflated up to three
    ///   times (all blocks; way blocks again when relations need member ways; node blocks for positions).
    public static func read(path: String) throws -> OSMFeatures {
        try parse(bytes: try FileBytes.read(path: path), source: path)
    }

    /// Parses OSM PBF or XML held in memory; `source` names it in errors.
    public static func parse(bytes: [UInt8], source: String) throws -> OSMFeatures {
        switch try NetworkImporter.kind(of: bytes, path: source) {
        case .pbf: return OSMFeatures(try PBFReader.parseFeatureElements(bytes: bytes, source: source))
        case .osmXML: return OSMFeatures(try OSMXMLReader.parseFeatureElements(bytes: bytes, source: source))
        case .network: throw RoadNetworkError.unknownFileType(path: source)
        }
    }

    /// Boundaries at one `admin_level` (e.g. 7 for Andorra's parishes, 8 for most municipalities).
    public func boundaries(adminLevel: Int) -> [AdministrativeBoundary] {
        boundaries.filter { $0.adminLevel == adminLevel }
    }

    /// Boundaries whose `name`, `name:ja` or `name:en` is `name` (exactly, as written in OSM).
    public func boundaries(named name: String) -> [AdministrativeBoundary] {
        boundaries.filter { $0.name == name || $0.nameJa == name || $0.nameEn == name }
    }

    /// The boundaries at `adminLevel` sorted into those whose area lies within `container`
    /// (`GeoMultiPolygon.liesWithin`), those outside it, and those whose area could not be built.
    public func boundaries(adminLevel: Int, within container: GeoMultiPolygon) -> BoundarySelection {
        var selection = BoundarySelection()
        for b in boundaries(adminLevel: adminLevel) {
            switch b.area {
            case let .polygon(p):
                if p.liesWithin(container) { selection.inside.append(b) } else { selection.outside.append(b) }
            case .incomplete:
                selection.incomplete.append(b)
            }
        }
        return selection
    }
}

/// Boundaries sorted against a containing area (`OSMFeatures.boundaries(adminLevel:within:)`).
public struct BoundarySelection: Sendable {
    /// Complete boundaries inside the container.
    public var inside: [AdministrativeBoundary] = []
    /// Complete boundaries outside it (neighbours in the extract).
    public var outside: [AdministrativeBoundary] = []
    /// Boundaries whose area could not be built (`area` says why); typically cut-off neighbours.
    public var incomplete: [AdministrativeBoundary] = []
}

/// An OSM element type and id, as in `node/123`, `way/4`, `relation/9407`.
public struct OSMElementID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Comparable {
        case node, way, relation
        public static func < (a: Kind, b: Kind) -> Bool { a.order < b.order }
        var order: Int { self == .node ? 0 : self == .way ? 1 : 2 }
    }

    public var type: Kind
    public var id: Int64

    public init(_ type: Kind, _ id: Int64) {
        self.type = type
        self.id = id
    }

    public var description: String { "\(type.rawValue)/\(id)" }

    public static func < (a: OSMElementID, b: OSMElementID) -> Bool { (a.type, a.id) < (b.type, b.id) }
}

/// An administrative boundary relation with its tags, member ways and assembled area.
public struct AdministrativeBoundary: Sendable {
    public var relationID: Int64
    /// All tags of the relation.
    public var tags: [(key: String, value: String)]
    /// The member ways with role `outer`, `inner` or empty, with their node positions.
    public var memberWays: [RelationMemberWay]
    /// The (multi)polygon, or why it could not be built.
    public var area: AssembledArea

    public init(relationID: Int64, tags: [(key: String, value: String)], memberWays: [RelationMemberWay]) {
        self.relationID = relationID
        self.tags = tags
        self.memberWays = memberWays
        area = MultipolygonAssembler.assemble(memberWays)
    }

    public subscript(key: String) -> String? {
        for t in tags where t.key == key { return t.value }
        return nil
    }

    public var name: String? { self["name"] }
    public var nameJa: String? { self["name:ja"] }
    public var nameEn: String? { self["name:en"] }
    /// `admin_level` as a number (2 country … 8 municipality in most countries), nil when absent or not a number.
    public var adminLevel: Int? { self["admin_level"].flatMap { Int($0) } }
}

/// What a point of interest is; raw values are the snake_case names used in files and reports.
/// When an element has several of these tags, the first case in this order wins.
public enum PointOfInterestKind: String, Sendable, CaseIterable, Codable {
    case busStop = "bus_stop"  // highway=bus_stop
    case busStation = "bus_station"  // amenity=bus_station
    case platform  // public_transport=platform
    case stopPosition = "stop_position"  // public_transport=stop_position
    case hospital, clinic, doctors, pharmacy, school, townhall  // amenity=*
    case postOffice = "post_office"  // amenity=post_office
    case communityCentre = "community_centre"  // amenity=community_centre
    case railwayStation = "railway_station"  // railway=station
    case railwayHalt = "railway_halt"  // railway=halt
    case supermarket, convenience  // shop=*
    case town, village, hamlet, neighbourhood  // place=*
    case isolatedDwelling = "isolated_dwelling"  // place=isolated_dwelling

    /// Whether this is a `place=*` (a centre of a settlement, used as a meeting point).
    public var isPlace: Bool {
        switch self {
        case .town, .village, .hamlet, .neighbourhood, .isolatedDwelling: true
        default: false
        }
    }

    /// Whether this is a public-transport stop of some kind.
    public var isTransitStop: Bool {
        switch self {
        case .busStop, .busStation, .platform, .stopPosition, .railwayStation, .railwayHalt: true
        default: false
        }
    }

    /// The kind named by an element's tags, or nil.
    /// - Complexity: O(t) for t tags.
    public static func classify(_ tags: [(key: String, value: String)]) -> PointOfInterestKind? {
        var best: PointOfInterestKind?
        var bestRank = Int.max
        for t in tags {
            guard let kind = kind(key: t.key, value: t.value) else { continue }
            let rank = kind.rank
            if rank < bestRank { best = kind; bestRank = rank }
        }
        return best
    }

    var rank: Int { Self.allCases.firstIndex(of: self)! }

    static func kind(key: String, value: String) -> PointOfInterestKind? {
        switch key {
        case "highway": return value == "bus_stop" ? .busStop : nil
        case "public_transport":
            return value == "platform" ? .platform : value == "stop_position" ? .stopPosition : nil
        case "amenity":
            switch value {
            case "bus_station": return .busStation
            case "hospital": return .hospital
            case "clinic": return .clinic
            case "doctors": return .doctors
            case "pharmacy": return .pharmacy
            case "school": return .school
            case "townhall": return .townhall
            case "post_office": return .postOffice
            case "community_centre": return .communityCentre
            default: return nil
            }
        case "railway": return value == "station" ? .railwayStation : value == "halt" ? .railwayHalt : nil
        case "shop": return value == "supermarket" ? .supermarket : value == "convenience" ? .convenience : nil
        case "place":
            switch value {
            case "town": return .town
            case "village": return .village
            case "hamlet": return .hamlet
            case "neighbourhood": return .neighbourhood
            case "isolated_dwelling": return .isolatedDwelling
            default: return nil
            }
        default: return nil
        }
    }

    /// The keys `classify` looks at: a cheap pre-filter before tags are turned into strings.
    static let keys: [StaticString] = ["highway", "public_transport", "amenity", "railway", "shop", "place"]
}

/// A place people ask to go, as one point.
public struct PointOfInterest: Sendable {
    /// The OSM element: a node, or a way or multipolygon relation reduced to a point.
    public var element: OSMElementID
    public var kind: PointOfInterestKind
    /// The node's position, or a point inside the area (`GeoMultiPolygon.representativePoint`).
    public var position: Coordinate
    /// All tags of the element.
    public var tags: [(key: String, value: String)]

    public init(element: OSMElementID, kind: PointOfInterestKind, position: Coordinate, tags: [(key: String, value: String)]) {
        self.element = element
        self.kind = kind
        self.position = position
        self.tags = tags
    }

    public subscript(key: String) -> String? {
        for t in tags where t.key == key { return t.value }
        return nil
    }

    public var name: String? { self["name"] }
    public var nameJa: String? { self["name:ja"] }
    public var nameEn: String? { self["name:en"] }
}

// MARK: - From elements to features

/// A relation as the feature reader keeps it: tags and way members only.
struct OSMRelation: Sendable {
    var id: Int64
    var tags: [(key: String, value: String)]
    var wayMembers: [(id: Int64, role: String)]

    /// `boundary=administrative` with `type=boundary` or `type=multipolygon`.
    var isAdministrativeBoundary: Bool {
        var boundary = false, type = false
        for t in tags {
            if t.key == "boundary" && t.value == "administrative" { boundary = true }
            if t.key == "type" && (t.value == "boundary" || t.value == "multipolygon") { type = true }
        }
        return boundary && type
    }

    /// A `type=multipolygon` area tagged as a point of interest (e.g. a hospital site).
    var areaKind: PointOfInterestKind? {
        guard tags.contains(where: { $0.key == "type" && $0.value == "multipolygon" }) else { return nil }
        return PointOfInterestKind.classify(tags)
    }

    var isWanted: Bool { isAdministrativeBoundary || areaKind != nil }
}

/// What a reader collected for `OSMFeatures`: candidate elements plus the ways and node positions
/// they need. Readers filter with `PointOfInterestKind.classify` and `OSMRelation.isWanted`.
struct OSMFeatureElements {
    /// Tagged nodes that are points of interest.
    var pointNodes: [(id: Int64, position: FixedCoordinate, tags: [(key: String, value: String)], kind: PointOfInterestKind)] = []
    /// Closed ways (first node = last node, at least 4 references) that are points of interest.
    var areaWays: [OSMWay] = []
    /// Wanted relations (boundaries, multipolygon POIs).
    var relations: [OSMRelation] = []
    /// Ways that wanted relations use, sorted by id (tags not kept).
    var memberWays: [OSMWay] = []
    /// Sorted ids and positions of the nodes of `areaWays` and `memberWays` that the file holds.
    var nodeIDs: [Int64] = []
    var nodePositions: [FixedCoordinate] = []
    var headerBoundingBox: BoundingBox?
    var source: String

    init(source: String) { self.source = source }

    func position(of node: Int64) -> Coordinate? {
        binarySearch(nodeIDs, node).map { nodePositions[$0].coordinate }
    }

    func memberWay(_ id: Int64) -> OSMWay? {
        var lo = 0, hi = memberWays.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if memberWays[mid].id < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < memberWays.count && memberWays[lo].id == id ? memberWays[lo] : nil
    }

    /// Ids of the ways wanted relations use, sorted and unique.
    static func neededWayIDs(_ relations: [OSMRelation]) -> [Int64] {
        var ids: [Int64] = []
        for r in relations { for m in r.wayMembers { ids.append(m.id) } }
        ids.sort()
        return uniqued(ids)
    }

    /// Ids of the nodes of `ways`, sorted and unique.
    static func neededNodeIDs(_ ways: [OSMWay]...) -> [Int64] {
        var ids: [Int64] = []
        for list in ways { for w in list { ids.append(contentsOf: w.nodeIDs) } }
        ids.sort()
        return uniqued(ids)
    }
}

extension OSMFeatures {
    init(_ e: OSMFeatureElements) {
        source = e.source
        headerBoundingBox = e.headerBoundingBox
        boundaries = []
        pointsOfInterest = []
        incompletePointsOfInterest = []
        for n in e.pointNodes {
            pointsOfInterest.append(PointOfInterest(element: OSMElementID(.node, n.id), kind: n.kind,
                                                    position: n.position.coordinate, tags: n.tags))
        }
        for w in e.areaWays {
            guard let kind = PointOfInterestKind.classify(w.tags) else { continue }
            let element = OSMElementID(.way, w.id)
            let positions = w.nodeIDs.dropLast().compactMap { e.position(of: $0) }
            guard positions.count == w.nodeIDs.count - 1, positions.count >= 3 else {
                incompletePointsOfInterest.append((element, kind, "\(w.nodeIDs.count - 1 - positions.count) of its nodes have no position in the file"))
                continue
            }
            let point = GeoMultiPolygon(polygons: [GeoPolygon(exterior: positions)]).representativePoint
            pointsOfInterest.append(PointOfInterest(element: element, kind: kind, position: point, tags: w.tags))
        }
        for r in e.relations.sorted(by: { $0.id < $1.id }) {
            let members = r.wayMembers.map { m -> RelationMemberWay in
                guard let way = e.memberWay(m.id) else { return RelationMemberWay(wayID: m.id, role: m.role, nodeIDs: [], positions: []) }
                return RelationMemberWay(wayID: m.id, role: m.role, nodeIDs: way.nodeIDs, positions: way.nodeIDs.map { e.position(of: $0) })
            }
            if r.isAdministrativeBoundary {
                boundaries.append(AdministrativeBoundary(relationID: r.id, tags: r.tags, memberWays: members))
            } else if let kind = r.areaKind {
                let element = OSMElementID(.relation, r.id)
                switch MultipolygonAssembler.assemble(members) {
                case let .polygon(p):
                    pointsOfInterest.append(PointOfInterest(element: element, kind: kind, position: p.representativePoint, tags: r.tags))
                case let .incomplete(reason):
                    incompletePointsOfInterest.append((element, kind, reason))
                }
            }
        }
        pointsOfInterest.sort { $0.element < $1.element }
    }
}
