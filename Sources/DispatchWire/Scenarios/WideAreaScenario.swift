import DispatchCore
import NetworkGeneration
import RoadNetwork

/// A realistic, deterministic day of demand-taxi requests on the generated wide-area zone (the
/// embedded default zone: five municipalities along three valleys, a hub town with the prefectural
/// hospital and the station), for the optimizer's large-batch benchmark.
///
/// Residents (city : town : village = 3 : 2 : 1 by municipality) book trips from their home stop
/// (a meeting point or a hamlet) to the hospital, the clinic by the town office, the shops, the
/// town office, the station, a school or someone they visit; 85 % book both legs. Outbound legs have
/// a drop-off deadline ("be at the hospital by 10:00", window `[T − w, T]`, hospital deadlines
/// 8:15–11:00 peaking around 9:40), homeward legs a pickup window ("pick me up around 14:00",
/// `[T − w/2, T + w/2]`), w = 15–30 min. About 5 % travel with a wheelchair, groups are 1–3
/// people, maximum ride times are MATSim's `α · direct + β` with α = 1.5–2.0 and β = 10–15 min,
/// service times 60–120 s (plus 2 min for a wheelchair ramp). Trips to the hub's hospital and
/// station, and some shopping, errands and visits, cross municipal borders (about a quarter).
///
/// Vehicles are spread over the municipal depots by demand, with shifts 7:00–19:00 (every third
/// 8:00–17:00, the hub's first 6:30–19:30): convertible vans (6 seats, or 4 seats + 1 wheelchair),
/// sedans (4 seats) and welfare vans (3 seats + 1 wheelchair). Every vehicle may carry residents of
/// every municipality (the point of pooling the fleets).
///
/// Travel times come from the routing code: the stops and depots are snapped to the road graph, a
/// contraction hierarchy is built (without the arcs closed on `date`), and the many-to-many table
/// (deciseconds) becomes a `TravelMatrix` in seconds, rounded up, which keeps the triangle
/// inequality. Locations are the distinct stops and depots the requests and vehicles use (about
/// 100 for 2,000 requests), not two per request. Time 0 is midnight.
///
/// Every request can be served alone by some vehicle (windows, ride limit, shift), so
/// `DispatchInstanceBuilder.build()` accepts all of them and none is hopeless by construction.
public struct WideAreaScenario: Sendable {
    /// The validated instance (time unit: seconds, `TimeScale.seconds`).
    public let instance: DispatchInstance
    /// The municipalities of the zone; `Location.municipality`, `RequestDetail.municipality`,
    /// `Request.municipality` and `Vehicle.homeMunicipality` index this list.
    public let municipalities: [GeneratedMunicipality]
    /// Per location of `instance.travel`: name, kind, municipality and coordinate.
    public let locations: [Location]
    /// Per request of `instance`: purpose, leg, passengers and the time the resident asked for.
    public let requestDetails: [RequestDetail]
    /// Per vehicle of `instance`: model and depot.
    public let vehicleDetails: [VehicleDetail]
    public let seed: UInt64
    /// The service date whose road closures apply (nil: none, e.g. summer).
    public let date: ServiceDate?
    /// Seed of the generated network (1 is the committed default zone).
    public let networkSeed: UInt64

    /// A stop or depot of the scenario, one per location of the travel matrix.
    public struct Location: Sendable, Hashable {
        /// Name in romaji, e.g. "Kenritsu Byōin-mae" or "Hanaoka Prefectural Hospital".
        public var name: String
        /// Name in Japanese.
        public var localName: String
        /// depot, hospital, station, supermarket, school, townCentre, hamlet or meetingPoint.
        public var kind: GeneratedPlace.Kind
        public var municipality: Int
        /// The place's position (on a road node of the network).
        public var coordinate: Coordinate
    }

    /// Why a request was made, for reports and maps.
    public struct RequestDetail: Sendable, Hashable {
        public enum Purpose: String, Sendable, CaseIterable {
            /// The prefectural hospital in the hub town.
            case hospital
            /// The clinic by the own town office.
            case clinic
            case shopping
            /// Town office, bank, post office.
            case errands
            case station, school
            /// Relatives, friends, the community hall.
            case visit
        }

        public enum Leg: String, Sendable, CaseIterable {
            /// From home, with a drop-off deadline.
            case outbound
            /// Back home, with a pickup window.
            case homeward
        }

        public var purpose: Purpose
        public var leg: Leg
        /// People travelling together, the wheelchair user included.
        public var passengers: Int
        public var wheelchair: Bool
        /// Municipality of residence (where home is).
        public var municipality: Int
        /// The time asked for: the drop-off deadline of an outbound leg, the "around" time of a
        /// homeward pickup (seconds after midnight).
        public var requestedTime: Int
        /// Pickup and drop-off lie in different municipalities.
        public var crossesMunicipalities: Bool
    }

    /// What a vehicle is and where it is based.
    public struct VehicleDetail: Sendable, Hashable {
        public enum Model: String, Sendable, CaseIterable {
            /// 4 seats.
            case sedan
            /// 3 seats + 1 wheelchair place (福祉車両).
            case welfareVan
            /// 6 seats, or 4 seats + 1 wheelchair place with two seats folded.
            case convertibleVan

            public var capacity: Capacity {
                switch self {
                case .sedan: Capacity(seats: 4)
                case .welfareVan: Capacity(seats: 3, wheelchairs: 1)
                case .convertibleVan: Capacity(layouts: [Load(seats: 6), Load(seats: 4, wheelchairs: 1)])
                }
            }
        }

        public var model: Model
        /// Location index of the depot (start and end of the shift).
        public var depot: Int
        public var municipality: Int
    }
}

