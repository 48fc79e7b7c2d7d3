/// Everything a dispatcher reads about a plan: per vehicle the schedule (arrival, service start,
/// departure and load after every stop), per request its vehicle and ride time, the total cost,
/// and every unserved request with its reason.
public struct PlanReport: Sendable {
    public struct Ride: Sendable, Hashable {
        public var request: Int
        public var vehicle: Int
        public var pickupServiceStart: Int
        public var dropoffServiceStart: Int
        /// From leaving the pickup to the start of service at the drop-off.
        public var rideTime: Int
        public var directTime: Int
    }

    public var schedules: [RouteSchedule]
    public var rides: [Ride]
    public var unserved: [(request: Int, reason: UnservedReason)]
    /// Total travel time of the used vehicles.
    public var cost: Int

    /// - Precondition: every route of `plan` is feasible (as every solver returns them).
    /// - Complexity: O(Σ m²) for the schedules plus O(K) per unserved request.
    public init(plan: Plan, instance: DispatchInstance) {
        let evaluator = RouteEvaluator(instance: instance)
        var schedules: [RouteSchedule] = []
        var rides: [Ride] = []
        var cost = 0
        for (k, stops) in plan.routes.enumerated() where !stops.isEmpty {
            guard let schedule = evaluator.schedule(vehicle: k, stops: stops) else {
                preconditionFailure("route of vehicle \(instance.vehicles[k].id) is infeasible")
            }
            schedules.append(schedule)
            cost += schedule.travelTime
            var pickupStart: [Int: (start: Int, departure: Int)] = [:]
            for stop in schedule.stops {
                if instance.isPickup(stop.node) {
                    pickupStart[stop.node] = (stop.serviceStart, stop.departure)
                } else if let r = instance.request(ofNode: stop.node), let p = pickupStart[r] {
                    rides.append(Ride(request: r, vehicle: k, pickupServiceStart: p.start, dropoffServiceStart: stop.serviceStart,
                                      rideTime: stop.serviceStart - p.departure, directTime: instance.requests[r].directTime))
                }
            }
        }
        self.schedules = schedules
        self.rides = rides.sorted { $0.request < $1.request }
        self.cost = cost
        unserved = plan.unserved.map { ($0, UnservedDiagnosis.reason(request: $0, instance: instance, evaluator: evaluator)) }
    }
}
