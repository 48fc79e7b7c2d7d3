import DispatchCore
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

/// One plan run of a date from the store: load the bookings, start from the latest stored plan
/// (its bookings were promised), solve, store the plan as a new version, mark bookings scheduled.
/// Runs of the same date are serialized by the store's plan lock.
public enum PlanRun {
    public struct Outcome: Sendable {
        public var document: DayPlanDocument
        public var loaded: DayLoading.LoadedDay
        public var plan: Plan
        public var version: Int
    }

    public static func run(store: any RideRequestStore, zone: ServiceZone, date: ServiceDate, strategy: SolveStrategy, limits: SolveLimits,
                           holder: String, lockTimeout: Double = 30, replan: Replanning.Options? = nil,
                           progress: (@Sendable (SolveProgress) -> Void)? = nil) async throws -> Outcome {
        let lease = (limits.timeLimit?.seconds ?? 60) + 120
        return try await store.withPlanLock(serviceDate: date.description, holder: holder, lease: lease, timeout: lockTimeout) {
            var loaded = try await DayLoading.load(store: store, zone: zone, date: date)
            var previous: DayPlanDocument?
            if let latest = try await store.latestPlan(serviceDate: date.description) {
                previous = try? JSONDecoder().decode(DayPlanDocument.self, from: Data(latest.payload))
            }
            var start = previous.map { DayLoading.plan(from: $0, on: loaded.day) }
            var past: Replanning.Past?
            var pinned = Set<String>()
            if let replan {
                let prepared = try Replanning.prepare(loaded: loaded, previous: previous, options: replan, zone: zone)
                loaded.day = prepared.day
                start = prepared.start
                past = prepared.past
                pinned = prepared.pinned
            }
            let network = loaded.network
            var solved = await DayPlanner.solve(loaded.day, date: date.description, strategy: strategy, limits: limits, start: start,
                                                placeName: network.placeName, progress: progress)
            // Pinned bookings their vehicle can no longer serve are freed and the rest solved again.
            let stuck = Set(solved.plan.unserved.map { loaded.day.bookingIDs[$0] }).intersection(pinned)
            if let replan, replan.pin, !stuck.isEmpty {
                let prepared = try Replanning.prepare(loaded: loaded, previous: previous, options: replan, zone: zone, unpinned: stuck)
                loaded.day = prepared.day
                let again = DayLoading.plan(from: solved.document, on: loaded.day)
                solved = await DayPlanner.solve(loaded.day, date: date.description, strategy: strategy, limits: limits, start: again,
                                                placeName: network.placeName, progress: progress)
            }
            var document = solved.document
            let plan = solved.plan
            if let past { Replanning.merge(&document, past: past) }
            complete(&document, plan: plan, loaded: loaded, zone: zone, past: past)
            let served = plan.routes.flatMap { $0 }.filter { loaded.day.instance.isPickup(Int($0)) }.map { loaded.day.bookingIDs[Int($0)] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let saved = try await store.savePlan(serviceDate: date.description, payload: Array(try encoder.encode(document)), createdBy: holder,
                                                 scheduled: served)
            document.version = saved.version
            return Outcome(document: document, loaded: loaded, plan: plan, version: saved.version)
        }
    }

    /// Completes a solved day's document: every booking of the date once (inactive, forbidden and
    /// unplaceable ones as unserved with why), the summary, the figures, and — for whole days —
    /// the accounting per municipality.
    public static func complete(_ document: inout DayPlanDocument, plan: Plan, loaded: DayLoading.LoadedDay, zone: ServiceZone,
                                past: Replanning.Past? = nil) {
        let inInstance = Set(loaded.day.bookingIDs + loaded.day.excluded.map(\.id)).union(past?.completed ?? [])
        for record in loaded.records where !inInstance.contains(record.id) {
            let (reason, message): (String, String)
            if let rule = loaded.forbidden[record.id] {
                (reason, message) = (UnservedReason.crossBorderNotAllowed.rawValue, rule)
            } else {
                switch record.status {
                case .rejected: (reason, message) = ("rejected_at_booking", "rejected when booked: " + (record.reason.map(BookingReason.message) ?? "no reason stored"))
                case .cancelled: (reason, message) = ("cancelled", "cancelled")
                case .completed, .noShow: (reason, message) = (record.status.rawValue, record.status.rawValue)
                default: (reason, message) = ("unplaceable", "its place is not near any road open on that date")
                }
            }
            document.unserved.append(.init(bookingId: record.id, reason: reason, message: message))
        }
        document.summary.bookings = loaded.records.count
        document.summary.served = loaded.records.count - document.unserved.count
        var asked: [String: (kind: DayBooking.TimeKind, time: Int)] = [:]
        for r in loaded.records { asked[r.id] = (r.timeKind == .pickup ? .pickup : .arrival, r.requestedTime) }
        if past == nil { document.accounting = Accounting.accounts(plan: plan, loaded: loaded, zone: zone) }
        document.kpis = DayKPIs.compute(plan: plan, day: loaded.day, network: loaded.network, requestedTimes: asked, requests: loaded.records.count)
    }
}
