import DispatchCore
import DispatchPlanning
import Foundation
import RideRequestStore
import RoadNetwork

/// The day's tentative plans, kept in memory, and the immediate answer to a booking: the cheapest
/// feasible insertion into the current routes (exact feasibility, `InsertionFinder`), or a
/// rejection with the reason and nearby times that would fit.
///
/// Consistency: an answer is computed and, when accepted, reserved in the day's routes before
/// the store write is awaited, so a booking arriving meanwhile sees it; a failed or replayed
/// write takes the reservation back (removing stops never breaks a route: triangle inequality).
actor BookingDesk {
    let zone: ServiceZone
    let store: any RideRequestStore
    let policy: BookingPolicy

    /// A stop of a tentative route: booking id and whether it is the pickup.
    struct Stop: Sendable, Hashable {
        var id: String
        var pickup: Bool
    }

    final class Day: @unchecked Sendable {
        let network: DayNetwork
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
        init(network: DayNetwork, vehicles: Int) {
            self.network = network
            routes = Array(repeating: [], count: vehicles)
        }
    }

    private var days: [ServiceDate: Day] = [:]
    private var loading: [ServiceDate: Task<Day, any Error>] = [:]

    init(zone: ServiceZone, store: any RideRequestStore, policy: BookingPolicy = BookingPolicy()) {
        self.zone = zone
        self.store = store
        self.policy = policy
    }

    enum Answer: Sendable {
        case accepted(promise: TimeWindow, vehicle: String)
        case rejected(reason: UnservedReason, alternatives: [Int])
    }

    /// The store revision an insert answered now must find: the desk's revision plus its inserts
    /// of the date still in flight. Counts the caller's insert as in flight until `settle`.
    func claimRevision(_ date: ServiceDate) async throws -> Int64 {
        let day = try await day(date)
        defer { day.inFlight += 1 }
        return day.revision + Int64(day.inFlight)
    }

    /// After an insert: committed ones raise the desk's revision; others take their reservation
    /// back; a stale one marks the date for reload.
    func settle(_ id: String, date: ServiceDate, write: BookingWrite?) {
        guard let day = days[date] else { return }
        day.inFlight = max(0, day.inFlight - 1)
        switch write {
        case .created?: day.revision += 1
        case .stale?: day.stale = true; release(id, date: date)
        default: release(id, date: date)
        }
    }

    /// A rejected booking of the date was stored without a claimed revision: its revision step is
    /// unknown to the desk, so the next answer reloads the day.
    func invalidate(_ date: ServiceDate) { days[date]?.stale = true }

    /// A booking of the date was cancelled through this desk.
    func cancelled(_ id: String, date: ServiceDate) {
        release(id, date: date)
        days[date]?.revision += 1
    }

    // MARK: Loading a day

    func day(_ date: ServiceDate) async throws -> Day {
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
        let task = Task { try await self.load(date) }
        loading[date] = task
        defer { loading[date] = nil }
        let day = try await task.value
        days[date] = day
        return day
    }

    /// The active bookings of the date from the store, placed along the latest stored plan and
    /// then, in creation order, by cheapest insertion.
    private func load(_ date: ServiceDate) async throws -> Day {
        let day = Day(network: zone.network(on: date), vehicles: zone.vehicles.count)
        // The revision first: a booking committed between the two reads makes the next insert
        // stale (and reloads), never the other way round.
        day.revision = try await store.dayRevision(serviceDate: date.description)
        let records = try await store.bookings(serviceDate: date.description, municipality: nil, createdBy: nil).filter { $0.status.isActive }
        for record in records {
            guard let booking = try? DayLoading.dayBooking(record, zone: zone, network: day.network) else { continue }
            day.bookings[record.id] = booking
            day.order.append(record.id)
        }
        if let latest = try await store.latestPlan(serviceDate: date.description),
           let document = try? JSONDecoder().decode(DayPlanDocument.self, from: Data(latest.payload)) {
            let index = Dictionary(uniqueKeysWithValues: zone.vehicles.enumerated().map { ($1.id, $0) })
            for route in document.vehicles {
                guard let k = index[route.id] else { continue }
                day.routes[k] = route.stops.filter { day.bookings[$0.bookingId] != nil }.map { Stop(id: $0.bookingId, pickup: $0.action == "pickup") }
            }
        }
        // The instance depends on the bookings only, not on the routes: one for the checks and insertions below.
        guard let built = try? instance(day, extra: []) else { return day }
        // A stored route the current bookings make infeasible (should not happen) is dropped and repaired below.
        let evaluator = RouteEvaluator(instance: built.day.instance)
        for k in day.routes.indices where !evaluator.isFeasible(vehicle: k, stops: nodes(day.routes[k], in: built.day)) { day.routes[k] = [] }
        let placed = Set(day.routes.flatMap { $0.map(\.id) })
        for id in day.order where !placed.contains(id) {
            if let r = built.day.request(of: id), let (k, stops) = bestInsertion(r, day: day, built: built) { day.routes[k] = stops }
        }
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
        route.compactMap { stop in day.request(of: stop.id).map { Int32($0 + (stop.pickup ? 0 : day.instance.requestCount)) } }
    }

    /// The cheapest feasible insertion of request `r` over all vehicles: vehicle and new stops.
    private func bestInsertion(_ r: Int, day: Day, built: Built) -> (Int, [Stop])? {
        let instance = built.day.instance
        let finder = InsertionFinder(instance: instance)
        var best: (delta: Int, vehicle: Int, stops: [Int32])?
        for k in 0..<instance.vehicleCount where instance.isCompatible(request: r, vehicle: k) {
            let state = RouteState(vehicle: k, stops: nodes(day.routes[k], in: built.day), instance: instance)
            if let insertion = finder.best(request: r, in: state), best == nil || insertion.delta < best!.delta {
                best = (insertion.delta, k, insertion.apply(to: state.stops, instance: instance))
            }
        }
        guard let best else { return nil }
        let stops = best.stops.map { node -> Stop in
            let q = instance.request(ofNode: Int(node))!
            return Stop(id: built.day.bookingIDs[q], pickup: instance.isPickup(Int(node)))
        }
        return (best.vehicle, stops)
    }

    // MARK: Booking

    /// Answers a booking and reserves its place when accepted. Returns the answer; call
    /// `release` if the booking is then not stored.
    func answer(_ candidate: DayBooking, date: ServiceDate) async throws -> Answer {
        // `claimRevision` has loaded (or reloaded) the day; do not reload under a claimed revision.
        let day = if let known = days[date] { known } else { try await self.day(date) }
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
        let built = try instance(day, extra: [candidate] + alternatives)
        guard let r = built.day.request(of: candidate.id) else {
            let reason = built.day.excluded.first { $0.id == candidate.id }?.reason ?? .timeWindowUnreachable
            return .rejected(reason: reason, alternatives: [])
        }
        if let (k, stops) = bestInsertion(r, day: day, built: built) {
            let instance = built.day.instance
            let evaluator = RouteEvaluator(instance: instance)
            guard let schedule = evaluator.schedule(vehicle: k, stops: nodes(stops, in: built.day)),
                  let pickup = schedule.stops.first(where: { $0.node == r }) else {
                return .rejected(reason: .noCapacityLeft, alternatives: [])
            }
            let promise = policy.promise(plannedPickup: pickup.serviceStart, within: instance.window(r))
            var booked = candidate
            booked.promised = promise
            day.bookings[candidate.id] = booked
            day.order.append(candidate.id)
            day.routes[k] = stops
            return .accepted(promise: promise, vehicle: zone.vehicles[k].id)
        }
        let reason = UnservedDiagnosis.reason(request: r, instance: built.day.instance, evaluator: RouteEvaluator(instance: built.day.instance))
        var fitting: [Int] = []
        if reason == .noCapacityLeft || reason == .timeWindowUnreachable {
            for alt in alternatives where fitting.count < 2 {
                if let q = built.day.request(of: alt.id), bestInsertion(q, day: day, built: built) != nil { fitting.append(alt.requestedTime) }
            }
        }
        return .rejected(reason: reason, alternatives: fitting.sorted())
    }

    /// Takes a booking out of the day (cancelled, or its store write did not happen).
    func release(_ id: String, date: ServiceDate) {
        guard let day = days[date] else { return }
        day.bookings[id] = nil
        day.order.removeAll { $0 == id }
        for k in day.routes.indices { day.routes[k].removeAll { $0.id == id } }
    }

    // MARK: Plans

    /// The day's bookings as an instance with the tentative plan on it (for a plan run).
    func snapshot(_ date: ServiceDate) async throws -> (day: DayInstance, tentative: Plan) {
        let day = try await day(date)
        let built = try instance(day, extra: [])
        let routes = day.routes.map { nodes($0, in: built.day) }
        var placed = Set<Int>()
        for route in routes { for node in route where built.day.instance.isPickup(Int(node)) { placed.insert(Int(node)) } }
        let unserved = (0..<built.day.instance.requestCount).filter { !placed.contains($0) }
        return (built.day, Plan(routes: routes, unserved: unserved))
    }

    /// Adopts an optimized plan of `day` as the tentative plan; bookings that arrived while it
    /// ran are inserted into it, and if one does not fit, the current tentative plan is kept.
    func adopt(_ plan: Plan, of solved: DayInstance, date: ServiceDate) async throws -> Bool {
        let day = try await day(date)
        let instance = solved.instance
        let previous = day.routes
        day.routes = plan.routes.map { route in
            route.compactMap { node -> Stop? in
                let id = solved.bookingIDs[instance.request(ofNode: Int(node))!]
                return day.bookings[id] == nil ? nil : Stop(id: id, pickup: instance.isPickup(Int(node)))
            }
        }
        let placed = Set(day.routes.flatMap { $0.map(\.id) })
        let wasPlaced = Set(previous.flatMap { $0.map(\.id) })
        let arrived = day.order.filter { !placed.contains($0) && wasPlaced.contains($0) }
        guard !arrived.isEmpty else { return true }
        // The instance depends on the bookings only: one for all the insertions.
        guard let built = try? self.instance(day, extra: []) else {
            day.routes = previous
            return false
        }
        for id in arrived {
            guard let r = built.day.request(of: id), let (k, stops) = bestInsertion(r, day: day, built: built) else {
                day.routes = previous
                return false
            }
            day.routes[k] = stops
        }
        return true
    }
}
