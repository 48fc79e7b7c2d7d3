import DispatchCore
import RideRequestStore

/// The plan a planner starts from: the date's current routes (`DayRoute`: the booking desk's
/// tentative plan, or the latest saved plan with the bookings accepted since), checked against
/// the day as it is now. Every promised booking is in one of them when nothing outside the plan
/// changed; what a change broke is named per booking so a plan can say why it cannot keep a
/// promise.
public enum DayStart {
    /// Why a booking has no place in the start plan.
    public struct Displacement: Sendable, Equatable {
        /// `vehicle_withdrawn`, `route_no_longer_fits` or `no_vehicle_free`.
        public var code: String
        /// What changed, for people.
        public var change: String
    }

    public struct Start: Sendable {
        public var plan: Plan
        /// Requests of the day that were in a route and lost their place, and why.
        public var displaced: [Int: Displacement]
        /// Requests placed by insertion because no route held them (e.g. bookings stored before
        /// routes were kept, or without a place when they were answered).
        public var inserted: [Int]
    }

    /// The routes on `day`: bookings no longer in the day dropped; each route kept as long a
    /// prefix-closed subset of its bookings as stays feasible (in the order of their pickups);
    /// then every request without a place, in request order (creation order), inserted at its
    /// cheapest feasible place.
    /// - Complexity: O(s² · e) per route of s stops (e: one exact evaluation), plus one insertion
    ///   search per unplaced request.
    public static func plan(routes: [DayRoute], on day: DayInstance) -> Start {
        let instance = day.instance
        let n = instance.requestCount
        let evaluator = RouteEvaluator(instance: instance)
        var vehicleIndex: [String: Int] = [:]
        for (k, v) in instance.vehicles.enumerated() { vehicleIndex[v.id] = k }
        var requestIndex: [String: Int] = [:]
        for (r, id) in day.bookingIDs.enumerated() { requestIndex[id] = r }
        var result = [[Int32]](repeating: [], count: instance.vehicleCount)
        var placed = [Bool](repeating: false, count: n)
        var displaced: [Int: Displacement] = [:]

        for route in routes {
            // Complete pairs only (pickup before drop-off), each request once.
            var seenPickup = Set<Int>(), nodes: [Int32] = []
            for stop in route.stops {
                guard let r = requestIndex[stop.bookingID], !placed[r] else { continue }
                if stop.pickup {
                    if seenPickup.insert(r).inserted { nodes.append(Int32(instance.pickup(r))) }
                } else if seenPickup.contains(r) {
                    nodes.append(Int32(instance.dropoff(r)))
                }
            }
            let complete = Set(nodes.filter { !instance.isPickup(Int($0)) }.map { instance.request(ofNode: Int($0))! })
            nodes = nodes.filter { complete.contains(instance.request(ofNode: Int($0))!) }
            guard !nodes.isEmpty else { continue }
            let requests = nodes.filter { instance.isPickup(Int($0)) }.map(Int.init)
            guard let k = vehicleIndex[route.vehicleID] else {
                for r in requests {
                    displaced[r] = Displacement(code: "vehicle_withdrawn",
                                                change: "vehicle \(route.vehicleID), which was to carry it, is no longer in the fleet of the date")
                }
                continue
            }
            if evaluator.isFeasible(vehicle: k, stops: nodes) {
                result[k] = nodes
                for r in requests { placed[r] = true }
                continue
            }
            // Keep what still fits, in pickup order.
            var kept = Set<Int>()
            for r in requests {
                kept.insert(r)
                let trial = nodes.filter { kept.contains(instance.request(ofNode: Int($0))!) }
                if !evaluator.isFeasible(vehicle: k, stops: trial) {
                    kept.remove(r)
                    displaced[r] = Displacement(code: "route_no_longer_fits",
                                                change: "vehicle \(route.vehicleID)'s route no longer fits the roads or shifts of the date (a closure or a shift change after booking)")
                }
            }
            result[k] = nodes.filter { kept.contains(instance.request(ofNode: Int($0))!) }
            for r in kept { placed[r] = true }
        }

        // The rest at their cheapest feasible places.
        let finder = InsertionFinder(instance: instance)
        var states = result.enumerated().map { RouteState(vehicle: $0.offset, stops: $0.element, instance: instance) }
        var inserted: [Int] = []
        for r in 0..<n where !placed[r] {
            var best: (delta: Int, k: Int, insertion: Insertion)?
            for k in 0..<instance.vehicleCount where instance.isCompatible(request: r, vehicle: k) {
                if let insertion = finder.best(request: r, in: states[k]), best == nil || insertion.delta < best!.delta {
                    best = (insertion.delta, k, insertion)
                }
            }
            guard let best else {
                if displaced[r] == nil { displaced[r] = Displacement(code: UnservedReason.noCapacityLeft.rawValue, change: "no vehicle has room for it in the routes of the date") }
                continue
            }
            states[best.k] = RouteState(vehicle: best.k, stops: best.insertion.apply(to: states[best.k].stops, instance: instance), instance: instance)
            placed[r] = true
            displaced[r] = nil
            inserted.append(r)
        }
        let plan = Plan(routes: states.map(\.stops), unserved: (0..<n).filter { !placed[$0] })
        return Start(plan: plan, displaced: displaced, inserted: inserted)
    }

    /// The routes of a plan on `day`, as stored.
    public static func routes(of plan: Plan, on day: DayInstance) -> [DayRoute] {
        let instance = day.instance
        return plan.routes.enumerated().map { k, stops in
            DayRoute(vehicleID: instance.vehicles[k].id, stops: stops.map { node in
                DayRoute.Stop(bookingID: day.bookingIDs[instance.request(ofNode: Int(node))!], pickup: instance.isPickup(Int(node)))
            })
        }
    }

    /// The routes of a plan document (done stops included), as stored.
    public static func routes(of document: DayPlanDocument) -> [DayRoute] {
        document.vehicles.map { v in
            DayRoute(vehicleID: v.id, stops: v.stops.map { DayRoute.Stop(bookingID: $0.bookingId, pickup: $0.action == "pickup") })
        }
    }
}
