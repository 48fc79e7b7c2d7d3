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
        let seconds = try #require(object["travel_time_seconds"] as? Double)
        let metres = try #require(object["distance_metres"] as? Int)
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
            (["demo", "--zone", "/nonexistent.zone.json"], "cannot be read"),
            (["demo", "--zone", text.path], "not valid JSON"),
            (["network", "route", oldNetwork.path, "--from", "1,2", "--to", "3,4", "--max-snap", "inf"], "--max-snap"),
        ]
        for (arguments, fragment) in cases {
            let result = try CLIRunner.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(fragment), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
    }

    @Test(.enabled(if: andorra != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func tableAndRoutingBenchmarkAgreeWithRouteAndReportNoMismatches() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let net = dir.appendingPathComponent("a.dnet").path
        #expect(try CLIRunner.run(["network", "import", Self.andorra!, "-o", net]).status == 0)
        let points = dir.appendingPathComponent("points.csv")
        try Data("id,lat,lon\nvella,42.5078,1.5211\nencamp,42.5360,1.5830\n\"Ordino, centre\",42.5560,1.5330\n".utf8).write(to: points)
        let json = try CLIRunner.run(["network", "table", net, "--points", points.path, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(doc["ids"] as? [String] == ["vella", "encamp", "Ordino, centre"])
        let times = try #require(doc["travel_time_seconds"] as? [[Double]])
        let route = try CLIRunner.run(["network", "route", net, "--from", "42.5078,1.5211", "--to", "42.5360,1.5830", "--format", "json"])
        let routed = try #require(try JSONSerialization.jsonObject(with: Data(route.stdout.utf8)) as? [String: Any])
        #expect(times[0][1] == routed["travel_time_seconds"] as? Double)
        #expect(times[0][0] == 0)
        let csv = try CLIRunner.run(["network", "table", net, "--points", points.path])
        #expect(csv.stdout.hasPrefix("\u{FEFF}from,to,travel_time_s,distance_m,reachable\r\n"), "one CSV dialect: BOM and CRLF")
        #expect(csv.stdout.contains("\"Ordino, centre\",vella,"))
        // Two networks in one run: the imported file and the OpenStreetMap extract itself.
        let bench = try CLIRunner.run(["bench", "routing", net, Self.andorra!, "--queries", "200", "--table", "50", "--format", "json"])
        #expect(bench.status == 0, "\(bench.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows.map { $0["network"] as? String } == [net, Self.andorra!])
        #expect(rows.map { $0["source"] as? String } == ["load", "import"])
        for figures in rows {
            for key in ["nodes", "arcs", "load_s", "ch_build_s", "dijkstra_query_us", "ch_query_us", "speedup", "table_size", "table_ms",
                        "dijkstra_table_ms", "table_speedup", "mismatches"] {
                #expect(figures[key] != nil, "missing \(key)")
            }
            #expect(figures["mismatches"] as? Int == 0)
            #expect(figures["table_size"] as? Int == 50)
        }
        #expect(rows[0]["nodes"] as? Int == rows[1]["nodes"] as? Int, "the same extract, loaded or imported")
        let table = try CLIRunner.run(["bench", "routing", net, "--queries", "20", "--table", "5"])
        #expect(table.status == 0 && table.stdout.contains("a.dnet") && table.stdout.contains("mismatches"))
        let far = dir.appendingPathComponent("far.csv")
        try Data("id,lat,lon\nvella,42.5078,1.5211\nparis,48.85,2.35\n".utf8).write(to: far)
        let refused = try CLIRunner.run(["network", "table", net, "--points", far.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("line 3") && refused.stderr.contains("paris"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
    }

    @Test func theExitCodesOfHelpAreTheReadmesAndEachHappens() throws {
        let help = try CLIRunner.run(["--help"])
        #expect(help.status == 0)
        let table = help.stdout.components(separatedBy: "EXIT CODES:").last ?? ""
        let helpCodes = table.split(separator: "\n").compactMap { line -> Int? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("  "), let first = t.split(separator: " ").first else { return nil }
            return Int(first)
        }
        let readme = try String(contentsOf: CLIRunner.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = readme.components(separatedBy: "### Exit codes").last!.components(separatedBy: "\n### ").first!
        let readmeCodes = section.split(separator: "\n").compactMap { line -> Int? in
            guard line.hasPrefix("| "), let cell = line.split(separator: "|").first else { return nil }
            return Int(cell.trimmingCharacters(in: .whitespaces))
        }
        #expect(helpCodes == Array(0...5), "\(table)")
        #expect(readmeCodes == helpCodes)
        // 5: a store that cannot be opened; 2: an address that is no store.
        let unavailable = try CLIRunner.run(["keys", "revoke", "key-x", "--store", "sqlite:/proc/dispatch-test/none.sqlite"])
        #expect(unavailable.status == 5, "\(unavailable.stderr)")
        #expect(unavailable.stderr.split(separator: "\n").count == 1)
        let notAStore = try CLIRunner.run(["keys", "revoke", "key-x", "--store", "mysql://x"])
        #expect(notAStore.status == 2, "\(notAStore.stderr)")
    }
}
