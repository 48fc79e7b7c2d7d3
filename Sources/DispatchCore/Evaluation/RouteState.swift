import Synchronization

/// One vehicle's route with the cached data that make insertion tests cheap (ALGORITHMS.md §1.4):
/// forward and backward time segments, the load after every stop, prefix driving-plus-service
/// times and, per arc, the smallest ride-time slack of the passengers on board.
///
/// Positions count the depots: position 0 is the start depot, `1…m` the stops, `m + 1` the end depot.
public struct RouteState: @unchecked Sendable {
    /// The arrays live in one reference so that copying a route (a solution holds one per
    /// vehicle) costs one retain; `rebuild` copies the storage first when it is shared.
    final class Storage {
        /// Unique per storage object for the life of the process (never reused, unlike addresses).
        let serial = RouteState.serials.wrappingAdd(1, ordering: .relaxed).newValue
        /// Bumped by every rebuild: (serial, version) identifies the route's content.
        var version: UInt64 = 0
        var stops: [Int32]
        var nodes: [Int32] = []
        var forward: [TimeSegment] = []
        var backward: [TimeSegment] = []
        var loadAfter: [Load] = []
        var prefix: [Int] = []
        var minRideSlack: [Int] = []
        var cost = 0

        init(stops: [Int32]) { self.stops = stops }

        func copy() -> Storage {
            let c = Storage(stops: stops)
            c.nodes = nodes; c.forward = forward; c.backward = backward; c.loadAfter = loadAfter
            c.prefix = prefix; c.minRideSlack = minRideSlack; c.cost = cost
            return c
        }
    }

    private static let serials = Atomic<UInt64>(0)

    public let vehicle: Int
    private var storage: Storage

    /// Identifies this route's current content: equal stamps mean equal stops (for caches of
    /// insertion results across copies of a solution).
    public var stamp: (serial: UInt64, version: UInt64) { (storage.serial, storage.version) }

    /// Pickup and drop-off nodes in visiting order, depots excluded.
    public var stops: [Int32] { storage.stops }
    /// Node at each position, depots included.
    public var nodes: [Int32] { storage.nodes }
    public var forward: [TimeSegment] { storage.forward }
    public var backward: [TimeSegment] { storage.backward }
    public var loadAfter: [Load] { storage.loadAfter }
    /// `prefix[i]`: service plus travel from the start of service at position 0 to arrival at `i`.
    public var prefix: [Int] { storage.prefix }
    /// `minRideSlack[i]`: over passengers on board on the arc from `i` to `i + 1`, the least
    /// `maxRideTime − (ride without any waiting)`; `Int.max` when nobody is on board.
    public var minRideSlack: [Int] { storage.minRideSlack }
    /// Total travel time (the route's cost); 0 for an unused vehicle.
    public var cost: Int { storage.cost }

    public init(vehicle: Int, stops: [Int32], instance: DispatchInstance) {
        self.vehicle = vehicle
        storage = Storage(stops: stops)
        rebuild(instance: instance)
    }

    public var isEmpty: Bool { storage.stops.isEmpty }
    public var stopCount: Int { storage.stops.count }

