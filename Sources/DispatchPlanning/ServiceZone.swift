import DispatchCore
import DispatchWire
import Foundation
import RoadNetwork

/// A zone ready to plan on: the zone file (municipalities, stops, depots, vehicles), its road
/// network with the contraction hierarchy, the stops and depots snapped to the roads, and per
/// service date the network as it is that day (closures) with travel times between every place
/// used. Shared by the booking server and `dispatch plan`; thread-safe.
public final class ServiceZone: @unchecked Sendable {
    public let file: ZoneFile
    public let graph: RoadGraph
    let snapIndex: SnapIndex
    let hierarchies: ContractionHierarchyCache
    /// Depots first, then stops, in file order.
    public let points: [ZonePoint]
    public let stopIndex: [String: Int]
    public let municipalityIndex: [String: Int]
    /// Service hours per municipality, seconds after midnight.
    public let serviceHours: [ClosedRange<Int>]
    /// Polygons ([longitude, latitude] rings) per municipality.
    /// Per municipality, its boundary rings (even-odd).
    let boundaries: [[[(x: Double, y: Double)]]]
    /// The zone's vehicles with their default `shift` (one per vehicle, whatever the date); a
    /// date's duties are `fleet(on:)`.
    public let vehicles: [VehicleInput]
    /// What dates mean: kinds of day, holidays, closing days, shifts by date.
    public let calendar: ZoneCalendar
    private let lock = NSLock()
    /// Networks of the dates used most recently (strong), and of every date someone still holds
    /// (weak): a date's network is one object as long as anyone uses it, and memory stays bounded.
    private var recent: [ServiceDate] = []
    private var days: [ServiceDate: WeakDay] = [:]
    private var held: [ServiceDate: DayNetwork] = [:]
    private var sweepAt = 4 * ServiceZone.cachedDates
    /// Dates whose networks stay cached when nobody holds them.
    public static let cachedDates = 16
    /// Largest number of door-to-door coordinates (not stops) one date's network takes.
    public static let maxAddressesPerDate = 400
    /// How many days ahead a ride may be booked.
    public var bookingHorizonDays: Int { file.bookingHorizonDays ?? ZoneFile.defaultBookingHorizonDays }

    struct WeakDay {
        weak var network: DayNetwork?
    }

    public struct ZonePoint: Sendable {
        public var id: String
        public var name: String
        public var localName: String
        public var municipality: Int
        public var isDepot: Bool
        public var snapped: SnappedPoint
    }

    /// Reads the zone file and its network (`network` relative to the zone file's folder).
    public static func load(zonePath: String) throws -> ServiceZone {
        let file = try ZoneFile.load(path: zonePath)
        let networkPath = file.networkPath(zonePath: zonePath)
        let network = try NetworkFile.loadNetwork(path: networkPath)
        return try ServiceZone(file: file, graph: network.graph, hierarchy: network.hierarchy, path: zonePath)
    }

