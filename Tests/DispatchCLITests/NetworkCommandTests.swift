import Foundation
import Testing

@Suite struct NetworkCommandTests {
    static let andorra = CLIRunner.sharedFile("andorra.osm.pbf")

    @Test(.enabled(if: andorra != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func importInfoAndRouteWorkEndToEnd() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let net = dir.appendingPathComponent("andorra.dnet").path
        let imported = try CLIRunner.run(["network", "import", Self.andorra!, "--output", net])
        #expect(imported.status == 0, "\(imported.stderr)")
        for field in ["nodes:", "arcs:", "components:", "dropped:", "bbox:", "build time:"] {
            #expect(imported.stdout.contains(field))
        }
        let info = try CLIRunner.run(["network", "info", net, "--format", "json"])
        #expect(info.status == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
        #expect((summary?["nodes"] as? Int ?? 0) > 1_500)
        let route = try CLIRunner.run(["network", "route", net, "--from", "42.5078,1.5211", "--to", "42.5600,1.5990", "--format", "json"])
        #expect(route.status == 0, "\(route.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(route.stdout.utf8)) as? [String: Any])
        let seconds = try #require(object["travelTimeSeconds"] as? Double)
        let metres = try #require(object["distanceMetres"] as? Int)
        #expect(seconds > 300 && seconds < 2_400)
        #expect(metres > 4_000 && metres < 25_000)
        let geometry = try #require(object["geometry"] as? [String: Any])
        #expect(geometry["type"] as? String == "LineString")
        #expect((geometry["coordinates"] as? [[Double]])?.count ?? 0 > 10)
        let text = try CLIRunner.run(["network", "route", net, "--from", "42.5078,1.5211", "--to", "42.5600,1.5990"])
        #expect(text.stdout.contains("travel time:") && text.stdout.contains("distance:"))
    }

    @Test(.enabled(if: andorra != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func pointsFarFromAnyRoadExitWithCode2AndOneLine() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let net = dir.appendingPathComponent("a.dnet").path
        #expect(try CLIRunner.run(["network", "import", Self.andorra!, "-o", net]).status == 0)
        let result = try CLIRunner.run(["network", "route", net, "--from", "42.5078,1.5211", "--to", "48.85,2.35"])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("48.85,2.35") && result.stderr.contains("500 m"))
    }

    @Test func badInputExitsWithCode2AndOneReadableLine() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("notes.txt")
        try Data("hello\n".utf8).write(to: text)
        let garbagePBF = dir.appendingPathComponent("broken.osm.pbf")
        try Data([0, 0, 0, 14, 0x0A, 9] + Array("OSMHeader".utf8) + [0x18, 0x7F]).write(to: garbagePBF)
        let oldNetwork = dir.appendingPathComponent("old.dnet")
        try Data(Array("DNETWORK".utf8) + [99, 0, 0, 0, 0, 0, 0, 0]).write(to: oldNetwork)
        let cases: [([String], String)] = [
            (["network", "import", text.path, "-o", dir.appendingPathComponent("x.dnet").path], "neither"),
            (["network", "import", garbagePBF.path, "-o", dir.appendingPathComponent("y.dnet").path], "damaged or truncated"),
            (["network", "import", "/nonexistent.osm.pbf", "-o", dir.appendingPathComponent("z.dnet").path], "Cannot read"),
            (["network", "info", oldNetwork.path], "version 99"),
            (["network", "route", oldNetwork.path, "--from", "1,2", "--to", "not-a-point"], "not a coordinate"),
            (["network", "route", oldNetwork.path, "--from", "1,2", "--to", "3,4", "--date", "2026-02-30"], "not a date"),
            (["network", "import", text.path], "--output"),
            (["network", "frobnicate"], "frobnicate"),
        ]
        for (arguments, fragment) in cases {
            let result = try CLIRunner.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(fragment), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
    }

    @Test func helpExitsWithZero() throws {
        let result = try CLIRunner.run(["network", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("import") && result.stdout.contains("route"))
    }
}
