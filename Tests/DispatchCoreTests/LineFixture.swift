import DispatchCore
import DispatchTestSupport

/// Hand-made instances on a line: locations are coordinates, travel time is their distance.
struct LineFixture {
    var coordinates: [Int]
    var builder: DispatchInstanceBuilder

    init(_ coordinates: [Int], name: String = "line") {
        self.coordinates = coordinates
        builder = DispatchInstanceBuilder(name: name, timeScale: .seconds, travel: TravelMatrices.line(coordinates))
    }

    mutating func vehicle(_ id: String = "bus", from start: Int = 0, to end: Int? = nil, shift: TimeWindow = TimeWindow(earliest: 0, latest: 1000),
                          capacity: Capacity = Capacity(seats: 4), maxRouteDuration: Int? = nil, serves: [Int]? = nil) {
        builder.add(VehicleInput(id: id, startLocation: start, endLocation: end ?? start, shift: shift, capacity: capacity,
                                 maxRouteDuration: maxRouteDuration, serves: serves))
    }

    mutating func request(_ id: String, from pickup: Int, to dropoff: Int, pickup pw: TimeWindow? = nil, dropoff dw: TimeWindow? = nil,
                          load: Load = Load(seats: 1), maxRide: MaxRideTime = .unlimited, service: Int = 0, municipality: Int? = nil) {
        builder.add(RequestInput(id: id, pickupLocation: pickup, dropoffLocation: dropoff, pickupWindow: pw, dropoffWindow: dw,
                                 pickupServiceTime: service, dropoffServiceTime: service, load: load, maxRideTime: maxRide,
                                 municipality: municipality))
    }

    func build() throws -> DispatchInstance { try builder.build() }
}

func window(_ earliest: Int, _ latest: Int) -> TimeWindow { TimeWindow(earliest: earliest, latest: latest) }
