import DispatchCore
import DispatchWire
import RideRequestStore
import RoadNetwork

/// A realistic, deterministic day of demand-taxi bookings on any zone, drawn from the zone's
/// places: residents of hamlets, villages and meeting points book trips to the hospital, a clinic,
/// the supermarket, the station, a school, the town office or someone they visit, and back in the
/// afternoon; plus a few bookings no plan can serve, where the zone makes them meaningful.
///
/// A resident's municipality is drawn in proportion to its home stops times the vehicles based
/// there (at least one): municipalities size their fleets to their demand, so the town with three
/// vehicles has more riders per hamlet than the village with two. The home is one of its home stops. Purposes follow the usage surveys of Japanese rural demand taxis
/// (`purposeShares`, as in `WideAreaScenario`): the doctor leads, then shopping. Outbound legs ask
/// to arrive by a time (hospital reception 8:15–11:00), homeward legs to be picked up at a time;
/// times are moved into the resident's municipality's service hours. 85 % book both legs, about
/// 7 % travel with a wheelchair, parties are 1–2 people. A kind of place the zone lacks falls back
/// (no hospital → clinic or doctors → the hub's centre; no supermarket → the town centre, …) and
/// `summary` says so.
///
/// Every generated leg can be served alone by a vehicle that serves the resident's municipality
/// (windows and ride limit of `BookingPolicy`, shifts, capacity), on roads open on the date, and is
/// allowed by the zone's cross-border rules; a resident whose trip cannot is drawn again.
public struct ZoneDemand: Sendable {
    /// The bookings in about the order residents travel, then the impossible ones.
    public let requests: [BookingRequest]
    /// Per request: why it was made.
    public let trips: [Trip]
    /// What the demand was drawn from, the fallbacks taken and the impossible bookings, for people.
    public let summary: [String]

    /// Why a request was made.
    public struct Trip: Sendable, Hashable {
        public var purpose: Purpose
        public var leg: Leg
        /// Numbers the residents; both legs of a round trip share it.
        public var resident: Int
        public var wheelchair: Bool
        /// Pickup and drop-off lie in different municipalities.
        public var crossesMunicipalities: Bool
        /// Why no plan can serve it (nil for the generated demand).
        public var impossible: String?
    }

    public enum Purpose: String, Sendable, CaseIterable {
        case hospital, clinic, shopping, errands, station, school, visit
        /// One of the bookings no plan can serve.
        case impossible
    }

    public enum Leg: String, Sendable, CaseIterable {
        /// From home, arriving by a time.
        case outbound
        /// Back home, picked up at a time.
        case homeward
    }

    static let purposeShares: [(Purpose, Double)] = [
        (.hospital, 0.20), (.clinic, 0.14), (.shopping, 0.24), (.errands, 0.12), (.station, 0.07), (.school, 0.05), (.visit, 0.18),
    ]
    static let wheelchairShare = 0.07
    static let roundTripShare = 0.85
    /// Visits that go to another municipality (relatives, day-service centres).
    static let visitElsewhereShare = 0.15
    /// Shortest trip anyone books a taxi for (seconds of driving).
    static let shortestTrip = 180
    /// Draws of one resident before the generator gives up.
    static let attempts = 1_000

    /// Generates `count` bookings (plus the impossible ones) for `date`; the same arguments give the
    /// same bookings.
    /// - Throws: `ZoneDemandError` when the zone has no stops, or no servable trip turns up in
    ///   `attempts` draws (a fleet without service when residents travel).
    /// - Complexity: the date's travel table, plus O(places · stops + stops²) to sort the places and
    ///   O(count · (vehicles + stops)) to draw.
    public static func generate(zone: ServiceZone, date: ServiceDate, count: Int, seed: UInt64,
                                policy: BookingPolicy = BookingPolicy()) throws -> ZoneDemand {
        precondition(count >= 0, "a negative number of bookings")
        let travel = zone.network(on: date).travel()
        let places = ZonePlaces(zone: zone, travel: travel)
        guard places.homes.contains(where: { !$0.isEmpty }) else { throw ZoneDemandError(reason: "the zone has no stops") }
        var drawer = Drawer(zone: zone, places: places, travel: travel, policy: policy, rules: ZoneRules(zone: zone.file), date: date)
        var rng = SeededGenerator(seed: seed)
        var drafts: [Draft] = []
        var resident = 0
        while drafts.count < count {
            resident += 1
            var legs: [Draft]?
            for _ in 0..<attempts where legs == nil {
                legs = drawer.resident(resident, oneWayOnly: count - drafts.count == 1, rng: &rng)
            }
            guard let legs else {
                throw ZoneDemandError(reason: "no trip a vehicle could serve turned up in \(attempts) draws (are there vehicles during the service hours?)")
            }
            drafts += legs
        }
        let order = drafts.indices.sorted { (drafts[$0].order, $0) < (drafts[$1].order, $1) }
        var requests = order.map { drafts[$0].request }
        var trips = order.map { drafts[$0].trip }
        let impossible = drawer.impossible(template: requests.first)
        requests += impossible.map(\.request)
        trips += impossible.map(\.trip)
        return ZoneDemand(requests: requests, trips: trips,
                          summary: summary(zone: zone, places: places, trips: trips, impossibleNotes: drawer.impossibleNotes))
    }

