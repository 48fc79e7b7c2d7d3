import DispatchCore
import DispatchWire
import RideRequestStore
import RoadNetwork

/// Re-planning during the day (`dispatch plan --now HH:MM [--pin]`): what the latest plan did
/// before `now` is fixed; passengers on board stay with their vehicle; each vehicle starts from
/// its last stop (or its depot) no earlier than `now`; the rest is optimized again.
public enum Replanning {
    public struct Options: Sendable {
        /// Seconds after midnight.
        public var now: Int
        /// Keep bookings on the vehicle the latest plan gave them (announced to residents),
        /// unless that vehicle can no longer serve them.
        public var pin: Bool
        /// What vehicles reported during the day (`POST /v1/vehicles/{id}/events`), in time order.
        /// A vehicle with events is placed by them; one without by the clock and the plan.
        public var events: [ObservedEvent]

        public init(now: Int, pin: Bool, events: [ObservedEvent] = []) {
            self.now = now
            self.pin = pin
            self.events = events
        }
    }

    /// One reported event as the planner needs it.
    public struct ObservedEvent: Sendable, Equatable {
        public enum Kind: String, Sendable {
            case departed, arrived, pickedUp = "picked_up", droppedOff = "dropped_off", noShow = "no_show", position
            case breakStarted = "break_started", breakEnded = "break_ended"
        }

        /// The vehicle's id (not a duty's).
        public var vehicleID: String
        /// Seconds after midnight of the service date, zone time.
        public var seconds: Int
        public var kind: Kind
        public var bookingID: String?
        /// A stop of the zone (arrived, departed), if reported.
        public var stopID: String?
        public var coordinate: Coordinate?

        /// A stored event (nil for a type the planner does not know).
        public init?(record: VehicleEventRecord) {
            guard let kind = Kind(rawValue: record.type.rawValue) else { return nil }
            let coordinate = record.latitude.flatMap { lat in record.longitude.map { Coordinate(latitude: lat, longitude: $0) } }
            self.init(vehicleID: record.vehicleID, seconds: record.localSeconds, kind: kind, bookingID: record.bookingID, stopID: record.stopID,
                      coordinate: coordinate)
        }

        public init(vehicleID: String, seconds: Int, kind: Kind, bookingID: String? = nil, stopID: String? = nil, coordinate: Coordinate? = nil) {
            self.vehicleID = vehicleID
            self.seconds = seconds
            self.kind = kind
            self.bookingID = bookingID
            self.stopID = stopID
            self.coordinate = coordinate
        }
    }

    /// What the events of one duty say: the stops done (in the order they happened, with the
    /// times they happened), the no-shows, and where and when the vehicle was last seen.
    struct Observed {
        var done: [DayPlanDocument.Stop] = []
        var noShows: Set<String> = []
        var lastSeen: (place: String, seconds: Int, afterService: Bool)?
        var departed: Int?
    }

    /// Replays a duty's events against its route in the latest plan.
    static func observe(_ events: [ObservedEvent], route: DayPlanDocument.VehicleRoute, records: [String: BookingRecord]) -> Observed {
        var seen = Observed()
        let stops = Dictionary(route.stops.map { ("\($0.bookingId)|\($0.action)", $0) }, uniquingKeysWith: { a, _ in a })
        var seats = 0, wheelchairs = 0
        for e in events {
            switch e.kind {
            case .pickedUp, .droppedOff:
                // The stop of the plan; or, for a booking that left the routes since (completed,
                // no longer active), the place the booking names.
                let action = e.kind == .pickedUp ? "pickup" : "dropoff"
                guard let id = e.bookingID else { continue }
                let record = records[id]
                guard let place = stops["\(id)|\(action)"]?.place ?? record.map({ r in
                    let p = e.kind == .pickedUp ? r.pickup : r.dropoff
                    return p.stopID ?? "\(p.latitude ?? 0),\(p.longitude ?? 0)"
                }) else { continue }
                let party = record.map { ($0.partySize - $0.wheelchairs, $0.wheelchairs) } ?? (0, 0)
                seats = max(0, seats + (e.kind == .pickedUp ? party.0 : -party.0))
                wheelchairs = max(0, wheelchairs + (e.kind == .pickedUp ? party.1 : -party.1))
                seen.done.append(DayPlanDocument.Stop(bookingId: id, action: action, place: place, time: TimeText.clock(e.seconds),
                                                      seatsAfter: seats, wheelchairsAfter: wheelchairs, done: nil))
                seen.lastSeen = (place, e.seconds, true)
            case .noShow:
                if let id = e.bookingID {
                    seen.noShows.insert(id)
                    if let stop = stops["\(id)|pickup"] { seen.lastSeen = (stop.place, e.seconds, false) }
                }
            case .arrived, .departed:
                if e.kind == .departed, seen.departed == nil { seen.departed = e.seconds }
                if let stop = e.stopID { seen.lastSeen = (stop, e.seconds, false) }
            case .position:
                if let c = e.coordinate { seen.lastSeen = ("\(c.latitude),\(c.longitude)", e.seconds, false) }
            case .breakStarted, .breakEnded:
                continue
            }
        }
        return seen
    }

