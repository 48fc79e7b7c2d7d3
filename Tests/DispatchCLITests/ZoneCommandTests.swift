import DispatchPlanning
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork
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

    @Test func aMunicipalityWithSundayServiceButNoVehicleWorkingSundaysIsAProblem() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var zone = try ZoneFile.load(path: Self.zonePath)
        zone.network = CLIRunner.projectRoot.appendingPathComponent("Networks/default-zone.dnet").path
        // The hub keeps Sunday service (no service_days: every kind), its Sunday vehicles stop working Sundays.
        let hub = try #require(zone.municipalities.firstIndex { $0.serviceDays == nil })
        for i in zone.vehicles.indices where zone.vehicles[i].schedule?.sundayHoliday?.isEmpty == false { zone.vehicles[i].schedule?.sundayHoliday = [] }
        let path = dir.appendingPathComponent("sunday.zone.json").path
        try zone.write(to: path)
        let output = try CLIRunner.run(["zone", "check", path])
        #expect(output.status == 2)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 1 && lines[0].contains("municipalities[\(hub)].service_days") && lines[0].contains("sunday_holiday"), "\(lines)")
    }
}

/// `dispatch zone create` on the real extracts in ../shared/networks (skipped, saying so, without them).
@Suite(.serialized) struct ZoneCreateCommandTests {
    static let andorra = CLIRunner.sharedFile("andorra-latest.osm.pbf")
    static let liechtenstein = CLIRunner.sharedFile("liechtenstein-latest.osm.pbf")
    static let srtm = CLIRunner.sharedFile("N42E001.hgt.zip")

    static func polygonArea(_ rings: [[[Double]]]) -> Double {
        // Even-odd rings: outer rings and holes both count with their own sign once holes are
        // subtracted; the zone writes exteriors counter-clockwise and holes clockwise (RFC 7946).
        var total = 0.0
        for ring in rings {
            let lat0 = ring.map { $0[1] }.reduce(0, +) / Double(ring.count) * .pi / 180
            let k = 111.32 * cos(lat0), m = 110.574
            var a = 0.0
            for (p, q) in zip(ring, ring.dropFirst()) { a += (p[0] * k) * (q[1] * m) - (q[0] * k) * (p[1] * m) }
            total += a / 2
        }
        return total
    }

    @Test(.enabled(if: andorra != nil && srtm != nil, "needs ../shared/networks (Andorra 2025, SRTM tile)"))
    func andorraBecomesAZoneOfItsSevenParishes() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = try CLIRunner.run(["zone", "create", "--osm", Self.andorra!, "--elevation", Self.srtm!, "--admin-level", "7", "--within", "Andorra",
                                        "-o", dir.path])
        #expect(output.status == 0, "\(output.stderr)")
        let zone = try ZoneFile.load(path: dir.appendingPathComponent("zone.json").path)
        #expect(Set(zone.municipalities.map(\.id)) == ["andorra-la-vella", "canillo", "encamp", "escaldes-engordany", "la-massana", "ordino",
                                                       "sant-julia-de-loria"])
        // The parishes tile Andorra (about 468 km²) and each has its own stops and a vehicle.
        let total = zone.municipalities.map { abs(Self.polygonArea($0.boundary)) }.reduce(0, +)
        #expect(total > 440 && total < 500, "\(total) km²")
        for m in zone.municipalities {
            #expect(zone.stops.count { $0.municipality == m.id } >= 10, "\(m.id)")
            #expect(zone.vehicles.contains { $0.municipality == m.id })
        }
        let kinds = Set(zone.places.map(\.kind))
        for kind in ["hospital", "pharmacy", "school", "supermarket", "bus_stop", "townhall"] { #expect(kinds.contains(kind), "\(kind)") }
        // The extract's cut-off neighbours are named in the report as left out.
        #expect(output.stdout.contains("the extract cuts it off") && output.stdout.contains("Foix"))
        #expect(output.stdout.contains("elevation: grades from elevation data"))
        #expect(try CLIRunner.run(["zone", "check", dir.appendingPathComponent("zone.json").path]).status == 0)
        // Attribution travels with the zone.
        #expect(zone.notes.contains { $0.contains("OpenStreetMap contributors") })
    }

    @Test(.enabled(if: liechtenstein != nil, "needs ../shared/networks (Liechtenstein)"))
    func liechtensteinBecomesAZoneOfItsElevenMunicipalitiesWithAFleetFile() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fleet = dir.appendingPathComponent("fleet.csv")
        try ("id,municipality,seats,wheelchair_places,depot_lat,depot_lon,shift_start,shift_end\n"
            + "vaduz-1,Vaduz,4,1,47.1410,9.5209,07:00,19:00\nvaduz-2,vaduz,8,0,47.1410,9.5209,08:00,12:00\n"
            + "balzers-1,Balzers,4,1,47.0666,9.5025,07:30,18:30\n").write(to: fleet, atomically: true, encoding: .utf8)
        let output = try CLIRunner.run(["zone", "create", "--osm", Self.liechtenstein!, "--admin-level", "8", "--fleet", fleet.path,
                                        "-o", dir.appendingPathComponent("li").path])
        #expect(output.status == 0, "\(output.stderr)")
        let zone = try ZoneFile.load(path: dir.appendingPathComponent("li/zone.json").path)
        #expect(zone.municipalities.count == 11)
        let total = zone.municipalities.map { abs(Self.polygonArea($0.boundary)) }.reduce(0, +)
        #expect(total > 150 && total < 170, "\(total) km²")
        #expect(zone.vehicles.map(\.id) == ["vaduz-1", "vaduz-2", "balzers-1"])
        #expect(zone.depots.count == 2, "two vehicles at one depot share it")
        #expect(zone.vehicles.allSatisfy { $0.serves.count == 11 })
        // A fleet that names a municipality the zone does not have is refused with its line.
        try ("id,municipality,seats,wheelchair_places,depot_lat,depot_lon,shift_start,shift_end\n"
            + "x-1,Atlantis,4,1,47.1410,9.5209,07:00,19:00\n").write(to: fleet, atomically: true, encoding: .utf8)
        let refused = try CLIRunner.run(["zone", "create", "--osm", Self.liechtenstein!, "--admin-level", "8", "--fleet", fleet.path,
                                         "-o", dir.appendingPathComponent("bad").path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("line 2") && refused.stderr.contains("Atlantis"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
    }

    @Test(.enabled(if: andorra != nil, "needs ../shared/networks (Andorra 2025)"))
    func aBoundaryNameOrLevelTheExtractLacksIsOneLineWithWhatItHas() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = try CLIRunner.run(["zone", "create", "--osm", Self.andorra!, "--admin-level", "7", "--within", "Atlantis", "-o", dir.path])
        #expect(name.status == 2 && name.stderr.contains("Atlantis") && name.stderr.split(separator: "\n").count == 1, "\(name.stderr)")
        let level = try CLIRunner.run(["zone", "create", "--osm", Self.andorra!, "--admin-level", "11", "-o", dir.path])
        #expect(level.status == 2 && level.stderr.contains("levels in the file") && level.stderr.split(separator: "\n").count == 1, "\(level.stderr)")
        let some = try CLIRunner.run(["zone", "create", "--osm", Self.andorra!, "--admin-level", "7", "--within", "Andorra",
                                      "--municipalities", "Ordino,canillo", "-o", dir.path])
        #expect(some.status == 0, "\(some.stderr)")
        #expect(try ZoneFile.load(path: dir.appendingPathComponent("zone.json").path).municipalities.map(\.id) == ["canillo", "ordino"])
    }
}

