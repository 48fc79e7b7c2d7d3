import DispatchCore
import DispatchHeuristics
import DispatchMILP
import DispatchTestSupport
import DispatchWire
import Testing

@Suite struct ExactSolverTests {
    /// Tiny instances with identical vehicles (the exact model needs interchangeable vehicles).
    static func tinyInstance(seed: UInt64, requests: Int, vehicles: Int) -> DispatchInstance? {
        var rng = SeededGenerator(seed: seed)
        let points = (0..<(1 + 2 * requests)).map { _ in (x: rng.nextInt(in: 0...12), y: rng.nextInt(in: 0...12)) }
        var builder = DispatchInstanceBuilder(name: "tiny-\(seed)", timeScale: .seconds, travel: TravelMatrices.euclidean(points, ticksPerUnit: 4))
        for k in 0..<vehicles {
            builder.add(VehicleInput(id: "v\(k)", startLocation: 0, endLocation: 0, shift: TimeWindow(earliest: 0, latest: 240),
                                     capacity: Capacity(seats: 2)))
        }
        for r in 0..<requests {
            let start = rng.nextInt(in: 0...150)
            let tight = rng.nextBool(probability: 0.5)
            let window = TimeWindow(earliest: start, latest: start + (tight ? 15 : 60))
            let onPickup = rng.nextBool(probability: 0.5)
            builder.add(RequestInput(id: "r\(r)", pickupLocation: 1 + 2 * r, dropoffLocation: 2 + 2 * r,
                                     pickupWindow: onPickup ? window : nil, dropoffWindow: onPickup ? nil : window,
                                     pickupServiceTime: 2, dropoffServiceTime: 2, load: Load(seats: rng.nextInt(in: 1...2)),
                                     maxRideTime: .relative(alpha: 1.6, beta: 10)))
        }
        return try? builder.build()
    }

