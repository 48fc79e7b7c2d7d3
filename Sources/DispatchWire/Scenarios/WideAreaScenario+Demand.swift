import DispatchCore
import NetworkGeneration

extension WideAreaScenario {
    /// A request before ids are given and locations renumbered (locations index `Zone.locations`).
    struct DraftRequest {
        var input: RequestInput
        var detail: RequestDetail
        /// About when the pickup happens, for listing the day in order.
        var order: Int
    }

    /// Shares of trip purposes: going to the doctor leads, as in the usage surveys of Japanese
    /// rural demand taxis (the prefectural hospital in the hub town, or the clinic by the own town
    /// office), then shopping.
    static let purposeShares: [(RequestDetail.Purpose, Double)] = [
        (.hospital, 0.20), (.clinic, 0.14), (.shopping, 0.24), (.errands, 0.12), (.station, 0.07), (.school, 0.05),
        (.visit, 0.18),
    ]
    static let wheelchairShare = 0.05
    /// Residents who book both legs; the rest book one (a relative drives the other).
    static let roundTripShare = 0.85
    /// Visits that go to another municipality (relatives, day-service centres).
    static let visitElsewhereShare = 0.15

    /// True when some vehicle that admits the load can serve `q` alone: reach the pickup from its
    /// depot within the pickup window, deliver within the drop-off window and the ride limit, and be
    /// back by the end of its shift. The same rules as `RouteEvaluator` on the route [pickup, drop-off].
    /// - Complexity: O(vehicles).
    package static func isServableAlone(_ q: RequestInput, fleet: [VehicleInput], travel: TravelMatrix) -> Bool {
        let direct = travel[q.pickupLocation, q.dropoffLocation]
        let maxRide: Int
        switch q.maxRideTime {
        case let .absolute(limit): maxRide = limit
        case let .relative(alpha, beta): maxRide = Int((alpha * Double(direct)).rounded(.down)) + beta
        case .unlimited: maxRide = Int.max / 4
        }
        guard maxRide >= direct else { return false }
        let sp = q.pickupServiceTime
        for v in fleet where v.capacity.admits(q.load) {
            let pw = q.pickupWindow ?? v.shift, dw = q.dropoffWindow ?? v.shift
            // The earliest pickup that keeps the ride within the limit when waiting for the drop-off window.
            let s = max(v.shift.earliest + travel[v.startLocation, q.pickupLocation], pw.earliest, dw.earliest - sp - maxRide)
            guard s <= min(pw.latest, dw.latest - sp - direct) else { continue }
            let e = max(s + sp + direct, dw.earliest)
            if e + q.dropoffServiceTime + travel[q.dropoffLocation, v.endLocation] <= v.shift.latest { return true }
        }
        return false
    }
}

extension WideAreaScenario.Zone {
    /// `count` requests from residents' trip chains, listed by pickup time. Each chain is redrawn
    /// until every leg is servable alone by some vehicle of `fleet`.
    /// - Throws: `WideAreaScenarioError` when no servable chain turns up in 1,000 draws (a zone or
    ///   fleet without service at the times residents travel).
    /// - Complexity: O(count · (vehicles + stops)).
    func demand(count: Int, fleet: [VehicleInput], rng: inout SeededGenerator) throws -> [WideAreaScenario.DraftRequest] {
        let model = DemandModel(zone: self)
        var drafts: [WideAreaScenario.DraftRequest] = []
        drafts.reserveCapacity(count)
        while drafts.count < count {
            let oneWay = count - drafts.count == 1
            var accepted: [WideAreaScenario.DraftRequest]?
            for _ in 0..<1_000 where accepted == nil {
                let legs = model.chain(oneWayOnly: oneWay, rng: &rng)
                if legs.allSatisfy({ WideAreaScenario.isServableAlone($0.input, fleet: fleet, travel: travel) }) { accepted = legs }
            }
            guard let accepted else {
                throw WideAreaScenarioError(reason: "no request the fleet could serve turned up in 1,000 draws")
            }
            drafts += accepted
        }
        // The day in order of pickup; generation order breaks ties.
        let order = drafts.indices.sorted { (drafts[$0].order, $0) < (drafts[$1].order, $1) }
        return order.map { drafts[$0] }
    }
}

/// Where residents live and go, and when.
struct DemandModel {
    typealias Purpose = WideAreaScenario.RequestDetail.Purpose
    let zone: WideAreaScenario.Zone
    /// Home stops (meeting points and hamlets) per municipality, and their weights.
    let homes: [[Int]]
    let homeWeights: [[Double]]
    let municipalityWeights: [Double]
    let hospitals: [Int], stations: [Int], supermarkets: [Int], schools: [Int], centres: [Int]

