import DispatchCore
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

/// Figures of a day's plan for dispatchers and councils.
public struct DayKPIs: Codable, Sendable, Equatable {
    public var requests: Int
    public var served: Int
    public var servedShare: Double
    public var passengers: Int
    public var vehicleHours: Double
    public var kilometres: Double
    public var meanRideMinutes: Double
    public var maxRideMinutes: Double
    /// Mean of ride time ÷ direct drive.
    public var meanDetourFactor: Double
    /// Mean |planned − requested| time in minutes (pickup for pickup bookings, arrival otherwise).
    public var meanWaitMinutes: Double
    /// Share of kilometres driven with nobody on board.
    public var emptyKilometreShare: Double

    enum CodingKeys: String, CodingKey {
        case requests, served, servedShare = "served_share", passengers, vehicleHours = "vehicle_hours", kilometres
        case meanRideMinutes = "mean_ride_minutes", maxRideMinutes = "max_ride_minutes", meanDetourFactor = "mean_detour_factor"
        case meanWaitMinutes = "mean_wait_minutes", emptyKilometreShare = "empty_kilometre_share"
    }

    /// - Parameters:
    ///   - requests: all bookings of the date (served or not).
    public static func compute(plan: Plan, day: DayInstance, network: DayNetwork, requestedTimes: [String: (kind: DayBooking.TimeKind, time: Int)],
                               requests: Int) -> DayKPIs {
        let instance = day.instance
        let report = PlanReport(plan: plan, instance: instance)
        var metres = 0, emptyMetres = 0, seconds = 0
        for schedule in report.schedules where schedule.stops.count > 2 {
            seconds += schedule.returnTime - schedule.departure
            for (a, b) in zip(schedule.stops, schedule.stops.dropFirst()) {
                let from = day.locations[Int(instance.location[a.node])], to = day.locations[Int(instance.location[b.node])]
                let m = network.metres(from, to) ?? 0
                metres += m
                if a.loadAfter.seats + a.loadAfter.wheelchairs == 0 { emptyMetres += m }
            }
        }
        var passengers = 0, waits: [Double] = [], detours: [Double] = []
        for ride in report.rides {
            passengers += instance.requests[ride.request].load.seats + instance.requests[ride.request].load.wheelchairs
            if ride.directTime > 0 { detours.append(Double(ride.rideTime) / Double(ride.directTime)) }
            if let asked = requestedTimes[day.bookingIDs[ride.request]] {
                let planned = asked.kind == .pickup ? ride.pickupServiceStart : ride.dropoffServiceStart
                waits.append(Double(abs(planned - asked.time)) / 60)
            }
        }
        let rides = report.rides.map { Double($0.rideTime) / 60 }
        func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }
        let served = report.rides.count
        return DayKPIs(requests: requests, served: served, servedShare: requests == 0 ? 0 : Double(served) / Double(requests),
                       passengers: passengers, vehicleHours: Double(seconds) / 3600, kilometres: Double(metres) / 1000,
                       meanRideMinutes: mean(rides), maxRideMinutes: rides.max() ?? 0, meanDetourFactor: mean(detours),
                       meanWaitMinutes: mean(waits), emptyKilometreShare: metres == 0 ? 0 : Double(emptyMetres) / Double(metres))
    }
}

/// One plan run of a date from the store: load the bookings and the date's current routes (which
/// hold every promised booking), solve starting from them, store the plan as a new version (it
/// becomes the date's routes), mark bookings scheduled. Runs of the same date are serialized by
/// the store's plan lock; bookings accepted while a run solves make its save stale, and the plan
/// is then carried over to the day as it is now (they are inserted) before it is saved.
public enum PlanRun {
    public struct Outcome: Sendable {
        public var document: DayPlanDocument
        public var loaded: DayLoading.LoadedDay
        public var plan: Plan
        public var version: Int
    }

    /// Seconds the store's plan lock survives a holder that died (it is renewed while the run lives).
    public static let lockLease = 10.0