/// Parameters a wide-area scenario cannot be made with, said for people.
public struct WideAreaScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "Cannot generate the wide-area scenario: \(reason)." }
}

extension WideAreaScenario {
    /// Generates `requests` requests and `vehicles` vehicles on the generated wide-area zone; the same
    /// arguments give an identical scenario.
    ///
    /// - Parameters:
    ///   - date: closures of this date apply (in winter the pass is closed, and stops cut off by it
    ///     are left out); nil for none.
    ///   - networkSeed: seed of the generated zone; 1 is the committed default zone.
    /// - Throws: `WideAreaScenarioError` for counts out of range (requests 0…200,000, vehicles
    ///   1…5,000).
    /// - Complexity: the zone (see `Zone.init`) plus `generate(requests:vehicles:seed:zone:)`.
    public static func generate(requests: Int, vehicles: Int, seed: UInt64, date: ServiceDate? = nil,
                                networkSeed: UInt64 = 1) throws -> WideAreaScenario {
        try validate(requests: requests, vehicles: vehicles)
        return try generate(requests: requests, vehicles: vehicles, seed: seed, zone: Zone(networkSeed: networkSeed, date: date))
    }

    /// Generates `requests` requests and `vehicles` vehicles on a zone made before; the same
    /// arguments give an identical scenario, and the same as `generate(requests:vehicles:seed:date:networkSeed:)`.
    /// - Throws: `WideAreaScenarioError` for counts out of range (requests 0…200,000, vehicles
    ///   1…5,000).
    /// - Complexity: O(n · (K + L)) for n requests, K vehicles and L ≈ 150 stops, plus O(L²) for the
    ///   travel matrix.
    public static func generate(requests: Int, vehicles: Int, seed: UInt64, zone: Zone) throws -> WideAreaScenario {
        try validate(requests: requests, vehicles: vehicles)
        let fleet = zone.fleet(count: vehicles)
        var rng = SeededGenerator(seed: seed)
        let drafts = try zone.demand(count: requests, fleet: fleet.map(\.input), rng: &rng)
        return try assemble(zone: zone, fleet: fleet, drafts: drafts, seed: seed)
    }

    static func validate(requests: Int, vehicles: Int) throws {
        guard (0...200_000).contains(requests) else {
            throw WideAreaScenarioError(reason: "the number of requests must be between 0 and 200,000, not \(requests)")
        }
        guard (1...5_000).contains(vehicles) else {
            throw WideAreaScenarioError(reason: "the number of vehicles must be between 1 and 5,000, not \(vehicles)")
        }
    }

    /// Keeps the locations in use (depots first), renumbers, and builds the instance.
    static func assemble(zone: Zone, fleet: [FleetVehicle], drafts: [DraftRequest], seed: UInt64) throws -> WideAreaScenario {
        var used = [Bool](repeating: false, count: zone.locations.count)
        for v in fleet { used[v.input.startLocation] = true; used[v.input.endLocation] = true }
        for d in drafts { used[d.input.pickupLocation] = true; used[d.input.dropoffLocation] = true }
        let depots = zone.locations.indices.filter { used[$0] && zone.locations[$0].kind == .depot }
        let others = zone.locations.indices.filter { used[$0] && zone.locations[$0].kind != .depot }
        let kept = depots + others
        var newIndex = [Int](repeating: -1, count: zone.locations.count)
        for (i, old) in kept.enumerated() { newIndex[old] = i }

        let travel = TravelMatrix(table: zone.table.restricted(to: kept), scale: .seconds)
        let ids = zeroPadded(count: drafts.count)
        var builder = DispatchInstanceBuilder(
            name: "wide-area-\(drafts.count)r-\(fleet.count)v-seed\(seed)\(zone.date.map { "-\($0)" } ?? "")",
            timeScale: .seconds, travel: travel)
        for v in fleet {
            var input = v.input
            input.startLocation = newIndex[input.startLocation]
            input.endLocation = newIndex[input.endLocation]
            builder.add(input)
        }
        for (r, d) in drafts.enumerated() {
            var input = d.input
            input.id = ids(r)
            input.pickupLocation = newIndex[input.pickupLocation]
            input.dropoffLocation = newIndex[input.dropoffLocation]
            builder.add(input)
        }
        let instance = try builder.build()
        let vehicleDetails = fleet.map { v in
            VehicleDetail(model: v.model, depot: newIndex[v.input.startLocation], municipality: v.municipality)
        }
        return WideAreaScenario(instance: instance, municipalities: zone.municipalities,
                                locations: kept.map { zone.locations[$0] }, requestDetails: drafts.map(\.detail),
                                vehicleDetails: vehicleDetails, seed: seed, date: zone.date, networkSeed: zone.networkSeed)
    }

    /// Request ids "r0001", "r0002", …, padded to the width of the count (at least 4 digits).
    static func zeroPadded(count: Int) -> (Int) -> String {
        let width = max(4, String(count).count)
        return { r in
            let digits = String(r + 1)
            return "r" + String(repeating: "0", count: width - digits.count) + digits
        }
    }
}

extension TravelTimeTable {
    /// The square table over the points `keep` (indices into a square table), in that order.
    /// - Complexity: O(keep.count²).
    func restricted(to keep: [Int]) -> TravelTimeTable {
        precondition(sourceCount == targetCount, "only square tables can be restricted to a subset of points")
        var times: [Int32] = [], lengths: [Int32] = []
        times.reserveCapacity(keep.count * keep.count)
        lengths.reserveCapacity(keep.count * keep.count)
        for i in keep {
            for j in keep {
                times.append(self.times[i * targetCount + j])
                lengths.append(self.lengths[i * targetCount + j])
            }
        }
        return TravelTimeTable(sourceCount: keep.count, targetCount: keep.count, times: times, lengths: lengths)
    }
}
