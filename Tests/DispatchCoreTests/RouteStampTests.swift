import DispatchCore
import DispatchTestSupport
import Testing

@Suite struct RouteStampTests {
    @Test func aRouteStampChangesExactlyWhenItsStopsChange() {
        let instance = RandomInstances.instance(seed: 5)
        let a = RouteState(vehicle: 0, stops: [], instance: instance)
        var b = a
        #expect(a.stamp == b.stamp)   // a copy has the same content
        b.setStops([Int32(instance.pickup(0)), Int32(instance.dropoff(0))], instance: instance)
        #expect(a.stamp != b.stamp)
        #expect(a.stops.isEmpty)      // the original is untouched
        var c = b
        c.setStops([], instance: instance)
        #expect(c.stamp != b.stamp && c.stamp != a.stamp)   // same stops as `a`, but a new state: never a false hit
        let d = RouteState(vehicle: 0, stops: [], instance: instance)
        #expect(d.stamp != a.stamp)
    }
}
