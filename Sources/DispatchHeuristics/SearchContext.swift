import DispatchCore

/// Everything the operators share during one search: the instance, the exact insertion finder,
/// the random generator and precomputed relatedness data. One context per search (not thread-safe).
final class SearchContext {
    let instance: DispatchInstance
    let finder: InsertionFinder
    var evaluator: RouteEvaluator { finder.evaluator }
    var rng: SeededGenerator
    /// Objective weight of one unserved request.
    let penalty: Int
    /// Vehicles with the same depots, shift, capacity and compatibility share a class: one empty
    /// route per class is enough when inserting.
    let classes: VehicleClasses
    var vehicleClass: [Int] { classes.classOf }
    /// Largest travel time between request locations (for noise and normalisation).
    let maxTravel: Int

    init(instance: DispatchInstance, seed: UInt64, penalty: Int?) {
        self.instance = instance
        finder = InsertionFinder(instance: instance)
        cache = Array(repeating: (0, 0, nil), count: instance.requestCount * instance.vehicleCount)
        rng = SeededGenerator(seed: seed)
        classes = VehicleClasses(instance: instance)
        let n = instance.requestCount
        var largest = 1
        for u in 0..<(2 * n) {
            for v in 0..<(2 * n) where u != v { largest = max(largest, instance.time(u, v)) }
            if u > 400 { break }
        }
        maxTravel = largest
        // Larger than any cost a plan can save by dropping requests (ALGORITHMS.md §2.4).
        self.penalty = penalty ?? instance.unservedPenalty
    }

    /// Best insertion of request r into route k, remembered with the route's stamp (`r * K + k`).
    private var cache: [(serial: UInt64, version: UInt64, insertion: Insertion?)]
    /// Cache statistics.
    private(set) var cacheHits = 0, cacheMisses = 0

    /// The cheapest feasible insertion of `r` into `route`, from the cache when the route has not
    /// changed since it was last computed.
    func bestInsertion(request r: Int, into route: RouteState) -> Insertion? {
        let slot = r &* instance.vehicleCount &+ route.vehicle
        let stamp = route.stamp
        let entry = cache[slot]
        if entry.serial == stamp.serial && entry.version == stamp.version {
            cacheHits &+= 1
            return entry.insertion
        }
        cacheMisses &+= 1
        let insertion = finder.best(request: r, in: route)
        cache[slot] = (stamp.serial, stamp.version, insertion)
        return insertion
    }

    /// Routes worth trying for an insertion: every non-empty route and the first empty route of each vehicle class.
    func candidateRoutes(_ solution: Solution, into list: inout [Int]) {
        list.removeAll(keepingCapacity: true)
        var seenEmpty: [Int] = []
        for k in 0..<solution.routes.count {
            if solution.routes[k].isEmpty {
                let c = vehicleClass[k]
                if seenEmpty.contains(c) { continue }
                seenEmpty.append(c)
            }
            list.append(k)
        }
    }
}