    public init(file: ZoneFile, graph: RoadGraph, hierarchy: ContractionHierarchy?, path: String = "zone") throws {
        self.file = file
        self.graph = graph
        calendar = ZoneCalendar(file: file)
        let index = SnapIndex(graph: graph)
        snapIndex = index
        hierarchies = ContractionHierarchyCache(graph: graph, base: hierarchy)
        var municipalityIndex: [String: Int] = [:]
        for (i, m) in file.municipalities.enumerated() { municipalityIndex[m.id] = i }
        self.municipalityIndex = municipalityIndex
        serviceHours = try file.municipalities.enumerated().map { i, m in
            guard let start = TimeText.seconds(ofClock: m.serviceHours.start), let end = TimeText.seconds(ofClock: m.serviceHours.end), start <= end else {
                throw ZoneFileError(path: path, field: "municipalities[\(i)].service_hours", reason: "is not a range of HH:MM:SS times")
            }
            return start...end
        }
        boundaries = file.municipalities.map { m in m.boundary.map { ring in ring.compactMap { $0.count == 2 ? (x: $0[0], y: $0[1]) : nil } } }
        var points: [ZonePoint] = []
        var stopIndex: [String: Int] = [:]
        func snap(_ position: [Double], field: String) throws -> SnappedPoint {
            guard position.count == 2 else { throw ZoneFileError(path: path, field: field, reason: "is not [longitude, latitude]") }
            do {
                return try index.snap(Coordinate(latitude: position[1], longitude: position[0]), in: graph, maxDistanceMetres: 300)
            } catch {
                throw ZoneFileError(path: path, field: field, reason: "is not within 300 m of a road (\(error))")
            }
        }
        for (i, d) in file.depots.enumerated() {
            guard let m = municipalityIndex[d.municipality] else { throw ZoneFileError(path: path, field: "depots[\(i)].municipality", reason: "is unknown") }
            points.append(ZonePoint(id: d.id, name: d.id, localName: d.id, municipality: m, isDepot: true,
                                    snapped: try snap(d.position, field: "depots[\(i)].position")))
        }
        for (i, s) in file.stops.enumerated() {
            guard let m = municipalityIndex[s.municipality] else { throw ZoneFileError(path: path, field: "stops[\(i)].municipality", reason: "is unknown") }
            stopIndex[s.id] = points.count
            points.append(ZonePoint(id: s.id, name: s.name, localName: s.localName, municipality: m, isDepot: false,
                                    snapped: try snap(s.position, field: "stops[\(i)].position")))
        }
        self.points = points
        self.stopIndex = stopIndex
        let depotIndex = Dictionary(uniqueKeysWithValues: file.depots.enumerated().map { ($1.id, $0) })
        vehicles = try file.vehicles.enumerated().map { i, v in
            guard let depot = depotIndex[v.depot], let start = TimeText.seconds(ofClock: v.shift.start), let end = TimeText.seconds(ofClock: v.shift.end) else {
                throw ZoneFileError(path: path, field: "vehicles[\(i)]", reason: "has an unknown depot or a bad shift")
            }
            let capacity = Capacity(seats: v.seats, wheelchairs: v.wheelchairPlaces)
            return VehicleInput(id: v.id, startLocation: depot, endLocation: depot, shift: TimeWindow(earliest: start, latest: end),
                                capacity: capacity, homeMunicipality: municipalityIndex[v.municipality],
                                serves: v.serves.compactMap { municipalityIndex[$0] })
        }
    }

    /// The vehicles' duties on `date`: one per shift the vehicle works that day (id `v` for a
    /// vehicle with one shift, `v#1`, `v#2`, … for one with several; each from and back to its
    /// depot), with the zone's break rule. Vehicles off that day are not in the list.
    public func fleet(on date: ServiceDate) -> [VehicleInput] {
        let rule = calendar.breakRule.map {
            BreakRule(maxDriving: ($0.maxDrivingMinutes ?? 240) * 60, rest: ($0.breakMinutes ?? 30) * 60, minPart: ($0.minPartMinutes ?? 10) * 60)
        }
        var duties: [VehicleInput] = []
        for (k, v) in vehicles.enumerated() {
            let shifts = calendar.shifts(vehicle: k, on: date)
            for (n, shift) in shifts.enumerated() {
                var duty = v
                if shifts.count > 1 { duty.id = "\(v.id)#\(n + 1)" }
                duty.shift = TimeWindow(earliest: shift.lowerBound, latest: shift.upperBound)
                duty.breaks = rule
                duties.append(duty)
            }
        }
        return duties
    }

    /// The vehicle id of a duty id (`v#2` → `v`).
    public static func vehicleID(ofDuty id: String) -> String {
        id.firstIndex(of: "#").map { String(id[..<$0]) } ?? id
    }

    /// The municipality whose boundary contains `c`, if any (even-odd rule over all its rings).
    public func municipality(containing c: Coordinate) -> Int? {
        for (m, rings) in boundaries.enumerated() {
            var inside = false
            for ring in rings where ring.count >= 3 {
                var j = ring.count - 1
                for i in ring.indices {
                    let (xi, yi) = ring[i], (xj, yj) = ring[j]
                    if (yi > c.latitude) != (yj > c.latitude), c.longitude < (xj - xi) * (c.latitude - yi) / (yj - yi) + xi { inside.toggle() }
                    j = i
                }
            }
            if inside { return m }
        }
        return nil
    }

    /// The network of `date`: closures applied, travel times between the zone's points (and the
    /// coordinates bookings add).
    public func network(on date: ServiceDate) -> DayNetwork {
        lock.lock()
        defer { lock.unlock() }
        let day: DayNetwork
        if let known = days[date]?.network {
            day = known
        } else {
            let mask = graph.closedArcs(on: date)
            let closed: ArcMask? = mask.isEmpty ? nil : mask
            day = DayNetwork(zone: self, date: date, closed: closed, hierarchy: hierarchies.hierarchy(closed: closed))
            days[date] = WeakDay(network: day)
        }
        recent.removeAll { $0 == date }
        recent.append(date)
        held[date] = day
        while recent.count > Self.cachedDates { held[recent.removeFirst()] = nil }
        // Forget released dates now and then (amortized O(1): the next sweep waits for twice as many).
        if days.count > sweepAt {
            days = days.filter { $0.value.network != nil }
            sweepAt = max(4 * Self.cachedDates, 2 * days.count)
        }
        return day
    }