    public static func run(store: any RideRequestStore, zone: ServiceZone, date: ServiceDate, strategy: SolveStrategy, limits: SolveLimits,
                           holder: String, lockTimeout: Double = 30, replan: Replanning.Options? = nil,
                           progress: (@Sendable (SolveProgress) -> Void)? = nil) async throws -> Outcome {
        try await store.withPlanLock(serviceDate: date.description, holder: holder, lease: lockLease, timeout: lockTimeout) {
            var loaded = try await DayLoading.load(store: store, zone: zone, date: date)
            // A re-plan starts from what the vehicles reported (`POST /v1/vehicles/{id}/events`).
            var replan = replan
            if var options = replan, options.events.isEmpty {
                options.events = try await store.vehicleEvents(serviceDate: date.description).compactMap(Replanning.ObservedEvent.init(record:))
                replan = options
            }
            // The version the new one will follow (the plan lock keeps other runs from saving meanwhile).
            let previous = try await previousVersion(store: store, date: date)
            var limits = limits
            var carried: [DayRoute]?
            for _ in 0..<20 {
                var made = try await make(loaded: loaded, carried: carried, zone: zone, date: date, strategy: strategy, limits: limits,
                                          replan: replan, progress: progress)
                let served = made.plan.routes.flatMap { $0 }.filter { made.loaded.day.instance.isPickup(Int($0)) }
                    .map { made.loaded.day.bookingIDs[Int($0)] }
                if let previous {
                    made.document.changes = PlanDiff.changes(from: previous.document, version: previous.version, to: made.document,
                                                             passengers: PlanDiff.passengers(made.loaded.records))
                }
                let save = try await store.savePlan(serviceDate: date.description, payload: try encodeJSONBytes(made.document),
                                                    createdBy: holder, scheduled: served, routes: DayStart.routes(of: made.document),
                                                    expectedRevision: loaded.revision)
                switch save {
                case .saved(let record):
                    made.document.version = record.version
                    return Outcome(document: made.document, loaded: made.loaded, plan: made.plan, version: record.version)
                case .stale:
                    // Bookings changed while the plan was made: carry it over to the day as it is
                    // now (new bookings inserted; the current routes are the fallback), briefly.
                    if replan == nil { carried = DayStart.routes(of: made.plan, on: made.loaded.day) }
                    loaded = try await DayLoading.load(store: store, zone: zone, date: date)
                    limits = SolveLimits(iterationLimit: 200, seed: limits.seed)
                }
            }
            throw StoreError(.unavailable, "the bookings of \(date) kept changing while the plan was saved; try again")
        }
    }

    /// The latest stored version of the date and its document, if any.
    static func previousVersion(store: any RideRequestStore, date: ServiceDate) async throws -> (version: Int, document: DayPlanDocument)? {
        guard let record = try await store.latestPlan(serviceDate: date.description) else { return nil }
        do {
            return (record.version, try DayPlanDocument.decode(record.payload))
        } catch {
            throw StoreError(.unavailable, "the stored plan \(date) v\(record.version) cannot be read (\(error)); re-plan the date with this version of dispatch")
        }
    }

