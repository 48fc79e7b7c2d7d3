import DispatchCore
import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork
import StoreTestSupport
import Testing

/// "Accepted, pickup 08:00–08:20" is kept by every later plan of the date: overloaded days booked
/// through the booking office (two offices on one store, as two server instances), planned,
/// booked again, planned again and re-planned from a time of day.
@Suite(.serialized)
struct PromiseTests {
    /// The embedded zone with a small fleet on a short morning shift (so that demand is several
    /// times what it can carry), every vehicle serving every municipality.
    static let smallFleet: ServiceZone = {
        var file = ServerHarness.zone.file
        let everyone = file.municipalities.map(\.id)
        let wheelchair = file.vehicles.first { $0.wheelchairPlaces > 0 }!
        let plain = file.vehicles.first { $0.wheelchairPlaces == 0 && $0.municipality != wheelchair.municipality }!
        file.vehicles = [wheelchair, plain].map { (v: ZoneFile.Vehicle) -> ZoneFile.Vehicle in
            var v = v
            v.shift.start = "08:00"
            v.shift.end = "11:00"
            v.serves = everyone
            return v
        }
        return try! ServiceZone(file: file, graph: ServerHarness.zone.graph, hierarchy: nil)
    }()

    /// Random bookings between the zone's stops between 08:10 and 10:40: a quarter arrive-by,
    /// about one in six with a wheelchair, parties of one to three.
    static func bookings(zone: ServiceZone, date: ServiceDate, count: Int, seed: UInt64) -> [BookingRequest] {
        var rng = SeededGenerator(seed: seed)
        let stops = zone.file.stops
        return (0..<count).map { n in
            let from = stops[Int(rng.next() % UInt64(stops.count))]
            var to = stops[Int(rng.next() % UInt64(stops.count))]
            while to.id == from.id { to = stops[Int(rng.next() % UInt64(stops.count))] }
            let wheelchairs = rng.next() % 6 == 0 ? 1 : 0
            let party = wheelchairs + 1 + Int(rng.next() % 3) - (wheelchairs > 0 ? 1 : 0)
            let arrival = rng.next() % 4 == 0
            let time = 8 * 3600 + 600 + Int(rng.next() % 9_000)
            let m = zone.municipalityIndex[from.municipality]!
            return BookingRequest(passengerRef: "P-\(seed)-\(n)", municipality: m, municipalityID: from.municipality,
                                  pickup: BookingPlace(stopID: from.id), dropoff: BookingPlace(stopID: to.id), date: date,
                                  timeKind: arrival ? .arrival : .pickup, requestedTime: arrival ? time + 1_800 : time,
                                  partySize: party, wheelchairs: wheelchairs, notes: "")
        }
    }

