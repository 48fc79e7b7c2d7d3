/// The per-node data of an instance in raw buffers for the solvers' inner loops: no bounds checks,
/// no reference counting per access. Built once with the instance and never written afterwards,
/// so sharing it between threads is safe.
public final class InstanceTables: @unchecked Sendable {
    public let nodeCount: Int
    public let locationCount: Int
    public let requestCount: Int
    public let vehicleCount: Int
    public let location: UnsafeMutablePointer<Int32>
    public let earliest: UnsafeMutablePointer<Int>
    public let latest: UnsafeMutablePointer<Int>
    public let serviceTime: UnsafeMutablePointer<Int>
    public let loadChange: UnsafeMutablePointer<Load>
    /// Per request: the ride limit in ticks.
    public let maxRideTime: UnsafeMutablePointer<Int>
    /// `compatible[r * K + k]`.
    public let compatible: UnsafeMutablePointer<Bool>
    /// Row-major location × location travel times.
    public let travel: UnsafeMutablePointer<Int32>

    init(location: [Int32], earliest: [Int], latest: [Int], serviceTime: [Int], loadChange: [Load], maxRideTime: [Int],
         compatible: [Bool], travel: TravelMatrix, vehicleCount: Int) {
        func copy<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, a.count))
            _ = UnsafeMutableBufferPointer(start: p, count: a.count).initialize(from: a)
            return p
        }
        nodeCount = location.count
        locationCount = travel.count
        requestCount = maxRideTime.count
        self.vehicleCount = vehicleCount
        self.location = copy(location)
        self.earliest = copy(earliest)
        self.latest = copy(latest)
        self.serviceTime = copy(serviceTime)
        self.loadChange = copy(loadChange)
        self.maxRideTime = copy(maxRideTime)
        self.compatible = copy(compatible)
        self.travel = copy(Array(travel.times))
    }

    deinit {
        location.deallocate(); earliest.deallocate(); latest.deallocate(); serviceTime.deallocate()
        loadChange.deallocate(); maxRideTime.deallocate(); compatible.deallocate(); travel.deallocate()
    }

    /// Travel time between nodes `u` and `v` in ticks.
    @inline(__always)
    public func time(_ u: Int, _ v: Int) -> Int {
        Int(travel[Int(location[u]) &* locationCount &+ Int(location[v])])
    }

    @inline(__always)
    public func isCompatible(request r: Int, vehicle k: Int) -> Bool { compatible[r &* vehicleCount &+ k] }
}