    /// Solves the loaded day (whole day, or the rest of it from `replan.now`) and completes the
    /// document; nothing is stored.
    static func make(loaded: DayLoading.LoadedDay, carried: [DayRoute]?, zone: ServiceZone, date: ServiceDate, strategy: SolveStrategy,
                     limits: SolveLimits, replan: Replanning.Options?,
                     progress: (@Sendable (SolveProgress) -> Void)?) async throws -> (document: DayPlanDocument, plan: Plan, loaded: DayLoading.LoadedDay) {
        var loaded = loaded
        let network = loaded.network
        let current = DayStart.plan(routes: loaded.currentRoutes, on: loaded.day)
        var displaced: [String: DayStart.Displacement] = [:]
        for (r, d) in current.displaced { displaced[loaded.day.bookingIDs[r]] = d }
        guard let replan else {
            var start = current.plan
            if let carried {
                let over = DayStart.plan(routes: carried, on: loaded.day)
                if over.plan.unserved.count <= start.unserved.count { start = over.plan }
            }
            let solved = await DayPlanner.solve(loaded.day, date: date.description, strategy: strategy, limits: limits, start: start,
                                                placeName: network.placeName, progress: progress)
            var document = solved.document
            complete(&document, plan: solved.plan, loaded: loaded, zone: zone, displaced: displaced)
            return (document, solved.plan, loaded)
        }
        let previous = currentDocument(loaded: loaded, current: current.plan, placeName: network.placeName)
        let prepared = try Replanning.prepare(loaded: loaded, previous: previous, options: replan, zone: zone)
        let whole = loaded.day
        loaded.day = prepared.day
        var solved = await DayPlanner.solve(loaded.day, date: date.description, strategy: strategy, limits: limits, start: prepared.start,
                                            placeName: network.placeName, progress: progress)
        // Pinned bookings their vehicle can no longer serve are freed and the rest solved again.
        let stuck = Set(solved.plan.unserved.map { loaded.day.bookingIDs[$0] }).intersection(prepared.pinned)
        if replan.pin, !stuck.isEmpty {
            var again = loaded
            again.day = whole
            let freed = try Replanning.prepare(loaded: again, previous: previous, options: replan, zone: zone, unpinned: stuck)
            loaded.day = freed.day
            let start = DayLoading.plan(from: solved.document, on: loaded.day)
            solved = await DayPlanner.solve(loaded.day, date: date.description, strategy: strategy, limits: limits, start: start,
                                            placeName: network.placeName, progress: progress)
        }
        var document = solved.document
        Replanning.merge(&document, past: prepared.past)
        complete(&document, plan: solved.plan, loaded: loaded, zone: zone, past: prepared.past, displaced: displaced)
        return (document, solved.plan, loaded)
    }

    /// The date's current plan as a document, for re-planning from a time of day: each vehicle's
    /// route as the latest saved plan has it (published times, stops done) where the current
    /// routes still equal it, otherwise the current route scheduled on the whole day.
    static func currentDocument(loaded: DayLoading.LoadedDay, current: Plan, placeName: (Int) -> String) -> DayPlanDocument {
        var document = DayPlanner.describe(plan: current, day: loaded.day, date: loaded.date.description, solver: "", reason: "", status: "",
                                           seconds: 0, placeName: placeName)
        guard let latest = loaded.latest else { return document }
        var stored: [String: [DayRoute.Stop]] = [:]
        for route in loaded.currentRoutes { stored[route.vehicleID] = route.stops }
        for route in latest.vehicles {
            let stops = route.stops.map { DayRoute.Stop(bookingID: $0.bookingId, pickup: $0.action == "pickup") }
            guard stops == (stored[route.id] ?? []), let i = document.vehicles.firstIndex(where: { $0.id == route.id }) else { continue }
            document.vehicles[i] = route
        }
        return document
    }