    static func summary(zone: ServiceZone, places: ZonePlaces, trips: [Trip], impossibleNotes: [String]) -> [String] {
        let names = zone.file.municipalities.map(\.name)
        let homes = places.homes.enumerated().filter { !$0.element.isEmpty }.map { "\(names[$0.offset]) \($0.element.count)" }
        var lines = ["Homes: \(places.homes.map(\.count).reduce(0, +)) stops (\(homes.joined(separator: ", "))).",
                     "Destinations (stops): \(places.destinationCounts)."]
        lines += places.fallbacks
        let drawn = trips.filter { $0.impossible == nil }
        let purposes = Purpose.allCases.compactMap { p -> String? in
            let n = drawn.filter { $0.purpose == p }.count
            return n == 0 ? nil : "\(p.rawValue) \(n)"
        }
        let wheelchair = drawn.filter(\.wheelchair).count, crossing = drawn.filter(\.crossesMunicipalities).count
        let share = { (n: Int) in drawn.isEmpty ? "0" : String(Int((100 * Double(n) / Double(drawn.count)).rounded())) }
        lines.append("Trips: \(drawn.count) (\(purposes.joined(separator: ", "))); wheelchair \(wheelchair) (\(share(wheelchair)) %), "
            + "across municipal borders \(crossing) (\(share(crossing)) %).")
        lines += impossibleNotes
        return lines
    }
}

/// Why a day of demand cannot be drawn on a zone, said for people.
public struct ZoneDemandError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "Cannot draw a day of bookings on this zone: \(reason)." }
}

extension ZoneDemand {
    /// A leg before the day is put in order.
    struct Draft {
        var request: BookingRequest
        var trip: Trip
        /// About when the pickup happens.
        var order: Int
    }

    /// Draws residents' trips on one zone and date.
    struct Drawer {
        let zone: ServiceZone
        let places: ZonePlaces
        let travel: TravelMatrix
        let policy: BookingPolicy
        let rules: ZoneRules
        let date: ServiceDate
        /// Draw weight of each municipality's residents.
        let municipalityWeights: [Double]
        /// Vehicles per municipality they serve.
        let fleets: [[VehicleInput]]
        var impossibleNotes: [String] = []

        init(zone: ServiceZone, places: ZonePlaces, travel: TravelMatrix, policy: BookingPolicy, rules: ZoneRules, date: ServiceDate) {
            self.zone = zone
            self.places = places
            self.travel = travel
            self.policy = policy
            self.rules = rules
            self.date = date
            let based = zone.file.municipalities.map { m in zone.file.vehicles.filter { $0.municipality == m.id }.count }
            municipalityWeights = zip(places.homes, based).map { Double($0.count * max(1, $1)) }
            fleets = zone.file.municipalities.indices.map { m in zone.vehicles.filter { $0.serves?.contains(m) ?? true } }
        }

        func municipalityID(_ location: Int) -> String { zone.file.municipalities[places.municipality[location]].id }

        /// The option nearest to `home` by driving time, at least `shortestTrip` away and reachable both ways.
        func nearest(_ options: [Int], from home: Int) -> Int? {
            options.filter { $0 != home && travel.isReachable(home, $0) && travel.isReachable($0, home) && travel[home, $0] >= ZoneDemand.shortestTrip }
                .min { (travel[home, $0], $0) < (travel[home, $1], $1) }
        }

