import DispatchCore
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

/// Stored bookings of a date on the day's network.
public enum DayLoading {
    /// A stored booking as the planner sees it (places on the day network, the promised window).
    public static func dayBooking(_ record: BookingRecord, zone: ServiceZone, network: DayNetwork) throws -> DayBooking {
        func location(_ place: BookingPlace) throws -> Int {
            if let stop = place.stopID {
                guard let i = zone.stopIndex[stop] else { throw StoreError(.invalidLocation, "booking \(record.id): unknown stop \(stop)") }
                return i
            }
            return try network.location(of: Coordinate(latitude: place.latitude ?? 0, longitude: place.longitude ?? 0))
        }
        var promised: TimeWindow?
        if let a = record.promisedEarliest, let b = record.promisedLatest { promised = TimeWindow(earliest: a, latest: b) }
        return DayBooking(id: record.id, municipality: zone.municipalityIndex[record.municipality] ?? 0, pickup: try location(record.pickup),
                          dropoff: try location(record.dropoff), timeKind: record.timeKind == .pickup ? .pickup : .arrival,
                          requestedTime: record.requestedTime,
                          load: Load(seats: record.partySize - record.wheelchairs, wheelchairs: record.wheelchairs), promised: promised)
    }

    /// The municipality id of a booking's place (its stop's, or the one containing the coordinate).
    public static func municipality(of place: BookingPlace, zone: ServiceZone) -> String? {
        if let stop = place.stopID, let i = zone.stopIndex[stop] { return zone.file.municipalities[zone.points[i].municipality].id }
        guard let lat = place.latitude, let lon = place.longitude, let m = zone.municipality(containing: Coordinate(latitude: lat, longitude: lon)) else {
            return nil
        }
        return zone.file.municipalities[m].id
    }

    /// The cross-border rule a booking breaks, as a sentence (nil: allowed).
    public static func ruleViolation(_ record: BookingRecord, zone: ServiceZone, rules: ZoneRules) -> String? {
        guard let from = municipality(of: record.pickup, zone: zone), let to = municipality(of: record.dropoff, zone: zone) else { return nil }
        return rules.violation(resident: record.municipality, from: from, to: to, fromStop: record.pickup.stopID, toStop: record.dropoff.stopID)
    }

    /// A date's bookings: the active ones as an instance; the others (rejected, cancelled, …) listed.
    public struct LoadedDay: Sendable {
        public var date: ServiceDate
        public var network: DayNetwork
        public var records: [BookingRecord]
        public var day: DayInstance
        /// Active bookings whose places cannot be placed on the network (e.g. a coordinate now far from any open road).
        public var unplaceable: [String]
        /// Active bookings a cross-border rule forbids (booked before the rule), with the rule.
        public var forbidden: [String: String] = [:]
        /// The store's revision of the date when it was read (read first: a later change makes a
        /// save that expects it stale).
        public var revision: Int64 = 0
        /// The date's current routes (the day's tentative plan); see `DayRoute`.
        public var routes: [DayRoute] = []
        /// The latest saved plan of the date.
        public var latest: DayPlanDocument?

        public init(date: ServiceDate, network: DayNetwork, records: [BookingRecord], day: DayInstance, unplaceable: [String],
                    forbidden: [String: String] = [:]) {
            self.date = date
            self.network = network
            self.records = records
            self.day = day
            self.unplaceable = unplaceable
            self.forbidden = forbidden
        }

        /// The routes to start from: the stored current routes, or (a store from before routes
        /// were kept) those of the latest saved plan.
        public var currentRoutes: [DayRoute] {
            if routes.isEmpty, let latest { return DayStart.routes(of: latest) }
            return routes
        }
    }

    public static func load(store: any RideRequestStore, zone: ServiceZone, date: ServiceDate,
                            policy: BookingPolicy = BookingPolicy()) async throws -> LoadedDay {
        let network = zone.network(on: date)
        // The revision first: a change committed between the reads makes a save stale, never the other way round.
        let revision = try await store.dayRevision(serviceDate: date.description)
        let records = try await store.bookings(serviceDate: date.description, municipality: nil, createdBy: nil)
        let routes = try await store.dayRoutes(serviceDate: date.description)
        let latest = try await latestDocument(store: store, date: date)
        var bookings: [DayBooking] = [], unplaceable: [String] = [], forbidden: [String: String] = [:]
        let rules = ZoneRules(zone: zone.file)
        for record in records where record.status.isActive {
            if let rule = ruleViolation(record, zone: zone, rules: rules) { forbidden[record.id] = rule; continue }
            if let b = try? dayBooking(record, zone: zone, network: network) { bookings.append(b) } else { unplaceable.append(record.id) }
        }
        let day = try DayModel.build(name: "\(zone.file.name) \(date)", zone: zone, day: network, bookings: bookings, policy: policy)
        var loaded = LoadedDay(date: date, network: network, records: records, day: day, unplaceable: unplaceable, forbidden: forbidden)
        loaded.revision = revision
        loaded.routes = routes
        loaded.latest = latest
        return loaded
    }

    /// The latest saved plan of the date.
    public static func latestDocument(store: any RideRequestStore, date: ServiceDate) async throws -> DayPlanDocument? {
        guard let record = try await store.latestPlan(serviceDate: date.description) else { return nil }
        do {
            return try DayPlanDocument.decode(record.payload)
        } catch {
            throw StoreError(.unavailable, "the stored plan \(date) v\(record.version) cannot be read (\(error)); re-plan the date with this version of dispatch")
        }
    }

    /// The routes of a stored plan document on `day` (bookings no longer active dropped; a route
    /// the current bookings make infeasible left empty), as a start for the next plan.
    public static func plan(from document: DayPlanDocument, on day: DayInstance) -> Plan {
        let instance = day.instance
        let evaluator = RouteEvaluator(instance: instance)
        let vehicleIndex = Dictionary(uniqueKeysWithValues: instance.vehicles.enumerated().map { ($1.id, $0) })
        var routes = [[Int32]](repeating: [], count: instance.vehicleCount)
        var placed = Set<Int>()
        for route in document.vehicles {
            guard let k = vehicleIndex[route.id] else { continue }
            let stops = route.stops.compactMap { stop -> Int32? in
                guard let r = day.request(of: stop.bookingId), !placed.contains(r) || stop.action == "dropoff" else { return nil }
                return Int32(stop.action == "pickup" ? instance.pickup(r) : instance.dropoff(r))
            }
            // Both stops of each request, in the vehicle, or none.
            let pickups = Set(stops.filter { instance.isPickup(Int($0)) }.map(Int.init))
            let paired = stops.filter { pickups.contains(instance.request(ofNode: Int($0))!) }
            let dropped = Set(paired.filter { !instance.isPickup(Int($0)) }.map { instance.request(ofNode: Int($0))! })
            let complete = paired.filter { dropped.contains(instance.request(ofNode: Int($0))!) }
            guard !complete.isEmpty, evaluator.isFeasible(vehicle: k, stops: complete) else { continue }
            routes[k] = complete
            for node in complete where instance.isPickup(Int(node)) { placed.insert(Int(node)) }
        }
        return Plan(routes: routes, unserved: (0..<instance.requestCount).filter { !placed.contains($0) })
    }
}