    /// Completes a solved day's document: every booking of the date once (inactive, forbidden and
    /// unplaceable ones as unserved with why), the summary, the figures, and — for whole days —
    /// the accounting per municipality.
    /// - Parameter displaced: bookings that lost their place in the date's routes, and why.
    public static func complete(_ document: inout DayPlanDocument, plan: Plan, loaded: DayLoading.LoadedDay, zone: ServiceZone,
                                past: Replanning.Past? = nil, displaced: [String: DayStart.Displacement] = [:]) {
        let inInstance = Set(loaded.day.bookingIDs + loaded.day.excluded.map(\.id)).union(past?.completed ?? [])
        for record in loaded.records where !inInstance.contains(record.id) {
            let (reason, message): (String, String)
            if let rule = loaded.forbidden[record.id] {
                (reason, message) = (UnservedReason.crossBorderNotAllowed.rawValue, rule)
            } else if past?.noShows.contains(record.id) == true {
                (reason, message) = ("no_show", "the driver reported a no-show")
            } else {
                switch record.status {
                case .rejected: (reason, message) = ("rejected_at_booking", "rejected when booked: " + (record.reason.map(BookingReason.message) ?? "no reason stored"))
                case .cancelled: (reason, message) = ("cancelled", "cancelled")
                case .completed, .noShow: (reason, message) = (record.status.rawValue, record.status.rawValue)
                default: (reason, message) = (ReasonCodes.placeUnreachable, "its place is not near any road open on that date, or no longer a stop of the zone")
                }
            }
            document.unserved.append(.init(bookingId: record.id, reason: reason, message: message))
        }
        document.summary.bookings = loaded.records.count
        document.summary.served = loaded.records.count - document.unserved.count
        var asked: [String: (kind: DayBooking.TimeKind, time: Int)] = [:]
        for r in loaded.records { asked[r.id] = (r.timeKind == .pickup ? .pickup : .arrival, r.requestedTime) }
        if past == nil { document.accounting = Accounting.accounts(plan: plan, loaded: loaded, zone: zone) }
        document.brokenPromises = brokenPromises(document, loaded: loaded, past: past, displaced: displaced)
        document.kpis = DayKPIs.compute(plan: plan, day: loaded.day, network: loaded.network, requestedTimes: asked, requests: loaded.records.count)
    }

    /// Every active booking with a promised pickup window that `document` does not serve inside
    /// it, and why. Checked on the document itself (stop times), so it holds for every path
    /// that makes a plan.
    static func brokenPromises(_ document: DayPlanDocument, loaded: DayLoading.LoadedDay, past: Replanning.Past?,
                               displaced: [String: DayStart.Displacement]) -> [DayPlanDocument.BrokenPromise] {
        var pickups: [String: Int] = [:]
        for vehicle in document.vehicles {
            for stop in vehicle.stops where stop.action == "pickup" { pickups[stop.bookingId] = TimeText.seconds(ofClock: stop.time) }
        }
        let excluded = Dictionary(loaded.day.excluded.map { ($0.id, $0.reason) }, uniquingKeysWith: { a, _ in a })
        let unplaceable = Set(loaded.unplaceable)
        var broken: [DayPlanDocument.BrokenPromise] = []
        for record in loaded.records where record.status.isActive {
            guard let earliest = record.promisedEarliest, let latest = record.promisedLatest else { continue }
            let (reason, change): (String, String)
            if let time = pickups[record.id] {
                // Passengers on board were picked up before the re-planning time.
                if past?.onBoard[record.id] != nil || (earliest...latest).contains(time) { continue }
                (reason, change) = ("outside_window", "planned pickup at \(TimeText.clock(time)), outside the promised window")
            } else if past?.completed.contains(record.id) == true || past?.noShows.contains(record.id) == true {
                continue
            } else if let rule = loaded.forbidden[record.id] {
                (reason, change) = ("not_allowed_by_rules", "a cross-border rule added after booking forbids the trip: \(rule)")
            } else if unplaceable.contains(record.id) || excluded[record.id] == .noOpenRoad {
                (reason, change) = (UnservedReason.noOpenRoad.rawValue, "a road closure added after booking leaves no open road to its pickup or drop-off")
            } else if let d = displaced[record.id] {
                (reason, change) = (d.code, d.change)
            } else if let why = excluded[record.id] {
                (reason, change) = (UnservedReason.noCapacityLeft.rawValue, "it no longer fits the day: \(why.explanation)")
            } else {
                (reason, change) = (UnservedReason.noCapacityLeft.rawValue, "no vehicle has room for it in the routes of the date")
            }
            broken.append(.init(bookingId: record.id, passengerRef: record.passengerRef, promisedEarliest: TimeText.clock(earliest),
                                promisedLatest: TimeText.clock(latest), reason: reason, change: change))
        }
        return broken
    }
}
