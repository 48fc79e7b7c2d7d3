import Foundation
import RoadNetwork

/// The zone file (`*.zone.json`): the municipalities of a wide-area zone, their places and stops,
/// the depots and vehicles they pool, and which network file they drive on.
///
/// Keys are snake_case (format version 2; a version 1 file, camelCase, is migrated when read).
/// Times of day are `HH:MM:SS` strings (`HH:MM` accepted) at the edges and seconds inside.
/// Coordinates are `[longitude, latitude]` as in GeoJSON. Every id is unique within its list and
/// every reference names an existing id; `ZoneFile.load` checks this and says where it is wrong.
public struct ZoneFile: Codable, Sendable, Equatable {
    public static let formatVersion = 2

    public var formatVersion: Int
    public var name: String
    /// The network file, relative to the zone file's folder.
    public var network: String
    public var timeZone: String
    public var municipalities: [Municipality]
    public var places: [Place]
    public var stops: [Stop]
    public var depots: [Depot]
    public var vehicles: [Vehicle]
    public var notes: [String]
    /// Operating costs for the wide-area accounting (optional; `Costs.assumed` when absent).
    public var costs: Costs?
    /// Cross-border rules (optional; without them every trip inside the zone may be booked).
    public var rules: Rules?
    /// Fares per municipality (of the resident), optional; without one a ride is free.
    public var fares: [String: Fare]?
    /// How many days ahead a ride may be booked (optional; default `defaultBookingHorizonDays`).
    public var bookingHorizonDays: Int?
    public static let defaultBookingHorizonDays = 90
    /// Holidays and local closing days (optional; default: Japanese public holidays, no closing days).
    public var calendar: ServiceCalendar?
    /// Drivers' breaks (optional; default `BreakRule.japaneseBusStandard`).
    public var breaks: BreakRule?
    /// Who runs the service, for published feeds (GTFS-Flex) and people (optional).
    public var agency: Agency?
    /// Minutes a driver waits from the start of a booking's promised pickup window before the
    /// passenger may be reported a no-show (optional; default `defaultNoShowWaitMinutes`).
    public var noShowWaitMinutes: Int?
    public static let defaultNoShowWaitMinutes = 5
    /// `noShowWaitMinutes` or its default.
    public var noShowWait: Int { noShowWaitMinutes ?? Self.defaultNoShowWaitMinutes }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", name, network, timeZone = "time_zone", municipalities, places, stops, depots, vehicles
        case notes, costs, rules, fares, bookingHorizonDays = "booking_horizon_days", calendar, breaks, agency
        case noShowWaitMinutes = "no_show_wait_minutes"
    }

    /// A municipality's fare per passenger: `flatYen`, or the first distance band whose `upToKm`
    /// covers the direct road distance (a band without `upToKm` covers the rest); then the
    /// concession discount (a share, 0.5 = half price); plus `phoneSurchargeYen` per booking made
    /// by phone.
    public struct Fare: Codable, Sendable, Equatable {
        public var flatYen: Double?
        public var bands: [FareBand]?
        public var elderlyDiscount: Double?
        public var disabledDiscount: Double?
        public var phoneSurchargeYen: Double?

        public init(flatYen: Double? = nil, bands: [FareBand]? = nil, elderlyDiscount: Double? = nil, disabledDiscount: Double? = nil,
                    phoneSurchargeYen: Double? = nil) {
            self.flatYen = flatYen
            self.bands = bands
            self.elderlyDiscount = elderlyDiscount
            self.disabledDiscount = disabledDiscount
            self.phoneSurchargeYen = phoneSurchargeYen
        }

        enum CodingKeys: String, CodingKey {
            case flatYen = "flat_yen", bands, elderlyDiscount = "elderly_discount", disabledDiscount = "disabled_discount"
            case phoneSurchargeYen = "phone_surcharge_yen"
        }
    }

    public struct FareBand: Codable, Sendable, Equatable {
        public var upToKm: Double?
        public var yen: Double

        public init(upToKm: Double?, yen: Double) {
            self.upToKm = upToKm
            self.yen = yen
        }

        enum CodingKeys: String, CodingKey { case upToKm = "up_to_km", yen }
    }

    /// Which trips across municipal borders residents may book. A trip that stays inside the
    /// resident's municipality is always allowed. Otherwise it is allowed when every end outside
    /// that municipality is one of its `outsideDestinations` (the prefectural hospital, the
    /// neighbouring town's station, …), or when an agreement covers the pair of municipalities the
    /// trip connects for the resident's municipality. Which vehicles may carry whose residents is
    /// each vehicle's `serves` list.
    public struct Rules: Codable, Sendable, Equatable {
        /// Municipality id → stop ids outside it that its residents may travel to or from.
        public var outsideDestinations: [String: [String]]?
        public var agreements: [Agreement]?

        public init(outsideDestinations: [String: [String]]? = nil, agreements: [Agreement]? = nil) {
            self.outsideDestinations = outsideDestinations
            self.agreements = agreements
        }

        enum CodingKeys: String, CodingKey { case outsideDestinations = "outside_destinations", agreements }
    }

    /// Trips between the two municipalities (either way) are allowed for residents of
    /// `residentsOf` (nil: residents of either of the two).
    public struct Agreement: Codable, Sendable, Equatable {
        public var name: String
        public var between: [String]
        public var residentsOf: [String]?

        public init(name: String, between: [String], residentsOf: [String]? = nil) {
            self.name = name
            self.between = between
            self.residentsOf = residentsOf
        }

        enum CodingKeys: String, CodingKey { case name, between, residentsOf = "residents_of" }
    }

    /// Yen per vehicle-hour (driver and vehicle) and per kilometre (fuel, wear), and what a request
    /// left unserved costs (e.g. the taxi voucher a municipality hands out instead).
    public struct Costs: Codable, Sendable, Equatable {
        public var vehicleHourYen: Double
        public var kilometreYen: Double
        public var unservedRequestYen: Double

        public init(vehicleHourYen: Double, kilometreYen: Double, unservedRequestYen: Double) {
            self.vehicleHourYen = vehicleHourYen
            self.kilometreYen = kilometreYen
            self.unservedRequestYen = unservedRequestYen
        }

        /// Used when the zone file gives none: ¥4,000 per vehicle-hour, ¥30 per km, ¥6,000 per
        /// unserved request. Assumptions for the demo zone, not data.
        public static let assumed = Costs(vehicleHourYen: 4_000, kilometreYen: 30, unservedRequestYen: 6_000)

        enum CodingKeys: String, CodingKey {
            case vehicleHourYen = "vehicle_hour_yen", kilometreYen = "kilometre_yen", unservedRequestYen = "unserved_request_yen"
        }
    }

    public struct Municipality: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var localName: String
        /// Closed rings of `[lon, lat]`: outer rings, holes and exclaves alike; a point is inside
        /// when an odd number of rings contain it (even-odd rule), as SVG's `fill-rule: evenodd`.
        public var boundary: [[[Double]]]
        public var serviceHours: TimeRange
        /// Kinds of day with service (`weekday`, `saturday`, `sunday_holiday`); nil: all three.
        public var serviceDays: [String]?
        /// Who may book when (optional; without it: anyone, up to the zone's horizon, any time before the trip).
        public var booking: BookingRules?

        enum CodingKeys: String, CodingKey {
            case id, name, localName = "local_name", boundary, serviceHours = "service_hours", serviceDays = "service_days", booking
        }

        public init(id: String, name: String, localName: String, boundary: [[[Double]]], serviceHours: TimeRange) {
            self.id = id
            self.name = name
            self.localName = localName
            self.boundary = boundary
            self.serviceHours = serviceHours
        }
    }

    public struct Place: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var localName: String
        /// town_centre, hamlet, hospital, station, school, supermarket, pass, …
        public var kind: String
        public var municipality: String?
        public var position: [Double]

        enum CodingKeys: String, CodingKey { case id, name, localName = "local_name", kind, municipality, position }

        public init(id: String, name: String, localName: String, kind: String, municipality: String?, position: [Double]) {
            self.id = id
            self.name = name
            self.localName = localName
            self.kind = kind
            self.municipality = municipality
            self.position = position
        }
    }

    public struct Stop: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var localName: String
        public var municipality: String
        public var position: [Double]

        enum CodingKeys: String, CodingKey { case id, name, localName = "local_name", municipality, position }

        public init(id: String, name: String, localName: String, municipality: String, position: [Double]) {
            self.id = id
            self.name = name
            self.localName = localName
            self.municipality = municipality
            self.position = position
        }
    }

    public struct Depot: Codable, Sendable, Equatable {
        public var id: String
        public var municipality: String
        public var position: [Double]

        public init(id: String, municipality: String, position: [Double]) {
            self.id = id
            self.municipality = municipality
            self.position = position
        }
    }

    public struct Vehicle: Codable, Sendable, Equatable {
        public var id: String
        public var municipality: String
        public var depot: String
        public var seats: Int
        public var wheelchairPlaces: Int
        public var shift: TimeRange
        /// Municipalities whose residents this vehicle may carry.
        public var serves: [String]
        /// Shifts by kind of day (optional; without it the vehicle works `shift` on every day the
        /// zone is open).
        public var schedule: WeeklySchedule?
        /// Dated changes: out of service (`shifts: []`), or other shifts that day.
        public var exceptions: [ShiftException]?

        enum CodingKeys: String, CodingKey {
            case id, municipality, depot, seats, wheelchairPlaces = "wheelchair_places", shift, serves, schedule, exceptions
        }

        public init(id: String, municipality: String, depot: String, seats: Int, wheelchairPlaces: Int, shift: TimeRange, serves: [String]) {
            self.id = id
            self.municipality = municipality
            self.depot = depot
            self.seats = seats
            self.wheelchairPlaces = wheelchairPlaces
            self.shift = shift
            self.serves = serves
        }
    }

    public struct TimeRange: Codable, Sendable, Equatable {
        public var start: String
        public var end: String

        public init(start: String, end: String) {
            self.start = start
            self.end = end
        }
    }

    public init(name: String, network: String, timeZone: String = "Asia/Tokyo", municipalities: [Municipality],
                places: [Place], stops: [Stop], depots: [Depot], vehicles: [Vehicle], notes: [String] = []) {
        formatVersion = Self.formatVersion
        self.name = name
        self.network = network
        self.timeZone = timeZone
        self.municipalities = municipalities
        self.places = places
        self.stops = stops
        self.depots = depots
        self.vehicles = vehicles
        self.notes = notes
    }
}

