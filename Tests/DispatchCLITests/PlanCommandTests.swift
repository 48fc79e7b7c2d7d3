import DispatchPlanning
import DispatchWire
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RideRequestStore
import RoadNetwork
import Testing

/// `dispatch demo` and `dispatch plan` on a small day in a fresh store.
@Suite(.serialized) struct PlanCommandTests {
    /// A store with a demo day of 30 bookings (some impossible), planned once by the demo.
    static func demoStore() throws -> (dir: URL, store: String) {
        let dir = try CLIRunner.temporaryDirectory()
        let store = "sqlite:" + dir.appendingPathComponent("store.sqlite").path
        let demo = try CLIRunner.run(["demo", "--bookings", "30", "--store", store, "-o", dir.appendingPathComponent("demo.html").path,
                                      "--time-limit", "1", "--quiet"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("Booked") && demo.stdout.contains("Figures") && demo.stdout.contains("demo.html"))
        return (dir, store)
    }

    static func bookings(_ store: String, date: String = "2026-12-01") async throws -> [BookingRecord] {
        try await openStore(store).bookings(serviceDate: date, municipality: nil, createdBy: nil)
    }

    @Test func everyBookingOfTheDateAppearsExactlyOnceInRoutesOrUnservedWithAReason() async throws {
        let (_, store) = try Self.demoStore()
        let output = try CLIRunner.run(["plan", "--date", "2026-12-01", "--store", store, "--format", "json", "--time-limit", "1", "--quiet"])
        #expect(output.status == 0, "\(output.stderr)")
        let document = try JSONDecoder().decode(DayPlanDocument.self, from: Data(output.stdout.utf8))
        let pickups = document.vehicles.flatMap { $0.stops.filter { $0.action == "pickup" }.map(\.bookingId) }
        let dropoffs = document.vehicles.flatMap { $0.stops.filter { $0.action == "dropoff" }.map(\.bookingId) }
        let unserved = document.unserved.map(\.bookingId)
        let all = try await Self.bookings(store).map(\.id)
        #expect((pickups + unserved).sorted() == all.sorted())
        #expect(Set(pickups) == Set(dropoffs) && pickups.count == dropoffs.count)
        #expect(document.unserved.allSatisfy { !$0.reason.isEmpty && !$0.message.isEmpty })
        // The demo's impossible requests are among the unserved, with their reasons.
        #expect(document.unserved.contains { $0.message.contains("road closed") })
        #expect(document.version == 2)   // the demo stored version 1
        #expect(document.kpis?.requests == all.count)

        // Round trip: the stored plan is the printed one.
        let stored = try #require(try await openStore(store).latestPlan(serviceDate: "2026-12-01"))
        var decoded = try JSONDecoder().decode(DayPlanDocument.self, from: Data(stored.payload))
        decoded.version = stored.version
        #expect(decoded == document)
    }

    /// Vehicles taken out of the fleet after booking: `dispatch plan` still stores the plan, lists
    /// the promises it cannot keep in every format, and exits with code 4.
    @Test func aPlanThatBreaksPromisesIsStoredAndExitsWithCodeFour() async throws {
        let (dir, store) = try Self.demoStore()
        let promised = try await Self.bookings(store).filter { $0.status.isActive && $0.promisedEarliest != nil }
        #expect(!promised.isEmpty)
        // The same zone with one vehicle left, serving only its own town.
        let source = CLIRunner.projectRoot.appendingPathComponent("Networks/default-zone.zone.json")
        var zone = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: source)) as? [String: Any])
        var vehicle = try #require((zone["vehicles"] as? [[String: Any]])?.first)
        vehicle["serves"] = [vehicle["municipality"]!]
        zone["vehicles"] = [vehicle]
        zone["network"] = CLIRunner.projectRoot.appendingPathComponent("Networks/default-zone.dnet").path
        let smaller = dir.appendingPathComponent("one-vehicle.zone.json")
        try JSONSerialization.data(withJSONObject: zone).write(to: smaller)

        let output = try CLIRunner.run(["plan", "--date", "2026-12-01", "--store", store, "--zone", smaller.path, "--time-limit", "1", "--quiet"])
        #expect(output.status == 4, "\(output.stderr)")
        #expect(output.stdout.contains("BROKEN PROMISES"))
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("breaks") && lines[0].contains("promised pickup window"), "\(output.stderr)")
        // Stored, with the list: bookings the one vehicle does not carry are there with what changed.
        let document = try await Self.latest(store)
        let broken = try #require(document.brokenPromises)
        #expect(!broken.isEmpty)
        #expect(Set(broken.map(\.bookingId)).isSubset(of: Set(promised.map(\.id))))
        #expect(broken.allSatisfy { !$0.reason.isEmpty && !$0.change.isEmpty && $0.promisedEarliest <= $0.promisedLatest })
        #expect(broken.contains { $0.reason == "vehicle_withdrawn" })
        let served = Set(document.vehicles.flatMap { $0.stops.filter { $0.action == "pickup" }.map(\.bookingId) })
        #expect(Set(broken.map(\.bookingId)).isDisjoint(with: served))
    }

    /// The plan that the last run stored (each run stores a new version).
    static func latest(_ store: String) async throws -> DayPlanDocument {
        let stored = try #require(try await openStore(store).latestPlan(serviceDate: "2026-12-01"))
        return try JSONDecoder().decode(DayPlanDocument.self, from: Data(stored.payload))
    }

    static func plan(_ store: String, version: Int) async throws -> DayPlanDocument? {
        guard let stored = try await openStore(store).plan(serviceDate: "2026-12-01", version: version) else { return nil }
        return try JSONDecoder().decode(DayPlanDocument.self, from: Data(stored.payload))
    }

    @Test func htmlIsWellFormedWithOneRoutePathPerVehicleUsedAndCSVHasABOMAndARowPerStop() async throws {
        let (dir, store) = try Self.demoStore()
        let html = dir.appendingPathComponent("plan.html")
        let written = try CLIRunner.run(["plan", "--date", "2026-12-01", "--store", store, "--format", "html", "--output", html.path,
                                         "--time-limit", "1", "--quiet"])
        #expect(written.status == 0, "\(written.stderr)")
        let used = try await Self.latest(store).summary.vehiclesUsed
        let data = try Data(contentsOf: html)
        let xml = try XMLDocument(data: data, options: [])
        let routes = try xml.nodes(forXPath: "//*[local-name()='path'][@class='route']")
        #expect(routes.count == used && used > 0)
        let timelineRows = try xml.nodes(forXPath: "//*[local-name()='text'][@class='vehicle']")
        #expect(timelineRows.count == used)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("<script") && !text.contains("https://"))

        let csv = try CLIRunner.run(["plan", "--date", "2026-12-01", "--store", store, "--format", "csv", "--time-limit", "1", "--quiet"])
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("\u{FEFF}vehicle,sequence,time,action,booking_id"))
        let stops = try await Self.latest(store).vehicles.reduce(0) { $0 + $1.stops.count }
        #expect(csv.stdout.split(separator: "\r\n").count == 1 + stops)
    }

    @Test func badInputExitsWith2AndOneLineAndADayWithoutBookingsSaysSo() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let store = "sqlite:" + dir.appendingPathComponent("s.sqlite").path
        let badDate = try CLIRunner.run(["plan", "--date", "1.12.2026", "--store", store])
        #expect(badDate.status == 2 && badDate.stderr.split(separator: "\n").count == 1)
        let empty = try CLIRunner.run(["plan", "--date", "2026-12-02", "--store", store])
        #expect(empty.status == 0 && empty.stdout.contains("No bookings for 2026-12-02"))
        let badZone = dir.appendingPathComponent("zone.json")
        try "{\"format_version\": 2}".write(to: badZone, atomically: true, encoding: .utf8)
        let zone = try CLIRunner.run(["plan", "--date", "2026-12-02", "--store", store, "--zone", badZone.path])
        #expect(zone.status == 2 && zone.stderr.contains("zone.json") && zone.stderr.split(separator: "\n").count == 1)
        let noStore = try CLIRunner.run(["plan", "--date", "2026-12-02", "--store", "sqlite:/proc/nope/s.sqlite"])
        #expect(noStore.status == 5 && noStore.stderr.contains("cannot open the SQLite store"), "store unavailable")
        let wrongKind = try CLIRunner.run(["plan", "--date", "2026-12-02", "--store", "mysql://x"])
        #expect(wrongKind.status == 2 && wrongKind.stderr.split(separator: "\n").count == 1)
    }
}

