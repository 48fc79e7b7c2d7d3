import DispatchCore
import NetworkGeneration
import RoadNetwork
import Testing
@testable import DispatchWire

@Suite struct WideAreaScenarioTests {
    /// The summer zone, made once: most tests only vary the demand.
    static let zone = Result { try WideAreaScenario.Zone() }
    static let small = Result { try WideAreaScenario.generate(requests: 100, vehicles: 6, seed: 42, zone: zone.get()) }
    static let day = Result { try WideAreaScenario.generate(requests: 400, vehicles: 8, seed: 7, zone: zone.get()) }

    /// Everything the solvers see, compared field by field (`DispatchInstance` is not `Equatable`).
    static func sameInstance(_ a: DispatchInstance, _ b: DispatchInstance) -> Bool {
        a.name == b.name && a.requests == b.requests && a.vehicles == b.vehicles && a.travel == b.travel
            && a.location == b.location && a.earliest == b.earliest && a.latest == b.latest
            && a.serviceTime == b.serviceTime && a.loadChange == b.loadChange && a.compatible == b.compatible
    }

    @Test func theSameSeedGivesAnIdenticalScenarioAndAnotherSeedAnotherDay() throws {
        let a = try Self.small.get()
        // A zone made afresh, through the one-call entry point.
        let b = try WideAreaScenario.generate(requests: 100, vehicles: 6, seed: 42)
        #expect(Self.sameInstance(a.instance, b.instance))
        #expect(a.locations == b.locations && a.requestDetails == b.requestDetails && a.vehicleDetails == b.vehicleDetails)
        let c = try WideAreaScenario.generate(requests: 100, vehicles: 6, seed: 43, zone: Self.zone.get())
        #expect(a.instance.requests != c.instance.requests)
    }

    @Test func countsAreThoseAskedForAndLocationsAreSharedStops() throws {
        let s = try Self.small.get()
        #expect(s.instance.requestCount == 100 && s.instance.vehicleCount == 6)
        #expect(s.requestDetails.count == 100 && s.vehicleDetails.count == 6)
        #expect(s.instance.timeScale == .seconds)
        #expect(s.locations.count == s.instance.travel.count)
        // Many requests share stops: far fewer locations than two per request.
        #expect(s.locations.count < 100)
        #expect(Set(s.locations).count == s.locations.count, "each stop is one location")
        #expect(Set(s.instance.requests.map(\.id)).count == 100)
        #expect(s.municipalities.count == 5)
        for (i, location) in s.locations.enumerated() {
            #expect(s.municipalities[location.municipality].contains(location.coordinate), "\(location.name) lies in its municipality")
            #expect(location.kind != .pass, "location \(i) is a stop or depot")
        }
        let odd = try WideAreaScenario.generate(requests: 7, vehicles: 1, seed: 1, zone: Self.zone.get())
        #expect(odd.instance.requestCount == 7 && odd.instance.vehicleCount == 1)
    }

    @Test func everyRequestCanBeServedAloneBySomeVehicle() throws {
        let s = try Self.small.get()
        let instance = s.instance
        let evaluator = RouteEvaluator(instance: instance)
        for r in 0..<instance.requestCount {
            let alone: [Int32] = [Int32(instance.pickup(r)), Int32(instance.dropoff(r))]
            let servable = (0..<instance.vehicleCount).contains {
                instance.isCompatible(request: r, vehicle: $0) && evaluator.isFeasible(vehicle: $0, stops: alone)
            }
            #expect(servable, "request \(instance.requests[r].id) cannot be served even alone")
        }
    }

