import DispatchCore
import Foundation
import RoadNetwork

/// The stored and served form of a day's plan (`GET /v1/plans/{date}`, `dispatch plan --format
/// json`). Times are local "HH:MM:SS" of the service date; bookings are named by id only (no
/// personal data).
public struct DayPlanDocument: Codable, Sendable, Equatable {
    public var date: String
    public var version: Int?
    public var createdAt: String
    public var solver: String
    public var solverReason: String
    public var status: String
    public var seconds: Double
    public var vehicles: [VehicleRoute]
    public var unserved: [Unserved]
    public var summary: Summary
    /// Figures for people (set by `PlanRun`; absent in plans made by the server's quick runs).
    public var kpis: DayKPIs?
    /// Per municipality: requests, riders, attributed driving and cost, fares (set by `PlanRun`).
    public var accounting: [MunicipalityAccount]?
    /// Accepted bookings whose promised pickup window this plan does not keep, and why (set by
    /// `PlanRun`; empty when every promise is kept).
    public var brokenPromises: [BrokenPromise]?
    /// The call list against the version before (set by `PlanRun` when it saves a version after
    /// the first; absent in the first version and in documents stored before call lists).
    public var changes: PlanChanges?
    /// The objective the optimizer minimizes, for the plan: driving seconds plus `unserved_penalty`
    /// per booking of the solved day left out (absent in documents from before bounds).
    public var objective: Double?
    /// Seconds of objective one unserved booking weighs.
    public var unservedPenalty: Double?
    /// Proven by GLPK: no plan of the day has a smaller objective (seconds); null when nothing was
    /// proven within the time limit (`bound_note` says why). Never an estimate.
    public var lowerBound: Double?
    /// (objective − lower_bound) / objective; null without a bound.
    public var gap: Double?
    /// How the bound was proven, or why there is none.
    public var boundNote: String?

    /// A promise the plan cannot keep: something outside the plan changed after booking.
    public struct BrokenPromise: Codable, Sendable, Equatable {
        public var bookingId: String
        public var passengerRef: String
        /// The promised pickup window, "HH:MM:SS".
        public var promisedEarliest: String
        public var promisedLatest: String
        /// `road_closed`, `vehicle_withdrawn`, `route_no_longer_fits`, `not_allowed_by_rules`,
        /// `no_vehicle_free`, or `outside_window` (served, but not within the promised window).
        public var reason: String
        /// What changed, for people.
        public var change: String

        enum CodingKeys: String, CodingKey {
            case bookingId = "booking_id", passengerRef = "passenger_ref", promisedEarliest = "promised_earliest"
            case promisedLatest = "promised_latest", reason, change
        }
    }

    public struct VehicleRoute: Codable, Sendable, Equatable {
        /// The duty: the vehicle's id, or `vehicle#n` for its n-th shift of a day with several.
        public var id: String
        public var departure: String?
        public var returnTime: String?
        public var stops: [Stop]
        /// The driver's rests (nil in documents from before breaks, and without a break rule).
        public var breaks: [Break]?

        public init(id: String, departure: String?, returnTime: String?, stops: [Stop], breaks: [Break]? = nil) {
            self.id = id
            self.departure = departure
            self.returnTime = returnTime
            self.stops = stops
            self.breaks = breaks
        }
    }

    /// A driver's rest: `HH:MM:SS` times and the place (stop id or "lat,lon"); `waiting` when the
    /// vehicle waits there anyway (empty), not time the rest adds to the route.
    public struct Break: Codable, Sendable, Equatable {
        public var start: String
        public var end: String
        public var place: String
        public var waiting: Bool

        public init(start: String, end: String, place: String, waiting: Bool) {
            self.start = start
            self.end = end
            self.place = place
            self.waiting = waiting
        }
    }

    public struct Stop: Codable, Sendable, Equatable {
        public var bookingId: String
        public var action: String
        /// Stop id of the zone, or "lat,lon" of a door-to-door address.
        public var place: String
        public var time: String
        public var seatsAfter: Int
        public var wheelchairsAfter: Int
        /// True for stops before the re-planning time (`--now`): they happened and were kept.
        public var done: Bool?
    }

    public struct Unserved: Codable, Sendable, Equatable {
        public var bookingId: String
        public var reason: String
        public var message: String
    }

    public struct Summary: Codable, Sendable, Equatable {
        public var bookings: Int
        public var served: Int
        public var vehiclesUsed: Int
        /// Driving time of all vehicles, hours.
        public var drivingHours: Double
    }

