import DispatchCore

/// A one-vehicle instance whose feasible routes include every feasible route of every vehicle of
/// a real instance (a *relaxation* of it), for lower bounds on heterogeneous fleets.
///
/// - Requests keep their index, their (tightened) windows, service times, loads and ride limits
///   (as absolute ticks); their municipality is dropped.
/// - Travel times are the metric closure (shortest paths) of the real times over the locations in
///   use: never longer than the real ones, and obeying the triangle inequality, which the event
///   graph's pruning needs (`EventGraph`: a subsequence of a feasible route is feasible).
/// - The one vehicle starts and ends at a virtual depot whose travel time to (from) each place is
///   the shortest from any real start (to any real end) depot; its shift is the hull of all shifts,
///   its layouts the union of all layouts, its route-duration limit the largest; no drivers'
///   breaks; it serves every request some vehicle of the group may serve (`impossible` marks the
///   others).
///
/// A real route of vehicle k, with its schedule, is then a feasible route of the relaxed vehicle
/// with the same service times at the stops: travel is no longer, windows and ride limits are the
/// same, it can leave the virtual depot no earlier and be back no later than k (so its duration is
/// no longer), the shift contains k's, and the load fits one of the union's layouts. The depot legs'
/// costs are not taken from here: the bound's model prices them per real depot (`RelaxationBound`).
struct RelaxedFleet {
    let instance: DispatchInstance
    /// Location index in the relaxed instance of each real location in use (-1 when unused).
    let locationIndex: [Int]
    /// Requests no vehicle of the group can serve: an empty tightened window or no compatible
    /// vehicle (they get the horizon as windows and a municipality the relaxed vehicle does not
    /// serve, so the event graph leaves them out).
    let impossible: [Bool]
    /// True when the real travel times already obey the triangle inequality between the places in
    /// use (shortest paths, as every zone's and benchmark's times are).
    let metric: Bool

    /// - Complexity: O(U³) for the U locations in use (Floyd–Warshall), plus building the instance.
    /// - Parameter group: the real vehicles the relaxed one stands for (default: all).
    init(real inst: DispatchInstance, group: [Int]? = nil) throws(DispatchInstanceError) {
        let n = inst.requestCount
        let vehicles = (group ?? Array(inst.vehicles.indices)).map { inst.vehicles[$0] }
        let members = group ?? Array(inst.vehicles.indices)
        var used: [Int] = []
        var index = [Int](repeating: -1, count: inst.travel.count)
        for v in 0..<inst.nodeCount {
            let l = Int(inst.location[v])
            if index[l] < 0 { index[l] = used.count; used.append(l) }
        }
        let u = used.count
        let infinity = Int.max / 4
        var d = [Int](repeating: infinity, count: u * u)
        for a in 0..<u {
            for b in 0..<u {
                if a == b { d[a * u + b] = 0 } else if inst.travel.isReachable(used[a], used[b]) { d[a * u + b] = inst.travel[used[a], used[b]] }
            }
        }
        var shortened = false
        for m in 0..<u {
            for a in 0..<u where d[a * u + m] < infinity {
                let am = d[a * u + m]
                for b in 0..<u where am + d[m * u + b] < d[a * u + b] { d[a * u + b] = am + d[m * u + b]; shortened = true }
            }
        }
        metric = !shortened
        // The virtual depot: as near to each place as the nearest real start (end) depot.
        let depot = u
        let starts = Set(vehicles.map { index[$0.startLocation] }), ends = Set(vehicles.map { index[$0.endLocation] })
        let fromDepot = (0..<u).map { b in starts.map { d[$0 * u + b] }.min()! }
        let toDepot = (0..<u).map { a in ends.map { d[a * u + $0] }.min()! }
        let matrix = TravelMatrix(count: u + 1) { a, b in
            if a == depot && b == depot { return 0 }
            let t = a == depot ? fromDepot[b] : (b == depot ? toDepot[a] : d[a * u + b])
            return t >= infinity ? nil : t
        }
        var builder = DispatchInstanceBuilder(name: inst.name + " (relaxed fleet)", timeScale: inst.timeScale, travel: matrix)
        let shift = TimeWindow(earliest: vehicles.map(\.shift.earliest).min()!, latest: vehicles.map(\.shift.latest).max()!)
        var layouts: [Load] = []
        for v in vehicles {
            for layout in v.capacity.layouts where !layouts.contains(layout) { layouts.append(layout) }
        }
        // A request the group cannot carry keeps its place in the instance with a load that fits
        // (it is not served: its municipality is one the relaxed vehicle does not serve).
        let placeholder = layouts.contains { $0.seats > 0 } ? Load(seats: 1) : Load(wheelchairs: 1)
        var impossible = [Bool](repeating: false, count: n)
        for (r, q) in inst.requests.enumerated() {
            let p = inst.window(inst.pickup(r)), o = inst.window(inst.dropoff(r))
            impossible[r] = p.isEmpty || o.isEmpty || !members.contains { inst.isCompatible(request: r, vehicle: $0) }
            builder.add(RequestInput(id: q.id, pickupLocation: index[q.pickupLocation], dropoffLocation: index[q.dropoffLocation],
                                     pickupWindow: impossible[r] ? nil : p, dropoffWindow: impossible[r] ? nil : o,
                                     pickupServiceTime: inst.serviceTime[inst.pickup(r)], dropoffServiceTime: inst.serviceTime[inst.dropoff(r)],
                                     load: impossible[r] ? placeholder : q.load, maxRideTime: .absolute(q.maxRideTime),
                                     municipality: impossible[r] ? -1 : nil))
        }
        builder.add(VehicleInput(id: "relaxed", startLocation: depot, endLocation: depot, shift: shift, capacity: Capacity(layouts: layouts),
                                 maxRouteDuration: vehicles.map(\.maxRouteDuration).max()!, serves: [0]))
        instance = try builder.build()
        locationIndex = index
        self.impossible = impossible
    }
}
