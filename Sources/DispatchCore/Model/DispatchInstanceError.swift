/// Why a set of requests and vehicles is not a valid instance; every case names the culprit.
public enum DispatchInstanceError: Error, Equatable, Sendable, CustomStringConvertible {
    case noVehicles
    case duplicateID(kind: String, id: String)
    case locationOutOfRange(kind: String, id: String, location: Int, count: Int)
    case timeWindowEndsBeforeStart(request: String, stop: String, window: TimeWindow)
    case negativeServiceTime(request: String)
    case loadNotPositive(request: String)
    case loadAboveEveryVehicle(request: String, load: Load)
    case samePickupAndDropoff(request: String)
    case unreachable(request: String, detail: String)
    case maxRideBelowDirect(request: String, maxRide: Int, direct: Int)
    case shiftEndsBeforeStart(vehicle: String, shift: TimeWindow)
    case vehicleCapacityEmpty(vehicle: String)
    case vehicleDepotsUnreachable(vehicle: String)
    case routeDurationTooShort(vehicle: String, limit: Int, depotToDepot: Int)
    case invalidBreakRule(vehicle: String)

    public var description: String {
        switch self {
        case .noVehicles: return "The instance has no vehicles."
        case let .duplicateID(kind, id): return "Two \(kind)s have the id \(id)."
        case let .locationOutOfRange(kind, id, location, count):
            return "The \(kind) \(id) uses location \(location), but the travel matrix has \(count) locations."
        case let .timeWindowEndsBeforeStart(request, stop, window):
            return "Request \(request): the \(stop) time window ends (\(window.latest)) before it starts (\(window.earliest))."
        case let .negativeServiceTime(request): return "Request \(request) has a negative service time."
        case let .loadNotPositive(request): return "Request \(request) carries no passengers (load must be positive)."
        case let .loadAboveEveryVehicle(request, load): return "Request \(request) needs \(load), more than any vehicle holds."
        case let .samePickupAndDropoff(request): return "Request \(request) has the same pickup and drop-off location."
        case let .unreachable(request, detail): return "Request \(request): \(detail)."
        case let .maxRideBelowDirect(request, maxRide, direct):
            return "Request \(request): the maximum ride time (\(maxRide)) is below the direct travel time (\(direct))."
        case let .shiftEndsBeforeStart(vehicle, shift):
            return "Vehicle \(vehicle): the shift ends (\(shift.latest)) before it starts (\(shift.earliest))."
        case let .vehicleCapacityEmpty(vehicle): return "Vehicle \(vehicle) has no seat layout."
        case let .vehicleDepotsUnreachable(vehicle): return "Vehicle \(vehicle) cannot drive from its start depot to its end depot."
        case let .routeDurationTooShort(vehicle, limit, depotToDepot):
            return "Vehicle \(vehicle): the maximum route duration (\(limit)) is shorter than the drive from its start depot to its end depot (\(depotToDepot))."
        case let .invalidBreakRule(vehicle):
            return "Vehicle \(vehicle): the break rule needs positive times, a part no longer than the rest, and a rest shorter than the driving limit."
        }
    }
}