    /// The cheapest plan serving every request, by enumeration (nil: none exists).
    static func bruteForceOptimum(_ instance: DispatchInstance) -> Int? {
        let n = instance.requestCount, vehicles = instance.vehicleCount
        let evaluator = RouteEvaluator(instance: instance)
        var bestRoute: [[Int]: Int?] = [:]   // request set (sorted) → cheapest feasible route cost
        func cheapest(_ requests: [Int]) -> Int? {
            if requests.isEmpty { return 0 }
            if let known = bestRoute[requests] { return known }
            var best: Int?
            var order: [Int32] = []
            var picked = Set<Int>(), dropped = Set<Int>()
            func extend() {
                if order.count == 2 * requests.count {
                    if evaluator.isFeasible(vehicle: 0, stops: order) {
                        let c = instance.routeCost(order, vehicle: 0)
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
            bestRoute[requests] = best
            return best
        }
        var optimum: Int?
        var assignment = [Int](repeating: 0, count: n)
        func assign(_ r: Int) {
            if r == n {
                var total = 0
                for k in 0..<vehicles {
                    guard let c = cheapest((0..<n).filter { assignment[$0] == k }) else { return }
                    total += c
                }
                if optimum == nil || total < optimum! { optimum = total }
                return
            }
            for k in 0..<vehicles { assignment[r] = k; assign(r + 1) }
        }
        assign(0)
        return optimum
    }

    @Test func exactOptimumEqualsTheBruteForceOptimumOnTinyInstances() {
        var optimal = 0, infeasible = 0
        for seed in UInt64(1)...40 {
            guard let instance = Self.tinyInstance(seed: seed, requests: 2 + Int(seed % 3), vehicles: 1 + Int(seed % 2)) else { continue }
            let expected = Self.bruteForceOptimum(instance)
            let result = ExactSolver().solve(instance, limits: SolveLimits(timeLimit: .seconds(20)), progress: nil)
            if let expected {
                #expect(result.status == .optimal, "seed \(seed)")
                #expect(result.cost == expected, "seed \(seed)")
                #expect(result.plan.unserved.isEmpty && PlanChecker.violations(of: result.plan, in: instance) == [], "seed \(seed)")
                optimal += 1
            } else {
                #expect(result.status == .infeasible, "seed \(seed)")
                infeasible += 1
            }
        }
        #expect(optimal >= 15)
    }

    @Test func theHeuristicNeverBeatsTheProvenOptimum() {
        var built = 0, proven = 0, compared = 0
        for seed in UInt64(50)...65 {
            guard let instance = Self.tinyInstance(seed: seed, requests: 4, vehicles: 2) else { continue }
            built += 1
            let exact = ExactSolver().solve(instance, limits: SolveLimits(timeLimit: .seconds(20)), progress: nil)
            // Four requests: the model settles each instance in milliseconds, one way or the other.
            #expect(exact.status == .optimal || exact.status == .infeasible, "seed \(seed): \(exact.status) after \(exact.seconds) s")
            guard exact.status == .optimal else { continue }
            proven += 1
            let heuristic = ALNSSolver().solve(instance, limits: SolveLimits(iterationLimit: 200, seed: seed), progress: nil)
            if heuristic.plan.unserved.isEmpty {
                compared += 1
                #expect(heuristic.cost >= exact.cost, "seed \(seed)")
            }
            #expect(exact.lowerBound == exact.cost, "seed \(seed)")
        }
        // Not vacuous: 7 of the 16 instances are proven optimal and the heuristic serves all
        // requests of each of them (the others are proven infeasible).
        #expect(built == 16)
        #expect(proven >= 5 && compared >= 5, "\(proven) proven optimal, \(compared) compared with the heuristic")
    }

    /// Cordeau's a2-16: proven optimum 294.25 (BKS.csv), with the cost recomputed from the routes
    /// with the file's unrounded distances.
    @Test(.enabled(if: SharedData.darpDirectory != nil, "needs ../shared/instances/darp-a"))
    func theExactSolverProvesTheKnownOptimumOfA2_16() throws {
        let file = try CordeauInstance.load(path: SharedData.darpInstance("a2-16")!)
        let instance = try file.dispatchInstance()
        var samples: [SolveProgress] = []
        let result = ExactSolver(warmStart: ALNSSolver()).solve(instance, limits: SolveLimits(timeLimit: .seconds(120), iterationLimit: 200)) {
            samples.append($0)
        }
        #expect(result.status == .optimal)
        let cost = file.cost(ofRoutes: file.fileRoutes(of: result.plan, in: instance))
        #expect(abs(cost - 294.25) <= 0.01)
        #expect(result.lowerBound == result.cost)
        #expect(PlanChecker.violations(of: result.plan, in: instance) == [])
        #expect(samples.contains { $0.phase == "exact" } || result.history.last?.phase == "exact")
    }

    @Test(.enabled(if: SharedData.darpDirectory != nil, "needs ../shared/instances/darp-a"))
    func aTimeLimitTooShortForTheModelStillReturnsAValidPlanWithoutClaimingOptimality() throws {
        let file = try CordeauInstance.load(path: SharedData.darpInstance("a8-96")!)
        let instance = try file.dispatchInstance()
        var solver = ExactSolver(warmStart: ALNSSolver())
        solver.warmStartSeconds = 0.2
        let result = solver.solve(instance, limits: SolveLimits(timeLimit: .milliseconds(600)), progress: nil)
        #expect(result.status != .optimal && result.status != .infeasible)
        #expect(result.plan.unserved.isEmpty)
        #expect(PlanChecker.violations(of: result.plan, in: instance) == [])
        #expect(result.seconds < 5)
    }

    @Test func noRequestsAndOnlyUnreachableRequestsAreAnsweredWithoutACrash() throws {
        let matrix = TravelMatrices.line([0, 50, 60])
        var empty = DispatchInstanceBuilder(name: "empty", timeScale: .seconds, travel: matrix)
        empty.add(VehicleInput(id: "v", startLocation: 0, endLocation: 0, shift: TimeWindow(earliest: 0, latest: 200), capacity: Capacity(seats: 2)))
        let none = ExactSolver(warmStart: ALNSSolver()).solve(try empty.build(), limits: SolveLimits(timeLimit: .seconds(5)), progress: nil)
        #expect(none.status == .optimal && none.cost == 0)

        var late = empty
        late.add(RequestInput(id: "too-early", pickupLocation: 1, dropoffLocation: 2, pickupWindow: TimeWindow(earliest: 0, latest: 10)))
        let unreachable = ExactSolver().solve(try late.build(), limits: SolveLimits(timeLimit: .seconds(5)), progress: nil)
        #expect(unreachable.status == .infeasible)
    }

    @Test func anInstanceNoPlanCanServeIsProvenInfeasible() throws {
        // Two requests far apart with the same tight pickup time and one vehicle.
        let matrix = TravelMatrices.line([0, 10, 11, 200, 201])
        var builder = DispatchInstanceBuilder(name: "two-places-at-once", timeScale: .seconds, travel: matrix)
        builder.add(VehicleInput(id: "v", startLocation: 0, endLocation: 0, shift: TimeWindow(earliest: 0, latest: 1_000), capacity: Capacity(seats: 2)))
        builder.add(RequestInput(id: "a", pickupLocation: 1, dropoffLocation: 2, pickupWindow: TimeWindow(earliest: 300, latest: 305)))
        builder.add(RequestInput(id: "b", pickupLocation: 3, dropoffLocation: 4, pickupWindow: TimeWindow(earliest: 300, latest: 305)))
        let instance = try builder.build()
        let result = ExactSolver().solve(instance, limits: SolveLimits(timeLimit: .seconds(10)), progress: nil)
        #expect(result.status == .infeasible)
    }
}
