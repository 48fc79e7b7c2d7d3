/// An immutable, validated dial-a-ride problem: requests, vehicles and a travel-time matrix.
///
/// Inside, every stop is a *node* with a dense index: pickup of request r is `r`, its drop-off is
/// `n + r`, the start depot of vehicle k is `2n + k` and its end depot `2n + K + k`. Per node the
/// instance keeps the location, the (tightened) time window, the service time and the load change,
/// as flat arrays for the solvers' inner loops.
public struct DispatchInstance: Sendable {
    public let name: String
    public let timeScale: TimeScale
    public let requests: [Request]
    public let vehicles: [Vehicle]
    public let travel: TravelMatrix

    public var requestCount: Int { requests.count }
    public var vehicleCount: Int { vehicles.count }
    public var nodeCount: Int { 2 * requests.count + 2 * vehicles.count }

    // Per node.
    public let location: [Int32]
    public let earliest: [Int]
    public let latest: [Int]
    public let serviceTime: [Int]
    public let loadChange: [Load]
    /// `compatible[r * K + k]`: vehicle k may serve request r (service area and capacity).
    public let compatible: [Bool]
    /// The same data in raw buffers for inner loops.
    public let tables: InstanceTables

    @inline(__always) public func pickup(_ r: Int) -> Int { r }
    @inline(__always) public func dropoff(_ r: Int) -> Int { requests.count + r }
    @inline(__always) public func startDepot(_ k: Int) -> Int { 2 * requests.count + k }
    @inline(__always) public func endDepot(_ k: Int) -> Int { 2 * requests.count + vehicles.count + k }
    /// The request a pickup or drop-off node belongs to (nil for depots).
    @inline(__always) public func request(ofNode v: Int) -> Int? {
        v < 2 * requests.count ? (v < requests.count ? v : v - requests.count) : nil
    }
    @inline(__always) public func isPickup(_ v: Int) -> Bool { v < requests.count }
    @inline(__always) public func isDropoff(_ v: Int) -> Bool { v >= requests.count && v < 2 * requests.count }
    /// Travel time between two nodes in ticks.
    @inline(__always) public func time(_ u: Int, _ v: Int) -> Int { travel[Int(location[u]), Int(location[v])] }
    @inline(__always) public func isCompatible(request r: Int, vehicle k: Int) -> Bool { compatible[r &* vehicles.count &+ k] }

    /// The time window of node `v` (after tightening).
    public func window(_ v: Int) -> TimeWindow { TimeWindow(earliest: earliest[v], latest: latest[v]) }

    init(name: String, timeScale: TimeScale, requests: [Request], vehicles: [Vehicle], travel: TravelMatrix,
         location: [Int32], earliest: [Int], latest: [Int], serviceTime: [Int], loadChange: [Load], compatible: [Bool]) {
        self.name = name
        self.timeScale = timeScale
        self.requests = requests
        self.vehicles = vehicles
        self.travel = travel
        self.location = location
        self.earliest = earliest
        self.latest = latest
        self.serviceTime = serviceTime
        self.loadChange = loadChange
        self.compatible = compatible
        tables = InstanceTables(location: location, earliest: earliest, latest: latest, serviceTime: serviceTime,
                                loadChange: loadChange, maxRideTime: requests.map(\.maxRideTime), compatible: compatible,
                                travel: travel, vehicleCount: vehicles.count)
    }
}
