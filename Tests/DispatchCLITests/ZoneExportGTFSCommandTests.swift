import DispatchWire
import Foundation
import Testing

@Suite struct ZoneExportGTFSCommandTests {
    static let zonePath = CLIRunner.projectRoot.appendingPathComponent("Networks/default-zone.zone.json").path

    /// A GTFS validator that knows the Flex files, when one is installed: `DISPATCH_GTFS_VALIDATOR`,
    /// or `gtfs-validator` on the PATH (PyPI's `gtfs-validator`, a port of MobilityData's rule set).
    static let validator: String? = {
        let env = ProcessInfo.processInfo.environment
        if let path = env["DISPATCH_GTFS_VALIDATOR"], FileManager.default.isExecutableFile(atPath: path) { return path }
        for dir in (env["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/gtfs-validator"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        print("note: no gtfs-validator installed (pip install gtfs-validator, or set DISPATCH_GTFS_VALIDATOR); the feed is not run through it")
        return nil
    }()

    /// `make test` installs the validator (scripts/gtfs-validator); in CI its absence is a failure, not a skip.
    @Test func theGTFSValidatorRunsInCI() {
        if ["true", "1", "yes"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "") {
            #expect(Self.validator != nil, "make test hands scripts/gtfs-validator's executable to the tests")
        }
    }

    @Test func theEmbeddedZoneIsExportedWithEveryFileAndOneSummaryLine() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A file an earlier export left (location groups only come with cross-border rules) is removed.
        try Data("location_group_id\n".utf8).write(to: dir.appendingPathComponent("location_groups.txt"))
        let output = try CLIRunner.run(["zone", "export-gtfs", "--zone", Self.zonePath, "--output", dir.path, "--from", "2026-12-01", "--until", "2026-12-31"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.split(separator: "\n").count == 1 && output.stdout.contains("2026-12-01 to 2026-12-31"))
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(names.isSuperset(of: ["agency.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt", "booking_rules.txt", "locations.geojson",
                                      "feed_info.txt"]), "\(names)")
        #expect(!names.contains("location_groups.txt"))
        #expect(try String(contentsOf: dir.appendingPathComponent("stops.txt"), encoding: .utf8) == "stop_id,stop_name,stop_lat,stop_lon\n")
        let zone = try ZoneFile.load(path: Self.zonePath)
        let routes = try String(contentsOf: dir.appendingPathComponent("routes.txt"), encoding: .utf8)
        #expect(routes.split(separator: "\n").count == 1 + zone.municipalities.count)
        let info = try String(contentsOf: dir.appendingPathComponent("feed_info.txt"), encoding: .utf8)
        #expect(info.contains(",20261201,20261231,"))
        // The default range runs from today to the booking horizon.
        let again = try CLIRunner.run(["zone", "export-gtfs", "--output", dir.path], in: CLIRunner.projectRoot)
        #expect(again.status == 0, "\(again.stderr)")
    }

    /// The embedded zone with every calendar and booking feature: service days, a New Year
    /// closing, cut-offs (for early trips, for all trips, same-day), an operator-only service,
    /// cross-border rules with an outside destination and an agreement, an exclave.
    static func richZone(in dir: URL) throws -> String {
        var zone = try ZoneFile.load(path: zonePath)
        zone.network = CLIRunner.projectRoot.appendingPathComponent("Networks/default-zone.dnet").path
        zone.calendar = .init(holidays: "japan", closingDays: [.init(from: "12-29", until: "01-03", name: "New Year")])
        zone.municipalities[0].serviceDays = ["weekday", "saturday", "sunday_holiday"]
        zone.municipalities[1].serviceDays = ["weekday"]
        zone.municipalities[1].booking = .init(horizonDays: 14, cutoff: .init(tripsBefore: "10:00", bookBy: "17:00", daysBefore: 1), minNoticeMinutes: 30,
                                               phone: "0261-00-1111")
        zone.municipalities[2].serviceDays = ["weekday", "saturday"]
        zone.municipalities[2].booking = .init(cutoff: .init(bookBy: "16:30", daysBefore: 2), message: "Call the desk, please.")
        zone.municipalities[3].booking = .init(cutoff: .init(tripsBefore: "09:00", bookBy: "08:00", daysBefore: 0), minNoticeMinutes: 60, operatorOnly: true)
        let ring = zone.municipalities[4].boundary[0]
        let (lon, lat) = (ring.map { $0[0] }.max()! + 0.01, ring.map { $0[1] }.min()!)
        zone.municipalities[4].boundary.append([[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]])
        zone.rules = .init(outsideDestinations: [zone.municipalities[2].id: ["hanaoka-prefectural-hospital-hospital"]],
                           agreements: [.init(name: "Minamidani–Hanaoka", between: [zone.municipalities[1].id, zone.municipalities[0].id])])
        let path = dir.appendingPathComponent("rich.zone.json").path
        try zone.write(to: path)
        return path
    }

    @Test(.enabled(if: validator != nil, "needs a GTFS validator (pip install gtfs-validator)"),
          arguments: ["embedded", "rich"])
    func theValidatorFindsNoErrorInTheFeed(of zone: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let zonePath = zone == "embedded" ? Self.zonePath : try Self.richZone(in: dir)
        let feed = dir.appendingPathComponent("feed"), report = dir.appendingPathComponent("report")
        let output = try CLIRunner.run(["zone", "export-gtfs", "--zone", zonePath, "-o", feed.path, "--from", "2026-12-01", "--until", "2027-02-28"])
        #expect(output.status == 0, "\(output.stderr)")
        if zone == "rich" {
            let names = try FileManager.default.contentsOfDirectory(atPath: feed.path)
            #expect(names.contains("calendar_dates.txt") && names.contains("location_groups.txt"), "\(names)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.validator!)
        process.arguments = ["-i", feed.path, "-o", report.path, "-d", "2026-12-01"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let data = try Data(contentsOf: report.appendingPathComponent("report.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let notices = try #require(json["notices"] as? [[String: Any]])
        let errors = notices.filter { $0["severity"] as? String == "ERROR" }.map { "\($0["code"] ?? "?") ×\($0["totalNotices"] ?? "?")" }
        #expect(errors.isEmpty, "validator errors: \(errors)")
    }

    @Test func aZoneWithoutAgencyIsRefusedWithOneLineSayingWhatToAdd() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var zone = try ZoneFile.load(path: Self.zonePath)
        zone.agency = nil
        zone.network = CLIRunner.projectRoot.appendingPathComponent("Networks/default-zone.dnet").path
        let path = dir.appendingPathComponent("no-agency.zone.json").path
        try zone.write(to: path)
        let output = try CLIRunner.run(["zone", "export-gtfs", "--zone", path, "-o", dir.appendingPathComponent("feed").path])
        #expect(output.status == 2)
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("agency") && lines[0].contains("name") && lines[0].contains("url"), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("feed").path), "nothing is written")

        let reversed = try CLIRunner.run(["zone", "export-gtfs", "-o", dir.path, "--from", "2026-12-31", "--until", "2026-12-01"])
        #expect(reversed.status == 2 && reversed.stderr.split(separator: "\n").count == 1)
        let badDate = try CLIRunner.run(["zone", "export-gtfs", "-o", dir.path, "--from", "2026-13-01"])
        #expect(badDate.status == 2 && badDate.stderr.contains("--from"))
    }
}
