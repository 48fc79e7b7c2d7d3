import RideRequestStore
import RoadNetwork

/// A validated booking (the `POST /v1/bookings` body, or one the demo makes).
public struct BookingRequest: Sendable {
    public var passengerRef: String
    public var municipality: Int
    public var municipalityID: String
    public var pickup: BookingPlace
    public var dropoff: BookingPlace
    public var date: ServiceDate
    public var timeKind: RequestedTimeKind
    public var requestedTime: Int
    public var partySize: Int
    public var wheelchairs: Int
    public var notes: String
    public var concession: Concession?
    public var channel: BookingChannel

    public init(passengerRef: String, municipality: Int, municipalityID: String, pickup: BookingPlace, dropoff: BookingPlace, date: ServiceDate,
                timeKind: RequestedTimeKind, requestedTime: Int, partySize: Int, wheelchairs: Int, notes: String,
                concession: Concession? = nil, channel: BookingChannel = .app) {
        self.passengerRef = passengerRef
        self.municipality = municipality
        self.municipalityID = municipalityID
        self.pickup = pickup
        self.dropoff = dropoff
        self.date = date
        self.timeKind = timeKind
        self.requestedTime = requestedTime
        self.partySize = partySize
        self.wheelchairs = wheelchairs
        self.notes = notes
        self.concession = concession
        self.channel = channel
    }
}
