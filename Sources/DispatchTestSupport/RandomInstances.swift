import DispatchCore

/// Knobs for `RandomInstances.instance(seed:options:)`.
public struct RandomInstanceOptions: Sendable {
    public var requests: ClosedRange<Int> = 3...8
    public var vehicles: ClosedRange<Int> = 1...3
    /// Locations are integer points in `0…gridSize` × `0…gridSize`.
    public var gridSize: Int = 10
    /// Travel ticks per grid unit (Euclidean, rounded up).
    public var ticksPerUnit: Double = 3
    /// Shifts lie in `0…horizon`.
    public var horizon: Int = 240
    /// Probability that a stated window is tight (width ≤ 15) rather than loose (width 20–120).
    public var tightWindowShare: Double = 0.5
    /// Probability that a request has a ride limit (absolute or α·direct + β) rather than none.
    public var rideLimitShare: Double = 0.7
    /// Absolute ride limits are the direct time plus a draw from this range.
    public var rideSlack: ClosedRange<Int> = 0...25
    public var serviceTimes: ClosedRange<Int> = 0...2
    /// Share of requests that need a wheelchair place; when positive, one vehicle has a wheelchair
    /// place or a convertible layout.
    public var wheelchairShare: Double = 0.2
    /// Give requests municipalities and vehicles service areas.
    public var municipalities: Bool = false
    /// Probability that a vehicle ends at a different depot than it starts.
    public var separateEndDepotShare: Double = 0.5
    /// Probability that a vehicle has a route duration limit below its shift.
    public var routeDurationLimitShare: Double = 0.3
    /// Seats per vehicle.
    public var seats: ClosedRange<Int> = 2...4
    /// Probability that a vehicle's driver has a rest rule (`BreakRule`) with at most a third to two
    /// thirds of the horizon's driving between rests (0: no draws, so other options' instances stay
    /// the same).
    public var breakRuleShare: Double = 0

    public init() {}

    /// Routes of up to about 3 requests whose times fit in 0…80 ticks (for `BruteForceScheduler`).
    public static var tiny: RandomInstanceOptions {
        var o = RandomInstanceOptions()
        o.requests = 2...4
        o.vehicles = 1...2
        o.gridSize = 6
        o.ticksPerUnit = 2
        o.horizon = 80
        o.serviceTimes = 0...1
        return o
    }
}