    /// The part of the latest plan fixed at `now`: what happened, and the stop each moving vehicle
    /// is driving to.
    public struct Past: Sendable {
        /// Done stops per vehicle id, in order.
        public var done: [String: [DayPlanDocument.Stop]]
        /// Departures of vehicles that had left before `now`.
        public var departures: [String: String]
        /// Bookings picked up and dropped off before `now`.
        public var completed: Set<String>
        /// Bookings on board at `now`, by vehicle index.
        public var onBoard: [String: Int]
        /// Drivers' rests already taken (ended by the restart), per duty id.
        public var breaks: [String: [DayPlanDocument.Break]] = [:]
        /// Bookings a driver reported as no-shows: off the routes, listed as unserved `no_show`.
        public var noShows: Set<String> = []
    }


    /// The re-planning instance, the plan to start from, and the fixed past.
    /// - Parameter unpinned: bookings not to pin (their vehicle cannot serve them any more).
    public static func prepare(loaded: DayLoading.LoadedDay, previous: DayPlanDocument?, options: Options, zone: ServiceZone,
                               policy: BookingPolicy = BookingPolicy(), unpinned: Set<String> = []) throws -> (day: DayInstance, start: Plan, past: Past, pinned: Set<String>) {
        let network = loaded.network
        let duties = zone.fleet(on: loaded.date)
        let vehicleIndex = Dictionary(uniqueKeysWithValues: duties.enumerated().map { ($1.id, $0) })
        var past = Past(done: [:], departures: [:], completed: [], onBoard: [:])
        var fleet = duties
        var assigned: [String: Int] = [:]
        var remaining: [String: [DayPlanDocument.Stop]] = [:]
        func location(_ place: String) -> Int? {
            if let i = zone.stopIndex[place] { return i }
            if let point = zone.points.firstIndex(where: { $0.id == place }) { return point }
            let parts = place.split(separator: ",").compactMap { Double($0) }
            guard parts.count == 2 else { return nil }
            return try? network.location(of: Coordinate(latitude: parts[0], longitude: parts[1]))
        }
        for (k, v) in duties.enumerated() { fleet[k].shift.earliest = min(max(v.shift.earliest, options.now), v.shift.latest) }
        let records = Dictionary(uniqueKeysWithValues: loaded.records.map { ($0.id, $0) })
        // Events per duty: those of a vehicle with one duty; of one with several, by the shift they
        // fall in (the last duty that has started by then).
        var eventsOfDuty: [String: [ObservedEvent]] = [:]
        let byVehicle = Dictionary(grouping: options.events, by: \.vehicleID)
        for (vehicle, events) in byVehicle {
            let own = duties.filter { ServiceZone.vehicleID(ofDuty: $0.id) == vehicle }
            for e in events.sorted(by: { $0.seconds < $1.seconds }) {
                guard let duty = own.last(where: { $0.shift.earliest <= e.seconds }) ?? own.first else { continue }
                eventsOfDuty[duty.id, default: []].append(e)
            }
        }
        for route in previous?.vehicles ?? [] {
            guard let k = vehicleIndex[route.id] else { continue }
            for stop in route.stops where stop.action == "pickup" { assigned[stop.bookingId] = k }
            let done: ArraySlice<DayPlanDocument.Stop>
            let last: (place: String, seconds: Int, afterService: Bool, bookingID: String?)?
            if let events = eventsOfDuty[route.id], !events.isEmpty {
                // What the vehicle reported: done stops as they happened, no-shows off the route,
                // the vehicle where it was last seen (a late vehicle pushes its later stops).
                let seen = observe(events, route: route, records: records)
                done = ArraySlice(seen.done)
                let doneKeys = Set(seen.done.map { "\($0.bookingId)|\($0.action)" })
                past.done[route.id] = seen.done
                remaining[route.id] = route.stops.filter { !doneKeys.contains("\($0.bookingId)|\($0.action)") && !seen.noShows.contains($0.bookingId) }
                past.noShows.formUnion(seen.noShows)
                if let departed = seen.departed { past.departures[route.id] = TimeText.clock(departed) }
                last = seen.lastSeen.map { ($0.place, $0.seconds, $0.afterService, seen.done.last?.bookingId) }
            } else {
                // Nothing reported: stops planned before `now`, and the stop a vehicle that has left
                // is driving to (it is not diverted mid-leg), count as done.
                // Stops of bookings cancelled, rejected or no-shows since are not on the road.
                let live = route.stops.filter { stop in records[stop.bookingId].map { $0.status.isActive || $0.status == .completed } ?? false }
                var fixed = live.prefix { (TimeText.seconds(ofClock: $0.time) ?? 0) < options.now }.count
                if let departure = route.departure.flatMap { TimeText.seconds(ofClock: $0) }, departure < options.now, fixed < live.count { fixed += 1 }
                done = live.prefix(fixed)
                past.done[route.id] = Array(done)
                remaining[route.id] = Array(live.dropFirst(done.count))
                if !done.isEmpty, let departure = route.departure { past.departures[route.id] = departure }
                last = done.last.flatMap { stop in TimeText.seconds(ofClock: stop.time).map { (stop.place, $0, true, stop.bookingId) } }
            }
            let picked = Set(done.filter { $0.action == "pickup" }.map(\.bookingId))
            let dropped = Set(done.filter { $0.action == "dropoff" }.map(\.bookingId))
            past.completed.formUnion(picked.intersection(dropped))
            for id in picked.subtracting(dropped) { past.onBoard[id] = k }
            guard let last, let at = location(last.place) else { continue }
            let time = last.seconds
            let service = last.afterService ? ((last.bookingID.flatMap { records[$0] }?.wheelchairs ?? 0) > 0 ? policy.wheelchairBoarding : policy.boarding) : 0
            fleet[k].startLocation = at
            fleet[k].shift.earliest = min(max(options.now, time + service), fleet[k].shift.latest)
            // The driver's morning counts: the past legs and the plan's rests, replayed in time
            // order with the rule (rests of at least `minPart` add up; `rest` in all resets).
            if var rule = fleet[k].breaks {
                // Keys in half seconds: a leg just before its arrival, a rest taken after a stop
                // at its start (before the next leg), waiting at a stop at its end (after the leg).
                var events: [(key: Int, drive: Int, rest: Int)] = []
                var previous = fleet[k].endLocation
                for stop in done {
                    guard let at = location(stop.place), let t = TimeText.seconds(ofClock: stop.time) else { continue }
                    events.append((2 * t - 1, network.travel()[previous, at], 0))
                    previous = at
                }
                for b in route.breaks ?? [] {
                    guard let s = TimeText.seconds(ofClock: b.start), let e = TimeText.seconds(ofClock: b.end), e <= time else { continue }
                    events.append((b.waiting ? 2 * e : 2 * s, 0, e - s))
                    past.breaks[route.id, default: []].append(b)
                }
                var driven = 0, rested = 0
                for event in events.sorted(by: { $0.key < $1.key }) {
                    driven += event.drive
                    if event.rest >= rule.minPart { rested += event.rest }
                    if rested >= rule.rest { driven = 0; rested = 0 }
                }
                rule.drivenBeforeStart = min(driven, rule.maxDriving)
                fleet[k].breaks = rule
            }
        }

        // A duty whose shift is over (or ends before it can be back) keeps a valid, empty-ended
        // route: it returns late rather than vanishing (its remaining stops, if any, become broken
        // promises the plan reports).
        let travel = network.travel()
        for k in fleet.indices {
            let back = travel[fleet[k].startLocation, fleet[k].endLocation]
            if fleet[k].shift.latest - fleet[k].shift.earliest < back { fleet[k].shift.latest = fleet[k].shift.earliest + back }
        }

        var bookings: [DayBooking] = []
        var pinned = Set<String>()
        for record in loaded.records where record.status.isActive && !past.completed.contains(record.id) && !past.noShows.contains(record.id) {
            guard var b = try? DayLoading.dayBooking(record, zone: zone, network: network) else { continue }
            if let k = past.onBoard[record.id] {
                let start = fleet[k].shift.earliest
                guard b.dropoff != fleet[k].startLocation else { past.completed.insert(record.id); continue }
                // The ride limit counts from the real pickup: a passenger on board is not carried
                // round the valleys for hours. When it can no longer be kept (a late vehicle), the
                // drop-off must come within half an hour of the direct drive.
                let travel = network.travel()
                if let pickedAt = past.done.values.joined().first(where: { $0.bookingId == record.id && $0.action == "pickup" })
                    .flatMap({ TimeText.seconds(ofClock: $0.time) }) {
                    let limit = Int(policy.rideFactor * Double(travel[b.pickup, b.dropoff])) + policy.rideAllowance
                    let direct = start + travel[fleet[k].startLocation, b.dropoff]
                    b.rideDeadline = max(pickedAt + policy.boarding + limit, direct + 1_800)
                }
                b.pickup = fleet[k].startLocation
                b.promised = TimeWindow(earliest: start, latest: start)
                b.onlyVehicle = k
                b.onBoard = true
            } else if options.pin, !unpinned.contains(record.id), let k = assigned[record.id] {
                b.onlyVehicle = k
                pinned.insert(record.id)
            }
            bookings.append(b)
        }
        let day = try DayModel.build(name: "\(zone.file.name) \(loaded.date) from \(TimeText.clock(options.now))", zone: zone, day: network,
                                     bookings: bookings, policy: policy, fleet: fleet)
        // Start from what remains of the latest plan, with the passengers on board picked up first.
        var startDocument = previous ?? DayPlanDocument(date: loaded.date.description, version: nil, createdAt: "", solver: "", solverReason: "",
                                                         status: "", seconds: 0, vehicles: [], unserved: [],
                                                         summary: .init(bookings: 0, served: 0, vehiclesUsed: 0, drivingHours: 0), kpis: nil, accounting: nil)
        startDocument.vehicles = duties.map { v in
            let onBoard = past.onBoard.filter { $0.value == vehicleIndex[v.id] }.keys.sorted().map {
                DayPlanDocument.Stop(bookingId: $0, action: "pickup", place: "", time: "", seatsAfter: 0, wheelchairsAfter: 0, done: nil)
            }
            return DayPlanDocument.VehicleRoute(id: v.id, departure: nil, returnTime: nil, stops: onBoard + (remaining[v.id] ?? []))
        }
        return (day, DayLoading.plan(from: startDocument, on: day), past, pinned)
    }

    /// The document of the re-planned rest with the fixed past put back in front of each route
    /// (marked done), and the passengers' pickups in the past instead of the synthetic ones.
    public static func merge(_ document: inout DayPlanDocument, past: Past) {
        for i in document.vehicles.indices {
            let id = document.vehicles[i].id
            let done = (past.done[id] ?? []).map { stop -> DayPlanDocument.Stop in
                var s = stop
                s.done = true
                return s
            }
            let future = document.vehicles[i].stops.filter { !(past.onBoard[$0.bookingId] != nil && $0.action == "pickup") }
            document.vehicles[i].stops = done + future
            if let taken = past.breaks[id], !taken.isEmpty { document.vehicles[i].breaks = taken + (document.vehicles[i].breaks ?? []) }
            if !done.isEmpty, let departure = past.departures[id] { document.vehicles[i].departure = departure }
        }
    }
}
