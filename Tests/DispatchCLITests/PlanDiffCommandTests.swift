import DispatchPlanning
import DispatchWire
import Foundation
import RideRequestStore
import Testing

/// `dispatch plan diff` after a re-plan that withdraws a vehicle, and the `changes` section the
/// re-plan stored.
@Suite struct PlanDiffCommandTests {
    @Test func aVehicleWithdrawnPutsItsPassengersOnTheCallListInEveryFormatAndInTheNewVersion() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = "sqlite:" + dir.appendingPathComponent("store.sqlite").path
        let demo = try CLIRunner.run(["demo", "--bookings", "40", "--store", store, "-o", dir.appendingPathComponent("d.html").path,
                                      "--iterations", "100", "--quiet"])
        #expect(demo.status == 0 || demo.status == 4, "\(demo.stderr)")
        let first = try #require(try await PlanCommandTests.plan(store, version: 1))
        #expect(first.changes == nil, "the first version has nothing to compare with")

        // The vehicle with the most pickups leaves the fleet.
        let pickups = Dictionary(grouping: first.vehicles.flatMap { route in
            route.stops.filter { $0.action == "pickup" }.map { (ServiceZone.vehicleID(ofDuty: route.id), $0.bookingId) }
        }, by: \.0).mapValues { $0.map(\.1) }
        let (withdrawn, itsBookings) = try #require(pickups.max { ($0.value.count, $0.key) < ($1.value.count, $1.key) })
        #expect(!itsBookings.isEmpty)
        let zonePath = CLIRunner.projectRoot.appendingPathComponent("Networks/default-zone.zone.json")
        var zone = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: zonePath)) as? [String: Any])
        let vehicles = try #require(zone["vehicles"] as? [[String: Any]])
        zone["vehicles"] = vehicles.filter { $0["id"] as? String != withdrawn }
        zone["network"] = CLIRunner.projectRoot.appendingPathComponent("Networks/default-zone.dnet").path
        let smaller = dir.appendingPathComponent("smaller.zone.json")
        try JSONSerialization.data(withJSONObject: zone).write(to: smaller)

        let replan = try CLIRunner.run(["plan", "--date", "2026-12-01", "--store", store, "--zone", smaller.path, "--iterations", "100",
                                        "--format", "json", "--quiet"])
        #expect(replan.status == 0 || replan.status == 4, "\(replan.stderr)")
        let second = try #require(try await PlanCommandTests.plan(store, version: 2))
        let changes = try #require(second.changes)
        #expect(changes.fromVersion == 1 && changes.thresholdMinutes == 10)
        #expect(try DayPlanDocument.decode(Array(replan.stdout.utf8)).changes == changes)

        // Every passenger of the withdrawn vehicle is on the list, with the vehicle they had.
        let records = Dictionary(uniqueKeysWithValues: try await PlanCommandTests.bookings(store).map { ($0.id, $0) })
        let byID = Dictionary(changes.entries.map { ($0.bookingId, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byID.count == changes.entries.count, "one entry per booking")
        for id in itsBookings {
            let entry = try #require(byID[id], "\(id) rode with \(withdrawn) in v1 but is not on the call list")
            #expect([.movedVehicle, .brokenPromise, .newlyUnserved].contains(entry.kind), "\(id): \(entry.kind)")
            #expect(entry.oldVehicle == withdrawn && entry.newVehicle != withdrawn)
        }
        for entry in changes.entries {
            let record = try #require(records[entry.bookingId])
            #expect(entry.passengerRef == record.passengerRef && entry.municipality == record.municipality)
            #expect(!entry.message.isEmpty)
        }

        // JSON: the same list as the stored section, with the date and both versions.
        let json = try CLIRunner.run(["plan", "diff", "--date", "2026-12-01", "--store", store, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(try JSONDecoder().decode(PlanChanges.self, from: Data(json.stdout.utf8)) == changes)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["date"] as? String == "2026-12-01" && object["to_version"] as? Int == 2 && object["from_version"] as? Int == 1)
        let explicit = try CLIRunner.run(["plan", "diff", "--date", "2026-12-01", "--store", store, "--from", "1", "--to", "2", "--format", "json"])
        #expect(explicit.stdout == json.stdout)

        // Table and CSV: the municipality's Japanese name and what to tell the passenger.
        let zoneFile = try ZoneFile.load(path: zonePath.path)
        let localName = Dictionary(uniqueKeysWithValues: zoneFile.municipalities.map { ($0.id, $0.localName) })
        let table = try CLIRunner.run(["plan", "diff", "--date", "2026-12-01", "--store", store])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("Call list 2026-12-01: v1 → v2"), "\(table.stdout)")
        for entry in changes.entries {
            let line = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix(entry.bookingId + " ") }, "\(entry.bookingId) not in the table")
            #expect(line.contains(try #require(localName[entry.municipality])) && line.contains(entry.kind.rawValue) && line.contains(entry.passengerRef))
        }
        let file = dir.appendingPathComponent("calls.csv")
        let csv = try CLIRunner.run(["plan", "diff", "--date", "2026-12-01", "--store", store, "--format", "csv", "-o", file.path])
        #expect(csv.status == 0 && csv.stdout.isEmpty, "\(csv.stderr)")
        let bytes = try Data(contentsOf: file)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 byte-order mark")
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        let rows = text.components(separatedBy: "\r\n").dropLast()
        #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF line ends")
        #expect(rows.first?.hasPrefix("booking_id,passenger_ref,municipality,municipality_name,kind,") == true)
        #expect(rows.count == changes.entries.count + 1)
        for (row, entry) in zip(rows.dropFirst(), changes.entries) {
            #expect(row.hasPrefix(entry.bookingId + ",") && row.contains("," + (localName[entry.municipality] ?? "?") + ","), "\(row)")
        }

        // A higher threshold lists no more than the default.
        let calm = try CLIRunner.run(["plan", "diff", "--date", "2026-12-01", "--store", store, "--threshold", "60", "--format", "json"])
        let calmList = try JSONDecoder().decode(PlanChanges.self, from: Data(calm.stdout.utf8))
        #expect(calmList.thresholdMinutes == 60 && Set(calmList.entries.map(\.bookingId)).isSubset(of: Set(byID.keys)))

        // Bad input: exit code 2 and one line.
        for (arguments, says) in [(["--to", "9"], "version 9"), (["--from", "2", "--to", "2"], "--from"), (["--to", "1"], "first version"),
                                  (["--threshold", "2000"], "--threshold"), (["--format", "html"], "html")] {
            let bad = try CLIRunner.run(["plan", "diff", "--date", "2026-12-01", "--store", store] + arguments)
            #expect(bad.status == 2 && bad.stdout.isEmpty, "\(arguments): \(bad.status) \(bad.stderr)")
            #expect(bad.stderr.split(separator: "\n").count == 1 && bad.stderr.contains(says), "\(arguments): \(bad.stderr)")
        }
        let noPlan = try CLIRunner.run(["plan", "diff", "--date", "2026-12-02", "--store", store])
        #expect(noPlan.status == 2 && noPlan.stderr.contains("no plan is stored for 2026-12-02"), "\(noPlan.stderr)")
    }
}