    /// Dates whose networks are in memory (held by the cache or by someone else).
    public var datesInMemory: Int {
        lock.lock()
        defer { lock.unlock() }
        return days.values.filter { $0.network != nil }.count
    }

    func snapOnRoad(_ c: Coordinate, closed: ArcMask?) throws -> SnappedPoint {
        try snapIndex.snap(c, in: graph, closed: closed, maxDistanceMetres: 300)
    }
}

/// Why a date's network does not take a coordinate.
public enum DayNetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooManyAddresses(date: ServiceDate, limit: Int)

    public var description: String {
        switch self {
        case let .tooManyAddresses(date, limit):
            return "\(date) already has \(limit) door-to-door addresses, the most one date takes; book from a stop of the zone"
        }
    }
}

/// The road network on one service date, with a travel-time table that grows as bookings bring
/// new coordinates (each new point recomputes the table: a few milliseconds on a zone).
public final class DayNetwork: @unchecked Sendable {
    public let date: ServiceDate
    let zone: ServiceZone
    let closed: ArcMask?
    let hierarchy: ContractionHierarchy
    private let lock = NSLock()
    private var points: [SnappedPoint]
    private var extra: [Coordinate: Int] = [:]
    private var table: TravelTimeTable?
    private var matrix: TravelMatrix?

    init(zone: ServiceZone, date: ServiceDate, closed: ArcMask?, hierarchy: ContractionHierarchy) {
        self.zone = zone
        self.date = date
        self.closed = closed
        self.hierarchy = hierarchy
        points = zone.points.map(\.snapped)
    }

    /// The location index of a coordinate (snapped to the nearest open road within 300 m).
    /// - Throws: `DayNetworkError.tooManyAddresses` when the date already has
    ///   `ServiceZone.maxAddressesPerDate` door-to-door coordinates (each new one recomputes the
    ///   date's travel table), or the snapping error.
    public func location(of c: Coordinate) throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        if let known = extra[c] { return known }
        guard extra.count < ServiceZone.maxAddressesPerDate else { throw DayNetworkError.tooManyAddresses(date: date, limit: ServiceZone.maxAddressesPerDate) }
        let snapped = try zone.snapOnRoad(c, closed: closed)
        if let same = points.firstIndex(where: { $0.edge == snapped.edge && abs($0.fraction - snapped.fraction) < 1e-9 }) {
            extra[c] = same
            return same
        }
        points.append(snapped)
        extra[c] = points.count - 1
        table = nil
        matrix = nil
        return points.count - 1
    }

    /// The coordinate a booking gave for a location it added (nil for the zone's own points).
    public func coordinate(of location: Int) -> Coordinate? {
        lock.lock()
        defer { lock.unlock() }
        return extra.first { $0.value == location && location >= zone.points.count }?.key
    }

    /// Travel times (seconds, rounded up) between all locations known so far.
    public func travel() -> TravelMatrix {
        lock.lock()
        defer { lock.unlock() }
        if table == nil {
            table = ManyToMany.table(graph: zone.graph, hierarchy: hierarchy, points: points, closed: closed, threads: 1)
        }
        if matrix == nil { matrix = TravelMatrix(table: table!, scale: .seconds) }
        return matrix!
    }

    /// The road geometry of the fastest open route between two locations (straight when none).
    public func geometry(from i: Int, to j: Int) -> [Coordinate] {
        lock.lock()
        let a = points[i], b = points[j]
        lock.unlock()
        let query = ShortestPathQuery(graph: zone.graph)
        return query.route(from: a, to: b, closed: closed)?.geometry ?? [a.onRoad, b.onRoad]
    }

    /// Where a location is on the road.
    public func position(of i: Int) -> Coordinate {
        lock.lock()
        defer { lock.unlock() }
        return points[i].onRoad
    }

    /// Road metres between two locations known so far (nil: no open road).
    public func metres(_ i: Int, _ j: Int) -> Int? {
        _ = travel()
        lock.lock()
        defer { lock.unlock() }
        return table!.length(i, j).map(Int.init)
    }
}