    init(zone: WideAreaScenario.Zone) {
        self.zone = zone
        let m = zone.municipalities.count
        var homes = [[Int]](repeating: [], count: m), weights = [[Double]](repeating: [], count: m)
        for (i, location) in zone.locations.enumerated() where location.kind == .hamlet || location.kind == .meetingPoint {
            homes[location.municipality].append(i)
            weights[location.municipality].append(1)
        }
        self.homes = homes
        homeWeights = weights
        municipalityWeights = zip(zone.municipalityWeights, homes).map { $1.isEmpty ? 0 : $0 }
        hospitals = zone.indices(of: .hospital)
        stations = zone.indices(of: .station)
        supermarkets = zone.indices(of: .supermarket)
        schools = zone.indices(of: .school)
        centres = zone.indices(of: .townCentre)
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

    /// A time on a 5-minute grid: `start` plus 5 min · `steps` (seconds after midnight).
    static func at(_ start: Int, steps: Int) -> Int { start + steps * 300 }

    /// One resident's legs: outbound, homeward or both.
    func chain(oneWayOnly: Bool, rng: inout SeededGenerator) -> [WideAreaScenario.DraftRequest] {
        typealias W = WideAreaScenario
        let m = Self.pick(municipalityWeights, rng: &rng)
        let home = homes[m][Self.pick(homeWeights[m], rng: &rng)]
        let purpose = W.purposeShares[Self.pick(W.purposeShares.map(\.1), rng: &rng)].0
        let (destination, resolved) = destination(for: purpose, home: home, municipality: m, rng: &rng)

        let passengers = resolved == .school ? (rng.nextBool(probability: 0.8) ? 1 : 2)
            : [1, 2, 3][Self.pick([0.75, 0.20, 0.05], rng: &rng)]
        let wheelchair = resolved != .school && rng.nextBool(probability: W.wheelchairShare)
        let load = wheelchair ? Load(seats: passengers - 1, wheelchairs: 1) : Load(seats: passengers)
        let alpha = Double(15 + rng.nextInt(in: 0...5)) / 10
        let beta = 60 * rng.nextInt(in: 10...15)
        let (deadline, pickupAround) = times(for: resolved, rng: &rng)

        let legsDraw = rng.nextDouble()
        let both = !oneWayOnly && legsDraw < W.roundTripShare
        let outbound = both || legsDraw < W.roundTripShare + (1 - W.roundTripShare) * 0.6
        let homeward = both || !outbound

        func leg(_ kind: W.RequestDetail.Leg, rng: inout SeededGenerator) -> W.DraftRequest {
            let width = 300 * rng.nextInt(in: 3...6)
            let ramp = wheelchair ? 120 : 0
            let pickupService = 10 * rng.nextInt(in: 6...12) + ramp, dropoffService = 10 * rng.nextInt(in: 6...12) + ramp
            let (from, to) = kind == .outbound ? (home, destination) : (destination, home)
            let requested = kind == .outbound ? deadline : pickupAround
            let pickupWindow = kind == .homeward ? TimeWindow(earliest: requested - width / 2, latest: requested + width / 2) : nil
            let dropoffWindow = kind == .outbound ? TimeWindow(earliest: requested - width, latest: requested) : nil
            let input = RequestInput(id: "", pickupLocation: from, dropoffLocation: to, pickupWindow: pickupWindow,
                                     dropoffWindow: dropoffWindow, pickupServiceTime: pickupService,
                                     dropoffServiceTime: dropoffService, load: load,
                                     maxRideTime: .relative(alpha: alpha, beta: beta), municipality: m)
            let detail = W.RequestDetail(purpose: resolved, leg: kind, passengers: passengers, wheelchair: wheelchair,
                                         municipality: m, requestedTime: requested,
                                         crossesMunicipalities: zone.locations[from].municipality != zone.locations[to].municipality)
            let order = kind == .outbound ? requested - width - zone.travel[from, to] : requested - width / 2
            return W.DraftRequest(input: input, detail: detail, order: order)
        }
        var legs: [W.DraftRequest] = []
        if outbound { legs.append(leg(.outbound, rng: &rng)) }
        if homeward { legs.append(leg(.homeward, rng: &rng)) }
        return legs
    }

    /// Where a resident of `municipality` living at `home` goes for `purpose`; a purpose the zone
    /// has no place for becomes an errand at the town office.
    func destination(for purpose: Purpose, home: Int, municipality m: Int,
                     rng: inout SeededGenerator) -> (Int, Purpose) {
        let own = { (options: [Int]) in options.filter { zone.locations[$0].municipality == m } }
        let hubOnes = { (options: [Int]) in options.filter { zone.locations[$0].municipality == zone.hub } }
        switch purpose {
        case .hospital:
            if let h = zone.nearest(hospitals, from: home) { return (h, .hospital) }
        case .clinic:
            if let c = zone.nearest(own(centres).isEmpty ? centres : own(centres), from: home) { return (c, .clinic) }
        case .station:
            if let s = zone.nearest(stations, from: home) { return (s, .station) }
        case .shopping:
            // Villages without a supermarket have a co-op shop by the town office for half the trips.
            if own(supermarkets).isEmpty, let shop = zone.nearest(own(centres), from: home), rng.nextBool(probability: 0.5) {
                return (shop, .shopping)
            }
            // Mostly the nearest supermarket; now and then the bigger one in the hub town.
            let options = rng.nextBool(probability: 0.15) && !hubOnes(supermarkets).isEmpty ? hubOnes(supermarkets) : supermarkets
            if let s = zone.nearest(options, from: home) { return (s, .shopping) }
        case .school:
            if let s = zone.nearest(own(schools).isEmpty ? schools : own(schools), from: home) { return (s, .school) }
        case .visit:
            let elsewhere = rng.nextBool(probability: WideAreaScenario.visitElsewhereShare)
            var other = m
            if elsewhere && homes.count > 1 {
                // Another municipality, nearer ones more likely.
                let weights = homes.indices.map { k -> Double in
                    guard k != m, !homes[k].isEmpty, let c = zone.nearest(homes[k], from: home) else { return 0 }
                    return 1 / Double(600 + zone.travel[home, c])
                }
                if weights.contains(where: { $0 > 0 }) { other = Self.pick(weights, rng: &rng) }
            }
            // Neighbours and the community hall more often than the far end of the valley.
            let candidates = homes[other].filter { $0 != home }
            if !candidates.isEmpty {
                let weights = candidates.map { 1 / Double(300 + zone.travel[home, $0]) }
                return (candidates[Self.pick(weights, rng: &rng)], .visit)
            }
        case .errands:
            break
        }
        // Errands: the own town office, sometimes the city hall or bank in the hub town.
        let hubOffices = hubOnes(centres), ownOffices = own(centres)
        let offices = (rng.nextBool(probability: 0.2) && !hubOffices.isEmpty) || ownOffices.isEmpty ? hubOffices : ownOffices
        let target = zone.nearest(offices.isEmpty ? centres : offices, from: home) ?? hospitals.first ?? home
        return (target, .errands)
    }

    /// The drop-off deadline of the outbound leg and the "around" pickup time of the homeward one.
    func times(for purpose: Purpose, rng: inout SeededGenerator) -> (deadline: Int, pickupAround: Int) {
        func clock(_ hours: Int, _ minutes: Int = 0) -> Int { WideAreaScenario.clock(hours, minutes) }
        let deadline: Int, back: Int
        switch purpose {
        case .hospital:
            // Outpatient reception 8:15–11:00, busiest around 9:30; 1½–3½ h with the pharmacy.
            deadline = Self.at(clock(8, 15), steps: rng.nextInt(in: 0...16) + rng.nextInt(in: 0...17))
            back = Self.at(deadline, steps: rng.nextInt(in: 18...42))
        case .clinic:
            deadline = Self.at(clock(8, 30), steps: rng.nextInt(in: 0...15) + rng.nextInt(in: 0...15))
            back = Self.at(deadline, steps: rng.nextInt(in: 9...24))
        case .shopping:
            let morning = rng.nextBool(probability: 0.7)
            deadline = Self.at(morning ? clock(9, 30) : clock(14), steps: rng.nextInt(in: 0...24))
            back = Self.at(deadline, steps: rng.nextInt(in: 9...18))
        case .errands:
            deadline = Self.at(clock(9), steps: rng.nextInt(in: 0...72))
            back = Self.at(deadline, steps: rng.nextInt(in: 6...18))
        case .station:
            // Morning trains, back with the evening ones.
            deadline = Self.at(clock(7, 30), steps: rng.nextInt(in: 0...18))
            back = Self.at(clock(16, 30), steps: rng.nextInt(in: 0...24))
        case .school:
            deadline = Self.at(clock(7, 45), steps: rng.nextInt(in: 0...6))
            back = Self.at(clock(15), steps: rng.nextInt(in: 0...18))
        case .visit:
            deadline = Self.at(clock(9, 30), steps: rng.nextInt(in: 0...54))
            back = Self.at(deadline, steps: rng.nextInt(in: 12...36))
        }
        return (deadline, min(back, clock(18, 30)))
    }
}