    /// Every accepted booking of the date is picked up inside its promised window in `document`,
    /// and the document lists no broken promise.
    static func expectPromisesKept(_ document: DayPlanDocument, records: [BookingRecord], _ comment: String, noneBroken: Bool = true) {
        var pickups: [String: [String]] = [:]
        for v in document.vehicles { for stop in v.stops where stop.action == "pickup" { pickups[stop.bookingId, default: []].append(stop.time) } }
        if noneBroken { #expect(document.brokenPromises == [], "\(comment): \(document.brokenPromises ?? [])") }
        for record in records where record.status.isActive {
            guard let earliest = record.promisedEarliest, let latest = record.promisedLatest else {
                Issue.record("\(comment): active booking \(record.id) has no promise")
                continue
            }
            guard let times = pickups[record.id], times.count == 1, let time = Self.seconds(times[0]) else {
                Issue.record("\(comment): promised booking \(record.id) is picked up \(pickups[record.id]?.count ?? 0) times")
                continue
            }
            #expect((earliest...latest).contains(time), "\(comment): \(record.id) promised \(earliest)…\(latest), planned \(time)")
        }
    }

    /// A new SQLite store holding `zone`, and a booking office on it.
    static func fresh(_ zone: ServiceZone) async throws -> (SQLiteStore, BookingOffice) {
        let store = try TestStore.sqlite()
        try await store.replaceZone(with: zone.file, actor: "test")
        return (store, BookingOffice(zone: zone, store: store))
    }

    /// Seconds of "HH:MM:SS".
    static func seconds(_ clock: String) -> Int? {
        let parts = clock.split(separator: ":").compactMap { Int($0) }
        return parts.count == 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : nil
    }

    @Test(arguments: 0..<20)
    func overloadedDaysKeepEveryPromise(seed: UInt64) async throws {
        let zone = Self.smallFleet
        let (store, _) = try await Self.fresh(zone)
        // Days with service in every town (no Sundays or holidays: only the hub has service then).
        let july = [1, 2, 3, 4, 6, 7, 8, 9, 10], december = [1, 2, 3, 4, 5, 7, 8, 9, 10]
        let date = ServiceDate(year: 2099, month: seed % 2 == 0 ? 7 : 12, day: (seed % 2 == 0 ? july : december)[Int(seed % 9)])!
        // Two offices on one store: two server instances.
        let offices = [BookingOffice(zone: zone, store: store), BookingOffice(zone: zone, store: store)]
        let requests = Self.bookings(zone: zone, date: date, count: 60, seed: seed)

        // Demand at least three times what the fleet can drive: direct rides alone against the shifts.
        let network = zone.network(on: date)
        let travel = network.travel()
        let direct = requests.reduce(0) { $0 + travel[zone.stopIndex[$1.pickup.stopID!]!, zone.stopIndex[$1.dropoff.stopID!]!] }
        let shifts = zone.vehicles.reduce(0) { $0 + $1.shift.latest - $1.shift.earliest }
        #expect(direct >= 3 * shifts, "demand \(direct) s of direct rides against \(shifts) s of shifts")

        var accepted = 0
        for (n, request) in requests.prefix(40).enumerated() {
            let outcome = try await offices[n % 2].book(request, createdBy: "test")
            if outcome.record.status == .accepted { accepted += 1 }
        }
        #expect(accepted > 0 && accepted < 40, "an overloaded day accepts some and rejects others (\(accepted) of 40)")
        let limits = SolveLimits(iterationLimit: 150, seed: seed)
        let first = try await PlanRun.run(store: store, zone: zone, date: date, strategy: SolveStrategy(.heuristic), limits: limits, holder: "test")
        Self.expectPromisesKept(first.document, records: try await store.bookings(serviceDate: date.description, municipality: nil, createdBy: nil),
                                "first plan, seed \(seed)")

        // More bookings after the plan, on both offices, then whole-day and re-plans from 09:00.
        for (n, request) in requests.dropFirst(40).enumerated() { _ = try await offices[n % 2].book(request, createdBy: "test") }
        let second = try await PlanRun.run(store: store, zone: zone, date: date, strategy: SolveStrategy(.heuristic), limits: limits, holder: "test")
        var records = try await store.bookings(serviceDate: date.description, municipality: nil, createdBy: nil)
        Self.expectPromisesKept(second.document, records: records, "second plan, seed \(seed)")
        #expect(second.document.summary.served >= records.filter(\.status.isActive).count)

        _ = try await offices[0].book(Self.bookings(zone: zone, date: date, count: 1, seed: seed + 100)[0], createdBy: "test")
        let now = try await PlanRun.run(store: store, zone: zone, date: date, strategy: SolveStrategy(.heuristic), limits: limits, holder: "test",
                                        replan: Replanning.Options(now: 9 * 3600, pin: seed % 3 == 0))
        records = try await store.bookings(serviceDate: date.description, municipality: nil, createdBy: nil)
        Self.expectPromisesKept(now.document, records: records, "re-plan at 09:00, seed \(seed)")
    }

    /// The first plan of a date starts from the routes the bookings were answered on, even in a
    /// process that never saw them (the store keeps them): the busy-day bug of `dispatch demo`.
    @Test func aPlanInAnotherProcessStartsFromTheStoredRoutes() async throws {
        let zone = Self.smallFleet
        let (store, office) = try await Self.fresh(zone)
        let date = ServiceDate(parsing: "2099-07-23")!  // a Thursday (07-20 is Marine Day: Sunday service)
        for request in Self.bookings(zone: zone, date: date, count: 40, seed: 77) { _ = try await office.book(request, createdBy: "test") }
        let routes = try await store.dayRoutes(serviceDate: date.description)
        let records = try await store.bookings(serviceDate: date.description, municipality: nil, createdBy: nil)
        let accepted = Set(records.filter { $0.status == .accepted }.map(\.id))
        #expect(accepted.count >= 5 && accepted.count < records.count, "\(accepted.count) of \(records.count) accepted")
        // Every accepted booking is in exactly one stored route, pickup before drop-off.
        var seen: [String: Int] = [:]
        for route in routes {
            for (i, stop) in route.stops.enumerated() where stop.pickup {
                seen[stop.bookingID, default: 0] += 1
                #expect(route.stops[(i + 1)...].contains(DayRoute.Stop(bookingID: stop.bookingID, pickup: false)))
            }
        }
        #expect(Set(seen.keys) == accepted)
        #expect(seen.values.allSatisfy { $0 == 1 })
        // The start plan built from them on a fresh load holds every accepted booking.
        let loaded = try await DayLoading.load(store: store, zone: zone, date: date)
        let start = DayStart.plan(routes: loaded.currentRoutes, on: loaded.day)
        #expect(start.plan.unserved.isEmpty)
        #expect(start.inserted.isEmpty)
        #expect(start.displaced.isEmpty)
    }

    /// A road closed after booking: the plan is made and stored, and says loudly which promise it
    /// cannot keep and why.
    @Test func aClosureAfterBookingIsReportedAsABrokenPromise() async throws {
        let zone = ServerHarness.zone
        let (store, office) = try await Self.fresh(zone)
        let date = ServiceDate(parsing: "2099-07-21")!
        let local = zone.file.stops.filter { $0.municipality == "okukawa-mura" }
        try #require(local.count >= 3)
        let (stop, other, third) = (local[0], local[1], local[2])
        let m = zone.municipalityIndex["okukawa-mura"]!
        let kept = try await office.book(BookingRequest(passengerRef: "KEPT", municipality: m, municipalityID: "okukawa-mura",
                                                        pickup: BookingPlace(stopID: other.id), dropoff: BookingPlace(stopID: third.id),
                                                        date: date, timeKind: .pickup, requestedTime: 10 * 3600, partySize: 1, wheelchairs: 0, notes: ""),
                                         createdBy: "test")
        let cut = try await office.book(BookingRequest(passengerRef: "CUT-OFF", municipality: m, municipalityID: "okukawa-mura",
                                                       pickup: BookingPlace(stopID: stop.id), dropoff: BookingPlace(stopID: other.id), date: date,
                                                       timeKind: .pickup, requestedTime: 9 * 3600, partySize: 1, wheelchairs: 0, notes: ""), createdBy: "test")
        #expect(kept.record.status == .accepted)
        #expect(cut.record.status == .accepted)

        // A landslide closes the road at the stop on that date.
        let point = zone.points[zone.stopIndex[stop.id]!]
        let closure = EdgeClosure(edge: point.snapped.edge, period: .dates(from: date, to: date), reason: "landslide")
        let closed = try ServiceZone(file: zone.file, graph: zone.graph.addingClosures([closure]), hierarchy: nil)
        let outcome = try await PlanRun.run(store: store, zone: closed, date: date, strategy: SolveStrategy(.heuristic),
                                            limits: SolveLimits(iterationLimit: 100, seed: 1), holder: "test")
        let broken = try #require(outcome.document.brokenPromises)
        #expect(broken.map(\.bookingId) == [cut.record.id])
        #expect(broken.first?.reason == "road_closed")
        #expect(broken.first?.passengerRef == "CUT-OFF")
        #expect(broken.first?.promisedEarliest == TimeText.clock(cut.record.promisedEarliest!))
        // Stored, and loud in the table and the HTML view.
        #expect(try await store.latestPlan(serviceDate: date.description)?.version == outcome.version)
        #expect(PlanText.table(outcome, zone: closed).contains("BROKEN PROMISES (1)"))
        #expect(PlanHTML.render(outcome, zone: closed).contains("Broken promises (1)"))
        // The booking the closure does not touch is still served inside its window.
        Self.expectPromisesKept(outcome.document, records: [try #require(try await store.booking(id: kept.record.id))], "the other booking",
                                noneBroken: false)
    }

    /// Bookings accepted before routes were kept (a store of an older version, or a saved plan
    /// without them) have no stored place: the desk and the planner give each one its place
    /// again, in creation order, and every promise is still kept.
    @Test func bookingsWithoutAStoredPlaceAreGivenOneAndKeepTheirPromises() async throws {
        let zone = Self.smallFleet
        let (store, first) = try await Self.fresh(zone)
        let date = ServiceDate(parsing: "2099-07-22")!
        let requests = Self.bookings(zone: zone, date: date, count: 30, seed: 5)
        for request in requests.prefix(20) { _ = try await first.book(request, createdBy: "test") }
        // Every place forgotten: a saved plan with no routes.
        let empty = #"{"date": "2099-07-22", "created_at": "", "solver": "", "solver_reason": "", "status": "", "seconds": 0, "vehicles": [], "unserved": [], "summary": {"bookings": 0, "served": 0, "vehicles_used": 0, "driving_hours": 0}}"#
        _ = try JSONDecoder().decode(DayPlanDocument.self, from: Data(empty.utf8))
        let saved = try await store.savePlan(serviceDate: date.description, payload: Array(empty.utf8), createdBy: "test",
                                             scheduled: [], routes: [], expectedRevision: nil)
        guard case .saved = saved else { Issue.record("not saved"); return }
        #expect(try await store.dayRoutes(serviceDate: date.description) == [])
        let accepted = try await store.bookings(serviceDate: date.description, municipality: nil, createdBy: nil).filter(\.status.isActive)
        #expect(accepted.count >= 3)

        let loaded = try await DayLoading.load(store: store, zone: zone, date: date)
        let start = DayStart.plan(routes: loaded.currentRoutes, on: loaded.day)
        #expect(start.plan.unserved.isEmpty)
        #expect(start.inserted.count == accepted.count)

        // A desk that loads the day places them too, and answers new bookings around them.
        let office = BookingOffice(zone: zone, store: store)
        for request in requests.dropFirst(20) { _ = try await office.book(request, createdBy: "test") }
        let plan = try await PlanRun.run(store: store, zone: zone, date: date, strategy: SolveStrategy(.heuristic),
                                         limits: SolveLimits(iterationLimit: 100, seed: 5), holder: "test")
        Self.expectPromisesKept(plan.document, records: try await store.bookings(serviceDate: date.description, municipality: nil, createdBy: nil),
                                "after forgotten places")
    }
}
