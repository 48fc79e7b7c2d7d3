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
}