        /// Where a resident of `m` living at `home` goes for `purpose`, falling back as `ZonePlaces` says.
        func destination(for purpose: Purpose, home: Int, municipality m: Int, rng: inout SeededGenerator) -> Int? {
            let own = { (options: [Int]) in options.filter { places.municipality[$0] == m } }
            let hubOnes = { (options: [Int]) in options.filter { places.municipality[$0] == places.hub } }
            let centre = nearest(places.centres[m], from: home)
            switch purpose {
            case .hospital:
                if !places.hospitals.isEmpty { return nearest(places.hospitals, from: home) }
                if !places.clinics.isEmpty { return nearest(places.clinics, from: home) }
                return nearest(places.centres[places.hub], from: home)
            case .clinic:
                if places.clinics.isEmpty { return centre }
                return nearest(own(places.clinics).isEmpty ? places.clinics : own(places.clinics), from: home)
            case .shopping:
                if places.shops.isEmpty { return centre }
                // Villages without a supermarket have a co-op shop by the town office for half the trips.
                if own(places.shops).isEmpty, let centre, rng.nextBool(probability: 0.5) { return centre }
                // Mostly the nearest supermarket; now and then the bigger one in the hub town.
                let options = rng.nextBool(probability: 0.15) && !hubOnes(places.shops).isEmpty ? hubOnes(places.shops) : places.shops
                return nearest(options, from: home)
            case .station:
                return nearest(places.stations.isEmpty ? places.centres[places.hub] : places.stations, from: home)
            case .school:
                if places.schools.isEmpty { return centre }
                return nearest(own(places.schools).isEmpty ? places.schools : own(places.schools), from: home)
            case .errands:
                // The own town office, sometimes the city hall or bank in the hub town.
                let hubOffices = hubOnes(places.offices), ownOffices = own(places.offices)
                let offices = (rng.nextBool(probability: 0.2) && !hubOffices.isEmpty) || ownOffices.isEmpty ? hubOffices : ownOffices
                return nearest(offices.isEmpty ? places.centres[m] : offices, from: home)
            case .visit:
                var other = m
                if rng.nextBool(probability: ZoneDemand.visitElsewhereShare) && places.homes.count > 1 {
                    // Another municipality, nearer ones more likely.
                    let weights = places.homes.indices.map { k -> Double in
                        guard k != m, let c = nearest(places.homes[k], from: home) else { return 0 }
                        return 1 / Double(600 + travel[home, c])
                    }
                    if weights.contains(where: { $0 > 0 }) { other = ZoneDemand.pick(weights, rng: &rng) }
                }
                // Neighbours more often than the far end of the valley.
                let candidates = places.homes[other].filter { $0 != home && travel.isReachable(home, $0) && travel.isReachable($0, home) }
                guard !candidates.isEmpty else { return nil }
                let weights = candidates.map { 1 / Double(300 + travel[home, $0]) }
                return candidates[ZoneDemand.pick(weights, rng: &rng)]
            case .impossible:
                return nil
            }
        }

        /// One resident's legs (outbound, homeward or both), or nil when this draw gives a leg no
        /// vehicle could serve alone or the rules forbid.
        func resident(_ number: Int, oneWayOnly: Bool, rng: inout SeededGenerator) -> [Draft]? {
            let m = ZoneDemand.pick(municipalityWeights, rng: &rng)
            let home = places.homes[m][rng.nextInt(below: places.homes[m].count)]
            let purpose = ZoneDemand.purposeShares[ZoneDemand.pick(ZoneDemand.purposeShares.map(\.1), rng: &rng)].0
            guard let destination = destination(for: purpose, home: home, municipality: m, rng: &rng), destination != home else { return nil }

            let passengers = rng.nextBool(probability: 0.8) ? 1 : 2
            let wheelchair = purpose != .school && rng.nextBool(probability: ZoneDemand.wheelchairShare)
            let concession: Concession? = wheelchair ? .disabled : (rng.nextBool(probability: 0.6) ? .elderly : nil)
            let channel: BookingChannel = rng.nextBool(probability: 1.0 / 3) ? .phone : .app
            guard let (arriveBy, pickupAt) = times(for: purpose, from: home, to: destination, municipality: m, rng: &rng) else { return nil }

            let legsDraw = rng.nextDouble()
            let both = !oneWayOnly && legsDraw < ZoneDemand.roundTripShare
            let outbound = both || legsDraw < ZoneDemand.roundTripShare + (1 - ZoneDemand.roundTripShare) * 0.6
            let homeward = both || !outbound

            let mid = zone.file.municipalities[m].id
            var legs: [Draft] = []
            for leg in [Leg.outbound, .homeward] where leg == .outbound ? outbound : homeward {
                let (from, to) = leg == .outbound ? (home, destination) : (destination, home)
                let time = leg == .outbound ? arriveBy : pickupAt
                let request = BookingRequest(passengerRef: "R-" + ZoneDemand.padded(number), municipality: m, municipalityID: mid,
                                             pickup: BookingPlace(stopID: zone.points[from].id), dropoff: BookingPlace(stopID: zone.points[to].id),
                                             date: date, timeKind: leg == .outbound ? .arrival : .pickup, requestedTime: time,
                                             partySize: passengers, wheelchairs: wheelchair ? 1 : 0,
                                             notes: wheelchair ? "wheelchair" : purpose.rawValue, concession: concession, channel: channel)
                guard isServableAlone(request, from: from, to: to) else { return nil }
                let trip = Trip(purpose: purpose, leg: leg, resident: number, wheelchair: wheelchair,
                                crossesMunicipalities: places.municipality[from] != places.municipality[to])
                let order = leg == .outbound ? time - policy.arrivalWindow - travel[from, to] : time
                legs.append(Draft(request: request, trip: trip, order: order))
            }
            return legs
        }

