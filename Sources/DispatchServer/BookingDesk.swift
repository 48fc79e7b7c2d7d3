import DispatchCore
import DispatchPlanning
import Foundation
import HTTPTypes
import Logging
import RideRequestStore
import RoadNetwork

/// The day's tentative plans, kept in memory, and the immediate answer to a booking: the cheapest
/// feasible insertion into the current routes (exact feasibility, `InsertionFinder`), or a
/// rejection with the reason and nearby times that would fit.
///
/// Consistency: an answer claims the date's next store revision and, when accepted, reserves its
/// place in the day's routes in one step, before the store write is awaited; so answers are made
/// in the order of their revisions, and the route each insert writes (`DayRoute`) holds every
/// earlier answer. A failed or replayed write takes the reservation back (removing stops never
/// breaks a route: triangle inequality). A day is loaded from the store's routes of the date.
actor BookingDesk {
    let zone: ServiceZone
    let store: any RideRequestStore
    let policy: BookingPolicy
    let logger = Logger(label: "dispatch.desk")

    typealias Stop = DayRoute.Stop

    final class Day: @unchecked Sendable {
        let network: DayNetwork
        /// Distinguishes a reloaded day from the one it replaced.
        let generation: Int
        var bookings: [String: DayBooking] = [:]
        /// Active booking ids in creation order.
        var order: [String] = []
        /// Per vehicle of the zone.
        var routes: [[Stop]]
        /// The store's revision of the date that this state reflects, and this desk's inserts of
        /// the date not yet committed (each will raise the revision by one).
        var revision: Int64 = 0
        var inFlight = 0
        /// Another instance or process changed the date: reload before the next answer.
        var stale = false
        /// Active bookings of the date that cannot be placed on its network (logged; plans list them).
        var unplaceable: [String] = []
        init(network: DayNetwork, vehicles: Int, generation: Int) {
            self.network = network
            self.generation = generation
            routes = Array(repeating: [], count: vehicles)
        }
    }

    private var days: [ServiceDate: Day] = [:]
    private var loading: [ServiceDate: Task<Day, any Error>] = [:]
    private var generations = 0
    /// Dates in the order they were last used; the least recently used beyond `maxDays` (with no
    /// insert in flight) are dropped and loaded again from the store when asked for.
    private var recent: [ServiceDate] = []
    let maxDays: Int

    init(zone: ServiceZone, store: any RideRequestStore, policy: BookingPolicy = BookingPolicy(), maxDays: Int = 32) {
        self.zone = zone
        self.store = store
        self.policy = policy
        self.maxDays = maxDays
    }

    /// Dates held in memory (for tests and metrics).
    var daysInMemory: Int { days.count }

    private func touch(_ date: ServiceDate) {
        if recent.last != date {
            recent.removeAll { $0 == date }
            recent.append(date)
        }
        var i = 0
        while days.count > maxDays, i < recent.count {
            let old = recent[i]
            if old != date, let day = days[old], day.inFlight == 0 {
                days[old] = nil
                recent.remove(at: i)
            } else {
                i += 1
            }
        }
    }

    enum Answer: Sendable {
        /// `route`: the vehicle's route with the booking, to store with it.
        case accepted(promise: TimeWindow, vehicle: String, route: DayRoute)
        case rejected(reason: UnservedReason, alternatives: [Int])
    }

    /// The store revision an answer's insert must find, and the day state it was made on.
    struct Claimed: Sendable {
        var expectedRevision: Int64
        var generation: Int
    }

    /// After an insert: committed ones raise the desk's revision; others take their reservation
    /// back; a stale one marks the date for reload.
    func settle(_ id: String, date: ServiceDate, generation: Int, write: BookingWrite?) {
        guard let day = days[date], day.generation == generation else { return }
        day.inFlight = max(0, day.inFlight - 1)
        switch write {
        case .created?: day.revision += 1
        case .stale?: day.stale = true; release(id, date: date)
        default: release(id, date: date)
        }
    }

    /// The date changed in the store outside this desk's answers (a rejected booking stored
    /// without a claimed revision, a saved plan): the next answer reloads the day.
    func invalidate(_ date: ServiceDate) { days[date]?.stale = true }

    /// A booking of the date was cancelled through this desk.
    func cancelled(_ id: String, date: ServiceDate) {
        release(id, date: date)
        days[date]?.revision += 1
    }

    /// An internal inconsistency: logged, answered 503 (never disguised as a rejection reason).
    /// - Parameter log: the request's logger (its lines carry the request id), else the desk's.
    private func inconsistency(_ message: String, log: Logger? = nil) -> APIError {
        (log ?? logger).error("booking desk inconsistency: \(message)")
        return APIError(.serviceUnavailable, "internal_inconsistency", "the booking could not be answered because of an internal inconsistency; it has been logged, try again")
    }

    // MARK: Loading a day

    func day(_ date: ServiceDate) async throws -> Day {
        touch(date)
        if let day = days[date] {
            guard day.stale else { return day }
            // Wait for this desk's own inserts of the date to settle, then reload from the store.
            var waited = 0
            while let current = days[date], current.stale, current.inFlight > 0, waited < 2_000 {
                try await Task.sleep(for: .milliseconds(1))
                waited += 1
            }
            if let current = days[date], !current.stale { return current }
            days[date] = nil
        }
        if let task = loading[date] { return try await task.value }
        generations += 1
        let generation = generations
        let task = Task { try await self.load(date, generation: generation) }
        loading[date] = task
        defer { loading[date] = nil }
        let day = try await task.value
        days[date] = day
        touch(date)
        return day
    }

    /// The active bookings of the date from the store, placed along the date's stored routes
    /// (`DayStart`: what no longer fits is inserted again at its cheapest place). A booking that
    /// cannot be placed is logged; the plans of the date list it as a broken promise.
    private func load(_ date: ServiceDate, generation: Int) async throws -> Day {
        let day = Day(network: zone.network(on: date), vehicles: zone.fleet(on: date).count, generation: generation)
        // The revision first: a booking committed between the reads makes the next insert
        // stale (and reloads), never the other way round.
        day.revision = try await store.dayRevision(serviceDate: date.description)
        let records = try await store.bookings(serviceDate: date.description, municipality: nil, createdBy: nil).filter { $0.status.isActive }
        for record in records {
            do {
                let booking = try DayLoading.dayBooking(record, zone: zone, network: day.network)
                day.bookings[record.id] = booking
                day.order.append(record.id)
            } catch {
                day.unplaceable.append(record.id)
                // The error may carry a door-to-door coordinate (personal data): only the booking is named.
                logger.warning("booking \(record.id) of \(date) cannot be placed on the day's network (no open road near its pickup or drop-off) and keeps no place")
            }
        }
        // No vehicle works that day (closing day, days off, out of service): nothing to place.
        if day.routes.isEmpty { return day }
        var routes = try await store.dayRoutes(serviceDate: date.description)
        if routes.isEmpty, let latest = try await DayLoading.latestDocument(store: store, date: date) { routes = DayStart.routes(of: latest) }
        let built: Built
        do {
            built = try instance(day, extra: [])
        } catch {
            throw inconsistency("the bookings of \(date) do not make a day instance: \(error)")
        }
        for (id, reason) in built.day.excluded {
            logger.warning("booking \(id) of \(date) cannot be served on the day as it is now: \(reason.explanation)")
        }
        let start = DayStart.plan(routes: routes, on: built.day)
        for (r, displacement) in start.displaced.sorted(by: { $0.key < $1.key }) {
            logger.warning("booking \(built.day.bookingIDs[r]) of \(date) has no place in the day's routes: \(displacement.change)")
        }
        day.routes = DayStart.routes(of: start.plan, on: built.day).map(\.stops)
        return day
    }

    // MARK: Instances

    struct Built {
        var day: DayInstance
    }

    /// The day's active bookings plus `extra` as an instance.
    private func instance(_ day: Day, extra: [DayBooking]) throws -> Built {
        let bookings = day.order.compactMap { day.bookings[$0] } + extra
        return Built(day: try DayModel.build(name: "day-\(day.network.date)", zone: zone, day: day.network, bookings: bookings, policy: policy))
    }

    private func nodes(_ route: [Stop], in day: DayInstance) -> [Int32] {
        route.compactMap { stop in day.request(of: stop.bookingID).map { Int32($0 + (stop.pickup ? 0 : day.instance.requestCount)) } }
    }

    /// The day's routes on `built`, one route state per vehicle.
    private func states(_ day: Day, built: Built) -> [RouteState] {
        let instance = built.day.instance
        return day.routes.indices.map { RouteState(vehicle: $0, stops: nodes(day.routes[$0], in: built.day), instance: instance) }
    }

    /// The cheapest feasible insertion of request `r` over all vehicles: vehicle and new stops.
    private func bestInsertion(_ r: Int, states: [RouteState], built: Built, finder: InsertionFinder) -> (Int, [Stop])? {
        let instance = built.day.instance
        var best: (delta: Int, vehicle: Int, stops: [Int32])?
        for k in 0..<instance.vehicleCount where instance.isCompatible(request: r, vehicle: k) {
            if let insertion = finder.best(request: r, in: states[k]), best == nil || insertion.delta < best!.delta {
                best = (insertion.delta, k, insertion.apply(to: states[k].stops, instance: instance))
            }
        }
        guard let best else { return nil }
        let stops = best.stops.map { node -> Stop in
            let q = instance.request(ofNode: Int(node))!
            return Stop(bookingID: built.day.bookingIDs[q], pickup: instance.isPickup(Int(node)))
        }
        return (best.vehicle, stops)
    }

    // MARK: Booking

    /// What the office stores for an answer, made inside the desk's step.
    struct Prepared: Sendable {
        var insert: BookingInsert
        var responseBody: [UInt8]
    }

    /// Claims the date's next revision, answers the booking (reserving its place when accepted),
    /// lets `prepare` make the insert for that answer and revision, and queues it on `writer` —
    /// all in one step, so inserts are queued in the order of their revisions. Call `settle` with
    /// the store's answer to the insert.
    func answer(_ candidate: DayBooking, date: ServiceDate, writer: BookingWriter, log: Logger? = nil,
                prepare: @Sendable (Answer, Int64) -> Prepared) async throws -> (Claimed, Prepared, WritePromise) {
        let day = try await self.day(date)
        // From here to the return nothing suspends: the claim, the reservation and the queueing are one step.
        let expected = day.revision + Int64(day.inFlight)
        let answer = try self.answer(candidate, day: day, log: log)
        day.inFlight += 1
        let prepared = prepare(answer, expected)
        let promise = writer.enqueue(prepared.insert)
        return (Claimed(expectedRevision: expected, generation: day.generation), prepared, promise)
    }

    private func answer(_ candidate: DayBooking, day: Day, log: Logger?) throws -> Answer {
        // No vehicle works that day.
        if day.routes.isEmpty { return .rejected(reason: .noCapacityLeft, alternatives: []) }
        // Nearby times are tried in the same instance as extra requests (never reserved).
        let shifts = [-1_800, 1_800, -3_600, 3_600]
        let hours = zone.serviceHours[candidate.municipality]
        let alternatives = shifts.compactMap { shift -> DayBooking? in
            let t = candidate.requestedTime + shift
            guard hours.contains(t) else { return nil }
            var alt = candidate
            alt.id = "\(candidate.id)~\(shift)"
            alt.requestedTime = t
            return alt
        }
        let built: Built
        do {
            built = try instance(day, extra: [candidate] + alternatives)
        } catch {
            throw inconsistency("booking \(candidate.id) and the day's bookings do not make an instance: \(error)", log: log)
        }
        guard let r = built.day.request(of: candidate.id) else {
            guard let reason = built.day.excluded.first(where: { $0.id == candidate.id })?.reason else {
                throw inconsistency("booking \(candidate.id) is neither in the day's instance nor left out of it", log: log)
            }
            return .rejected(reason: reason, alternatives: [])
        }
        // One route state per vehicle and one finder for the booking and its nearby times.
        let states = states(day, built: built)
        let finder = InsertionFinder(instance: built.day.instance)
        if let (k, stops) = bestInsertion(r, states: states, built: built, finder: finder) {
            let instance = built.day.instance
            let evaluator = RouteEvaluator(instance: instance)
            guard let schedule = evaluator.schedule(vehicle: k, stops: nodes(stops, in: built.day)),
                  let pickup = schedule.stops.first(where: { $0.node == r }) else {
                throw inconsistency("the insertion found for booking \(candidate.id) has no schedule", log: log)
            }
            let promise = policy.promise(plannedPickup: pickup.serviceStart, within: instance.window(r))
            var booked = candidate
            booked.promised = promise
            day.bookings[candidate.id] = booked
            day.order.append(candidate.id)
            day.routes[k] = stops
            let vehicle = instance.vehicles[k].id
            return .accepted(promise: promise, vehicle: vehicle, route: DayRoute(vehicleID: vehicle, stops: stops))
        }
        let reason = UnservedDiagnosis.reason(request: r, instance: built.day.instance, evaluator: RouteEvaluator(instance: built.day.instance))
        var fitting: [Int] = []
        if reason == .noCapacityLeft || reason == .timeWindowUnreachable {
            for alt in alternatives where fitting.count < 2 {
                if let q = built.day.request(of: alt.id), bestInsertion(q, states: states, built: built, finder: finder) != nil {
                    fitting.append(alt.requestedTime)
                }
            }
        }
        return .rejected(reason: reason, alternatives: fitting.sorted())
    }

    /// Takes a booking out of the day (cancelled, or its store write did not happen).
    func release(_ id: String, date: ServiceDate) {
        guard let day = days[date] else { return }
        day.bookings[id] = nil
        day.order.removeAll { $0 == id }
        for k in day.routes.indices { day.routes[k].removeAll { $0.bookingID == id } }
    }
}