    enum CodingKeys: String, CodingKey {
        case date, version, createdAt = "created_at", solver, solverReason = "solver_reason", status, seconds, vehicles, unserved, summary, kpis, accounting
        case brokenPromises = "broken_promises", changes, objective, unservedPenalty = "unserved_penalty", lowerBound = "lower_bound", gap
        case boundNote = "bound_note"
    }

    /// Synthesized, except that `lower_bound` and `gap` are written as null (not left out) when a
    /// document with an objective has no proven bound.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(date, forKey: .date)
        try c.encodeIfPresent(version, forKey: .version)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(solver, forKey: .solver)
        try c.encode(solverReason, forKey: .solverReason)
        try c.encode(status, forKey: .status)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(vehicles, forKey: .vehicles)
        try c.encode(unserved, forKey: .unserved)
        try c.encode(summary, forKey: .summary)
        try c.encodeIfPresent(kpis, forKey: .kpis)
        try c.encodeIfPresent(accounting, forKey: .accounting)
        try c.encodeIfPresent(brokenPromises, forKey: .brokenPromises)
        try c.encodeIfPresent(changes, forKey: .changes)
        if let objective {
            try c.encode(objective, forKey: .objective)
            try c.encodeIfPresent(unservedPenalty, forKey: .unservedPenalty)
            try c.encode(lowerBound, forKey: .lowerBound)
            try c.encode(gap, forKey: .gap)
            try c.encodeIfPresent(boundNote, forKey: .boundNote)
        }
    }

    /// Sets `objective`, `unserved_penalty`, `lower_bound`, `gap` and `bound_note` (time scale of the day: seconds).
    public mutating func setBound(_ bound: PlanBound, scale: TimeScale) {
        objective = scale.units(bound.objective) * Double(scale.secondsPerUnit)
        unservedPenalty = scale.units(bound.penalty) * Double(scale.secondsPerUnit)
        lowerBound = bound.lowerBound.map { scale.units($0) * Double(scale.secondsPerUnit) }
        gap = bound.gap
        boundNote = bound.note
    }
}

extension DayPlanDocument {
    /// A stored or printed document. Documents stored before the one vocabulary (store version 5)
    /// are upgraded: their reason codes and statuses read as today's (`noOpenRoad` → `road_closed`,
    /// `no-show` → `no_show`, `no_room` → `no_vehicle_free`, …).
    public static func decode(_ bytes: some Sequence<UInt8>) throws -> DayPlanDocument {
        var document = try JSONDecoder().decode(DayPlanDocument.self, from: Data(bytes))
        if document.status == "timeLimit" { document.status = "time_limit" }
        for i in document.unserved.indices { document.unserved[i].reason = upgradedReason(document.unserved[i].reason) }
        if let broken = document.brokenPromises {
            document.brokenPromises = broken.map { var b = $0; b.reason = upgradedReason(b.reason); return b }
        }
        return document
    }

    static func upgradedReason(_ code: String) -> String {
        switch code {
        case "outsideServiceArea": UnservedReason.outsideServiceArea.rawValue
        case "noVehicleWithCapacity": UnservedReason.noVehicleWithCapacity.rawValue
        case "timeWindowUnreachable": UnservedReason.timeWindowUnreachable.rawValue
        case "maxRideTimeImpossible": UnservedReason.maxRideTimeImpossible.rawValue
        case "noCapacityLeft", "no_room": UnservedReason.noCapacityLeft.rawValue
        case "noOpenRoad": UnservedReason.noOpenRoad.rawValue
        case "crossBorderNotAllowed": UnservedReason.crossBorderNotAllowed.rawValue
        case "no-show": "no_show"
        case "unplaceable": ReasonCodes.placeUnreachable
        default: code
        }
    }
}

extension DayPlanDocument.VehicleRoute {
    enum CodingKeys: String, CodingKey { case id, departure, returnTime = "return", stops, breaks }
}

extension DayPlanDocument.Stop {
    enum CodingKeys: String, CodingKey {
        case bookingId = "booking_id", action, place, time, seatsAfter = "seats_after", wheelchairsAfter = "wheelchairs_after", done
    }
}

extension DayPlanDocument.Unserved {
    enum CodingKeys: String, CodingKey { case bookingId = "booking_id", reason, message }
}

extension DayPlanDocument.Summary {
    enum CodingKeys: String, CodingKey { case bookings, served, vehiclesUsed = "vehicles_used", drivingHours = "driving_hours" }
}

