import DispatchCore
import RoadNetwork
import Testing

@Suite struct TimeScaleTests {
    @Test func convertsRoadTablesInDecisecondsToTicksOfEitherScaleRoundingUp() {
        let table = TravelTimeTable(sourceCount: 2, targetCount: 2, times: [0, 601, 600, 0], lengths: [0, 1, 1, 0])
        let seconds = TravelMatrix(table: table, scale: .seconds)
        #expect(seconds[0, 1] == 61)   // 60.1 s rounded up
        #expect(seconds[1, 0] == 60)
        let microMinutes = TravelMatrix(table: table, scale: .microMinutes)
        #expect(microMinutes[0, 1] == 1_001_667)   // 60.1 s = 1.0016666… min
        #expect(microMinutes[1, 0] == 1_000_000)
    }

    @Test func refusesARouteDurationShorterThanTheDriveBetweenDepots() {
        var builder = DispatchInstanceBuilder(name: "t", timeScale: .seconds, travel: TravelMatrix(count: 2) { i, j in i == j ? 0 : 100 })
        builder.add(VehicleInput(id: "bus-1", startLocation: 0, endLocation: 1, shift: TimeWindow(earliest: 0, latest: 1_000),
                                 capacity: Capacity(seats: 4), maxRouteDuration: 50))
        #expect(throws: DispatchInstanceError.routeDurationTooShort(vehicle: "bus-1", limit: 50, depotToDepot: 100)) {
            try builder.build()
        }
        #expect(DispatchInstanceError.routeDurationTooShort(vehicle: "bus-1", limit: 50, depotToDepot: 100).description.contains("bus-1"))
    }

    @Test func anEnormousRideLimitIsTreatedAsUnlimitedWithoutOverflow() throws {
        var builder = DispatchInstanceBuilder(name: "t", timeScale: .seconds, travel: TravelMatrix(count: 3) { i, j in abs(i - j) * 10 })
        builder.add(VehicleInput(id: "v", startLocation: 0, endLocation: 0, shift: TimeWindow(earliest: 0, latest: 1_000), capacity: Capacity(seats: 2)))
        builder.add(RequestInput(id: "a", pickupLocation: 1, dropoffLocation: 2, pickupWindow: TimeWindow(earliest: 10, latest: 20),
                                 pickupServiceTime: 1, maxRideTime: .absolute(Int.max)))
        builder.add(RequestInput(id: "b", pickupLocation: 2, dropoffLocation: 1, pickupWindow: TimeWindow(earliest: 100, latest: 120),
                                 maxRideTime: .relative(alpha: 2, beta: Int.max)))
        let instance = try builder.build()
        let evaluator = RouteEvaluator(instance: instance)
        #expect(evaluator.isFeasible(vehicle: 0, stops: [0, 2, 1, 3]))
    }
}
