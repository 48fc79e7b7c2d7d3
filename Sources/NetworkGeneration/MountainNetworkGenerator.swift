import DispatchCore
import RoadNetwork

/// Generates realistic synthetic mountain road networks as OpenStreetMap-like data, so that they go
/// through the same graph builder as real OSM files: the project's embedded default zone (a
/// fictional wide-area demand-taxi zone in the Japanese Alps) and networks of any size for the
/// routing benchmarks.
///
/// Output is deterministic: the same seed gives identical ways, tags, node ids and coordinates on
/// every platform (random draws come from `SeededGenerator`, trigonometry from +, −, ×, ÷ only).
///
/// What a generated network contains:
/// - valley trunk roads (`highway=primary|secondary`, maxspeed 50/60) winding along a river, which
///   they cross on bridges (`bridge=yes`, `layer=1`); tunnels (`tunnel=yes`, `layer=-1`) through spurs;
/// - towns on valley floors: grids of `highway=residential` streets around the trunk road (the main
///   street), some `oneway=yes`, a roundabout (`junction=roundabout`) in the hub town;
/// - dead-end hamlets up side valleys (`highway=tertiary`, then narrow `highway=unclassified`,
///   `width=3`), some with hairpin stairs, with lanes and driveways (`highway=service`,
///   `service=driveway`, some `access=private`), and a few `highway=track`s;
/// - pass roads between valleys: a winding approach, a hairpin stair (turns of 150–170° on radii of
///   10–14 m, points every ~5 m in the turns) and a high section closed in winter
///   (`motor_vehicle:conditional=no @ (Dec 1-Apr 15)`, `name=…峠`);
/// - a `SyntheticTerrain` consistent with it: valley roads climb 1–4 %, hamlet roads 5–8.5 % (stairs
///   9–11 %), pass stairs about 9 %; lanes and driveways that would be steeper than 25 % are left out.
///
/// Node ids are positive and increasing (with gaps where working nodes were not used); way ids are
/// 1, 2, 3, …. Way tags are shared arrays per class of road, so large networks stay compact.
public enum MountainNetworkGenerator {}

/// A generated network: road data, the matching terrain, named places and municipalities.
public struct GeneratedNetwork: Sendable {
    /// Ways and node positions, ready for `RoadGraphBuilder`.
    public var osm: OSMData
    /// The height field the roads were designed on.
    public var terrain: SyntheticTerrain
    /// Town centres, hamlets, facilities, depots, passes and meeting points, each on a road node.
    public var places: [GeneratedPlace]
    /// Municipalities with boundaries that partition the zone.
    public var municipalities: [GeneratedMunicipality]

    /// The first place called `name` (romaji) or `localName`.
    public func place(named name: String) -> GeneratedPlace? {
        places.first { $0.name == name || $0.localName == name }
    }

    /// Places of one kind, in generation order.
    public func places(ofKind kind: GeneratedPlace.Kind) -> [GeneratedPlace] {
        places.filter { $0.kind == kind }
    }
}

/// A named point of a generated network, placed exactly on a road node.
public struct GeneratedPlace: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case townCentre, hamlet, hospital, station, school, supermarket, depot, pass, meetingPoint
    }

    /// Name in romaji, e.g. "Kitazawa-mura".
    public var name: String
    /// Name in Japanese, e.g. "北沢村".
    public var localName: String
    public var kind: Kind
    /// Index into `GeneratedNetwork.municipalities`, nil when outside every municipality.
    public var municipality: Int?
    /// The position of the road node the place sits on.
    public var coordinate: Coordinate
    /// The OSM id of that road node.
    public var nodeID: Int64

    public init(name: String, localName: String, kind: Kind, municipality: Int?, coordinate: Coordinate, nodeID: Int64) {
        self.name = name
        self.localName = localName
        self.kind = kind
        self.municipality = municipality
        self.coordinate = coordinate
        self.nodeID = nodeID
    }
}

/// A municipality of a generated zone.
public struct GeneratedMunicipality: Sendable, Equatable {
    /// Name in romaji, e.g. "Kitazawa-mura".
    public var name: String
    /// Name in Japanese, e.g. "北沢村".
    public var localName: String
    /// Boundary as a closed ring (first point repeated at the end); the municipalities of a zone do
    /// not overlap and together cover every generated road.
    public var boundary: [Coordinate]
    /// The town centre (on the main street).
    public var centre: Coordinate

    public init(name: String, localName: String, boundary: [Coordinate], centre: Coordinate) {
        self.name = name
        self.localName = localName
        self.boundary = boundary
        self.centre = centre
    }

    /// Whether `coordinate` lies inside the boundary (even–odd rule on latitude/longitude).
    /// - Complexity: O(boundary vertices).
    public func contains(_ coordinate: Coordinate) -> Bool {
        ringContains(count: boundary.count, x: { boundary[$0].longitude }, y: { boundary[$0].latitude },
                     px: coordinate.longitude, py: coordinate.latitude)
    }
}

