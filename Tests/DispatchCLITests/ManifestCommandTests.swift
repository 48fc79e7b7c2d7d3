import DispatchPlanning
import Foundation
import Testing

/// `dispatch manifest`: the manifest the API gives, from the store, without a server.
@Suite struct ManifestCommandTests {
    @Test func aVehiclesManifestHoldsItsPlannedStopsAndBadInputExitsWith2() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = "sqlite:" + dir.appendingPathComponent("store.sqlite").path
        let demo = try CLIRunner.run(["demo", "--bookings", "30", "--store", store, "-o", dir.appendingPathComponent("d.html").path,
                                      "--iterations", "100", "--quiet"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let plan = try CLIRunner.run(["plan", "--date", "2026-12-01", "--store", store, "--iterations", "50", "--format", "json", "--quiet"])
        let document = try DayPlanDocument.decode(Array(plan.stdout.utf8))
        // The busiest vehicle: its manifest lists exactly the stops of its duties.
        let counts = Dictionary(grouping: document.vehicles, by: { ServiceZone.vehicleID(ofDuty: $0.id) }).mapValues { $0.flatMap(\.stops) }
        let (vehicle, stops) = try #require(counts.max { $0.value.count < $1.value.count })
        #expect(!stops.isEmpty)
        let json = try CLIRunner.run(["manifest", "--date", "2026-12-01", "--vehicle", vehicle, "--store", store, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let listed = (manifest["stops"] as? [[String: Any]] ?? []).map { "\($0["booking_id"] as? String ?? "") \($0["action"] as? String ?? "")" }
        #expect(listed.sorted() == stops.map { "\($0.bookingId) \($0.action)" }.sorted())
        let html = try CLIRunner.run(["manifest", "--date", "2026-12-01", "--vehicle", vehicle, "--store", store])
        #expect(html.status == 0 && html.stdout.contains("@page") && html.stdout.contains(vehicle))
        // Bad input: one line, exit 2.
        for args in [["--vehicle", "no-such-vehicle", "--date", "2026-12-01"], ["--vehicle", vehicle, "--date", "2026-12-02"],
                     ["--vehicle", vehicle, "--date", "1 December"]] {
            let bad = try CLIRunner.run(["manifest", "--store", store] + args)
            #expect(bad.status == 2, "\(args): \(bad.stderr)")
            #expect(bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
        }
    }
}
