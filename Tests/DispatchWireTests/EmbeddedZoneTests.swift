import Foundation
import NetworkGeneration
import Testing
import RoadNetwork
@testable import DispatchWire

@Suite struct EmbeddedZoneTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let zonePath = root.appendingPathComponent(EmbeddedZone.defaultZonePath).path
    static let networkPath = root.appendingPathComponent("Networks/" + EmbeddedZone.networkFileName).path

    @Test func committedZoneFilesAreExactlyWhatTheGeneratorMakes() throws {
        let generated = MountainNetworkGenerator.embeddedZone(seed: 1)
        let graph = try EmbeddedZone.graph(of: generated).graph
        let bytes = NetworkFile.encode(graph, hierarchy: ContractionHierarchyBuilder().build(graph))
        let committed = try Array(Data(contentsOf: URL(fileURLWithPath: Self.networkPath)))
        #expect(bytes == committed, "Networks/\(EmbeddedZone.networkFileName) is stale: run `dispatch network generate --output Networks/default-zone.dnet --zone-output Networks/default-zone.zone.json`")
        let zone = EmbeddedZone.zoneFile(of: generated, networkFileName: EmbeddedZone.networkFileName,
                                         name: "Shinano valleys wide-area demand-taxi zone (fictional)")
        #expect(zone == (try ZoneFile.load(path: Self.zonePath)))
    }

    @Test func everyStopDepotAndPlaceLiesOnARoad() throws {
        let zone = try ZoneFile.load(path: Self.zonePath)
        let graph = try NetworkFile.load(path: Self.networkPath)
        let index = SnapIndex(graph: graph)
        #expect(zone.municipalities.count >= 3 && zone.municipalities.count <= 6)
        #expect(!zone.vehicles.isEmpty && zone.vehicles.contains { $0.wheelchairPlaces > 0 })
        for p in zone.stops.map(\.position) + zone.depots.map(\.position) + zone.places.filter({ $0.kind != "pass" }).map(\.position) {
            let snapped = try index.snap(Coordinate(latitude: p[1], longitude: p[0]), in: graph, maxDistanceMetres: 50)
            #expect(snapped.distanceMetres < 50)
        }
    }

    @Test func chAndDijkstraAgreeExactlyOnTheEmbeddedZone() throws {
        let (graph, stored) = try NetworkFile.loadNetwork(path: Self.networkPath)
        let ch = try #require(stored, "the committed network carries its contraction hierarchy")
        let query = CHQuery(ch)
        let dijkstra = ShortestPathQuery(graph: graph)
        var state: UInt64 = 12345
        func next() -> Int32 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int32(truncatingIfNeeded: (state >> 33) % UInt64(graph.nodeCount))
        }
        var mismatches = 0
        for _ in 0 ..< 3_000 {
            let s = next(), t = next()
            if query.time(from: s, to: t) != dijkstra.time(from: s, to: t) { mismatches += 1 }
        }
        #expect(mismatches == 0)
        // And on a winter date, with the pass closed.
        let winter = graph.closedArcs(on: ServiceDate(year: 2026, month: 12, day: 24)!)
        #expect(!winter.isEmpty)
        let winterQuery = CHQuery(ContractionHierarchyCache(graph: graph, base: ch).hierarchy(closed: winter))
        for _ in 0 ..< 1_000 {
            let s = next(), t = next()
            if winterQuery.time(from: s, to: t) != dijkstra.time(from: s, to: t, closed: winter) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func demoShowsTheWinterPassClosureCuttingOffAHamlet() throws {
        let result = try NetworkDemo.run(zonePath: Self.zonePath, summer: ServiceDate(year: 2026, month: 7, day: 15)!,
                                         winter: ServiceDate(year: 2026, month: 12, day: 1)!)
        #expect(result.text.contains("cut off in winter"))
        #expect(result.routes.contains { $0.summer != nil && $0.winter == nil })
        #expect(result.routes.contains { ($0.summer ?? 0) > 0 && ($0.winter ?? 0) > ($0.summer ?? 0) })
        // Every town reaches the hospital all year.
        let towns = try ZoneFile.load(path: Self.zonePath).places.filter { $0.kind == "town_centre" }.map(\.id)
        for town in towns {
            let route = try #require(result.routes.first { $0.from == town })
            #expect(route.summer != nil && route.winter != nil)
        }
    }
}

@Suite struct ZoneFileTests {
    static func sample() throws -> ZoneFile { try ZoneFile.load(path: EmbeddedZoneTests.zonePath) }

    func problem(_ edit: (inout ZoneFile) -> Void) throws -> ZoneFileError? {
        var zone = try Self.sample()
        edit(&zone)
        do { try zone.validate(path: "z.json"); return nil } catch let e as ZoneFileError { return e }
    }

