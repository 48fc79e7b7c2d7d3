import DispatchCore
import DispatchTestSupport
import Testing

/// The repair skips re-trying a request on a route where it had no feasible insertion after other
/// requests were added to that route. That is sound when travel times obey the triangle inequality
/// (as the random instances' rounded-up Euclidean times do): this checks it.
@Suite struct InsertionMonotonicityTests {
    @Test func addingARequestToARouteNeverMakesAnInfeasibleInsertionFeasible() {
        var rng = SeededGenerator(seed: 99)
        var infeasibleCases = 0
        for seed in UInt64(1)...150 {
            var options = RandomInstanceOptions()
            options.requests = 6...10
            let instance = RandomInstances.instance(seed: seed, options: options)
            let finder = InsertionFinder(instance: instance)
            for k in 0..<instance.vehicleCount {
                let stops = RandomInstances.feasibleRoute(for: k, in: instance, attempts: 4, using: &rng)
                let route = RouteState(vehicle: k, stops: stops, instance: instance)
                let onRoute = Set(stops.map { instance.request(ofNode: Int($0))! })
                let others = (0..<instance.requestCount).filter { !onRoute.contains($0) }
                for r in others where finder.best(request: r, in: route) == nil {
                    for x in others where x != r {
                        guard let insertion = finder.best(request: x, in: route) else { continue }
                        let bigger = RouteState(vehicle: k, stops: insertion.apply(to: stops, instance: instance), instance: instance)
                        infeasibleCases += 1
                        #expect(finder.best(request: r, in: bigger) == nil, "seed \(seed), vehicle \(k), request \(r) after \(x)")
                    }
                }
            }
        }
        #expect(infeasibleCases > 200)
    }
}
