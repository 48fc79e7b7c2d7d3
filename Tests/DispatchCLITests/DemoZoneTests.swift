import DispatchPlanning
import DispatchWire
import Foundation
import RideRequestStore
import Testing

/// `dispatch demo --zone` on a zone that is not the embedded one.
@Suite struct DemoZoneTests {
    /// A copy of the embedded zone whose places are all villages (no hospital, clinic, shop,
    /// station, school or town hall), written with its network file beside it.
    static func villageZone() throws -> (dir: URL, zone: String) {
        let dir = try CLIRunner.temporaryDirectory()
        let networks = CLIRunner.projectRoot.appendingPathComponent("Networks")
        var file = try ZoneFile.load(path: networks.appendingPathComponent("default-zone.zone.json").path)
        for i in file.places.indices { file.places[i].kind = "village" }
        file.name = "Village valleys"
        file.network = "valleys.dnet"
        let zone = dir.appendingPathComponent("valleys.zone.json").path
        try file.write(to: zone)
        try FileManager.default.copyItem(at: networks.appendingPathComponent("default-zone.dnet"), to: dir.appendingPathComponent("valleys.dnet"))
        return (dir, zone)
    }

    @Test func aZoneWithoutHospitalOrShopsIsBookedAndPlannedWithEveryBookingOnceAndTheFallbacksSaid() async throws {
        let (dir, zone) = try Self.villageZone()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = "sqlite:" + dir.appendingPathComponent("store.sqlite").path
        // From another folder: the network is found beside the zone file, not in the working folder.
        let demo = try CLIRunner.run(["demo", "--zone", zone, "--bookings", "30", "--iterations", "100", "--store", store,
                                      "-o", dir.appendingPathComponent("d.html").path, "--quiet"], in: FileManager.default.temporaryDirectory)
        #expect(demo.status == 0 || demo.status == 4, "\(demo.stderr)")
        #expect(demo.stdout.contains("on Village valleys"))
        for fallback in ["No hospital, clinic or doctors in the zone", "No supermarket in the zone", "No station in the zone"] {
            #expect(demo.stdout.contains(fallback), "\(fallback) missing from:\n\(demo.stdout)")
        }

        let opened = try await openStore(store)
        let bookings = try await opened.bookings(serviceDate: "2026-12-01", municipality: nil, createdBy: nil)
        #expect(bookings.count >= 30)
        let stops = Set(try ZoneFile.load(path: zone).stops.map(\.id))
        #expect(bookings.allSatisfy { stops.contains($0.pickup.stopID ?? "") && stops.contains($0.dropoff.stopID ?? "") })
        #expect(bookings.filter { $0.promisedEarliest != nil }.count >= 20, "most of a day's bookings are accepted with a promise")

        let stored = try #require(try await opened.latestPlan(serviceDate: "2026-12-01"))
        let plan = try DayPlanDocument.decode(stored.payload)
        let pickups = plan.vehicles.flatMap { $0.stops.filter { $0.action == "pickup" }.map(\.bookingId) }
        let dropoffs = plan.vehicles.flatMap { $0.stops.filter { $0.action == "dropoff" }.map(\.bookingId) }
        let unserved = plan.unserved.map(\.bookingId)
        #expect((pickups + unserved).sorted() == bookings.map(\.id).sorted(), "every booking once, in a route or unserved")
        #expect(pickups.sorted() == dropoffs.sorted())
        #expect(!pickups.isEmpty)
    }

    /// The demo books a drawn date: the calendar's rules hold (a municipality without service that
    /// day has its bookings refused, not stored), the wall clock's do not (cut-off, horizon).
    @Test func theDemoKeepsTheServiceDaysButNotTheWallClocksCutoffOrHorizon() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let networks = CLIRunner.projectRoot.appendingPathComponent("Networks")
        var file = try ZoneFile.load(path: networks.appendingPathComponent("default-zone.zone.json").path)
        for i in file.municipalities.indices {
            // Days before any wall clock that runs this test: were the cut-off and horizon applied, nothing would be booked.
            file.municipalities[i].booking = ZoneFile.BookingRules(horizonDays: 0, cutoff: ZoneFile.Cutoff(bookBy: "17:00", daysBefore: 30))
            if file.municipalities[i].id == "okukawa-mura" { file.municipalities[i].serviceDays = ["saturday"] }
        }
        file.network = networks.appendingPathComponent("default-zone.dnet").path
        let zone = dir.appendingPathComponent("rules.zone.json").path
        try file.write(to: zone)
        let store = "sqlite:" + dir.appendingPathComponent("store.sqlite").path
        let demo = try CLIRunner.run(["demo", "--zone", zone, "--date", "2026-12-01", "--bookings", "60", "--iterations", "50", "--store", store,
                                      "-o", dir.appendingPathComponent("d.html").path, "--quiet"], in: dir)
        #expect(demo.status == 0 || demo.status == 4, "\(demo.stderr)")
        func number(after prefix: String) -> Int? {
            guard let line = demo.stdout.split(separator: "\n").first(where: { $0.contains(prefix) }) else { return nil }
            return line.split(separator: " ").lazy.compactMap { Int($0) }.first
        }
        let booked = try #require(number(after: "Booked "), "\(demo.stdout)")
        let refused = try #require(number(after: "refused by the booking rule service_days"), "\(demo.stdout)")
        #expect(refused > 0)
        #expect(!demo.stdout.contains("booking rule cutoff") && !demo.stdout.contains("booking rule horizon"), "\(demo.stdout)")
        let opened = try await openStore(store)
        let bookings = try await opened.bookings(serviceDate: "2026-12-01", municipality: nil, createdBy: nil)
        #expect(bookings.count == booked - refused)
        #expect(!bookings.contains { $0.municipality == "okukawa-mura" })
    }
}