@Suite struct ReplanTests {
    @Test func replanningWithNowKeepsThePastAndKeepsPassengersOnBoardWithTheirVehicle() async throws {
        let (_, store) = try PlanCommandTests.demoStore()
        let before = try await PlanCommandTests.latest(store)
        for (now, pin) in [("10:00", false), ("13:30", true)] {
            var arguments = ["plan", "--date", "2026-12-01", "--store", store, "--format", "json", "--time-limit", "1", "--quiet", "--now", now]
            if pin { arguments.append("--pin") }
            let output = try CLIRunner.run(arguments)
            #expect(output.status == 0, "\(output.stderr)")
            let after = try JSONDecoder().decode(DayPlanDocument.self, from: Data(output.stdout.utf8))
            let previous = now == "10:00" ? before : try #require(try await PlanCommandTests.plan(store, version: after.version! - 1))
            let cut = Int(now.prefix(2))! * 3600 + Int(now.suffix(2))! * 60
            func seconds(_ t: String) -> Int { let p = t.split(separator: ":").map { Int($0)! }; return p[0] * 3600 + p[1] * 60 + p[2] }
            for route in previous.vehicles {
                let past = route.stops.prefix { seconds($0.time) < cut }
                let kept = try #require(after.vehicles.first { $0.id == route.id })
                // The past is untouched: the same stops, same order, same times, marked done; so is
                // the stop a vehicle on the road is driving to (no diversion mid-leg).
                let fixed = kept.stops.prefix { $0.done == true }.count
                #expect(fixed >= past.count && fixed <= past.count + 1)
                #expect(Array(kept.stops.prefix(fixed)).map { [$0.bookingId, $0.action, $0.time] }
                        == Array(route.stops.prefix(fixed)).map { [$0.bookingId, $0.action, $0.time] })
                #expect(kept.stops.dropFirst(fixed).allSatisfy { $0.done == nil && seconds($0.time) >= cut })
                // Whoever is on board at `now` is dropped off by the same vehicle.
                let picked = Set(past.filter { $0.action == "pickup" }.map(\.bookingId))
                let dropped = Set(past.filter { $0.action == "dropoff" }.map(\.bookingId))
                for id in picked.subtracting(dropped) {
                    #expect(kept.stops.contains { $0.bookingId == id && $0.action == "dropoff" }, "\(id) left \(route.id)")
                }
            }
            // Still every booking once.
            let pickups = after.vehicles.flatMap { $0.stops.filter { $0.action == "pickup" }.map(\.bookingId) }
            let all = try await PlanCommandTests.bookings(store).map(\.id)
            #expect((pickups + after.unserved.map(\.bookingId)).sorted() == all.sorted())
        }
    }
}

