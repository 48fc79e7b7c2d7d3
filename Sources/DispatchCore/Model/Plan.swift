/// Why a request is not in the plan. The raw values are the codes of every output (booking
/// answers, plan documents, the README's table of reasons).
public enum UnservedReason: String, Sendable, Hashable, CaseIterable {
    /// No vehicle may serve the request's municipality.
    case outsideServiceArea = "not_served_here"
    /// No vehicle allowed in the area has room for the load (e.g. no wheelchair place).
    case noVehicleWithCapacity = "no_vehicle_with_capacity"
    /// Even alone, no allowed vehicle reaches the pickup and drop-off within their windows and its shift.
    case timeWindowUnreachable = "window_unreachable"
    /// Alone, the windows are reachable, but only with a ride longer than the maximum.
    case maxRideTimeImpossible = "ride_too_long"
    /// The request could be served alone, but no vehicle has room left at that time.
    case noCapacityLeft = "no_vehicle_free"
    /// No open road connects the places on that date (closures), so no vehicle can drive it.
    case noOpenRoad = "road_closed"
    /// A cross-border rule of the zone does not allow the trip for the resident's municipality.
    case crossBorderNotAllowed = "not_allowed_by_rules"

    /// A sentence for dispatchers and residents.
    public var explanation: String {
        switch self {
        case .outsideServiceArea: return "no vehicle may serve this municipality"
        case .noVehicleWithCapacity: return "no vehicle that serves this area has room for this load"
        case .timeWindowUnreachable: return "no vehicle can reach the pickup and drop-off within their time windows and its shift"
        case .maxRideTimeImpossible: return "the time windows force a ride longer than the maximum ride time"
        case .noCapacityLeft: return "no vehicle has room left at that time"
        case .noOpenRoad: return "no open road connects these places on that date (road closed)"
        case .crossBorderNotAllowed: return "a cross-border rule of the zone does not allow this trip"
        }
    }
}

/// A plan: the stops of each vehicle (index = vehicle) and the requests left out.
public struct Plan: Sendable, Hashable {
    /// Pickup and drop-off nodes per vehicle, depots excluded.
    public var routes: [[Int32]]
    /// Requests not served, in increasing order.
    public var unserved: [Int]

    public init(routes: [[Int32]], unserved: [Int]) {
        self.routes = routes
        self.unserved = unserved
    }

    /// Total travel time of the used vehicles.
    public func cost(in instance: DispatchInstance) -> Int {
        routes.enumerated().reduce(0) { $0 + instance.routeCost($1.element, vehicle: $1.offset) }
    }

    public var vehiclesUsed: Int { routes.filter { !$0.isEmpty }.count }
    public var servedCount: Int { routes.reduce(0) { $0 + $1.count } / 2 }
}

extension DispatchInstance {
    /// Travel time of vehicle `k` driving depot → `stops` → depot (0 when there are no stops: an unused vehicle).
    public func routeCost(_ stops: [Int32], vehicle k: Int) -> Int {
        guard !stops.isEmpty else { return 0 }
        var total = time(startDepot(k), Int(stops[0]))
        for i in 1..<stops.count { total += time(Int(stops[i - 1]), Int(stops[i])) }
        return total + time(Int(stops[stops.count - 1]), endDepot(k))
    }
}

/// What the instance says about a request left out of a plan.
public enum UnservedDiagnosis {
    /// The first reason that applies, from the most to the least fundamental.
    /// - Complexity: O(K) exact route evaluations of two stops.
    public static func reason(request r: Int, instance inst: DispatchInstance, evaluator: RouteEvaluator) -> UnservedReason {
        let request = inst.requests[r]
        let inArea = inst.vehicles.indices.filter { k in
            request.municipality.map { m in inst.vehicles[k].serves.map { $0.contains(m) } ?? true } ?? true
        }
        if inArea.isEmpty { return .outsideServiceArea }
        let withRoom = inArea.filter { inst.vehicles[$0].capacity.admits(request.load) }
        if withRoom.isEmpty { return .noVehicleWithCapacity }
        let alone: [Int32] = [Int32(inst.pickup(r)), Int32(inst.dropoff(r))]
        if withRoom.contains(where: { inst.isCompatible(request: r, vehicle: $0) && evaluator.isFeasible(vehicle: $0, stops: alone) }) {
            return .noCapacityLeft
        }
        // Windows and shift alone, ride limit ignored: the stated windows, because tightening may have used the limit.
        for k in withRoom {
            let start = inst.startDepot(k), end = inst.endDepot(k), p = inst.pickup(r), d = inst.dropoff(r)
            guard inst.travel.isReachable(Int(inst.location[start]), request.pickupLocation),
                  inst.travel.isReachable(request.dropoffLocation, Int(inst.location[end])) else { continue }
            let horizon = inst.vehicles[k].shift
            let pw = request.statedPickupWindow ?? horizon, dw = request.statedDropoffWindow ?? horizon
            let seg = TimeSegment(node: start, in: inst)
                .then(TimeSegment(duration: inst.serviceTime[p], timeWarp: 0, earliest: pw.earliest, latest: pw.latest), travel: inst.time(start, p))
                .then(TimeSegment(duration: inst.serviceTime[d], timeWarp: 0, earliest: dw.earliest, latest: dw.latest), travel: inst.time(p, d))
                .then(TimeSegment(node: end, in: inst), travel: inst.time(d, end))
            if seg.timeWarp == 0 && seg.duration <= inst.vehicles[k].maxRouteDuration { return .maxRideTimeImpossible }
        }
        return .timeWindowUnreachable
    }
}