    /// Replaces the stops (the caller has checked feasibility) and rebuilds the caches.
    public mutating func setStops(_ newStops: [Int32], instance: DispatchInstance) {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(stops: newStops) } else { storage.stops = newStops }
        rebuild(instance: instance)
    }

    /// - Complexity: O(m + Σ passenger spans).
    public mutating func rebuild(instance: DispatchInstance) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let inst = instance.tables
        let st = storage
        let stops = st.stops
        let m = stops.count
        let count = m + 2
        // Work on local arrays (taken out of the storage, so their buffers stay unique and keep capacity).
        var nodes = st.nodes; st.nodes = []
        var forward = st.forward; st.forward = []
        var backward = st.backward; st.backward = []
        var loadAfter = st.loadAfter; st.loadAfter = []
        var prefix = st.prefix; st.prefix = []
        var minRideSlack = st.minRideSlack; st.minRideSlack = []
        nodes.removeAll(keepingCapacity: true)
        nodes.append(Int32(instance.startDepot(vehicle)))
        nodes.append(contentsOf: stops)
        nodes.append(Int32(instance.endDepot(vehicle)))
        forward.removeAll(keepingCapacity: true)
        loadAfter.removeAll(keepingCapacity: true)
        prefix.removeAll(keepingCapacity: true)
        var segment = TimeSegment(node: Int(nodes[0]), in: inst)
        forward.append(segment)
        var load = Load.zero
        loadAfter.append(load)
        prefix.append(0)
        var total = 0
        var elapsed = 0
        for i in 1..<count {
            let u = Int(nodes[i - 1]), v = Int(nodes[i])
            let t = inst.time(u, v)
            total &+= t
            elapsed &+= inst.serviceTime[u] &+ t
            prefix.append(elapsed)
            segment = segment.then(TimeSegment(node: v, in: inst), travel: t)
            forward.append(segment)
            load = load + inst.loadChange[v]
            loadAfter.append(load)
        }
        backward.removeAll(keepingCapacity: true)
        backward.append(contentsOf: repeatElement(TimeSegment(duration: 0, timeWarp: 0, earliest: 0, latest: 0), count: count))
        var back = TimeSegment(node: Int(nodes[count - 1]), in: inst)
        backward[count - 1] = back
        for i in stride(from: count - 2, through: 0, by: -1) {
            let v = Int(nodes[i])
            back = TimeSegment(node: v, in: inst).then(back, travel: inst.time(v, Int(nodes[i + 1])))
            backward[i] = back
        }
        minRideSlack.removeAll(keepingCapacity: true)
        minRideSlack.append(contentsOf: repeatElement(Int.max, count: count))
        let n = inst.requestCount
        for b in 1..<(count - 1) where Int(nodes[b]) >= n {
            let r = Int(nodes[b]) - n
            var a = b - 1
            while Int(nodes[a]) != r { a -= 1 }
            let slack = inst.maxRideTime[r] - (prefix[b] - prefix[a] - inst.serviceTime[r])
            for i in a..<b where slack < minRideSlack[i] { minRideSlack[i] = slack }
        }
        st.nodes = nodes
        st.forward = forward
        st.backward = backward
        st.loadAfter = loadAfter
        st.prefix = prefix
        st.minRideSlack = minRideSlack
        st.cost = m == 0 ? 0 : total
        st.version &+= 1
    }

    /// Earliest possible start of service at position `i` ignoring ride limits (a lower bound).
    @inline(__always)
    public func earliestStart(at i: Int, instance: DispatchInstance) -> Int {
        forward[i].earliest &+ forward[i].duration &- instance.serviceTime[Int(nodes[i])]
    }

    /// The stops with request `r` removed (both of its nodes).
    public func stopsWithout(request r: Int, instance: DispatchInstance) -> [Int32] {
        let p = Int32(r), d = Int32(instance.dropoff(r))
        return stops.filter { $0 != p && $0 != d }
    }

    /// Cost change when request `r` (on this route) is removed.
    /// - Complexity: O(m) to find the positions.
    public func removalDelta(request r: Int, instance inst: DispatchInstance) -> Int {
        let p = Int32(r), d = Int32(inst.dropoff(r))
        guard let a = nodes.firstIndex(of: p), let b = nodes.firstIndex(of: d) else { return 0 }
        if stops.count == 2 { return -cost }
        func t(_ i: Int, _ j: Int) -> Int { inst.time(Int(nodes[i]), Int(nodes[j])) }
        if b == a + 1 { return t(a - 1, b + 1) - t(a - 1, a) - t(a, b) - t(b, b + 1) }
        return t(a - 1, a + 1) - t(a - 1, a) - t(a, a + 1) + t(b - 1, b + 1) - t(b - 1, b) - t(b, b + 1)
    }
}
