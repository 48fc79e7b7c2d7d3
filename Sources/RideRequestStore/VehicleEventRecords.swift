/// What a vehicle reports during its day (`POST /v1/vehicles/{id}/events`).
public enum VehicleEventType: String, Sendable, Codable, CaseIterable {
    case departed, arrived
    case pickedUp = "picked_up"
    case droppedOff = "dropped_off"
    case noShow = "no_show"
    case position
    case breakStarted = "break_started"
    case breakEnded = "break_ended"

    /// Whether the event concerns one booking (and names it).
    public var needsBooking: Bool { bookingChange != nil }

    /// The booking status the event requires and the one it leads to: picked_up moves a scheduled
    /// booking on board, dropped_off completes a booking on board, no_show closes a scheduled one.
    public var bookingChange: (from: BookingStatus, to: BookingStatus)? {
        switch self {
        case .pickedUp: (.scheduled, .onBoard)
        case .droppedOff: (.onBoard, .completed)
        case .noShow: (.scheduled, .noShow)
        case .departed, .arrived, .position, .breakStarted, .breakEnded: nil
        }
    }
}

/// One vehicle event as stored. `at` is the instant (milliseconds since 1970, UTC);
/// `localSeconds` the same instant as seconds after local midnight of `serviceDate` (the
/// planner's clock).
public struct VehicleEventRecord: Sendable, Equatable {
    /// The client's id of the event (unique: sending it again replays the first answer).
    public var eventID: String
    /// The zone's vehicle (not a duty id: `v`, not `v#2`).
    public var vehicleID: String
    /// YYYY-MM-DD.
    public var serviceDate: String
    public var at: Int64
    public var localSeconds: Int
    public var type: VehicleEventType
    public var bookingID: String?
    /// The stop or place of an `arrived` or `departed` event, if given.
    public var stopID: String?
    public var latitude: Double?
    public var longitude: Double?
    /// The status the event left its booking in (set by the store when it records the event).
    public var bookingStatus: BookingStatus?
    /// The API key that reported it.
    public var recordedBy: String
    public var recordedAt: Int64

    public init(eventID: String, vehicleID: String, serviceDate: String, at: Int64, localSeconds: Int, type: VehicleEventType,
                bookingID: String? = nil, stopID: String? = nil, latitude: Double? = nil, longitude: Double? = nil,
                bookingStatus: BookingStatus? = nil, recordedBy: String, recordedAt: Int64) {
        self.eventID = eventID
        self.vehicleID = vehicleID
        self.serviceDate = serviceDate
        self.at = at
        self.localSeconds = localSeconds
        self.type = type
        self.bookingID = bookingID
        self.stopID = stopID
        self.latitude = latitude
        self.longitude = longitude
        self.bookingStatus = bookingStatus
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// What happened to a vehicle event.
public enum VehicleEventWrite: Sendable, Equatable {
    /// Stored (with its booking's status change, in the same transaction).
    case recorded(VehicleEventRecord)
    /// An event with this id and the same request was stored before: here it is.
    case replayed(VehicleEventRecord)
    /// An event with this id but another request was stored before: nothing was stored.
    case conflict(VehicleEventRecord)
}
