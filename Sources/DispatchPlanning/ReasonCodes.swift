import DispatchCore

/// The one vocabulary of reasons (README, "Reasons"): booking rejections, unserved bookings in
/// plans and broken promises name the same situation with the same code.
public enum ReasonCodes {
    /// Why a booking is rejected or a request is left out of a plan (`UnservedReason`).
    public static let unserved: [String] = UnservedReason.allCases.map(\.rawValue)
    /// Plan-only codes for bookings that are not in the plan for what happened to them.
    public static let planOnly: [String] = [placeUnreachable, "rejected_at_booking", "cancelled", "completed", "no_show"]
    /// Codes of broken promises that only a promise can have.
    public static let brokenPromiseOnly: [String] = ["vehicle_withdrawn", "route_no_longer_fits", "outside_window"]

    /// Every code a plan's `unserved[].reason` may hold.
    public static var planUnserved: [String] { unserved + planOnly }
    /// Every code a plan's `broken_promises[].reason` may hold.
    public static var brokenPromise: [String] {
        [UnservedReason.noOpenRoad, .crossBorderNotAllowed, .noCapacityLeft].map(\.rawValue) + brokenPromiseOnly
    }

    /// A booking's place is off every road open on its date, or no longer a stop of the zone.
    public static let placeUnreachable = "place_unreachable"
}
