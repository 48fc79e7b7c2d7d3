import DispatchCore
import DispatchTestSupport
import Testing

@Suite struct PlanReportTests {
    @Test func reportsEveryRequestOnceWithRideTimesWithinLimitsAndTheCostOfThePlan() {
        var checked = 0
        for seed in UInt64(1)...30 {
            var options = RandomInstanceOptions()
            options.requests = 4...8
            let instance = RandomInstances.instance(seed: seed, options: options)
            // Greedy plan: insert requests one by one with the exact finder.
            let finder = InsertionFinder(instance: instance)
            var routes = (0..<instance.vehicleCount).map { RouteState(vehicle: $0, stops: [], instance: instance) }
            var unserved: [Int] = []
            for r in 0..<instance.requestCount {
                let options = routes.indices.compactMap { k in finder.best(request: r, in: routes[k]).map { (k, $0) } }
                if let (k, insertion) = options.min(by: { $0.1.delta < $1.1.delta }) {
                    routes[k].setStops(insertion.apply(to: routes[k].stops, instance: instance), instance: instance)
                } else {
                    unserved.append(r)
                }
            }
            let plan = Plan(routes: routes.map(\.stops), unserved: unserved)
            #expect(PlanChecker.violations(of: plan, in: instance) == [], "seed \(seed)")
            let report = PlanReport(plan: plan, instance: instance)
            #expect(report.cost == plan.cost(in: instance))
            #expect(Set(report.rides.map(\.request)).union(report.unserved.map(\.request)) == Set(0..<instance.requestCount))
            #expect(report.rides.count + report.unserved.count == instance.requestCount)
            for ride in report.rides {
                #expect(ride.rideTime <= instance.requests[ride.request].maxRideTime)
                #expect(ride.rideTime >= ride.directTime)
                #expect(instance.window(instance.pickup(ride.request)).contains(ride.pickupServiceStart))
                #expect(instance.window(instance.dropoff(ride.request)).contains(ride.dropoffServiceStart))
            }
            for schedule in report.schedules {
                let capacity = instance.vehicles[schedule.vehicle].capacity
                #expect(schedule.stops.allSatisfy { capacity.admits($0.loadAfter) })
                #expect(schedule.stops.last!.loadAfter == .zero)
            }
            checked += report.rides.count
        }
        #expect(checked > 60)
    }
}
