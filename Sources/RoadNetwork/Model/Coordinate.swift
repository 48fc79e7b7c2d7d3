/// A WGS84 position in degrees, as read from OpenStreetMap or given by a user.
public struct Coordinate: Hashable, Sendable, CustomStringConvertible {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Whether the latitude lies in [-90, 90] and the longitude in [-180, 180].
    public var isValid: Bool {
        latitude.isFinite && longitude.isFinite && abs(latitude) <= 90 && abs(longitude) <= 180
    }

    public var description: String { "\(formatDegrees(latitude)),\(formatDegrees(longitude))" }

    /// Great-circle distance in metres (haversine, mean Earth radius 6,371,008.8 m).
    public func distance(to other: Coordinate) -> Double {
        let r = 6_371_008.8
        let toRad = Double.pi / 180
        let dLat = (other.latitude - latitude) * toRad
        let dLon = (other.longitude - longitude) * toRad
        let a = sinHalf(dLat) * sinHalf(dLat)
            + cosine(latitude * toRad) * cosine(other.latitude * toRad) * sinHalf(dLon) * sinHalf(dLon)
        return 2 * r * arcsine(min(1, a.squareRoot()))
    }

    /// Parses "LAT,LON" (decimal degrees), as typed on a command line.
    public init?(parsing text: Substring) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let lat = Double(parts[0].trimmingSpaces()), let lon = Double(parts[1].trimmingSpaces())
        else { return nil }
        self.init(latitude: lat, longitude: lon)
        guard isValid else { return nil }
    }
}

/// A coordinate stored as integers in units of 1e-7 degrees (about 1 cm), as OSM stores them.
public struct FixedCoordinate: Hashable, Sendable {
    public var latitudeE7: Int32
    public var longitudeE7: Int32

    public init(latitudeE7: Int32, longitudeE7: Int32) {
        self.latitudeE7 = latitudeE7
        self.longitudeE7 = longitudeE7
    }

    public init(_ c: Coordinate) {
        latitudeE7 = Int32((c.latitude * 1e7).rounded())
        longitudeE7 = Int32((c.longitude * 1e7).rounded())
    }

    public var coordinate: Coordinate {
        Coordinate(latitude: Double(latitudeE7) * 1e-7, longitude: Double(longitudeE7) * 1e-7)
    }
}

/// An axis-aligned latitude/longitude box.
public struct BoundingBox: Hashable, Sendable, CustomStringConvertible {
    public var minLatitude: Double
    public var minLongitude: Double
    public var maxLatitude: Double
    public var maxLongitude: Double

    public static let empty = BoundingBox(minLatitude: .infinity, minLongitude: .infinity,
                                          maxLatitude: -.infinity, maxLongitude: -.infinity)

    public init(minLatitude: Double, minLongitude: Double, maxLatitude: Double, maxLongitude: Double) {
        self.minLatitude = minLatitude
        self.minLongitude = minLongitude
        self.maxLatitude = maxLatitude
        self.maxLongitude = maxLongitude
    }

    public mutating func extend(_ c: Coordinate) {
        minLatitude = min(minLatitude, c.latitude)
        maxLatitude = max(maxLatitude, c.latitude)
        minLongitude = min(minLongitude, c.longitude)
        maxLongitude = max(maxLongitude, c.longitude)
    }

    public var isEmpty: Bool { minLatitude > maxLatitude }

    public func contains(_ c: Coordinate) -> Bool {
        c.latitude >= minLatitude && c.latitude <= maxLatitude
            && c.longitude >= minLongitude && c.longitude <= maxLongitude
    }

    public var description: String {
        "lat \(formatDegrees(minLatitude))…\(formatDegrees(maxLatitude)), lon \(formatDegrees(minLongitude))…\(formatDegrees(maxLongitude))"
    }
}

/// Local equirectangular projection to metres around a reference latitude; accurate to well under
/// 0.1 % over a zone of a few tens of kilometres, which is what snapping and curvature need.
struct LocalProjection: Sendable {
    let metresPerDegreeLatitude: Double
    let metresPerDegreeLongitude: Double

    init(referenceLatitude: Double) {
        metresPerDegreeLatitude = 111_132.954
        metresPerDegreeLongitude = 111_319.49 * cosine(referenceLatitude * Double.pi / 180)
    }

    @inline(__always)
    func project(_ c: Coordinate) -> (x: Double, y: Double) {
        (c.longitude * metresPerDegreeLongitude, c.latitude * metresPerDegreeLatitude)
    }
}

func formatDegrees(_ value: Double) -> String {
    let scaled = (value * 1e6).rounded() / 1e6
    return "\(scaled)"
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return s
    }
}

/// Projects the point (x, y) onto the segment (x0, y0)–(x1, y1) in a plane: the position `t` in
/// [0, 1] of the nearest point along the segment and the squared distance to it.
@inline(__always)
package func segmentProjection(x: Double, y: Double, x0: Double, y0: Double, x1: Double, y1: Double) -> (t: Double, distanceSquared: Double) {
    let dx = x1 - x0
    let dy = y1 - y0
    let l2 = dx * dx + dy * dy
    var t = l2 > 0 ? ((x - x0) * dx + (y - y0) * dy) / l2 : 0
    t = t < 0 ? 0 : (t > 1 ? 1 : t)
    let px = x0 + t * dx - x
    let py = y0 + t * dy - y
    return (t, px * px + py * py)
}

/// Whether (px, py) lies inside the ring of `count` vertices given by `x(i)`, `y(i)` (even–odd rule).
/// - Complexity: O(count).
@inline(__always)
package func ringContains(count: Int, x: (Int) -> Double, y: (Int) -> Double, px: Double, py: Double) -> Bool {
    var inside = false
    var j = count - 1
    for i in 0 ..< count {
        let ax = x(i), ay = y(i), bx = x(j), by = y(j)
        if (ay > py) != (by > py) {
            let crossing = ax + (py - ay) / (by - ay) * (bx - ax)
            if px < crossing { inside.toggle() }
        }
        j = i
    }
    return inside
}