extension MountainNetworkGenerator {
    /// Conversion between the generator's plane (metres east/north of an origin) and WGS84, an
    /// equirectangular projection whose scale uses the deterministic cosine.
    struct Projection {
        let originLatitude: Double
        let originLongitude: Double
        let metresPerDegreeLatitude = 111_132.954
        let metresPerDegreeLongitude: Double

        init(originLatitude: Double, originLongitude: Double, referenceLatitude: Double) {
            self.originLatitude = originLatitude
            self.originLongitude = originLongitude
            metresPerDegreeLongitude = 111_319.49 * Trig.cos(referenceLatitude * Trig.pi / 180)
        }

        func fixed(_ p: Point) -> FixedCoordinate {
            FixedCoordinate(Coordinate(latitude: originLatitude + p.y / metresPerDegreeLatitude,
                                       longitude: originLongitude + p.x / metresPerDegreeLongitude))
        }

        func coordinate(_ p: Point) -> Coordinate {
            Coordinate(latitude: originLatitude + p.y / metresPerDegreeLatitude,
                       longitude: originLongitude + p.x / metresPerDegreeLongitude)
        }
    }

    /// A municipality as the builders describe it.
    struct MunicipalityDraft {
        var name: String
        var localName: String
        var ring: [Point]
        var centre: Point
    }
}

extension MountainNetworkGenerator.Builder {
    /// Turns the sketch into a `GeneratedNetwork`: node ids are the sketch's indices + 1 (positive,
    /// increasing) for every node some way uses; places take the coordinates of their nodes.
    mutating func finish(projection: MountainNetworkGenerator.Projection, terrain: SyntheticTerrain,
                         municipalities: [MountainNetworkGenerator.MunicipalityDraft],
                         assignMunicipalities: Bool, source: String) -> GeneratedNetwork {
        sketch.rivers = MountainNetworkGenerator.RiverIndex(rivers: [])
        var ids: [Int64] = []
        var positions: [FixedCoordinate] = []
        var box = BoundingBox.empty
        let referenced = sketch.references.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        ids.reserveCapacity(referenced)
        positions.reserveCapacity(referenced)
        for i in 0..<sketch.xs.count where sketch.references[i] > 0 {
            ids.append(Int64(i) + 1)
            let f = projection.fixed(MountainNetworkGenerator.Point(sketch.xs[i], sketch.ys[i]))
            positions.append(f)
            box.extend(f.coordinate)
        }
        let osm = OSMData(ways: sketch.ways, nodeIDs: ids, nodePositions: positions, headerBoundingBox: box, source: source)

        let rings = municipalities.map(\.ring)
        func municipality(of p: MountainNetworkGenerator.Point) -> Int? {
            rings.firstIndex { MountainNetworkGenerator.contains($0, p) }
        }
        var result: [GeneratedPlace] = []
        for place in places {
            let p = sketch.point(place.node)
            result.append(GeneratedPlace(name: place.name, localName: place.localName, kind: place.kind,
                                         municipality: assignMunicipalities ? municipality(of: p) : place.municipality,
                                         coordinate: projection.fixed(p).coordinate, nodeID: Int64(place.node) + 1))
        }
        let generated = municipalities.map { m in
            GeneratedMunicipality(name: m.name, localName: m.localName,
                                  boundary: (m.ring + [m.ring[0]]).map { projection.coordinate($0) },
                                  centre: projection.fixed(m.centre).coordinate)
        }
        return GeneratedNetwork(osm: osm, terrain: terrain, places: result, municipalities: generated)
    }

    /// Chooses 8–20 meeting points per municipality from the candidates (by priority, then in the
    /// order they were proposed) and adds them to `places`.
    mutating func chooseMeetingPoints(municipalities: [MountainNetworkGenerator.MunicipalityDraft], minimum: Int, maximum: Int) {
        var chosen = Set<Int32>()
        for (index, m) in municipalities.enumerated() {
            let inside = stopCandidates.enumerated().filter { MountainNetworkGenerator.contains(m.ring, sketch.point($0.element.node)) }
            let ordered = inside.sorted { a, b in
                a.element.priority != b.element.priority ? a.element.priority < b.element.priority : a.offset < b.offset
            }
            var count = 0
            for (_, c) in ordered where count < maximum && !chosen.contains(c.node) {
                chosen.insert(c.node)
                places.append(MountainNetworkGenerator.PlaceDraft(name: c.name, localName: c.localName, kind: .meetingPoint,
                                                                  node: c.node, municipality: index))
                count += 1
            }
            precondition(count >= minimum, "municipality \(m.name) has only \(count) meeting points")
        }
    }
}
