/// A polygon on the globe: one exterior ring and any number of holes, in WGS84 degrees.
///
/// Rings are stored open (the first position is not repeated at the end) with at least three
/// positions; `lonLatRings` writes them closed, as GeoJSON wants. Rings built by
/// `MultipolygonAssembler` run counter-clockwise (exterior) and clockwise (holes), RFC 7946 §3.1.6.
public struct GeoPolygon: Hashable, Sendable {
    /// The outer boundary, open.
    public var exterior: [Coordinate]
    /// The holes, each open; each lies inside `exterior`.
    public var holes: [[Coordinate]]

    public init(exterior: [Coordinate], holes: [[Coordinate]] = []) {
        precondition(exterior.count >= 3, "a polygon ring needs at least three positions")
        self.exterior = exterior
        self.holes = holes
    }

    /// The rings as GeoJSON polygon coordinates: `[exterior, hole…]`, each a closed list of `[lon, lat]`.
    public var lonLatRings: [[[Double]]] {
        ([exterior] + holes).map(Self.closedLonLat)
    }

    /// The exterior ring alone as a closed list of `[lon, lat]` (what the zone file's `boundary` holds).
    public var exteriorLonLat: [[Double]] { Self.closedLonLat(exterior) }

    static func closedLonLat(_ ring: [Coordinate]) -> [[Double]] {
        var out = ring.map { [$0.longitude, $0.latitude] }
        if let first = out.first { out.append(first) }
        return out
    }

    /// Whether `c` lies inside the exterior and outside every hole (even–odd rule; a point exactly
    /// on a ring may fall either way).
    /// - Complexity: O(v) for v vertices.
    public func contains(_ c: Coordinate) -> Bool {
        guard Self.ringContains(exterior, c) else { return false }
        for hole in holes where Self.ringContains(hole, c) { return false }
        return true
    }

    /// Area in square kilometres: the exterior's minus the holes' (`GeoMultiPolygon.ringArea`).
    /// - Complexity: O(v).
    public var areaSquareKilometres: Double {
        var a = abs(GeoMultiPolygon.ringArea(exterior))
        for hole in holes { a -= abs(GeoMultiPolygon.ringArea(hole)) }
        return max(0, a) / 1e6
    }

    /// The bounding box of the exterior.
    public var boundingBox: BoundingBox {
        var box = BoundingBox.empty
        for c in exterior { box.extend(c) }
        return box
    }

    @inline(__always)
    static func ringContains(_ ring: [Coordinate], _ c: Coordinate) -> Bool {
        ring.withUnsafeBufferPointer { r in
            RoadNetwork.ringContains(count: r.count, x: { r[$0].longitude }, y: { r[$0].latitude },
                                     px: c.longitude, py: c.latitude)
        }
    }
}

/// One or more polygons: the shape of an administrative area (exclaves are separate polygons).
///
/// Geometry is planar in degrees for containment (even–odd rule, valid for areas that do not cross
/// the antimeridian or a pole), spherical for area, and planar in a local equirectangular
/// projection for the centroid.
public struct GeoMultiPolygon: Hashable, Sendable {
    public var polygons: [GeoPolygon]
    /// The box around every exterior ring.
    public let boundingBox: BoundingBox

    public init(polygons: [GeoPolygon]) {
        precondition(!polygons.isEmpty, "a multipolygon needs at least one polygon")
        self.polygons = polygons
        var box = BoundingBox.empty
        for p in polygons { for c in p.exterior { box.extend(c) } }
        boundingBox = box
    }

    /// GeoJSON `MultiPolygon` coordinates: polygons of closed `[lon, lat]` rings.
    public var lonLatRings: [[[[Double]]]] { polygons.map(\.lonLatRings) }

    /// The polygon of largest area (the main territory when the others are exclaves).
    public var largestPolygon: GeoPolygon {
        polygons.max { $0.areaSquareKilometres < $1.areaSquareKilometres }!
    }

    /// Number of vertices over all rings.
    public var vertexCount: Int { polygons.reduce(0) { $0 + $1.exterior.count + $1.holes.reduce(0) { $0 + $1.count } } }

    /// Whether `c` lies inside one of the polygons and outside its holes (even–odd rule).
    /// - Complexity: O(v) for v vertices, O(1) outside the bounding box.
    public func contains(_ c: Coordinate) -> Bool {
        guard boundingBox.contains(c) else { return false }
        for p in polygons where p.contains(c) { return true }
        return false
    }

    /// Area in square kilometres on a sphere of the mean Earth radius (6,371,008.8 m).
    ///
    /// Each ring's area is the spherical-excess line integral of Chamberlain & Duquette, "Some
    /// algorithms for polygons on a sphere" (JPL, 2007), as d3-geo and Turf use it. It differs
    /// from the WGS84 ellipsoidal area by a few tenths of a percent (−0.2 % at 42° N).
    /// - Complexity: O(v).
    public var areaSquareKilometres: Double {
        polygons.reduce(0) { $0 + $1.areaSquareKilometres }
    }