/// A zone file that cannot be used, with the place in the file that is wrong.
public struct ZoneFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    /// JSON path of the culprit, e.g. `vehicles[3].depot`.
    public var field: String
    public var reason: String

    public init(path: String, field: String, reason: String) {
        self.path = path
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(path): \(field): \(reason)." }
}

extension ZoneFile {
    /// The network file's path: `network` relative to the zone file's folder (or absolute).
    public func networkPath(zonePath: String) -> String {
        if network.hasPrefix("/") { return network }
        let folder = (zonePath as NSString).deletingLastPathComponent
        return folder.isEmpty ? network : folder + "/" + network
    }

    /// Reads a zone file and (unless `validate` is false) validates it.
    public static func load(path: String, validate: Bool = true) throws -> ZoneFile {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ZoneFileError(path: path, field: "(file)", reason: "cannot be read (\(error.localizedDescription))")
        }
        let zone: ZoneFile
        do { zone = try JSONDecoder().decode(ZoneFile.self, from: Data(try ZoneFileMigration.current(Array(data), path: path))) } catch let DecodingError.keyNotFound(key, context) {
            throw ZoneFileError(path: path, field: jsonPath(context.codingPath + [key]), reason: "is missing")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ZoneFileError(path: path, field: jsonPath(context.codingPath), reason: "has the wrong type (\(context.debugDescription))")
        } catch let DecodingError.valueNotFound(_, context) {
            throw ZoneFileError(path: path, field: jsonPath(context.codingPath), reason: "is null")
        } catch let DecodingError.dataCorrupted(context) {
            throw ZoneFileError(path: path, field: context.codingPath.isEmpty ? "(file)" : jsonPath(context.codingPath),
                                reason: "is not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))")
        }
        if validate { try zone.validate(path: path) }
        return zone
    }

    public func write(to path: String) throws {
        try Data((try encodeJSON(self) + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Checks ids, references, times and coordinates; throws the first problem.
    public func validate(path: String) throws {
        if let first = problems(path: path).first { throw first }
    }

    /// Every problem of ids, references, times and coordinates, in file order (`dispatch zone check`
    /// prints them all).
    public func problems(path: String) -> [ZoneFileError] {
        var found: [ZoneFileError] = []
        func fail(_ field: String, _ reason: String) { found.append(ZoneFileError(path: path, field: field, reason: reason)) }
        guard formatVersion == Self.formatVersion else {
            fail("format_version", "is \(formatVersion); this build reads zone files of version \(Self.formatVersion) (and migrates version 1)")
            return found
        }
        func unique(_ ids: [String], _ list: String) {
            var seen = Set<String>()
            for (i, id) in ids.enumerated() {
                if id.isEmpty { fail("\(list)[\(i)].id", "is empty") }
                else if !seen.insert(id).inserted { fail("\(list)[\(i)].id", "'\(id)' is used twice") }
            }
        }
        unique(municipalities.map(\.id), "municipalities")
        unique(places.map(\.id), "places")
        unique(stops.map(\.id), "stops")
        unique(depots.map(\.id), "depots")
        unique(vehicles.map(\.id), "vehicles")
        let municipalityIDs = Set(municipalities.map(\.id)), depotIDs = Set(depots.map(\.id))
        func position(_ p: [Double], _ field: String) {
            if p.count != 2 || !Coordinate(latitude: p[1], longitude: p[0]).isValid { fail(field, "must be [longitude, latitude] in degrees") }
        }
        func time(_ t: TimeRange, _ field: String) { Self.rangeProblems(t, field, fail: fail) }
        func municipality(_ id: String, _ field: String) {
            if !municipalityIDs.contains(id) { fail(field, "'\(id)' is not a municipality id") }
        }
        for (i, m) in municipalities.enumerated() {
            if m.boundary.isEmpty { fail("municipalities[\(i)].boundary", "needs at least one ring") }
            for (r, ring) in m.boundary.enumerated() {
                if ring.count < 4 || ring.first != ring.last {
                    fail("municipalities[\(i)].boundary[\(r)]", "must be a closed ring of at least 4 [lon, lat] points")
                }
                for (j, p) in ring.enumerated() { position(p, "municipalities[\(i)].boundary[\(r)][\(j)]") }
            }
            time(m.serviceHours, "municipalities[\(i)].service_hours")
        }
        for (i, p) in places.enumerated() {
            position(p.position, "places[\(i)].position")
            if let m = p.municipality { municipality(m, "places[\(i)].municipality") }
        }
        for (i, s) in stops.enumerated() {
            position(s.position, "stops[\(i)].position")
            municipality(s.municipality, "stops[\(i)].municipality")
        }
        for (i, d) in depots.enumerated() {
            position(d.position, "depots[\(i)].position")
            municipality(d.municipality, "depots[\(i)].municipality")
        }
        for (i, v) in vehicles.enumerated() {
            municipality(v.municipality, "vehicles[\(i)].municipality")
            if !depotIDs.contains(v.depot) { fail("vehicles[\(i)].depot", "'\(v.depot)' is not a depot id") }
            if v.seats < 1 { fail("vehicles[\(i)].seats", "must be at least 1") }
            if v.wheelchairPlaces < 0 { fail("vehicles[\(i)].wheelchair_places", "must not be negative") }
            time(v.shift, "vehicles[\(i)].shift")
            for (j, m) in v.serves.enumerated() { municipality(m, "vehicles[\(i)].serves[\(j)]") }
        }
        calendarProblems(fail: fail)
        if let days = bookingHorizonDays, !(0...3_660).contains(days) { fail("booking_horizon_days", "must be between 0 and 3660 days") }
        if let wait = noShowWaitMinutes, !(0...120).contains(wait) { fail("no_show_wait_minutes", "must be between 0 and 120 minutes") }
        for (m, fare) in (fares ?? [:]).sorted(by: { $0.key < $1.key }) {
            municipality(m, "fares.\(m)")
            for (name, share) in [("elderly_discount", fare.elderlyDiscount), ("disabled_discount", fare.disabledDiscount)] {
                if let share, !(0...1).contains(share) { fail("fares.\(m).\(name)", "must be a share between 0 and 1") }
            }
            if fare.flatYen == nil && (fare.bands ?? []).isEmpty { fail("fares.\(m)", "needs flat_yen or bands") }
            let limits = (fare.bands ?? []).map { $0.upToKm ?? .infinity }
            if limits != limits.sorted() { fail("fares.\(m).bands", "must be in increasing up_to_km") }
            if ([fare.flatYen, fare.phoneSurchargeYen].compactMap { $0 } + (fare.bands ?? []).map(\.yen)).contains(where: { $0 < 0 || !$0.isFinite }) {
                fail("fares.\(m)", "amounts must be non-negative yen")
            }
        }
        if let rules {
            let stopIDs = Set(stops.map(\.id))
            for (m, list) in (rules.outsideDestinations ?? [:]).sorted(by: { $0.key < $1.key }) {
                municipality(m, "rules.outside_destinations.\(m)")
                for (j, stop) in list.enumerated() where !stopIDs.contains(stop) {
                    fail("rules.outside_destinations.\(m)[\(j)]", "'\(stop)' is not a stop id")
                }
            }
            for (i, a) in (rules.agreements ?? []).enumerated() {
                if a.between.count != 2 || !a.between.allSatisfy(municipalityIDs.contains) {
                    fail("rules.agreements[\(i)].between", "must name two municipality ids")
                }
                for (j, m) in (a.residentsOf ?? []).enumerated() { municipality(m, "rules.agreements[\(i)].residents_of[\(j)]") }
            }
        }
        return found
    }
}

extension ZoneFile {
    /// Problems of a time range: start and end `HH:MM[:SS]`, end after start.
    static func rangeProblems(_ t: TimeRange, _ field: String, fail: (String, String) -> Void) {
        let s = TimeText.seconds(ofClock: t.start), e = TimeText.seconds(ofClock: t.end)
        if s == nil { fail("\(field).start", "'\(t.start)' is not a time HH:MM:SS or HH:MM") }
        if e == nil { fail("\(field).end", "'\(t.end)' is not a time HH:MM:SS or HH:MM") }
        if let s, let e, s >= e { fail(field, "ends (\(t.end)) before it starts (\(t.start))") }
    }
}

func jsonPath(_ path: [any CodingKey]) -> String {
    var out = ""
    for key in path {
        if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
    }
    return out.isEmpty ? "(root)" : out
}
