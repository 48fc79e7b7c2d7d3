import DispatchCore
import RoadNetwork

/// How requested times become time windows. The values are the service's promises to residents,
/// so they are one documented policy rather than numbers spread over the code.
public struct BookingPolicy: Sendable, Hashable {
    /// A requested pickup time T gives the pickup window [T − early, T + late].
    public var pickupEarly = 600
    public var pickupLate = 1_200
    /// A latest arrival T gives the drop-off window [T − arrivalWindow, T].
    public var arrivalWindow = 1_800
    /// Width of the pickup window promised at acceptance (it contains the planned pickup).
    public var promiseWidth = 1_200
    /// Boarding and alighting, seconds; wheelchair users need the ramp.
    public var boarding = 60
    public var wheelchairBoarding = 180
    /// Longest ride: factor × direct ride + allowance (seconds).
    public var rideFactor = 1.5
    public var rideAllowance = 900

    public init() {}

    /// The promised pickup window around a planned pickup `s` inside `window`: `promiseWidth` wide
    /// (or the whole window when narrower), centred on s where the window allows, always containing s.
    public func promise(plannedPickup s: Int, within window: TimeWindow) -> TimeWindow {
        let width = min(promiseWidth, window.latest - window.earliest)
        let start = max(window.earliest, min(s - width / 2, window.latest - width))
        return TimeWindow(earliest: start, latest: start + width)
    }
}

/// A booking placed on the day's network.
public struct DayBooking: Sendable, Hashable {
    public enum TimeKind: String, Sendable, Hashable { case pickup, arrival }

    public var id: String
    /// The resident's municipality (zone index).
    public var municipality: Int
    /// Locations of the day network.
    public var pickup: Int
    public var dropoff: Int
    public var timeKind: TimeKind
    /// Seconds after midnight.
    public var requestedTime: Int
    public var load: Load
    /// The pickup window promised at acceptance, which every later plan must keep.
    public var promised: TimeWindow?
    /// Only this vehicle (zone index) may serve it: a passenger on board, or a pinned assignment.
    public var onlyVehicle: Int?
    /// Already on board when re-planning: "picked up" at the vehicle's position at `promised`,
    /// without boarding time or ride limit.
    public var onBoard = false
    /// On board: the latest drop-off that keeps the ride limit counted from the real pickup.
    public var rideDeadline: Int?

    public init(id: String, municipality: Int, pickup: Int, dropoff: Int, timeKind: TimeKind, requestedTime: Int, load: Load,
                promised: TimeWindow? = nil) {
        self.id = id
        self.municipality = municipality
        self.pickup = pickup
        self.dropoff = dropoff
        self.timeKind = timeKind
        self.requestedTime = requestedTime
        self.load = load
        self.promised = promised
    }
}

/// A day's bookings as a dial-a-ride instance on the day's network and the zone's fleet.
public struct DayInstance: Sendable {
    public let instance: DispatchInstance
    /// Request index → booking id.
    public let bookingIDs: [String]
    /// Bookings no plan can serve (they would make the instance invalid), with the reason.
    public let excluded: [(id: String, reason: UnservedReason)]
    /// Instance location → location of the day network (the instance keeps only the places used).
    public let locations: [Int]
    private let requestIndex: [String: Int]

    init(instance: DispatchInstance, bookingIDs: [String], excluded: [(id: String, reason: UnservedReason)], locations: [Int]) {
        self.instance = instance
        self.bookingIDs = bookingIDs
        self.excluded = excluded
        self.locations = locations
        var index: [String: Int] = [:]
        index.reserveCapacity(bookingIDs.count)
        for (r, id) in bookingIDs.enumerated() { index[id] = r }
        requestIndex = index
    }

    /// Request index of a booking id.
    /// - Complexity: O(1).
    public func request(of id: String) -> Int? { requestIndex[id] }
}

/// Why a day cannot be modelled at all.
public enum DayModelError: Error, Sendable, Equatable, CustomStringConvertible {
    case noVehicleWorks(date: ServiceDate, why: String?)

    public var description: String {
        switch self {
        case let .noVehicleWorks(date, why): return "no vehicle works on \(date)" + (why.map { " (\($0))" } ?? " (every vehicle is off or out of service)")
        }
    }
}

public enum DayModel {
    /// The pickup and drop-off windows a booking asks for under `policy`.
    public static func windows(of b: DayBooking, policy: BookingPolicy) -> (pickup: TimeWindow?, dropoff: TimeWindow?) {
        switch b.timeKind {
        case .pickup:
            return (b.promised ?? TimeWindow(earliest: max(0, b.requestedTime - policy.pickupEarly), latest: b.requestedTime + policy.pickupLate), nil)
        case .arrival:
            return (b.promised, TimeWindow(earliest: max(0, b.requestedTime - policy.arrivalWindow), latest: b.requestedTime))
        }
    }