/// Seeded generators of small random instances and routes for differential tests.
///
/// Instances: points on a grid, Euclidean travel times rounded up (closed under shortest paths, so
/// the triangle inequality holds), 1–3 vehicles with 2–4 seats (one with a wheelchair place or a
/// convertible layout when wheelchairs occur), a mix of tight and loose windows on pickups and/or
/// drop-offs, ride limits, service times, optional municipalities and service areas. Every generated
/// instance passes `DispatchInstanceBuilder.build()`.
public enum RandomInstances {
    /// The builder (before `build()`), for tests that want to inspect or change the input.
    public static func builder(seed: UInt64, options: RandomInstanceOptions = RandomInstanceOptions()) -> DispatchInstanceBuilder {
        var rng = SeededGenerator(seed: seed)
        let o = options
        let n = rng.nextInt(in: o.requests), k = rng.nextInt(in: o.vehicles)
        // Locations: start and end depot per vehicle, pickup and drop-off per request.
        var points: [(x: Int, y: Int)] = []
        func point() -> (x: Int, y: Int) { (rng.nextInt(in: 0...o.gridSize), rng.nextInt(in: 0...o.gridSize)) }
        for _ in 0..<k {
            let start = point()
            points.append(start)
            points.append(rng.nextBool(probability: o.separateEndDepotShare) ? point() : start)
        }
        for _ in 0..<n {
            let p = point()
            var d = point()
            while d == p { d = point() }
            points.append(p)
            points.append(d)
        }
        let travel = TravelMatrices.euclidean(points, ticksPerUnit: o.ticksPerUnit)
        var builder = DispatchInstanceBuilder(name: "random-\(seed)", timeScale: .seconds, travel: travel)

        let wheelchairs = o.wheelchairShare > 0
        let wheelchairVehicle = wheelchairs ? rng.nextInt(below: k) : -1
        let municipalityCount = 3
        for v in 0..<k {
            let seats = rng.nextInt(in: o.seats)
            let capacity: Capacity
            if v == wheelchairVehicle {
                capacity = rng.nextBool(probability: 0.5)
                    ? Capacity(layouts: [Load(seats: seats), Load(seats: max(seats - 2, 1), wheelchairs: 1)])
                    : Capacity(seats: seats, wheelchairs: 1)
            } else {
                capacity = Capacity(seats: seats)
            }
            let startShift = rng.nextBool(probability: 0.7) ? 0 : rng.nextInt(in: 0...(o.horizon / 4))
            let endShift = rng.nextBool(probability: 0.7) ? o.horizon : rng.nextInt(in: (3 * o.horizon / 4)...o.horizon)
            let shift = TimeWindow(earliest: startShift, latest: endShift)
            let maxDuration = rng.nextBool(probability: o.routeDurationLimitShare)
                ? rng.nextInt(in: ((endShift - startShift) / 2)...(endShift - startShift)) : nil
            var serves: [Int]? = nil
            if o.municipalities && rng.nextBool(probability: 0.6) {
                serves = (0..<municipalityCount).filter { _ in rng.nextBool(probability: 0.5) }
            }
            var breaks: BreakRule? = nil
            if o.breakRuleShare > 0 && rng.nextBool(probability: o.breakRuleShare) {
                let maxDriving = rng.nextInt(in: (o.horizon / 6)...(o.horizon / 3))
                let rest = rng.nextInt(in: max(2, maxDriving / 4)...max(2, maxDriving / 2))
                breaks = BreakRule(maxDriving: maxDriving, rest: rest, minPart: max(1, rest / 2))
            }
            builder.add(VehicleInput(id: "v\(v)", startLocation: 2 * v, endLocation: 2 * v + 1, shift: shift, capacity: capacity,
                                     maxRouteDuration: maxDuration, homeMunicipality: nil, serves: serves, breaks: breaks))
        }
        for r in 0..<n {
            let p = 2 * k + 2 * r, d = p + 1
            let direct = travel[p, d]
            let sp = rng.nextInt(in: o.serviceTimes), sd = rng.nextInt(in: o.serviceTimes)
            // A target pickup time that leaves room to get there and back.
            let target = rng.nextInt(in: (o.horizon / 10)...max(o.horizon / 10, o.horizon - direct - o.horizon / 5))
            func window(around t: Int) -> TimeWindow {
                let width = rng.nextBool(probability: o.tightWindowShare) ? rng.nextInt(in: 0...15) : rng.nextInt(in: 20...120)
                let start = t - rng.nextInt(in: 0...width)
                return TimeWindow(earliest: start, latest: start + width)
            }
            var pickupWindow: TimeWindow? = nil, dropoffWindow: TimeWindow? = nil
            switch rng.nextInt(below: 4) {
            case 0: pickupWindow = window(around: target)
            case 1: dropoffWindow = window(around: target + sp + direct + rng.nextInt(in: 0...10))
            case 2:
                pickupWindow = window(around: target)
                dropoffWindow = window(around: target + sp + direct + rng.nextInt(in: 0...20))
            default: break
            }
            let maxRide: MaxRideTime
            if rng.nextBool(probability: o.rideLimitShare) {
                maxRide = rng.nextBool(probability: 0.5)
                    ? .absolute(direct + rng.nextInt(in: o.rideSlack))
                    : .relative(alpha: 1 + Double(rng.nextInt(in: 0...10)) / 10, beta: rng.nextInt(in: 0...10))
            } else {
                maxRide = .unlimited
            }
            var load = Load(seats: rng.nextBool(probability: 0.25) ? 2 : 1)
            if wheelchairs && rng.nextBool(probability: o.wheelchairShare) {
                load = Load(seats: rng.nextInt(in: 0...1), wheelchairs: 1)
            }
            let municipality = o.municipalities ? rng.nextInt(below: municipalityCount) : nil
            builder.add(RequestInput(id: "r\(r)", pickupLocation: p, dropoffLocation: d, pickupWindow: pickupWindow,
                                     dropoffWindow: dropoffWindow, pickupServiceTime: sp, dropoffServiceTime: sd,
                                     load: load, maxRideTime: maxRide, municipality: municipality))
        }
        return builder
    }

