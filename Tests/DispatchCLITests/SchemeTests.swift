import DispatchWire
import Foundation
import Testing

/// Every JSON document the command line writes, and the embedded zone file, in the one naming
/// scheme (`JSONScheme`). The server's answers have their own walk (DispatchServerTests).
@Suite struct CLISchemeTests {
    static let zoneFile = CLIRunner.projectRoot.appendingPathComponent("Networks/default-zone.zone.json").path
    static let network = CLIRunner.projectRoot.appendingPathComponent("Networks/default-zone.dnet").path
    static let idKeyedMaps: Set<String> = ["fares", "rules.outside_destinations", "wide_area.fares"]

    func problems(_ text: String, geoJSON: Bool = false) -> [String] {
        var parser = JSONParser(Array(text.utf8))
        guard let value = parser.document() else { return ["not JSON (\(parser.problem)): \(text.prefix(200))"] }
        var keys = JSONScheme.enumerationKeys
        if geoJSON { keys.remove("type") }
        return JSONScheme.violations(in: value, idKeyedMaps: Self.idKeyedMaps, enumerationKeys: keys)
    }

    @Test func everyCommandsJSONAndTheZoneFileFollowTheScheme() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var documents: [(String, String, Bool)] = [("zone file", try String(contentsOfFile: Self.zoneFile, encoding: .utf8), false)]
        func run(_ name: String, _ arguments: [String], geoJSON: Bool = false, status: Int32 = 0) throws {
            let output = try CLIRunner.run(arguments, in: dir)
            #expect(output.status == status, "\(name): \(output.stderr)")
            documents.append((name, output.stdout, geoJSON))
        }
        // Three stops of the embedded zone (positions are [lon, lat]; the CLI takes LAT,LON).
        var parser = JSONParser(Array(try String(contentsOfFile: Self.zoneFile, encoding: .utf8).utf8))
        guard case .object(let zone)? = parser.document(), case .array(let stops)? = zone["stops"] else { Issue.record("zone"); return }
        let points: [(String, Double, Double)] = stops.prefix(3).compactMap {
            guard case .object(let s) = $0, case .string(let id)? = s["id"], case .array(let p)? = s["position"],
                  case .number(let lon) = p[0], case .number(let lat) = p[1] else { return nil }
            return (id, lat, lon)
        }
        #expect(points.count == 3)
        let csv = dir.appendingPathComponent("points.csv")
        try ("id,lat,lon\n" + points.map { "\($0.0),\($0.1),\($0.2)" }.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)

        try run("network info", ["network", "info", Self.network, "--format", "json"])
        try run("network route", ["network", "route", Self.network, "--from", "\(points[0].1),\(points[0].2)", "--to", "\(points[1].1),\(points[1].2)",
                                  "--format", "json"])
        try run("network table", ["network", "table", Self.network, "--points", csv.path, "--format", "json"])
        try run("bench routing", ["bench", "routing", Self.network, "--queries", "20", "--table", "10", "--format", "json"])
        let instance = dir.appendingPathComponent("two.txt")
        try "1 2 480 3 30\n0 0 0 0 0 0 480\n1 10 0 3 1 0 480\n2 0 10 3 1 0 480\n3 20 0 3 -1 0 480\n4 0 20 3 -1 0 480\n5 0 0 0 0 0 480\n"
            .write(to: instance, atomically: true, encoding: .utf8)
        try run("solve", ["solve", instance.path, "--format", "json", "--quiet", "--time-limit", "2"])
        let store = "sqlite:" + dir.appendingPathComponent("d.sqlite").path
        let demo = try CLIRunner.run(["demo", "--bookings", "40", "--store", store, "-o", dir.appendingPathComponent("d.html").path,
                                      "--iterations", "100", "--quiet"], in: dir)
        #expect(demo.status == 0 || demo.status == 4, "\(demo.stderr)")
        try run("plan json", ["plan", "--date", "2026-12-01", "--store", store, "--iterations", "50", "--format", "json", "--quiet"])
        try run("plan geojson", ["plan", "--date", "2026-12-01", "--store", store, "--iterations", "50", "--format", "geojson", "--quiet"], geoJSON: true)
        try run("plan --compare-standalone", ["plan", "--date", "2026-12-01", "--store", store, "--iterations", "20", "--compare-standalone",
                                              "--format", "json", "--quiet"])
        try run("plan diff json", ["plan", "diff", "--date", "2026-12-01", "--store", store, "--from", "1", "--threshold", "0", "--format", "json"])
        try run("report json", ["report", "--from", "2026-12-01", "--to", "2026-12-01", "--store", store, "--format", "json"])
        try run("manifest json", ["manifest", "--date", "2026-12-01", "--vehicle", "kitazawa-mura-1", "--store", store, "--format", "json"])
        let standing = ["--store", store, "--date", "2026-11-30", "--booking-horizon-days", "7"]
        try run("standing create", ["standing", "create", "--passenger", "P-1", "--municipality", "okukawa-mura",
                                    "--pickup", "okukawa-yakuba-mae-meetingpoint", "--dropoff", "hanaoka-prefectural-hospital-hospital",
                                    "--pickup-time", "10:00", "--weekdays", "mon,wed,fri", "--from", "2026-11-30", "--skip-holidays",
                                    "--except", "2026-12-02", "--format", "json"] + standing)
        try run("standing list", ["standing", "list", "--format", "json"] + standing)
        try run("standing extend", ["standing", "extend", "--format", "json", "--store", store, "--date", "2026-12-03", "--booking-horizon-days", "7"])
        var id = ""
        if let list = documents.last(where: { $0.0 == "standing list" })?.1, let range = list.range(of: "\"id\":\"") {
            id = String(list[range.upperBound...].prefix { $0 != "\"" })
        }
        try run("standing cancel", ["standing", "cancel", id, "--format", "json", "--store", store, "--date", "2026-12-03"])

        let feed = dir.appendingPathComponent("gtfs")
        let export = try CLIRunner.run(["zone", "export-gtfs", "-o", feed.path, "--from", "2026-12-01", "--until", "2026-12-31"], in: dir)
        #expect(export.status == 0, "zone export-gtfs: \(export.stderr)")
        documents.append(("zone export-gtfs locations.geojson", (try? String(contentsOf: feed.appendingPathComponent("locations.geojson"), encoding: .utf8)) ?? "", true))

        #expect(documents.count == 17)
        // Plans carry their objective, GLPK's lower bound and the gap (null when nothing was proven).
        for name in ["solve", "plan json"] {
            let text = documents.first { $0.0 == name }?.1 ?? ""
            var parser = JSONParser(Array(text.utf8))
            guard case .object(let document)? = parser.document() else { Issue.record("\(name): not an object"); continue }
            for key in ["objective", "unserved_penalty", "lower_bound", "gap", "bound_note"] {
                #expect(document[key] != nil, "\(name) has no \(key)")
            }
            if case .number(let bound)? = document["lower_bound"], case .number(let objective)? = document["objective"] {
                #expect(bound <= objective, "\(name): lower_bound above the objective")
            }
        }
        for (name, text, geoJSON) in documents {
            let found = problems(text, geoJSON: geoJSON)
            #expect(found.isEmpty, "\(name): \(found.prefix(10))")
        }
    }
}