    /// Signed area of an open ring in square metres; positive when counter-clockwise.
    /// - Complexity: O(n).
    static func ringArea(_ ring: [Coordinate]) -> Double {
        let n = ring.count
        guard n >= 3 else { return 0 }
        let toRad = Double.pi / 180
        var sum = 0.0
        for i in 0 ..< n {
            let previous = ring[(i + n - 1) % n]
            let next = ring[(i + 1) % n]
            sum += (next.longitude - previous.longitude) * toRad * sine(ring[i].latitude * toRad)
        }
        let r = 6_371_008.8
        return -sum * r * r / 2
    }

    /// The area-weighted centroid (holes subtracted), computed in an equirectangular projection
    /// around the middle latitude. It may lie outside a concave shape; see `representativePoint`.
    /// - Complexity: O(v).
    public var centroid: Coordinate {
        let scale = cosine((boundingBox.minLatitude + boundingBox.maxLatitude) / 2 * Double.pi / 180)
        let lon0 = boundingBox.minLongitude
        let lat0 = boundingBox.minLatitude
        var area = 0.0, cx = 0.0, cy = 0.0
        func add(_ ring: [Coordinate], sign: Double) {
            // Shoelace over the ring, oriented so that its contribution has the given sign.
            var a = 0.0, x = 0.0, y = 0.0
            for i in ring.indices {
                let p = ring[i], q = ring[(i + 1) % ring.count]
                let px = (p.longitude - lon0) * scale, py = p.latitude - lat0
                let qx = (q.longitude - lon0) * scale, qy = q.latitude - lat0
                let cross = px * qy - qx * py
                a += cross
                x += (px + qx) * cross
                y += (py + qy) * cross
            }
            let s = a < 0 ? -sign : sign
            area += s * a
            cx += s * x
            cy += s * y
        }
        for p in polygons {
            add(p.exterior, sign: 1)
            for h in p.holes { add(h, sign: -1) }
        }
        guard area > 0 else {
            let c = polygons[0].exterior[0]
            return c
        }
        return Coordinate(latitude: cy / (3 * area) + lat0, longitude: cx / (3 * area) / scale + lon0)
    }

    /// A point guaranteed to lie inside the area: the centroid when it does, otherwise the middle of
    /// the widest inside stretch of a horizontal line through the largest polygon (tried at its
    /// centroid's latitude, then at other latitudes across its box).
    /// - Complexity: O(v) per line tried (at most 9).
    public var representativePoint: Coordinate {
        let c = centroid
        if contains(c) { return c }
        let main = GeoMultiPolygon(polygons: [largestPolygon])
        let box = main.boundingBox
        var latitudes = [main.centroid.latitude]
        for k in 1 ... 8 { latitudes.append(box.minLatitude + (box.maxLatitude - box.minLatitude) * Double(k) / 9) }
        for lat in latitudes {
            if let p = main.widestInsideStretch(atLatitude: lat) { return p }
        }
        return main.polygons[0].exterior[0]
    }

    /// The midpoint of the longest interval of the line at `lat` that lies inside (even–odd).
    func widestInsideStretch(atLatitude lat: Double) -> Coordinate? {
        var crossings: [Double] = []
        for p in polygons {
            for ring in [p.exterior] + p.holes {
                var j = ring.count - 1
                for i in ring.indices {
                    let a = ring[i], b = ring[j]
                    if (a.latitude > lat) != (b.latitude > lat) {
                        crossings.append(a.longitude + (lat - a.latitude) / (b.latitude - a.latitude) * (b.longitude - a.longitude))
                    }
                    j = i
                }
            }
        }
        crossings.sort()
        var best: Coordinate?
        var bestWidth = 0.0
        var k = 0
        while k + 1 < crossings.count {
            let width = crossings[k + 1] - crossings[k]
            if width > bestWidth {
                bestWidth = width
                best = Coordinate(latitude: lat, longitude: (crossings[k] + crossings[k + 1]) / 2)
            }
            k += 2
        }
        return best
    }

    /// Whether this area lies within `other`: its representative point is inside `other`, and at
    /// least `minimumVertexShare` of its exterior vertices are inside `other` or are vertices of
    /// `other` (neighbouring boundaries in OSM share nodes, so a parish's border along its
    /// country's border counts as inside). Robust to shared borders and small digitising slivers;
    /// not a full polygon-in-polygon test (an area could poke out between two vertices).
    /// - Complexity: O(v·w) for v and w vertices (O(1) when the boxes do not overlap).
    public func liesWithin(_ other: GeoMultiPolygon, minimumVertexShare: Double = 0.9) -> Bool {
        let a = boundingBox, b = other.boundingBox
        guard a.minLatitude <= b.maxLatitude, a.maxLatitude >= b.minLatitude,
              a.minLongitude <= b.maxLongitude, a.maxLongitude >= b.minLongitude else { return false }
        guard other.contains(representativePoint) else { return false }
        var otherVertices = Set<Coordinate>()
        for p in other.polygons {
            otherVertices.formUnion(p.exterior)
            for h in p.holes { otherVertices.formUnion(h) }
        }
        var total = 0, inside = 0
        for p in polygons {
            for c in p.exterior {
                total += 1
                if otherVertices.contains(c) || other.contains(c) { inside += 1 }
            }
        }
        return Double(inside) >= minimumVertexShare * Double(total)
    }
}
