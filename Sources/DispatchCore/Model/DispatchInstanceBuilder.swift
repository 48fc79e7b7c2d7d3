/// Collects requests and vehicles and builds a validated `DispatchInstance`.
///
/// `build()` checks every request and vehicle once and throws a `DispatchInstanceError` naming the
/// first culprit. It then tightens the time windows with constraints the instance already implies
/// (Cordeau 2006, §5.1): a drop-off can start no earlier than the earliest pickup plus the direct
/// ride, a pickup no earlier than the first vehicle can reach it, and so on. Tightening never
/// changes which routes are feasible; it only lets the solvers prune sooner.
public struct DispatchInstanceBuilder: Sendable {
    public var name: String
    public var timeScale: TimeScale
    public var travel: TravelMatrix
    public var requests: [RequestInput] = []
    public var vehicles: [VehicleInput] = []

    public init(name: String, timeScale: TimeScale, travel: TravelMatrix) {
        self.name = name
        self.timeScale = timeScale
        self.travel = travel
    }

    public mutating func add(_ request: RequestInput) { requests.append(request) }
    public mutating func add(_ vehicle: VehicleInput) { vehicles.append(vehicle) }

    /// - Complexity: O(n·K) for n requests and K vehicles.
    public func build() throws(DispatchInstanceError) -> DispatchInstance {
        guard !vehicles.isEmpty else { throw .noVehicles }
        let locations = travel.count
        let unlimited = Int.max / 4

        var vehicleIDs = Set<String>()
        var builtVehicles: [Vehicle] = []
        for v in vehicles {
            guard vehicleIDs.insert(v.id).inserted else { throw .duplicateID(kind: "vehicle", id: v.id) }
            for loc in [v.startLocation, v.endLocation] where loc < 0 || loc >= locations {
                throw .locationOutOfRange(kind: "vehicle", id: v.id, location: loc, count: locations)
            }
            guard !v.shift.isEmpty else { throw .shiftEndsBeforeStart(vehicle: v.id, shift: v.shift) }
            guard !v.capacity.layouts.isEmpty else { throw .vehicleCapacityEmpty(vehicle: v.id) }
            if let b = v.breaks, !(b.maxDriving > 0 && b.rest > 0 && b.minPart > 0 && b.minPart <= b.rest && b.rest < b.maxDriving && b.drivenBeforeStart >= 0) {
                throw .invalidBreakRule(vehicle: v.id)
            }
            guard travel.isReachable(v.startLocation, v.endLocation) else { throw .vehicleDepotsUnreachable(vehicle: v.id) }
            let shiftLength = v.shift.latest - v.shift.earliest
            let depotToDepot = travel[v.startLocation, v.endLocation]
            if let limit = v.maxRouteDuration, limit < depotToDepot {
                throw .routeDurationTooShort(vehicle: v.id, limit: limit, depotToDepot: depotToDepot)
            }
            if shiftLength < depotToDepot {
                throw .routeDurationTooShort(vehicle: v.id, limit: shiftLength, depotToDepot: depotToDepot)
            }
            builtVehicles.append(Vehicle(id: v.id, startLocation: v.startLocation, endLocation: v.endLocation, shift: v.shift,
                                         capacity: v.capacity, maxRouteDuration: min(v.maxRouteDuration ?? shiftLength, shiftLength),
                                         homeMunicipality: v.homeMunicipality, serves: v.serves, breaks: v.breaks))
        }
        let horizon = TimeWindow(earliest: builtVehicles.map(\.shift.earliest).min()!,
                                 latest: builtVehicles.map(\.shift.latest).max()!)

        let n = requests.count, k = builtVehicles.count
        var requestIDs = Set<String>()
        var builtRequests: [Request] = []
        var compatible = [Bool](repeating: false, count: n * k)
        builtRequests.reserveCapacity(n)
        for (r, q) in requests.enumerated() {
            guard requestIDs.insert(q.id).inserted else { throw .duplicateID(kind: "request", id: q.id) }
            for loc in [q.pickupLocation, q.dropoffLocation] where loc < 0 || loc >= locations {
                throw .locationOutOfRange(kind: "request", id: q.id, location: loc, count: locations)
            }
            if let w = q.pickupWindow, w.isEmpty { throw .timeWindowEndsBeforeStart(request: q.id, stop: "pickup", window: w) }
            if let w = q.dropoffWindow, w.isEmpty { throw .timeWindowEndsBeforeStart(request: q.id, stop: "drop-off", window: w) }
            guard q.pickupServiceTime >= 0, q.dropoffServiceTime >= 0 else { throw .negativeServiceTime(request: q.id) }
            guard q.load.isPositive else { throw .loadNotPositive(request: q.id) }
            guard builtVehicles.contains(where: { $0.capacity.admits(q.load) }) else {
                throw .loadAboveEveryVehicle(request: q.id, load: q.load)
            }
            guard q.pickupLocation != q.dropoffLocation else { throw .samePickupAndDropoff(request: q.id) }
            guard travel.isReachable(q.pickupLocation, q.dropoffLocation) else {
                throw .unreachable(request: q.id, detail: "the drop-off cannot be reached from the pickup")
            }
            guard builtVehicles.contains(where: {
                travel.isReachable($0.startLocation, q.pickupLocation) && travel.isReachable(q.dropoffLocation, $0.endLocation)
            }) else {
                throw .unreachable(request: q.id, detail: "no vehicle can reach the pickup from its depot and return from the drop-off")
            }
            let direct = travel[q.pickupLocation, q.dropoffLocation]
            let maxRide: Int
            switch q.maxRideTime {
            // Limits are clamped to the "unlimited" sentinel, so that later sums cannot overflow.
            case let .absolute(limit): maxRide = min(limit, unlimited)
            case let .relative(alpha, beta):
                let scaled = alpha * Double(direct)
                maxRide = scaled.isFinite && scaled < Double(unlimited)
                    ? min(unlimited, Int(scaled.rounded(.down)) + min(max(beta, -unlimited), unlimited)) : unlimited
            case .unlimited: maxRide = unlimited
            }
            guard maxRide >= direct else { throw .maxRideBelowDirect(request: q.id, maxRide: maxRide, direct: direct) }
            for (v, vehicle) in builtVehicles.enumerated() {
                let served = q.municipality.map { m in vehicle.serves.map { $0.contains(m) } ?? true } ?? true
                compatible[r * k + v] = served && vehicle.capacity.admits(q.load)
                    && travel.isReachable(vehicle.startLocation, q.pickupLocation)
                    && travel.isReachable(q.dropoffLocation, vehicle.endLocation)
            }
            builtRequests.append(Request(id: q.id, pickupLocation: q.pickupLocation, dropoffLocation: q.dropoffLocation,
                                         statedPickupWindow: q.pickupWindow, statedDropoffWindow: q.dropoffWindow,
                                         load: q.load, maxRideTime: maxRide, directTime: direct, municipality: q.municipality))
        }

        let nodeCount = 2 * n + 2 * k
        var location = [Int32](repeating: 0, count: nodeCount)
        var earliest = [Int](repeating: 0, count: nodeCount)
        var latest = [Int](repeating: 0, count: nodeCount)
        var service = [Int](repeating: 0, count: nodeCount)
        var loadChange = [Load](repeating: .zero, count: nodeCount)
        for (v, vehicle) in builtVehicles.enumerated() {
            location[2 * n + v] = Int32(vehicle.startLocation)
            location[2 * n + k + v] = Int32(vehicle.endLocation)
            for node in [2 * n + v, 2 * n + k + v] {
                earliest[node] = vehicle.shift.earliest
                latest[node] = vehicle.shift.latest
            }
        }
        for (r, q) in requests.enumerated() {
            let p = r, d = n + r
            location[p] = Int32(q.pickupLocation)
            location[d] = Int32(q.dropoffLocation)
            service[p] = q.pickupServiceTime
            service[d] = q.dropoffServiceTime
            loadChange[p] = q.load
            loadChange[d] = Load.zero - q.load
            let stated = (pickup: q.pickupWindow ?? horizon, dropoff: q.dropoffWindow ?? horizon)
            var ep = max(stated.pickup.earliest, horizon.earliest), lp = min(stated.pickup.latest, horizon.latest)
            var ed = max(stated.dropoff.earliest, horizon.earliest), ld = min(stated.dropoff.latest, horizon.latest)
            // Depots of the vehicles that may serve r (all vehicles when none may: the request then stays unserved).
            let serving = (0..<k).filter { compatible[r * k + $0] }
            let candidates = serving.isEmpty ? Array(0..<k) : serving
            var firstArrival = Int.max, lastDeparture = Int.min
            for v in candidates {
                let vehicle = builtVehicles[v]
                if travel.isReachable(vehicle.startLocation, q.pickupLocation) {
                    firstArrival = min(firstArrival, vehicle.shift.earliest + travel[vehicle.startLocation, q.pickupLocation])
                }
                if travel.isReachable(q.dropoffLocation, vehicle.endLocation) {
                    lastDeparture = max(lastDeparture, vehicle.shift.latest - q.dropoffServiceTime - travel[q.dropoffLocation, vehicle.endLocation])
                }
            }
            if firstArrival != Int.max { ep = max(ep, firstArrival) }
            if lastDeparture != Int.min { ld = min(ld, lastDeparture) }
            let direct = builtRequests[r].directTime, ride = builtRequests[r].maxRideTime, dp = q.pickupServiceTime
            for _ in 0..<2 {
                ep = max(ep, ed - dp - ride)
                ld = min(ld, lp + dp + ride)
                lp = min(lp, ld - dp - direct)
                ed = max(ed, ep + dp + direct)
            }
            if ep > lp || ed > ld {
                // No schedule can serve r: keep the stated windows, so that the diagnosis can say why.
                (ep, lp, ed, ld) = (stated.pickup.earliest, stated.pickup.latest, stated.dropoff.earliest, stated.dropoff.latest)
            }
            (earliest[p], latest[p], earliest[d], latest[d]) = (ep, lp, ed, ld)
        }
        return DispatchInstance(name: name, timeScale: timeScale, requests: builtRequests, vehicles: builtVehicles, travel: travel,
                                location: location, earliest: earliest, latest: latest, serviceTime: service,
                                loadChange: loadChange, compatible: compatible)
    }
}
