import DispatchCore

/// Independent check of a `Plan` against its instance, for the tests of every solver.
///
/// It shares no code with the solvers' own evaluation: schedules are decided by `ScheduleOracle`
/// and the cost is recomputed from the travel matrix.
public enum PlanChecker {
    /// Everything wrong with `plan`, one sentence each; empty when the plan is valid:
    /// one route per vehicle; every request exactly once (served on one route, or listed as unserved
    /// in increasing order, never both, never missing); each served request picked up and then
    /// dropped off on the same route; compatibility; capacity after every stop; and a schedule for
    /// every route that respects windows, ride limits and route durations.
    public static func violations(of plan: Plan, in instance: DispatchInstance) -> [String] {
        let n = instance.requestCount
        var problems: [String] = []
        if plan.routes.count != instance.vehicleCount {
            problems.append("The plan has \(plan.routes.count) routes for \(instance.vehicleCount) vehicles.")
        }
        // Where each request's nodes appear: (vehicle, position) lists.
        var pickups = [[(vehicle: Int, position: Int)]](repeating: [], count: n)
        var dropoffs = [[(vehicle: Int, position: Int)]](repeating: [], count: n)
        for (k, stops) in plan.routes.enumerated() {
            let vehicleID = k < instance.vehicleCount ? instance.vehicles[k].id : "#\(k)"
            for (i, s) in stops.enumerated() {
                let v = Int(s)
                if v < 0 || v >= 2 * n {
                    problems.append("Vehicle \(vehicleID): stop \(i + 1) is node \(v), which is neither a pickup nor a drop-off.")
                } else if v < n {
                    pickups[v].append((k, i))
                } else {
                    dropoffs[v - n].append((k, i))
                }
            }
        }
        var listedUnserved = [Int](repeating: 0, count: n)
        for (i, r) in plan.unserved.enumerated() {
            guard r >= 0 && r < n else {
                problems.append("The unserved list names request index \(r), but the instance has \(n) requests.")
                continue
            }
            listedUnserved[r] += 1
            if i > 0 && plan.unserved[i - 1] >= r {
                problems.append("The unserved list is not in increasing order at request \(instance.requests[r].id).")
            }
        }
        for r in 0..<n {
            let id = instance.requests[r].id
            let p = pickups[r], d = dropoffs[r]
            if listedUnserved[r] > 1 { problems.append("Request \(id) is listed as unserved \(listedUnserved[r]) times.") }
            if p.isEmpty && d.isEmpty {
                if listedUnserved[r] == 0 { problems.append("Request \(id) is neither served nor listed as unserved.") }
                continue
            }
            if listedUnserved[r] > 0 { problems.append("Request \(id) is listed as unserved but appears on a route.") }
            if p.count != 1 { problems.append("Request \(id) is picked up \(p.count) times.") }
            if d.count != 1 { problems.append("Request \(id) is dropped off \(d.count) times.") }
            if p.count == 1 && d.count == 1 {
                if p[0].vehicle != d[0].vehicle {
                    problems.append("Request \(id) is picked up by vehicle \(instance.vehicles[p[0].vehicle].id) but dropped off by \(instance.vehicles[d[0].vehicle].id).")
                } else if p[0].position > d[0].position {
                    problems.append("Request \(id) is dropped off before it is picked up.")
                }
            }
        }
        for (k, stops) in plan.routes.enumerated() where k < instance.vehicleCount && !stops.isEmpty {
            // Pairing across the plan is reported above; schedules only make sense for well-paired routes.
            if ScheduleOracle.pairingViolations(vehicle: k, stops: stops, in: instance).isEmpty {
                problems += ScheduleOracle.verdict(vehicle: k, stops: stops, in: instance).violations
            } else {
                problems += ScheduleOracle.compatibilityAndCapacityViolations(vehicle: k, stops: stops, in: instance)
            }
        }
        return problems
    }

    /// Total travel time of the plan: for every non-empty route, start depot → stops → end depot.
    /// Recomputed from the travel matrix.
    public static func cost(of plan: Plan, in instance: DispatchInstance) -> Int {
        var total = 0
        for (k, stops) in plan.routes.enumerated() where !stops.isEmpty {
            total += routeCost(vehicle: k, stops: stops, in: instance)
        }
        return total
    }

    /// Travel time of one route, depots included (0 for an unused vehicle).
    public static func routeCost(vehicle k: Int, stops: [Int32], in instance: DispatchInstance) -> Int {
        guard !stops.isEmpty else { return 0 }
        let locations = [instance.vehicles[k].startLocation]
            + stops.map { s in
                let v = Int(s), n = instance.requestCount
                return v < n ? instance.requests[v].pickupLocation : instance.requests[v - n].dropoffLocation
            }
            + [instance.vehicles[k].endLocation]
        var total = 0
        for i in 1..<locations.count { total += instance.travel[locations[i - 1], locations[i]] }
        return total
    }
}
