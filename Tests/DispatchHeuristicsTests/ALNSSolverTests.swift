import DispatchCore
import DispatchHeuristics
import DispatchTestSupport
import DispatchWire
import Foundation
import Testing

@Suite struct ALNSSolverTests {
    @Test(.enabled(if: SharedData.darpDirectory != nil, "needs ../shared/instances/darp-a"))
    func servesEveryRequestOfASmallCordeauInstanceWithAPlanTheCheckerAccepts() throws {
        let file = try CordeauInstance.load(path: SharedData.darpInstance("a2-16")!)
        let instance = try file.dispatchInstance()
        let result = ALNSSolver().solve(instance, limits: SolveLimits(iterationLimit: 300, seed: 7), progress: nil)
        #expect(result.plan.unserved.isEmpty)
        #expect(PlanChecker.violations(of: result.plan, in: instance) == [])
        #expect(PlanChecker.cost(of: result.plan, in: instance) == result.cost)
        // The cost in file units, recomputed from the unrounded distances, is close to the tick cost.
        let fileCost = file.cost(ofRoutes: file.fileRoutes(of: result.plan, in: instance))
        #expect(abs(fileCost - instance.timeScale.units(result.cost)) < 1e-3)
        // a2-16's proven optimum is 294.25; a plan can never be cheaper.
        #expect(fileCost > 294.24)
    }

    @Test func sameSeedAndIterationLimitGiveTheSamePlan() throws {
        let instance = RandomInstances.instance(seed: 11, options: {
            var o = RandomInstanceOptions()
            o.requests = 25...25
            o.vehicles = 3...3
            return o
        }())
        let a = ALNSSolver().solve(instance, limits: SolveLimits(iterationLimit: 200, seed: 3), progress: nil)
        let b = ALNSSolver().solve(instance, limits: SolveLimits(iterationLimit: 200, seed: 3), progress: nil)
        #expect(a.plan == b.plan)
        #expect(a.cost == b.cost)
        #expect(a.iterations == 200)
    }

    @Test func twoCooperatingSearchesGiveTheSamePlanForTheSameSeedAndIterationLimit() throws {
        let instance = RandomInstances.instance(seed: 12, options: {
            var o = RandomInstanceOptions()
            o.requests = 30...30
            o.vehicles = 4...4
            return o
        }())
        var config = ALNSSolver.Configuration()
        config.workers = 2
        config.syncIterations = 50
        let a = ALNSSolver(configuration: config).solve(instance, limits: SolveLimits(iterationLimit: 300, seed: 5), progress: nil)
        let b = ALNSSolver(configuration: config).solve(instance, limits: SolveLimits(iterationLimit: 300, seed: 5), progress: nil)
        #expect(a.plan == b.plan)
        #expect(a.cost == b.cost)
        // Each of the two searches made the 300 iterations.
        #expect(a.iterations == 600)
        #expect(PlanChecker.violations(of: a.plan, in: instance) == [])
        #expect(PlanChecker.cost(of: a.plan, in: instance) == a.cost)
        // Another seed: another plan the checker accepts.
        let c = ALNSSolver(configuration: config).solve(instance, limits: SolveLimits(iterationLimit: 300, seed: 6), progress: nil)
        #expect(PlanChecker.violations(of: c.plan, in: instance) == [])
    }

    @Test func everyPlanOnRandomInstancesPassesTheIndependentChecker() {
        var servedTotal = 0, requestTotal = 0
        for seed in UInt64(1)...12 {
            var options = RandomInstanceOptions()
            options.requests = 6...20
            options.vehicles = 1...3
            options.municipalities = seed % 2 == 0
            let instance = RandomInstances.instance(seed: seed, options: options)
            let result = ALNSSolver().solve(instance, limits: SolveLimits(iterationLimit: 150, seed: seed), progress: nil)
            #expect(PlanChecker.violations(of: result.plan, in: instance) == [], "seed \(seed)")
            #expect(PlanChecker.cost(of: result.plan, in: instance) == result.cost, "seed \(seed)")
            // Every request exactly once: in a route or unserved.
            var seen = [Int](repeating: 0, count: instance.requestCount)
            for route in result.plan.routes { for s in route where instance.isPickup(Int(s)) { seen[Int(s)] += 1 } }
            for r in result.plan.unserved { seen[r] += 1 }
            #expect(seen.allSatisfy { $0 == 1 }, "seed \(seed)")
            servedTotal += result.plan.servedCount
            requestTotal += instance.requestCount
        }
        // The random instances are hard but not hopeless: most requests get served.
        #expect(servedTotal * 2 > requestTotal)
    }

    @Test func unservedRequestsAreOnlyThoseNoRouteCanTake() {
        // Whatever stays unserved cannot be inserted anywhere in the final plan (no missed easy wins).
        var unservedSeen = 0
        for seed in UInt64(20)...27 {
            var options = RandomInstanceOptions()
            options.requests = 12...18
            options.vehicles = 1...2
            let instance = RandomInstances.instance(seed: seed, options: options)
            let result = ALNSSolver().solve(instance, limits: SolveLimits(iterationLimit: 100, seed: seed), progress: nil)
            let finder = InsertionFinder(instance: instance)
            unservedSeen += result.plan.unserved.count
            for r in result.plan.unserved {
                for (k, stops) in result.plan.routes.enumerated() {
                    let state = RouteState(vehicle: k, stops: stops, instance: instance)
                    #expect(finder.best(request: r, in: state) == nil, "seed \(seed): request \(r) fits vehicle \(k)")
                }
            }
        }
        #expect(unservedSeen > 0, "the instances should leave some requests out, or this test checks nothing")
    }

    @Test func aPenaltyBelowTheCostOfServingLeavesAnExpensiveRequestOut() throws {
        // One vehicle at 0 on a line; request A is short, request B lies far away.
        let matrix = TravelMatrices.line([0, 1, 2, 100, 101])
        var builder = DispatchInstanceBuilder(name: "penalty", timeScale: .seconds, travel: matrix)
        builder.add(VehicleInput(id: "v", startLocation: 0, endLocation: 0, shift: TimeWindow(earliest: 0, latest: 1_000),
                                 capacity: Capacity(seats: 2)))
        builder.add(RequestInput(id: "near", pickupLocation: 1, dropoffLocation: 2))
        builder.add(RequestInput(id: "far", pickupLocation: 3, dropoffLocation: 4))
        let instance = try builder.build()
        let lexicographic = ALNSSolver().solve(instance, limits: SolveLimits(iterationLimit: 50), progress: nil)
        #expect(lexicographic.plan.unserved.isEmpty)
        var config = ALNSSolver.Configuration(unservedPenalty: 50)
        config.localSearch = true
        let penalised = ALNSSolver(configuration: config).solve(instance, limits: SolveLimits(iterationLimit: 50), progress: nil)
        #expect(penalised.plan.unserved == [1])
        #expect(penalised.cost == 4)
    }
}
