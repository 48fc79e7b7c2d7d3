import DispatchWire
import Foundation
import Testing

@Suite struct ZoneCheckCommandTests {
    static let zonePath = CLIRunner.projectRoot.appendingPathComponent("Networks/default-zone.zone.json").path

    @Test func theEmbeddedZoneChecksCleanInOneLine() throws {
        let output = try CLIRunner.run(["zone", "check", Self.zonePath])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.split(separator: "\n").count == 1)
        #expect(output.stdout.contains("5 municipalities") && output.stdout.contains("no problems"))
    }

    @Test func everyProblemIsOneLineWithItsJSONPathAndTheExitCodeIs2() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var zone = try ZoneFile.load(path: Self.zonePath)
        zone.network = CLIRunner.projectRoot.appendingPathComponent("Networks/default-zone.dnet").path
        let lonely = zone.municipalities[4].id
        zone.stops[3].position = [138.5, 36.0]                       // far from every road
        zone.depots[1].position = [137.2, 35.5]
        zone.vehicles[0].depot = "nowhere"
        zone.vehicles[1].shift = .init(start: "02:00:00", end: "04:00:00")
        zone.municipalities[0].serviceHours.end = "25:00"
        for i in zone.vehicles.indices { zone.vehicles[i].serves.removeAll { $0 == lonely } }
        zone.stops.removeAll { $0.municipality == lonely }
        zone.rules = .init(outsideDestinations: [zone.municipalities[0].id: ["no-such-stop"]])
        let path = dir.appendingPathComponent("bad.zone.json").path
        try zone.write(to: path)
        let output = try CLIRunner.run(["zone", "check", path])
        #expect(output.status == 2)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        let expected = ["stops[3].position", "depots[1].position", "vehicles[0].depot", "vehicles[1].shift", "municipalities[0].service_hours.end",
                        "municipalities[4]: '\(lonely)' has no stop", "municipalities[4]: no vehicle serves", "rules.outside_destinations.\(zone.municipalities[0].id)[0]"]
        for fragment in expected { #expect(lines.contains { $0.contains(fragment) }, "\(fragment) in \(lines)") }
        #expect(lines.count == expected.count, "\(lines)")
        #expect(lines.allSatisfy { $0.hasPrefix("error: \(path): ") })
    }
}