        /// True when the rules allow the trip and some vehicle serving the resident could carry it
        /// alone on the date's roads, with the windows and ride limit the planner will use.
        func isServableAlone(_ request: BookingRequest, from: Int, to: Int) -> Bool {
            guard travel.isReachable(from, to), travel[from, to] >= ZoneDemand.shortestTrip,
                  rules.violation(resident: request.municipalityID, from: municipalityID(from), to: municipalityID(to),
                                  fromStop: request.pickup.stopID, toStop: request.dropoff.stopID) == nil else { return false }
            let booking = DayBooking(id: request.passengerRef, municipality: request.municipality, pickup: from, dropoff: to,
                                     timeKind: request.timeKind == .pickup ? .pickup : .arrival, requestedTime: request.requestedTime,
                                     load: Load(seats: request.partySize - request.wheelchairs, wheelchairs: request.wheelchairs))
            return WideAreaScenario.isServableAlone(DayModel.request(booking, policy: policy), fleet: fleets[request.municipality], travel: travel)
        }

        /// The arrival time of the outbound leg and the pickup time of the homeward one, on a
        /// 5-minute grid inside the municipality's service hours (nil when they do not fit).
        func times(for purpose: Purpose, from home: Int, to destination: Int, municipality m: Int,
                   rng: inout SeededGenerator) -> (arriveBy: Int, pickupAt: Int)? {
            func clock(_ hours: Int, _ minutes: Int = 0) -> Int { hours * 3600 + minutes * 60 }
            func at(_ start: Int, steps: Int) -> Int { start + steps * 300 }
            var deadline: Int, back: Int
            switch purpose {
            case .hospital:
                // Outpatient reception 8:15–11:00, busiest around 9:30; 1½–3½ h with the pharmacy.
                deadline = at(clock(8, 15), steps: rng.nextInt(in: 0...16) + rng.nextInt(in: 0...17))
                back = at(deadline, steps: rng.nextInt(in: 18...42))
            case .clinic:
                deadline = at(clock(8, 30), steps: rng.nextInt(in: 0...15) + rng.nextInt(in: 0...15))
                back = at(deadline, steps: rng.nextInt(in: 9...24))
            case .shopping:
                let morning = rng.nextBool(probability: 0.7)
                deadline = at(morning ? clock(9, 30) : clock(14), steps: rng.nextInt(in: 0...24))
                back = at(deadline, steps: rng.nextInt(in: 9...18))
            case .errands:
                deadline = at(clock(9), steps: rng.nextInt(in: 0...72))
                back = at(deadline, steps: rng.nextInt(in: 6...18))
            case .station:
                // Morning trains, back with the evening ones.
                deadline = at(clock(7, 30), steps: rng.nextInt(in: 0...18))
                back = at(clock(16, 30), steps: rng.nextInt(in: 0...24))
            case .school:
                deadline = at(clock(7, 45), steps: rng.nextInt(in: 0...6))
                back = at(clock(15), steps: rng.nextInt(in: 0...18))
            case .visit:
                deadline = at(clock(9, 30), steps: rng.nextInt(in: 0...54))
                back = at(deadline, steps: rng.nextInt(in: 12...36))
            case .impossible:
                return nil
            }
            // Into the service hours: leave home after opening, be picked up for home early enough
            // to arrive before closing, and stay at least half an hour.
            let hours = zone.serviceHours[m]
            let up = { (t: Int) in (t + 299) / 300 * 300 }, down = { (t: Int) in t / 300 * 300 }
            let earliestArrival = up(hours.lowerBound + policy.arrivalWindow + travel[home, destination])
            let latestPickup = down(hours.upperBound - policy.pickupLate - travel[destination, home])
            deadline = min(max(deadline, earliestArrival), down(hours.upperBound))
            back = min(max(back, deadline + 1_800), latestPickup)
            guard deadline >= earliestArrival, back >= deadline + 1_800, hours.contains(deadline), hours.contains(back) else { return nil }
            return (deadline, back)
        }