    @Test func requestsFollowTheStatedDailyPattern() throws {
        let s = try Self.day.get()
        let instance = s.instance
        for (r, request) in instance.requests.enumerated() {
            let detail = s.requestDetails[r]
            #expect((1...3).contains(detail.passengers))
            #expect(request.load.seats + request.load.wheelchairs == detail.passengers)
            #expect(request.load.wheelchairs == (detail.wheelchair ? 1 : 0))
            switch detail.leg {
            case .outbound:
                // "Be there by T": a drop-off window [T − w, T], w = 15–30 min.
                let w = try #require(request.statedDropoffWindow)
                #expect(request.statedPickupWindow == nil && w.latest == detail.requestedTime)
                #expect((900...1_800).contains(w.latest - w.earliest))
                #expect(s.locations[request.pickupLocation].kind == .hamlet || s.locations[request.pickupLocation].kind == .meetingPoint)
            case .homeward:
                // "Pick me up around T": [T − w/2, T + w/2].
                let w = try #require(request.statedPickupWindow)
                #expect(request.statedDropoffWindow == nil)
                #expect((900...1_800).contains(w.latest - w.earliest) && w.earliest + w.latest == 2 * detail.requestedTime)
            }
            #expect(detail.requestedTime >= 7 * 3_600 && detail.requestedTime <= 18 * 3_600 + 1_800)
            #expect(s.municipalities.indices.contains(detail.municipality) && request.municipality == detail.municipality)
            #expect(detail.crossesMunicipalities
                == (s.locations[request.pickupLocation].municipality != s.locations[request.dropoffLocation].municipality))
            // MATSim-style limit α · direct + β with α in [1.5, 2], β in [10, 15] min.
            #expect(request.maxRideTime >= request.directTime * 3 / 2 + 600)
            #expect(request.maxRideTime <= request.directTime * 2 + 900)
            for node in [instance.pickup(r), instance.dropoff(r)] {
                #expect((60...240).contains(instance.serviceTime[node]))
            }
        }
        let hospitalMorning = s.requestDetails.filter { $0.purpose == .hospital && $0.leg == .outbound }
        #expect(hospitalMorning.count > 20)
        #expect(hospitalMorning.allSatisfy { (8 * 3_600 + 900...11 * 3_600).contains($0.requestedTime) })
        #expect(s.requestDetails.contains { $0.purpose == .hospital && $0.leg == .homeward && $0.requestedTime >= 12 * 3_600 })
        // Listed in order of pickup: the morning's outbound legs come first on the whole.
        let firstHalf = s.requestDetails.prefix(200).filter { $0.leg == .outbound }.count
        #expect(firstHalf > 130)
    }

    @Test func someTripsCrossMunicipalitiesAndSomeResidentsUseAWheelchair() throws {
        let s = try Self.day.get()
        let n = Double(s.requestDetails.count)
        let crossing = Double(s.requestDetails.filter(\.crossesMunicipalities).count) / n
        #expect(crossing > 0.1 && crossing < 0.6, "cross-municipality share \(crossing)")
        let wheelchair = Double(s.requestDetails.filter(\.wheelchair).count) / n
        #expect(wheelchair > 0.01 && wheelchair < 0.12, "wheelchair share \(wheelchair)")
        #expect(s.requestDetails.contains { $0.passengers == 3 } && s.requestDetails.contains { $0.passengers == 2 })
        #expect(Set(s.requestDetails.map(\.purpose)) == Set(WideAreaScenario.RequestDetail.Purpose.allCases))
        #expect(Set(s.requestDetails.map(\.municipality)).count == 5, "residents of every municipality travel")
        // Wheelchair users are carried by vehicles with a wheelchair place only.
        for (r, request) in s.instance.requests.enumerated() where request.load.wheelchairs > 0 {
            for k in 0..<s.instance.vehicleCount where s.instance.isCompatible(request: r, vehicle: k) {
                #expect(s.vehicleDetails[k].model != .sedan)
            }
        }
    }

    @Test func vehiclesAreSpreadOverTheMunicipalDepots() throws {
        let s = try WideAreaScenario.generate(requests: 20, vehicles: 12, seed: 3, zone: Self.zone.get())
        #expect(Set(s.vehicleDetails.map(\.municipality)).count == 5)
        #expect(s.vehicleDetails.contains { $0.model == .welfareVan } && s.vehicleDetails.contains { $0.model == .convertibleVan })
        for (k, vehicle) in s.instance.vehicles.enumerated() {
            let detail = s.vehicleDetails[k]
            #expect(s.locations[detail.depot].kind == .depot && s.locations[detail.depot].municipality == detail.municipality)
            #expect(vehicle.startLocation == detail.depot && vehicle.endLocation == detail.depot)
            #expect(vehicle.homeMunicipality == detail.municipality && vehicle.capacity == detail.model.capacity)
            #expect(vehicle.shift.earliest >= 6 * 3_600 + 1_800 && vehicle.shift.latest <= 19 * 3_600 + 1_800)
        }
        // The hub town, with the hospital, has the most vehicles.
        let hub = try #require(s.locations.first { $0.kind == .hospital }?.municipality)
        let perMunicipality = Dictionary(grouping: s.vehicleDetails, by: \.municipality).mapValues(\.count)
        #expect(perMunicipality[hub] == perMunicipality.values.max())
    }

    @Test func travelTimesSatisfyTheTriangleInequality() throws {
        let travel = try Self.small.get().instance.travel
        var violations = 0
        for i in 0..<travel.count {
            #expect(travel[i, i] == 0)
            for j in 0..<travel.count where j != i {
                #expect(travel.isReachable(i, j) && travel[i, j] > 0)
                for k in 0..<travel.count where travel[i, k] > travel[i, j] + travel[j, k] { violations += 1 }
            }
        }
        #expect(violations == 0)
    }

    @Test func travelTimesAreShortestRoadTimesRoundedUpToSeconds() throws {
        let s = try Self.small.get()
        let network = MountainNetworkGenerator.embeddedZone(seed: s.networkSeed)
        let graph = try EmbeddedZone.graph(of: network).graph
        let index = SnapIndex(graph: graph)
        let query = ShortestPathQuery(graph: graph)
        let points = try s.locations.map { try index.snap($0.coordinate, in: graph, maxDistanceMetres: 50) }
        for i in stride(from: 0, to: points.count, by: 7) {
            for j in stride(from: 3, to: points.count, by: 5) where i != j {
                let route = try #require(query.route(from: points[i], to: points[j], closed: nil))
                let deciseconds = Int(route.travelTime)
                #expect(s.instance.travel[i, j] == (deciseconds + 9) / 10, "\(s.locations[i].name) → \(s.locations[j].name)")
            }
        }
    }

    @Test func inWinterStopsBeyondTheClosedPassAreLeftOut() throws {
        let winter = try #require(ServiceDate(year: 2026, month: 1, day: 20))
        let s = try WideAreaScenario.generate(requests: 100, vehicles: 6, seed: 42, date: winter)
        #expect(s.date == winter && s.instance.requestCount == 100)
        #expect(!s.locations.contains { $0.name == "Kumoi Onsen" })
        let summer = try Self.small.get()
        #expect(!Self.sameInstance(s.instance, summer.instance))
    }

    @Test func countsOutOfRangeAreRefusedWithAReason() {
        #expect(throws: WideAreaScenarioError.self) { try WideAreaScenario.generate(requests: 10, vehicles: 0, seed: 1) }
        #expect(throws: WideAreaScenarioError.self) { try WideAreaScenario.generate(requests: -1, vehicles: 3, seed: 1) }
        do { _ = try WideAreaScenario.generate(requests: 10, vehicles: 0, seed: 1) } catch let e as WideAreaScenarioError {
            #expect(e.description.contains("vehicles"))
        } catch { Issue.record("unexpected \(error)") }
    }
}