/// The product on real regions: a zone made from each shared extract, a day booked and planned on
/// it by `dispatch demo --zone`, checked on its own terms.
@Suite(.serialized) struct RealRegionDemoTests {
    static func bookAndPlan(osm: String, arguments: [String], expectMunicipalities: Int) async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let created = try CLIRunner.run(["zone", "create", "--osm", osm] + arguments + ["-o", dir.appendingPathComponent("zone").path])
        #expect(created.status == 0, "\(created.stderr)")
        let zonePath = dir.appendingPathComponent("zone/zone.json").path
        let zone = try ZoneFile.load(path: zonePath)
        #expect(zone.municipalities.count == expectMunicipalities)
        let store = "sqlite:" + dir.appendingPathComponent("demo.sqlite").path
        let html = dir.appendingPathComponent("plan.html")
        let demo = try CLIRunner.run(["demo", "--zone", zonePath, "--bookings", "40", "--iterations", "150", "--store", store, "-o", html.path, "--quiet"])
        #expect(demo.status == 0 || demo.status == 4, "\(demo.stderr)")
        #expect(demo.status != 4, "a fresh day breaks no promise: \(demo.stdout)")

        let opened = try await openStore(store)
        let records = try await opened.bookings(serviceDate: "2026-12-01", municipality: nil, createdBy: nil)
        #expect(records.count >= 30, "\(records.count) bookings")
        let latest = try #require(try await opened.latestPlan(serviceDate: "2026-12-01"))
        let document = try DayPlanDocument.decode(latest.payload)
        // Every booking once: in one route (pickup then drop-off) or unserved with a reason.
        var seen: [String: Int] = [:]
        for route in document.vehicles {
            var onBoard = Set<String>()
            for stop in route.stops {
                if stop.action == "pickup" {
                    seen[stop.bookingId, default: 0] += 1
                    onBoard.insert(stop.bookingId)
                    let record = try #require(records.first { $0.id == stop.bookingId })
                    let time = try #require(TimeText.seconds(ofClock: stop.time))
                    if let a = record.promisedEarliest, let b = record.promisedLatest {
                        #expect((a...b).contains(time), "\(stop.bookingId) at \(stop.time), promised \(TimeText.clock(a))–\(TimeText.clock(b))")
                    }
                } else {
                    #expect(onBoard.remove(stop.bookingId) != nil)
                }
            }
        }
        for u in document.unserved {
            seen[u.bookingId, default: 0] += 1
            #expect(ReasonCodes.planUnserved.contains(u.reason))
        }
        #expect(seen.count == records.count && seen.values.allSatisfy { $0 == 1 })
        #expect(document.summary.served >= records.count / 2, "most of the day is served: \(document.summary)")
        // The HTML view draws the real boundaries, each named.
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.components(separatedBy: "class=\"boundary\"").count - 1 == zone.municipalities.count)
        for m in zone.municipalities { #expect(page.contains(HTML.escape(m.name)), "\(m.name)") }
    }

    @Test(.enabled(if: ZoneCreateCommandTests.andorra != nil && ZoneCreateCommandTests.srtm != nil, "needs ../shared/networks (Andorra 2025, SRTM)"))
    func aDayOnAndorrasSevenParishes() async throws {
        try await Self.bookAndPlan(osm: ZoneCreateCommandTests.andorra!, arguments: ["--elevation", ZoneCreateCommandTests.srtm!, "--admin-level", "7",
                                                                                    "--within", "Andorra"], expectMunicipalities: 7)
    }

    @Test(.enabled(if: ZoneCreateCommandTests.liechtenstein != nil, "needs ../shared/networks (Liechtenstein)"))
    func aDayOnLiechtensteinsElevenMunicipalities() async throws {
        try await Self.bookAndPlan(osm: ZoneCreateCommandTests.liechtenstein!, arguments: ["--admin-level", "8"], expectMunicipalities: 11)
    }
}
