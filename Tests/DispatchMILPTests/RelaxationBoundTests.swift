import DispatchCore
import DispatchMILP
import DispatchTestSupport
import Testing

@Suite struct RelaxationBoundTests {
    /// The smallest `cost + penalty · unserved` over every plan, by enumeration: each request goes
    /// to a compatible vehicle or is left out, and each vehicle drives its cheapest feasible order.
    static func bruteForceOptimum(_ instance: DispatchInstance, penalty: Int) -> Int {
        let n = instance.requestCount, vehicles = instance.vehicleCount
        let evaluator = RouteEvaluator(instance: instance)
        var cheapestRoute: [[Int]: Int?] = [:]
        func cheapest(_ requests: [Int], vehicle k: Int) -> Int? {
            if requests.isEmpty { return 0 }
            let key = [k] + requests
            if let known = cheapestRoute[key] { return known }
            var best: Int?
            var order: [Int32] = []
            var picked = Set<Int>(), dropped = Set<Int>()
            func extend() {
                if order.count == 2 * requests.count {
                    if evaluator.isFeasible(vehicle: k, stops: order) {
                        let c = instance.routeCost(order, vehicle: k)
                        if best == nil || c < best! { best = c }
                    }
                    return
                }
                for r in requests {
                    if !picked.contains(r) {
                        picked.insert(r); order.append(Int32(instance.pickup(r))); extend(); order.removeLast(); picked.remove(r)
                    } else if !dropped.contains(r) {
                        dropped.insert(r); order.append(Int32(instance.dropoff(r))); extend(); order.removeLast(); dropped.remove(r)
                    }
                }
            }
            extend()
            cheapestRoute[key] = best
            return best
        }
        var optimum = Int.max
        var assignment = [Int](repeating: -1, count: n)
        func assign(_ r: Int) {
            if r == n {
                var total = penalty * assignment.filter { $0 < 0 }.count
                for k in 0..<vehicles {
                    guard let c = cheapest((0..<n).filter { assignment[$0] == k }, vehicle: k) else { return }
                    total += c
                }
                optimum = min(optimum, total)
                return
            }
            for k in -1..<vehicles where k < 0 || instance.isCompatible(request: r, vehicle: k) {
                assignment[r] = k
                assign(r + 1)
            }
        }
        assign(0)
        return optimum
    }

    /// Small instances with everything real fleets have: depots apart, different seats and
    /// wheelchair layouts, service areas, shifts and route-duration limits.
    static var mixedFleet: RandomInstanceOptions {
        var o = RandomInstanceOptions.tiny
        o.requests = 2...5
        o.vehicles = 1...3
        o.municipalities = true
        return o
    }

    @Test func theBoundNeverExceedsTheProvenOptimumOfMixedFleets() {
        var ratios: [Double] = []
        for seed in UInt64(1)...60 {
            let instance = RandomInstances.instance(seed: seed, options: Self.mixedFleet)
            let penalty = instance.unservedPenalty
            let optimum = Self.bruteForceOptimum(instance, penalty: penalty)
            let bound = RelaxationBound().compute(instance, deadline: .now + .seconds(30))
            guard let lower = bound.lowerBound else {
                Issue.record("seed \(seed): no bound (\(bound.note))")
                continue
            }
            // The per-depot model (one relaxed fleet per depot) is a bound too.
            var perDepot = RelaxationBound.Configuration()
            perDepot.perDepot = true
            let second = RelaxationBound(configuration: perDepot).compute(instance, deadline: .now + .seconds(30))
            if let b = second.lowerBound { #expect(b <= optimum, "seed \(seed): per-depot bound \(b) above the optimum \(optimum)") }
            #expect(bound.penalty == penalty)
            #expect(lower <= optimum, "seed \(seed): bound \(lower) above the optimum \(optimum)")
            if let root = bound.rootBound { #expect(root <= lower) }
            if optimum > 0 { ratios.append(Double(lower) / Double(optimum)) }
        }
        // A bound of 0 would pass the test above: it must prove most of the optimum. (It is not
        // always tight: it ignores route-duration limits beyond each stop's own, and which vehicle
        // serves which request beyond the depot arcs.)
        let mean = ratios.reduce(0, +) / Double(max(1, ratios.count))
        #expect(mean >= 0.85, "the bound proves \(mean) of the optimum on average")
    }

    @Test func theBoundHoldsForHomogeneousFleetsAtTheExactOptimum() throws {
        var compared = 0
        for seed in UInt64(1)...40 {
            guard let instance = ExactSolverTests.tinyInstance(seed: seed, requests: 5, vehicles: 2) else { continue }
            let bound = RelaxationBound().compute(instance, deadline: .now + .seconds(30))
            let exact = EventMILPSolver().solve(instance, timeLimit: .seconds(30), warmStart: nil)
            guard exact.status == .optimal, let cost = exact.cost, let lower = bound.lowerBound else { continue }
            compared += 1
            #expect(lower <= cost, "seed \(seed): bound \(lower) above the optimum \(cost)")
        }
        #expect(compared >= 6)
    }

    @Test func aRequestNoVehicleMayServeCostsItsPenaltyInTheBound() throws {
        var options = Self.mixedFleet
        options.requests = 3...3
        for seed in UInt64(1)...40 {
            let instance = RandomInstances.instance(seed: seed, options: options)
            let impossible = (0..<instance.requestCount).filter { r in !(0..<instance.vehicleCount).contains { instance.isCompatible(request: r, vehicle: $0) } }
            guard !impossible.isEmpty else { continue }
            let bound = RelaxationBound().compute(instance, deadline: .now + .seconds(30))
            let lower = try #require(bound.lowerBound)
            #expect(lower >= bound.penalty * impossible.count)
            return
        }
        Issue.record("no seed gave a request outside every service area")
    }

    @Test func tooManyRequestsGiveNoBoundAndSayWhy() {
        var configuration = RelaxationBound.Configuration()
        configuration.maxRequests = 2
        var options = Self.mixedFleet
        options.requests = 4...4
        let instance = RandomInstances.instance(seed: 3, options: options)
        let bound = RelaxationBound(configuration: configuration).compute(instance, deadline: .now + .seconds(5))
        #expect(bound.lowerBound == nil)
        #expect(bound.note.contains("4 requests"))
    }
}