    @Test func validationNamesTheFieldThatIsWrong() throws {
        #expect(try problem { $0.vehicles[1].depot = "nowhere" }?.field == "vehicles[1].depot")
        #expect(try problem { $0.vehicles[0].shift.start = "25:00" }?.field == "vehicles[0].shift.start")
        #expect(try problem { $0.vehicles[0].shift = .init(start: "18:00", end: "08:00") }?.field == "vehicles[0].shift")
        #expect(try problem { $0.stops[2].position = [200, 36] }?.field == "stops[2].position")
        #expect(try problem { $0.stops[3].id = $0.stops[0].id }?.field == "stops[3].id")
        #expect(try problem { $0.municipalities[0].boundary[0].removeLast() }?.field == "municipalities[0].boundary[0]")
        #expect(try problem { $0.municipalities[0].boundary = [] }?.field == "municipalities[0].boundary")
        #expect(try problem { $0.vehicles[0].serves.append("atlantis") }?.reason.contains("atlantis") == true)
        #expect(try problem { $0.formatVersion = 7 }?.field == "format_version")
        #expect(try problem { $0.bookingHorizonDays = -1 }?.field == "booking_horizon_days")
        #expect(try problem { $0.bookingHorizonDays = 5_000 }?.field == "booking_horizon_days")
        #expect(try problem { $0.bookingHorizonDays = 30 } == nil)
        #expect(try problem { $0.noShowWaitMinutes = -1 }?.field == "no_show_wait_minutes")
        #expect(try problem { $0.noShowWaitMinutes = 121 }?.field == "no_show_wait_minutes")
        #expect(try problem { $0.noShowWaitMinutes = 10 } == nil)
        #expect(try problem { _ = $0 } == nil)
    }

    @Test func brokenJSONIsReportedWithThePath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zone-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("missing.json")
        try Data(#"{"format_version": 2, "name": "x"}"#.utf8).write(to: missing)
        #expect(throws: ZoneFileError.self) { _ = try ZoneFile.load(path: missing.path) }
        do { _ = try ZoneFile.load(path: missing.path) } catch let e as ZoneFileError { #expect(e.reason == "is missing") }
        let garbage = dir.appendingPathComponent("garbage.json")
        try Data("{ not json".utf8).write(to: garbage)
        do { _ = try ZoneFile.load(path: garbage.path); Issue.record("accepted broken JSON") } catch let e as ZoneFileError {
            #expect(e.description.contains("garbage.json") && e.reason.contains("not valid JSON"))
        }
    }

    @Test func aVersionOneFileIsMigratedWhenRead() throws {
        // The embedded zone written back in version 1's camelCase, with a fare and a rule keyed by
        // municipality ids (ids keep their spelling, names of the format change).
        var zone = try Self.sample()
        let m = zone.municipalities[0].id, stop = zone.stops.first { $0.municipality != m }!.id
        zone.fares = [m: .init(bands: [.init(upToKm: 5, yen: 300), .init(upToKm: nil, yen: 500)], elderlyDiscount: 0.5, phoneSurchargeYen: 100)]
        zone.rules = .init(outsideDestinations: [m: [stop]], agreements: [.init(name: "a", between: [m, zone.municipalities[1].id], residentsOf: [m])])
        zone.bookingHorizonDays = 30
        var parser = JSONParser(Array(try encodeJSON(zone).utf8))
        let parsed = parser.document()
        let current = try #require(parsed)
        func camel(_ value: JSONValue, keepKeys: Bool = false) -> JSONValue {
            switch value {
            case .object(let o):
                return .object(Dictionary(uniqueKeysWithValues: o.map { key, inner in
                    let parts = key.split(separator: "_")
                    let name = keepKeys ? key : String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
                    var v = camel(inner, keepKeys: key == "fares" || key == "outside_destinations")
                    if key == "kind", case .string("town_centre") = v { v = "townCentre" }
                    // Version 1 had one ring per municipality.
                    if key == "boundary", case .array(let rings) = v, let first = rings.first { v = first }
                    return (name, v)
                }))
            case .array(let a): return .array(a.map { camel($0) })
            default: return value
            }
        }
        guard case .object(var old) = camel(current) else { Issue.record("not an object"); return }
        old["formatVersion"] = 1
        #expect(old["wheelchairPlaces"] == nil && old["timeZone"] != nil, "the fixture is camelCase")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zone-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.zone.json").path
        try Data(JSONValue.object(old).bytes).write(to: URL(fileURLWithPath: path))
        #expect(try ZoneFile.load(path: path) == zone)
        // A version this build does not know is refused with the version named.
        old["formatVersion"] = 3
        try Data(JSONValue.object(old).bytes).write(to: URL(fileURLWithPath: path))
        do { _ = try ZoneFile.load(path: path); Issue.record("accepted format version 3") } catch let e as ZoneFileError {
            #expect(e.field == "formatVersion" && e.reason.contains("3") && e.reason.contains("format_version"))
        }
    }

    @Test func textTablesAlignJapaneseNamesByDisplayWidth() {
        #expect(displayWidth("北沢村") == 6)
        #expect(displayWidth("Kitazawa") == 8)
        #expect(displayWidth("ﾃﾞﾏﾝﾄﾞ") == 6)
        var table = TextTable(headers: ["name", "n"], alignments: [.left, .right])
        table.append(["北沢村", "1"])
        table.append(["Kitazawa-mura", "22"])
        let lines = table.text.split(separator: "\n").map(String.init)
        #expect(Set(lines.map(displayWidth)).count == 1, "every line has the same display width")
    }
}