    /// A random valid instance; the same seed and options always give the same instance.
    public static func instance(seed: UInt64, options: RandomInstanceOptions = RandomInstanceOptions()) -> DispatchInstance {
        do {
            return try builder(seed: seed, options: options).build()
        } catch {
            preconditionFailure("RandomInstances produced an invalid instance (seed \(seed)): \(error)")
        }
    }

    /// A random order of the pickups and drop-offs of `requests` in which every pickup precedes its
    /// drop-off (each interleaving is reachable).
    public static func order(of requests: [Int], in instance: DispatchInstance, using rng: inout SeededGenerator) -> [Int32] {
        var waiting = requests, onBoard: [Int] = []
        var stops: [Int32] = []
        while !waiting.isEmpty || !onBoard.isEmpty {
            let pick = rng.nextInt(below: waiting.count + onBoard.count)
            if pick < waiting.count {
                let r = waiting.remove(at: pick)
                onBoard.append(r)
                stops.append(Int32(instance.pickup(r)))
            } else {
                let r = onBoard.remove(at: pick - waiting.count)
                stops.append(Int32(instance.dropoff(r)))
            }
        }
        return stops
    }

    /// `count` distinct requests (fewer if the instance has fewer), chosen among those compatible
    /// with `vehicle` when `compatibleOnly`.
    public static func requests(count: Int, for vehicle: Int, in instance: DispatchInstance, compatibleOnly: Bool,
                                using rng: inout SeededGenerator) -> [Int] {
        var pool = (0..<instance.requestCount).filter { !compatibleOnly || instance.isCompatible(request: $0, vehicle: vehicle) }
        var chosen: [Int] = []
        while chosen.count < count && !pool.isEmpty { chosen.append(pool.remove(at: rng.nextInt(below: pool.count))) }
        return chosen
    }

    /// A random route (random requests in a random valid order); not necessarily feasible.
    public static func route(count: Int, for vehicle: Int, in instance: DispatchInstance, compatibleOnly: Bool = true,
                             using rng: inout SeededGenerator) -> [Int32] {
        order(of: requests(count: count, for: vehicle, in: instance, compatibleOnly: compatibleOnly, using: &rng), in: instance, using: &rng)
    }

    /// A route that `ScheduleOracle` accepts, grown by inserting random requests at random
    /// positions (`attempts` tries, each kept only when the route stays feasible), skipping
    /// requests in `excluded`.
    public static func feasibleRoute(for vehicle: Int, in instance: DispatchInstance, attempts: Int, excluded: Set<Int> = [],
                                     using rng: inout SeededGenerator) -> [Int32] {
        var stops: [Int32] = []
        var used = excluded
        for _ in 0..<attempts {
            let free = (0..<instance.requestCount).filter { !used.contains($0) && instance.isCompatible(request: $0, vehicle: vehicle) }
            guard let r = free.isEmpty ? nil : free[rng.nextInt(below: free.count)] else { break }
            let p = rng.nextInt(in: 0...stops.count)
            let q = rng.nextInt(in: p...stops.count)
            var candidate = stops
            candidate.insert(Int32(instance.dropoff(r)), at: q)
            candidate.insert(Int32(instance.pickup(r)), at: p)
            if ScheduleOracle.isFeasible(vehicle: vehicle, stops: candidate, in: instance) {
                stops = candidate
                used.insert(r)
            }
        }
        return stops
    }
}
