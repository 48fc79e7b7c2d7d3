/// How long a passenger may stay on board: a fixed limit or MATSim's `α · direct + β`.
public enum MaxRideTime: Sendable, Hashable {
    /// At most this many ticks from leaving the pickup to the start of service at the drop-off.
    case absolute(Int)
    /// At most `alpha · direct travel time + beta` ticks (rounded down).
    case relative(alpha: Double, beta: Int)
    /// No limit beyond the time windows and the shift.
    case unlimited
}

/// A ride request as a caller states it: locations are indices into the instance's travel matrix.
public struct RequestInput: Sendable, Hashable {
    /// External id (booking id, or the node id of a benchmark file), used in messages and output.
    public var id: String
    public var pickupLocation: Int
    public var dropoffLocation: Int
    /// "Pick me up around 9:00" — nil when only the drop-off time matters.
    public var pickupWindow: TimeWindow?
    /// "I must be at the hospital by 10:00" — nil when only the pickup time matters.
    public var dropoffWindow: TimeWindow?
    public var pickupServiceTime: Int
    public var dropoffServiceTime: Int
    public var load: Load
    public var maxRideTime: MaxRideTime
    /// Municipality of residence (index into the caller's list), for service-area rules.
    public var municipality: Int?

    public init(id: String, pickupLocation: Int, dropoffLocation: Int, pickupWindow: TimeWindow? = nil,
                dropoffWindow: TimeWindow? = nil, pickupServiceTime: Int = 0, dropoffServiceTime: Int = 0,
                load: Load = Load(seats: 1), maxRideTime: MaxRideTime = .unlimited, municipality: Int? = nil) {
        self.id = id
        self.pickupLocation = pickupLocation
        self.dropoffLocation = dropoffLocation
        self.pickupWindow = pickupWindow
        self.dropoffWindow = dropoffWindow
        self.pickupServiceTime = pickupServiceTime
        self.dropoffServiceTime = dropoffServiceTime
        self.load = load
        self.maxRideTime = maxRideTime
        self.municipality = municipality
    }
}

/// A vehicle as a caller states it.
public struct VehicleInput: Sendable, Hashable {
    public var id: String
    public var startLocation: Int
    public var endLocation: Int
    /// Leave the start depot no earlier than `shift.earliest`, be back at the end depot by `shift.latest`.
    public var shift: TimeWindow
    public var capacity: Capacity
    /// Longest time from leaving the start depot to arriving at the end depot (nil: the shift).
    public var maxRouteDuration: Int?
    public var homeMunicipality: Int?
    /// Municipalities whose residents this vehicle may carry (nil: everyone).
    public var serves: [Int]?
    /// The driver's rest rule (nil: none).
    public var breaks: BreakRule?

    public init(id: String, startLocation: Int, endLocation: Int, shift: TimeWindow, capacity: Capacity,
                maxRouteDuration: Int? = nil, homeMunicipality: Int? = nil, serves: [Int]? = nil, breaks: BreakRule? = nil) {
        self.id = id
        self.startLocation = startLocation
        self.endLocation = endLocation
        self.shift = shift
        self.capacity = capacity
        self.maxRouteDuration = maxRouteDuration
        self.homeMunicipality = homeMunicipality
        self.serves = serves
        self.breaks = breaks
    }
}

/// Drivers' rest, in ticks: at most `maxDriving` of driving without interruptions that total at
/// least `rest`, each interruption at least `minPart` long and taken with nobody on board (the
/// Japanese standard for bus drivers: 4 h, 30 min, 10 min).
///
/// Waiting with an empty vehicle counts; where waiting is not enough the route evaluator adds a
/// rest of `rest` where the vehicle is, after the last stop that leaves it empty before the
/// limit (`RouteEvaluator`). Conservative: a route it accepts keeps the rule; it may refuse a
/// route that some other placement of rests would make legal.
public struct BreakRule: Sendable, Hashable {
    public var maxDriving: Int
    public var rest: Int
    public var minPart: Int
    /// Driving since the driver's last rest when the route starts (a re-plan restarts a vehicle
    /// on the road: its morning counts).
    public var drivenBeforeStart: Int

    public init(maxDriving: Int, rest: Int, minPart: Int, drivenBeforeStart: Int = 0) {
        self.maxDriving = maxDriving
        self.rest = rest
        self.minPart = minPart
        self.drivenBeforeStart = drivenBeforeStart
    }
}

/// A validated request inside an instance (windows as stated, limits resolved to ticks).
public struct Request: Sendable, Hashable {
    public let id: String
    public let pickupLocation: Int
    public let dropoffLocation: Int
    public let statedPickupWindow: TimeWindow?
    public let statedDropoffWindow: TimeWindow?
    public let load: Load
    /// Resolved limit in ticks (`Int.max / 4` when unlimited).
    public let maxRideTime: Int
    /// Direct travel time pickup → drop-off in ticks.
    public let directTime: Int
    public let municipality: Int?
}

/// A validated vehicle inside an instance.
public struct Vehicle: Sendable, Hashable {
    public let id: String
    public let startLocation: Int
    public let endLocation: Int
    public let shift: TimeWindow
    public let capacity: Capacity
    /// Resolved limit in ticks (the shift length when not stated).
    public let maxRouteDuration: Int
    public let homeMunicipality: Int?
    public let serves: [Int]?
    public let breaks: BreakRule?
}