        /// The bookings no plan can serve, where the zone makes them meaningful: a trip over a road
        /// closed on the date (a pass in winter), a party larger than any vehicle, two wheelchairs
        /// where no vehicle carries two.
        mutating func impossible(template: BookingRequest?) -> [Draft] {
            var out: [Draft] = []
            func add(_ request: BookingRequest, _ reason: String) {
                let ends = [request.pickup, request.dropoff].map { $0.stopID.flatMap { zone.stopIndex[$0] }.map { places.municipality[$0] } }
                let trip = Trip(purpose: .impossible, leg: request.timeKind == .arrival ? .outbound : .homeward, resident: 0,
                                wheelchair: request.wheelchairs > 0, crossesMunicipalities: ends[0] != ends[1], impossible: reason)
                out.append(Draft(request: request, trip: trip, order: 0))
                impossibleNotes.append("Impossible on purpose: \(request.passengerRef), \(reason).")
            }
            if let (from, to) = closedPair() {
                let m = places.municipality[to], hours = zone.serviceHours[m]
                let time = min(max(10 * 3600, hours.lowerBound), hours.upperBound)
                let request = BookingRequest(passengerRef: "R-X1", municipality: m, municipalityID: zone.file.municipalities[m].id,
                                             pickup: BookingPlace(stopID: zone.points[from].id), dropoff: BookingPlace(stopID: zone.points[to].id),
                                             date: date, timeKind: .pickup, requestedTime: time, partySize: 1, wheelchairs: 0, notes: "over the closed road")
                add(request, "\(zone.points[from].name) to \(zone.points[to].name), no road open between them on \(date)")
            } else if !zone.graph.closedArcs(on: date).isEmpty {
                impossibleNotes.append("Roads are closed on \(date), but every stop can still reach every other: no trip over a closed road.")
            }
            guard let template else { return out }
            let layouts = zone.vehicles.flatMap(\.capacity.layouts)
            let seats = layouts.map(\.seats).max() ?? 0, wheelchairs = layouts.map(\.wheelchairs).max() ?? 0
            if seats + 1 <= 8 {
                var big = template
                big.passengerRef = "R-X2"; big.partySize = seats + 1; big.wheelchairs = 0; big.notes = "school group"; big.concession = nil
                add(big, "a party of \(seats + 1), more than any vehicle seats")
            }
            if wheelchairs < 2 {
                var two = template
                two.passengerRef = "R-X3"; two.partySize = 2; two.wheelchairs = 2; two.notes = "two wheelchairs"; two.concession = .disabled
                add(two, wheelchairs == 0 ? "two wheelchairs, and no vehicle carries one" : "two wheelchairs where vehicles carry at most one")
            }
            return out
        }

        /// Two stops with no road open between them on the date while roads are closed: the stop cut
        /// off (the first in the file) and the stop nearest to it on the map that cannot reach it.
        func closedPair() -> (from: Int, to: Int)? {
            guard !zone.graph.closedArcs(on: date).isEmpty else { return nil }
            let stops = Array(zone.file.depots.count..<zone.points.count)
            for to in stops where places.homes[places.municipality[to]].contains(to) {
                let cut = stops.filter { $0 != to && !travel.isReachable($0, to) }
                guard !cut.isEmpty else { continue }
                let c = zone.points[to].snapped.onRoad
                let from = cut.min { (zone.points[$0].snapped.onRoad.distance(to: c), $0) < (zone.points[$1].snapped.onRoad.distance(to: c), $1) }!
                return (from, to)
            }
            return nil
        }
    }

    /// Index drawn with probability proportional to `weights`.
    static func pick(_ weights: [Double], rng: inout SeededGenerator) -> Int {
        let total = weights.reduce(0, +)
        var u = rng.nextDouble() * total
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }

    /// "0001", "0002", …
    static func padded(_ n: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
