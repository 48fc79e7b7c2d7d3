import DispatchCore
import DispatchTestSupport
import Testing

@Suite struct UnservedDiagnosisTests {
    @Test func givesEachReasonOnACaseMadeForIt() throws {
        var f = LineFixture([0, 10, 20, 200, 210])
        f.vehicle("seats", serves: [0])
        f.vehicle("chair", capacity: Capacity(seats: 2, wheelchairs: 1), serves: [2])
        f.request("outside", from: 1, to: 2, municipality: 1)
        f.request("wheelchair", from: 1, to: 2, load: Load(wheelchairs: 1), municipality: 0)
        f.request("far", from: 3, to: 4, pickup: window(0, 100), municipality: 0)
        f.request("ride", from: 1, to: 2, pickup: window(0, 20), dropoff: window(100, 120), maxRide: .absolute(20), municipality: 0)
        f.request("fine", from: 1, to: 2, municipality: 0)
        f.request("anyone", from: 2, to: 1)
        let instance = try f.build()
        let evaluator = RouteEvaluator(instance: instance)
        let reasons = (0..<instance.requestCount).map { UnservedDiagnosis.reason(request: $0, instance: instance, evaluator: evaluator) }
        #expect(reasons == [.outsideServiceArea, .noVehicleWithCapacity, .timeWindowUnreachable, .maxRideTimeImpossible,
                            .noCapacityLeft, .noCapacityLeft])
        // `noOpenRoad` and `crossBorderNotAllowed` never come from the diagnosis: a valid instance has
        // no unreachable request, and rules are checked on bookings (tested in DispatchPlanningTests
        // and the server's CrossBorderRuleTests).
        #expect(Set(reasons) == Set(UnservedReason.allCases).subtracting([.noOpenRoad, .crossBorderNotAllowed]))
        // Each reason is explained in its own words (a copied explanation would hide which one applies).
        #expect(Set(UnservedReason.allCases.map(\.explanation)).count == UnservedReason.allCases.count)
    }

    @Test func aRouteDurationLimitMakesTheWindowsUnreachable() throws {
        // The shift is long, but the vehicle may drive only 30 ticks in all: 0 → 20 → 40 → 0 is 80.
        var f = LineFixture([0, 20, 40])
        f.vehicle(maxRouteDuration: 30)
        f.request("long", from: 1, to: 2)
        let instance = try f.build()
        #expect(UnservedDiagnosis.reason(request: 0, instance: instance, evaluator: RouteEvaluator(instance: instance)) == .timeWindowUnreachable)
    }
}
