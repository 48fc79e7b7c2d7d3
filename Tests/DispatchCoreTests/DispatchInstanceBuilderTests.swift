import DispatchCore
import DispatchTestSupport
import Testing

@Suite struct DispatchInstanceBuilderTests {
    /// A valid line instance with one vehicle and one request "booking-7"; each test breaks one thing.
    static func valid() -> LineFixture {
        var f = LineFixture([0, 10, 20, 30])
        f.vehicle("bus-1", capacity: Capacity(seats: 3))
        f.request("booking-7", from: 1, to: 2, pickup: window(100, 120), maxRide: .absolute(30))
        return f
    }

    /// Builds and returns the error, which must name `culprit` in its message.
    static func error(of fixture: LineFixture, naming culprit: String) -> DispatchInstanceError? {
        do {
            _ = try fixture.builder.build()
            Issue.record("build() accepted an invalid instance")
            return nil
        } catch {
            #expect(error.description.contains(culprit), "\(error.description)")
            #expect(error.description.hasSuffix("."), "messages are full sentences")
            return error
        }
    }

    @Test func acceptsTheValidFixture() throws {
        let instance = try Self.valid().build()
        #expect(instance.requestCount == 1 && instance.vehicleCount == 1 && instance.nodeCount == 4)
        #expect(instance.requests[0].directTime == 10 && instance.requests[0].maxRideTime == 30)
    }

    @Test func rejectsAWindowThatEndsBeforeItStarts() {
        var f = Self.valid()
        f.builder.requests[0].dropoffWindow = window(200, 150)
        #expect(Self.error(of: f, naming: "booking-7") == .timeWindowEndsBeforeStart(request: "booking-7", stop: "drop-off", window: window(200, 150)))
    }

    @Test func rejectsALoadAboveEveryVehicle() {
        var f = Self.valid()
        f.builder.requests[0].load = Load(seats: 1, wheelchairs: 1)
        #expect(Self.error(of: f, naming: "booking-7") == .loadAboveEveryVehicle(request: "booking-7", load: Load(seats: 1, wheelchairs: 1)))
        f.builder.requests[0].load = Load(seats: 4)
        #expect(Self.error(of: f, naming: "booking-7") == .loadAboveEveryVehicle(request: "booking-7", load: Load(seats: 4)))
    }

    @Test func rejectsTheSamePickupAndDropoff() {
        var f = Self.valid()
        f.builder.requests[0].dropoffLocation = 1
        #expect(Self.error(of: f, naming: "booking-7") == .samePickupAndDropoff(request: "booking-7"))
    }

    @Test func rejectsAnUnreachableDropoff() {
        var f = Self.valid()
        let u = TravelMatrix.unreachable
        // 0 depot, 1 pickup, 2 drop-off: nothing leads from 1 to 2.
        f.builder.travel = TravelMatrix(count: 3, times: [0, 10, 20,
                                                         10, 0, u,
                                                         20, 10, 0])
        #expect(Self.error(of: f, naming: "booking-7") == .unreachable(request: "booking-7", detail: "the drop-off cannot be reached from the pickup"))
    }

    @Test func rejectsARequestNoVehicleCanReachFromItsDepot() {
        var f = Self.valid()
        let u = TravelMatrix.unreachable
        f.builder.travel = TravelMatrix(count: 3, times: [0, u, u,
                                                         u, 0, 10,
                                                         u, 10, 0])
        guard case .unreachable(request: "booking-7", _) = Self.error(of: f, naming: "booking-7") else {
            Issue.record("expected an unreachable error")
            return
        }
    }

    @Test func rejectsAMaximumRideBelowTheDirectTime() {
        var f = Self.valid()
        f.builder.requests[0].maxRideTime = .absolute(9)
        #expect(Self.error(of: f, naming: "booking-7") == .maxRideBelowDirect(request: "booking-7", maxRide: 9, direct: 10))
        f.builder.requests[0].maxRideTime = .relative(alpha: 0.5, beta: 4)
        #expect(Self.error(of: f, naming: "booking-7") == .maxRideBelowDirect(request: "booking-7", maxRide: 9, direct: 10))
    }

    @Test func rejectsDuplicateRequestIDs() {
        var f = Self.valid()
        f.request("booking-7", from: 2, to: 3)
        #expect(Self.error(of: f, naming: "booking-7") == .duplicateID(kind: "request", id: "booking-7"))
    }

    @Test func rejectsDuplicateVehicleIDs() {
        var f = Self.valid()
        f.vehicle("bus-1")
        #expect(Self.error(of: f, naming: "bus-1") == .duplicateID(kind: "vehicle", id: "bus-1"))
    }

    @Test func rejectsAnInstanceWithoutVehicles() {
        var f = Self.valid()
        f.builder.vehicles = []
        #expect(Self.error(of: f, naming: "no vehicles") == .noVehicles)
    }

    @Test func rejectsOtherBadRequestsAndVehiclesNamingTheCulprit() {
        var f = Self.valid()
        f.builder.requests[0].pickupServiceTime = -1
        #expect(Self.error(of: f, naming: "booking-7") == .negativeServiceTime(request: "booking-7"))
        f = Self.valid()
        f.builder.requests[0].load = Load.zero
        #expect(Self.error(of: f, naming: "booking-7") == .loadNotPositive(request: "booking-7"))
        f = Self.valid()
        f.builder.requests[0].pickupLocation = 9
        #expect(Self.error(of: f, naming: "booking-7") == .locationOutOfRange(kind: "request", id: "booking-7", location: 9, count: 4))
        f = Self.valid()
        f.builder.vehicles[0].shift = window(50, 10)
        #expect(Self.error(of: f, naming: "bus-1") == .shiftEndsBeforeStart(vehicle: "bus-1", shift: window(50, 10)))
        f = Self.valid()
        f.builder.vehicles[0].capacity = Capacity(layouts: [])
        #expect(Self.error(of: f, naming: "bus-1") == .vehicleCapacityEmpty(vehicle: "bus-1"))
    }

    @Test func tighteningNeverChangesWhichRoutesAreFeasible() {
        var feasible = 0, tightened = 0
        for seed in UInt64(0)..<150 {
            let instance = RandomInstances.instance(seed: seed, options: RouteEvaluatorTests.options(seed))
            #expect(TravelMatrices.satisfiesTriangleInequality(instance.travel))
            // Tightened windows lie inside the stated ones (when the request can be served at all).
            for r in 0..<instance.requestCount {
                let request = instance.requests[r]
                for (node, stated) in [(instance.pickup(r), request.statedPickupWindow), (instance.dropoff(r), request.statedDropoffWindow)] {
                    guard let stated else { continue }
                    #expect(instance.earliest[node] >= stated.earliest && instance.latest[node] <= stated.latest)
                    if instance.window(node) != stated { tightened += 1 }
                }
            }
            var rng = SeededGenerator(seed: seed &+ 9_000)
            for _ in 0..<20 {
                let k = rng.nextInt(below: instance.vehicleCount)
                let stops = RouteEvaluatorTests.randomRoute(for: k, in: instance, using: &rng)
                let withTightened = ScheduleOracle.isFeasible(vehicle: k, stops: stops, in: instance)
                let withStated = ScheduleOracle.isFeasible(vehicle: k, stops: stops, in: instance, options: .init(statedWindows: true))
                #expect(withTightened == withStated, "seed \(seed), vehicle \(k), stops \(stops)")
                if withStated { feasible += 1 }
            }
        }
        // 3 000 routes: with these seeds 1 663 feasible; 308 stated windows were narrowed.
        #expect(feasible >= 1_200)
        #expect(tightened >= 200)
    }
}
