import DispatchCore

extension CordeauInstance {
    /// The instance in the optimizer's model, in `TimeScale.microMinutes`: each file node is a
    /// location, travel times are the Euclidean distances rounded up to the next 10⁻⁶ (which keeps
    /// the triangle inequality and never accepts a schedule the unrounded times would reject),
    /// windows, service and ride times are scaled exactly. Request r (0-based) is the file's
    /// pickup node r + 1; K identical vehicles start at node 0 and end at node 2n + 1.
    /// - Throws: `DispatchInstanceError` when the file's data break the model's rules.
    public func dispatchInstance() throws(DispatchInstanceError) -> DispatchInstance {
        let scale = TimeScale.microMinutes
        let count = nodes.count
        let matrix = TravelMatrix(count: count) { i, j in scale.ticksRoundedUp(travelTime(i, j)) }
        var builder = DispatchInstanceBuilder(name: name, timeScale: scale, travel: matrix)
        let depot = nodes[0], endDepot = nodes[count - 1]
        for k in 0..<vehicleCount {
            builder.add(VehicleInput(id: "\(k + 1)", startLocation: 0, endLocation: count - 1,
                                     shift: TimeWindow(earliest: scale.ticks(min(depot.earliest, endDepot.earliest)),
                                                       latest: scale.ticks(max(depot.latest, endDepot.latest))),
                                     capacity: Capacity(seats: vehicleCapacity),
                                     maxRouteDuration: scale.ticks(maxRouteDuration)))
        }
        for r in 0..<requestCount {
            let p = pickup(ofRequest: r), d = delivery(ofRequest: r)
            builder.add(RequestInput(id: "\(p.id)", pickupLocation: p.id, dropoffLocation: d.id,
                                     pickupWindow: TimeWindow(earliest: scale.ticks(p.earliest), latest: scale.ticks(p.latest)),
                                     dropoffWindow: TimeWindow(earliest: scale.ticks(d.earliest), latest: scale.ticks(d.latest)),
                                     pickupServiceTime: scale.ticks(p.serviceTime), dropoffServiceTime: scale.ticks(d.serviceTime),
                                     load: Load(seats: p.load), maxRideTime: .absolute(scale.ticks(maxRideTime))))
        }
        return try builder.build()
    }

    /// The plan's routes as file node ids in visiting order (depots excluded), one list per used vehicle.
    public func fileRoutes(of plan: Plan, in instance: DispatchInstance) -> [[Int]] {
        plan.routes.filter { !$0.isEmpty }.map { stops in stops.map { Int(instance.location[Int($0)]) } }
    }

    /// Total Euclidean length of routes given as file node ids (depot to depot), unrounded.
    public func cost(ofRoutes routes: [[Int]]) -> Double {
        var total = 0.0
        for route in routes where !route.isEmpty {
            var previous = 0
            for node in route {
                total += travelTime(previous, node)
                previous = node
            }
            total += travelTime(previous, nodes.count - 1)
        }
        return total
    }
}
