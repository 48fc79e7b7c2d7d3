/// What changed for passengers between two plan versions of a date: the call list operators
/// phone through after a re-plan (`PlanDiff`; the `changes` section of a plan document and
/// `dispatch plan diff`).
public struct PlanChanges: Codable, Sendable, Equatable {
    /// The version compared against.
    public var fromVersion: Int
    /// Pickups that moved by more than this many minutes are listed.
    public var thresholdMinutes: Int
    /// One entry per booking, the most serious change first (see `Entry.Kind`), then by time.
    public var entries: [Entry]

    public init(fromVersion: Int, thresholdMinutes: Int, entries: [Entry]) {
        self.fromVersion = fromVersion
        self.thresholdMinutes = thresholdMinutes
        self.entries = entries
    }

    /// A booking whose passenger must hear of the new plan.
    public struct Entry: Codable, Sendable, Equatable {
        /// What changed, most serious first: a promise the new plan breaks, a ride no longer
        /// served, another vehicle, another pickup time, a ride served after all.
        public enum Kind: String, Codable, Sendable, CaseIterable, Comparable {
            case brokenPromise = "broken_promise", newlyUnserved = "newly_unserved", movedVehicle = "moved_vehicle"
            case pickupMoved = "pickup_moved", newlyServed = "newly_served"

            public static func < (a: Kind, b: Kind) -> Bool {
                allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
            }
        }

        public var bookingId: String
        public var passengerRef: String
        /// The resident's municipality (id; "" when the booking is not in the store any more).
        public var municipality: String
        public var kind: Kind
        /// Vehicle ids (not duties: a vehicle's second shift is the same vehicle); nil where the
        /// booking is not served in that version.
        public var oldVehicle: String?
        public var newVehicle: String?
        /// Planned pickup times, "HH:MM:SS".
        public var oldPickup: String?
        public var newPickup: String?
        /// New minus old pickup time, minutes (positive: later), where both versions serve it.
        public var minutesMoved: Double?
        /// The unserved reason (`newly_unserved`) or the broken promise's reason (`broken_promise`).
        public var reason: String?
        /// What to tell the passenger, for the operator.
        public var message: String

        public init(bookingId: String, passengerRef: String, municipality: String, kind: Kind, oldVehicle: String?, newVehicle: String?,
                    oldPickup: String?, newPickup: String?, minutesMoved: Double?, reason: String?, message: String) {
            self.bookingId = bookingId
            self.passengerRef = passengerRef
            self.municipality = municipality
            self.kind = kind
            self.oldVehicle = oldVehicle
            self.newVehicle = newVehicle
            self.oldPickup = oldPickup
            self.newPickup = newPickup
            self.minutesMoved = minutesMoved
            self.reason = reason
            self.message = message
        }

        enum CodingKeys: String, CodingKey {
            case bookingId = "booking_id", passengerRef = "passenger_ref", municipality, kind, oldVehicle = "old_vehicle"
            case newVehicle = "new_vehicle", oldPickup = "old_pickup", newPickup = "new_pickup", minutesMoved = "minutes_moved", reason, message
        }
    }

    enum CodingKeys: String, CodingKey {
        case fromVersion = "from_version", thresholdMinutes = "threshold_minutes", entries
    }
}