/// The plan of a fixed day with shared rides (40 generated bookings, seed 1, 200 iterations)
/// against files kept in Tests/DispatchCLITests/Golden, and checked on its own terms (not from
/// the output): capacities from the zone file, pickups before drop-offs in one vehicle, times
/// in order, every promise kept, every booking once, rides really shared. After an intended change
/// of the planner or the output, rerun with DISPATCH_UPDATE_GOLDEN=1 and review the diff.
@Suite struct GoldenPlanTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let update = ProcessInfo.processInfo.environment["DISPATCH_UPDATE_GOLDEN"] == "1"

    /// The table without the line that says how long the search took.
    static func stable(_ table: String) -> String {
        table.replacingOccurrences(of: #", [0-9.]+ s\n"#, with: "\n", options: .regularExpression)
    }

    @Test func aFixedDayWithSharedRidesGivesTheGoldenTableAndJSONAndKeepsEveryRule() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = "sqlite:" + dir.appendingPathComponent("store.sqlite").path
        let demo = try CLIRunner.run(["demo", "--bookings", "40", "--store", store, "-o", dir.appendingPathComponent("d.html").path,
                                      "--iterations", "200", "--quiet"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let table = try CLIRunner.run(["plan", "--date", "2026-12-01", "--store", store, "--iterations", "200", "--quiet"])
        let json = try CLIRunner.run(["plan", "--date", "2026-12-01", "--store", store, "--iterations", "200", "--quiet", "--format", "json"])
        #expect(table.status == 0 && json.status == 0)
        var document = try DayPlanDocument.decode(Array(json.stdout.utf8))

        // Checks that do not come from the output.
        let zone = try ZoneFile.load(path: CLIRunner.projectRoot.appendingPathComponent("Networks/default-zone.zone.json").path)
        let records = try await PlanCommandTests.bookings(store)
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
        var seen: [String: Int] = [:]
        var sharedStops = 0
        for route in document.vehicles {
            let vehicle = try #require(zone.vehicles.first { $0.id == ServiceZone.vehicleID(ofDuty: route.id) }, "\(route.id) is not a vehicle of the zone")
            var onBoard: [String: (seats: Int, wheelchairs: Int)] = [:]
            var last = -1
            for stop in route.stops {
                let record = try #require(byID[stop.bookingId], "\(stop.bookingId) is not a stored booking")
                let time = try #require(TimeText.seconds(ofClock: stop.time))
                #expect(time >= last, "\(route.id): \(stop.time) before the previous stop")
                last = time
                if stop.action == "pickup" {
                    #expect(onBoard[stop.bookingId] == nil)
                    onBoard[stop.bookingId] = (record.partySize - record.wheelchairs, record.wheelchairs)
                    seen[stop.bookingId, default: 0] += 1
                    if let a = record.promisedEarliest, let b = record.promisedLatest {
                        #expect((a...b).contains(time), "\(stop.bookingId) picked up at \(stop.time), promised \(TimeText.clock(a))–\(TimeText.clock(b))")
                    }
                } else {
                    #expect(onBoard.removeValue(forKey: stop.bookingId) != nil, "\(stop.bookingId) dropped off before its pickup in \(route.id)")
                }
                let seats = onBoard.values.map(\.seats).reduce(0, +), wheelchairs = onBoard.values.map(\.wheelchairs).reduce(0, +)
                #expect(seats <= vehicle.seats && wheelchairs <= vehicle.wheelchairPlaces, "\(route.id) over capacity at \(stop.time)")
                #expect(stop.seatsAfter == seats && stop.wheelchairsAfter == wheelchairs)
                if onBoard.count > 1 { sharedStops += 1 }
            }
            #expect(onBoard.isEmpty, "\(route.id) ends with passengers on board")
        }
        for u in document.unserved { seen[u.bookingId, default: 0] += 1 }
        #expect(seen.count == records.count && seen.values.allSatisfy { $0 == 1 }, "every booking once")
        #expect(sharedStops >= 5, "a day of 40 bookings on 11 vehicles shares rides (\(sharedStops) stops with two parties on board)")
        #expect(document.brokenPromises?.isEmpty == true)
        #expect(document.summary.served == document.vehicles.map { $0.stops.count }.reduce(0, +) / 2)

        document.createdAt = ""
        document.seconds = 0
        let tableFile = Self.golden.appendingPathComponent("plan-2026-12-01.txt")
        let jsonFile = Self.golden.appendingPathComponent("plan-2026-12-01.json")
        if Self.update {
            try Self.stable(table.stdout).write(to: tableFile, atomically: true, encoding: .utf8)
            try (try encodeJSON(document) + "\n").write(to: jsonFile, atomically: true, encoding: .utf8)
        }
        #expect(Self.stable(table.stdout) == (try String(contentsOf: tableFile, encoding: .utf8)))
        let expected = try DayPlanDocument.decode(Array(try Data(contentsOf: jsonFile)))
        #expect(document == expected)
    }
}

@Suite struct CompareStandaloneTests {
    @Test func aloneVersusTogetherCoversEveryMunicipalityAndBothSplitsAddUpToTheJointCost() async throws {
        let (_, store) = try PlanCommandTests.demoStore()
        let output = try CLIRunner.run(["plan", "--date", "2026-12-01", "--store", store, "--format", "json", "--iterations", "100", "--quiet",
                                        "--compare-standalone"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let wide = try #require(json["wide_area"] as? [String: Any])
        let rows = try #require(wide["rows"] as? [[String: Any]])
        let joint = try #require(wide["joint_cost_yen"] as? Double)
        #expect(rows.count == 5)
        #expect(wide["coalitions_solved"] as? Int == 31)
        let shapley = rows.compactMap { $0["shapley_yen"] as? Double }, proportional = rows.compactMap { $0["proportional_yen"] as? Double }
        #expect(abs(shapley.reduce(0, +) - joint) < 0.01 && abs(proportional.reduce(0, +) - joint) < 0.01)
        let requests = rows.compactMap { ($0["alone"] as? [String: Any])?["requests"] as? Int }.reduce(0, +)
        let notCancelled = try await PlanCommandTests.bookings(store).filter { $0.status != .cancelled }.count
        #expect(requests == notCancelled)
        #expect(json["plan"] is [String: Any])
        let standalone = try #require(wide["standalone_cost_yen"] as? Double)
        #expect(standalone > 0 && joint > 0)
    }
}

@Suite struct ReportCommandTests {
    @Test func thePeriodReportSumsTheLatestPlanOfEachDateAndTheAttributionKeepsEveryVehicleHour() async throws {
        let (dir, store) = try PlanCommandTests.demoStore()
        // A second date with bookings and a plan.
        let second = try CLIRunner.run(["demo", "--date", "2026-12-02", "--bookings", "15", "--store", store, "--html",
                                        dir.appendingPathComponent("d2.html").path, "--time-limit", "1", "--quiet"])
        #expect(second.status == 0, "\(second.stderr)")
        var expected: [String: (served: Int, fares: Double, hours: Double)] = [:]
        for date in ["2026-12-01", "2026-12-02"] {
            let stored = try #require(try await openStore(store).latestPlan(serviceDate: date))
            let document = try JSONDecoder().decode(DayPlanDocument.self, from: Data(stored.payload))
            let accounts = try #require(document.accounting)
            // Every vehicle-hour and kilometre of the plan is attributed to some municipality.
            #expect(abs(accounts.reduce(0) { $0 + $1.vehicleHours } - document.kpis!.vehicleHours) < 1e-6)
            #expect(abs(accounts.reduce(0) { $0 + $1.kilometres } - document.kpis!.kilometres) < 1e-6)
            #expect(accounts.reduce(0) { $0 + $1.served } == document.kpis!.served)
            #expect(accounts.reduce(0) { $0 + $1.faresYen } > 0)
            for a in accounts {
                let e = expected[a.municipality] ?? (0, 0, 0)
                expected[a.municipality] = (e.served + a.served, e.fares + a.faresYen, e.hours + a.vehicleHours)
            }
        }
        // A re-plan during the day covers only the rest of it: the report keeps the whole-day plan.
        let replan = try CLIRunner.run(["plan", "--date", "2026-12-01", "--store", store, "--now", "12:00", "--time-limit", "1", "--quiet"])
        #expect(replan.status == 0, "\(replan.stderr)")
        let report = try CLIRunner.run(["report", "--from", "2026-11-30", "--to", "2026-12-02", "--store", store, "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        #expect(json["dates_without_plan"] as? [String] == ["2026-11-30"])
        for row in json["municipalities"] as? [[String: Any]] ?? [] {
            let e = try #require(expected[row["municipality"] as! String])
            #expect(row["served"] as? Int == e.served)
            #expect(abs((row["fares_yen"] as? Double ?? -1) - e.fares) < 0.5)
            #expect(abs((row["vehicle_hours"] as? Double ?? -1) - e.hours) < 1e-6)
        }
        let table = try CLIRunner.run(["report", "--from", "2026-12-01", "--to", "2026-12-02", "--store", store])
        #expect(table.stdout.contains("2 planned dates") && table.stdout.contains("北沢村 Kitazawa-mura"))
        let backwards = try CLIRunner.run(["report", "--from", "2026-12-02", "--to", "2026-12-01", "--store", store])
        #expect(backwards.status == 2)
    }
}

@Suite struct ServerCommandInputTests {
    @Test func badFlagsOfServeKeysAndReportExitWith2AndOneLine() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let store = "sqlite:" + dir.appendingPathComponent("s.sqlite").path
        let cases: [([String], String)] = [
            (["serve", "--port", "70000", "--store", store], "--port"),
            (["serve", "--plan-time-limit", "500", "--max-plan-time-limit", "100", "--store", store], "--plan-time-limit"),
            (["serve", "--shutdown-grace", "-1", "--store", store], "--shutdown-grace"),
            (["serve", "--shutdown-grace", "nan", "--store", store], "--shutdown-grace"),
            (["serve", "--booking-horizon-days", "40000", "--store", store], "--booking-horizon-days"),
            (["serve", "--booking-horizon-days", "soon", "--store", store], "--booking-horizon-days"),
            (["serve", "--idle-timeout", "0", "--store", store], "--idle-timeout"),
            (["keys", "create", "--role", "operator", "--store", store], "--municipality"),
            (["keys", "create", "--role", "king", "--store", store], "king"),
            (["keys", "create", "--role", "operator", "--municipality", "atlantis", "--store", store], "atlantis"),
            (["keys", "create", "--role", "admin", "--store", "mysql://x"], "mysql://x"),
            (["report", "--from", "2026-13-01", "--to", "2026-12-02", "--store", store], "--from"),
            (["report", "--from", "2026-01-01", "--to", "2027-12-31", "--store", store], "366"),
            (["plan", "--date", "2026-12-01", "--pin", "--store", store], "--pin"),
            (["plan", "--date", "2026-12-01", "--now", "25:00", "--store", store], "--now"),
            (["demo", "--bookings", "0", "--store", store], "--bookings"),
        ]
        for (arguments, mention) in cases {
            let output = try CLIRunner.run(arguments)
            #expect(output.status == 2, "\(arguments): \(output.status) \(output.stderr)")
            #expect(output.stderr.contains(mention), "\(arguments): \(output.stderr)")
            #expect(output.stderr.split(separator: "\n").count == 1, "\(arguments): \(output.stderr)")
        }
    }
}