/// Solves a day and describes the plan.
public enum DayPlanner {
    /// Runs the strategy on the day (on a dedicated thread) and returns the document; `start` is a
    /// plan to start from (the tentative plan whose bookings were promised).
    public static func solve(_ day: DayInstance, date: String, strategy: SolveStrategy, limits: SolveLimits, start: Plan?,
                             placeName: @escaping @Sendable (Int) -> String,
                             progress: (@Sendable (SolveProgress) -> Void)? = nil) async -> (document: DayPlanDocument, plan: Plan) {
        let decision = strategy.decide(for: day.instance, start: start)
        let instance = day.instance
        let (result, relaxation) = await BoundedSolve.run(decision.solver, instance: instance, limits: limits, bound: strategy.bound,
                                                          progress: progress)
        var plan = result.plan
        // The search never trades a booking of the start plan (the day's current routes: every
        // one of them was promised) for anything: a plan that leaves one out is not taken.
        if let start {
            let served = Set(0..<instance.requestCount).subtracting(plan.unserved)
            if !Set(0..<instance.requestCount).subtracting(start.unserved).isSubset(of: served) { plan = start }
        }
        var document = describe(plan: plan, day: day, date: date, solver: decision.used.rawValue, reason: decision.reason,
                                status: result.status.rawValue, seconds: result.seconds, placeName: placeName)
        if strategy.bound {
            document.setBound(BoundedSolve.bound(of: plan, instance: instance, result: result, relaxation: relaxation), scale: instance.timeScale)
        }
        return (document, plan)
    }

    public static func describe(plan: Plan, day: DayInstance, date: String, solver: String, reason: String, status: String, seconds: Double,
                                placeName: (Int) -> String) -> DayPlanDocument {
        let instance = day.instance
        let report = PlanReport(plan: plan, instance: instance)
        var vehicles: [DayPlanDocument.VehicleRoute] = []
        var bySchedule: [Int: RouteSchedule] = [:]
        for schedule in report.schedules { bySchedule[schedule.vehicle] = schedule }
        for (k, vehicle) in instance.vehicles.enumerated() {
            guard let schedule = bySchedule[k], schedule.stops.count > 2 else {
                vehicles.append(.init(id: vehicle.id, departure: nil, returnTime: nil, stops: []))
                continue
            }
            let stops = schedule.stops.dropFirst().dropLast().map { stop -> DayPlanDocument.Stop in
                let r = instance.request(ofNode: stop.node)!
                return DayPlanDocument.Stop(bookingId: day.bookingIDs[r], action: instance.isPickup(stop.node) ? "pickup" : "dropoff",
                                            place: placeName(day.locations[Int(instance.location[stop.node])]), time: TimeText.clock(stop.serviceStart),
                                            seatsAfter: stop.loadAfter.seats, wheelchairsAfter: stop.loadAfter.wheelchairs, done: nil)
            }
            let breaks = schedule.rests.map { rest -> DayPlanDocument.Break in
                let at = schedule.stops[rest.waiting ? rest.afterStop + 1 : rest.afterStop].node
                return DayPlanDocument.Break(start: TimeText.clock(rest.start), end: TimeText.clock(rest.end),
                                             place: placeName(day.locations[Int(instance.location[at])]), waiting: rest.waiting)
            }
            vehicles.append(.init(id: vehicle.id, departure: TimeText.clock(schedule.departure), returnTime: TimeText.clock(schedule.returnTime),
                                  stops: stops, breaks: vehicle.breaks == nil ? nil : breaks))
        }
        var unserved = report.unserved.map { DayPlanDocument.Unserved(bookingId: day.bookingIDs[$0.request], reason: $0.reason.rawValue,
                                                                        message: $0.reason.explanation) }
        unserved += day.excluded.map { DayPlanDocument.Unserved(bookingId: $0.id, reason: $0.reason.rawValue, message: $0.reason.explanation) }
        let total = day.bookingIDs.count + day.excluded.count
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        return DayPlanDocument(date: date, version: nil, createdAt: TimeText.timestamp(milliseconds: now), solver: solver, solverReason: reason,
                               status: status, seconds: seconds, vehicles: vehicles, unserved: unserved,
                               summary: .init(bookings: total, served: total - unserved.count, vehiclesUsed: plan.vehiclesUsed,
                                              drivingHours: Double(report.cost) / 3600), kpis: nil, accounting: nil, brokenPromises: nil)
    }
}