    /// Municipality tokens above this one stand for "only vehicle k" (token = base + k).
    static let vehicleToken = 1_000_000

    public static func request(_ b: DayBooking, policy: BookingPolicy) -> RequestInput {
        var (pickupWindow, dropoffWindow) = windows(of: b, policy: policy)
        let service = b.load.wheelchairs > 0 ? policy.wheelchairBoarding : policy.boarding
        if b.onBoard {
            pickupWindow = b.promised
            if b.timeKind == .pickup { dropoffWindow = nil }
            if let deadline = b.rideDeadline {
                dropoffWindow = TimeWindow(earliest: dropoffWindow?.earliest ?? 0, latest: min(dropoffWindow?.latest ?? deadline, deadline))
            }
        }
        return RequestInput(id: b.id, pickupLocation: b.pickup, dropoffLocation: b.dropoff, pickupWindow: pickupWindow,
                            dropoffWindow: dropoffWindow, pickupServiceTime: b.onBoard ? 0 : service, dropoffServiceTime: service, load: b.load,
                            maxRideTime: b.onBoard ? .unlimited : .relative(alpha: policy.rideFactor, beta: policy.rideAllowance),
                            municipality: b.onlyVehicle.map { vehicleToken + $0 } ?? b.municipality)
    }

    /// Builds the instance; bookings that would make it invalid (no open road, a load no vehicle
    /// takes, …) are left out with their reason instead of failing the whole day.
    /// - Parameter fleet: the vehicles (default the zone's; re-planning moves their start).
    public static func build(name: String, zone: ServiceZone, day: DayNetwork, bookings: [DayBooking],
                             policy: BookingPolicy = BookingPolicy(), fleet: [VehicleInput]? = nil) throws -> DayInstance {
        // Only the places in use (depots and the bookings' stops): a day touches a few dozen of the
        // zone's points, and the instance copies and checks its matrix.
        let fleet = fleet ?? zone.fleet(on: day.date)
        guard !fleet.isEmpty else { throw DayModelError.noVehicleWorks(date: day.date, why: zone.calendar.closing(on: day.date).map { "the zone is closed: \($0)" }) }
        let full = day.travel()
        var index: [Int: Int] = [:]
        var used: [Int] = []
        func local(_ location: Int) -> Int {
            if let i = index[location] { return i }
            index[location] = used.count
            used.append(location)
            return used.count - 1
        }
        let vehicles = fleet.enumerated().map { k, v -> VehicleInput in
            var v = v
            v.startLocation = local(v.startLocation)
            v.endLocation = local(v.endLocation)
            // A vehicle also serves the bookings reserved for it.
            if bookings.contains(where: { $0.onlyVehicle == k }) { v.serves = (v.serves ?? []) + [vehicleToken + k] }
            return v
        }
        var requests = bookings.map { b -> RequestInput in
            var r = request(b, policy: policy)
            r.pickupLocation = local(r.pickupLocation)
            r.dropoffLocation = local(r.dropoffLocation)
            return r
        }
        var times = [Int32](repeating: 0, count: used.count * used.count)
        for (i, a) in used.enumerated() {
            for (j, b) in used.enumerated() { times[i * used.count + j] = Int32(truncatingIfNeeded: full[a, b]) }
        }
        let travel = TravelMatrix(count: used.count, times: times)
        var excludedIDs: [String] = [], reasons: [UnservedReason] = []
        while true {
            var builder = DispatchInstanceBuilder(name: name, timeScale: .seconds, travel: travel)
            for v in vehicles { builder.add(v) }
            for r in requests { builder.add(r) }
            let outcome = Result { try builder.build() }
            switch outcome {
            case .success(let instance):
                return DayInstance(instance: instance, bookingIDs: requests.map(\.id),
                                   excluded: zip(excludedIDs, reasons).map { (id: $0.0, reason: $0.1) }, locations: used)
            case .failure(let error):
                guard let named = error as? DispatchInstanceError, let found = culprit(of: named),
                      let i = requests.firstIndex(where: { $0.id == found.0 }) else { throw error }
                excludedIDs.append(found.0)
                reasons.append(found.1)
                requests.remove(at: i)
            }
        }
    }

    /// The booking an instance error names, and what it means for the booking.
    static func culprit(of error: DispatchInstanceError) -> (String, UnservedReason)? {
        switch error {
        case let .unreachable(request, _): return (request, .noOpenRoad)
        case let .loadAboveEveryVehicle(request, _): return (request, .noVehicleWithCapacity)
        case let .maxRideBelowDirect(request, _, _): return (request, .maxRideTimeImpossible)
        case let .timeWindowEndsBeforeStart(request, _, _): return (request, .timeWindowUnreachable)
        case let .samePickupAndDropoff(request): return (request, .timeWindowUnreachable)
        default: return nil
        }
    }
}
