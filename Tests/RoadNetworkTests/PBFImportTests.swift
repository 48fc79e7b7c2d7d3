import Foundation
import Testing
@testable import RoadNetwork

@Suite struct PBFImportTests {
    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func importsAndorra2013IntoOneStronglyConnectedCarNetwork() throws {
        let (graph, report) = try NetworkImporter.importNetwork(path: SharedData.andorra2013!)
        // ../shared/networks/README.md: 1,739 car-graph vertices, largest weak component 1,731.
        #expect(graph.nodeCount > 1_500 && graph.nodeCount <= 1_739)
        #expect(report.stronglyConnectedComponents > 1)
        #expect(report.keptNodes + report.droppedNodes <= 1_739 + 50)
        // Strongly connected: every node reaches node 0 and is reached from it.
        let query = ShortestPathQuery(graph: graph)
        let forward = query.timesFromNode(0)
        #expect(forward.allSatisfy { $0 != RoadGraph.unreachable })
        var incoming = [[Int32]](repeating: [], count: graph.nodeCount)
        for a in 0 ..< graph.arcCount { incoming[Int(graph.head[a])].append(graph.arcTail(Int32(a))) }
        var seen = [Bool](repeating: false, count: graph.nodeCount)
        var stack: [Int32] = [0]
        seen[0] = true
        while let v = stack.popLast() {
            for u in incoming[Int(v)] where !seen[Int(u)] {
                seen[Int(u)] = true
                stack.append(u)
            }
        }
        #expect(seen.allSatisfy { $0 })
        // Inside Andorra.
        let box = graph.boundingBox
        #expect(box.minLatitude > 42.40 && box.maxLatitude < 42.66 && box.minLongitude > 1.40 && box.maxLongitude < 1.80)
    }

    @Test(.enabled(if: SharedData.andorra2025 != nil, "needs ../shared/networks/andorra-latest.osm.pbf"))
    func routesAndorraLaVellaToPasDeLaCasaInPlausibleTimeAndDistance() throws {
        let graph = try NetworkImporter.importNetwork(path: SharedData.andorra2025!).graph
        let index = SnapIndex(graph: graph)
        let vella = try index.snap(Coordinate(latitude: 42.5078, longitude: 1.5211), in: graph)
        let pas = try index.snap(Coordinate(latitude: 42.5427, longitude: 1.7331), in: graph)
        let query = ShortestPathQuery(graph: graph)
        let there = try #require(query.route(from: vella, to: pas))
        let back = try #require(query.route(from: pas, to: vella))
        // About 28 km over the Envalira tunnel road; 30-40 minutes by car.
        #expect(there.distanceMetres > 24_000 && there.distanceMetres < 34_000)
        #expect(there.travelSeconds > 25 * 60 && there.travelSeconds < 50 * 60)
        #expect(abs(there.travelSeconds - back.travelSeconds) < 0.25 * there.travelSeconds)
    }

    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func travelTimesAreRoughlySymmetricBetweenRandomPlaces() throws {
        let graph = try #require(SharedData.andorra2013Graph)
        let query = ShortestPathQuery(graph: graph)
        var rng = TestRandom(seed: 7)
        var ratios: [Double] = []
        for _ in 0 ..< 200 {
            let a = Int32.random(in: 0 ..< Int32(graph.nodeCount), using: &rng)
            let b = Int32.random(in: 0 ..< Int32(graph.nodeCount), using: &rng)
            guard a != b, let ab = query.time(from: a, to: b), let ba = query.time(from: b, to: a), ab > 600 else { continue }
            ratios.append(Double(ab) / Double(ba))
        }
        #expect(ratios.count > 100)
        let lopsided = ratios.filter { $0 > 1.5 || $0 < 1 / 1.5 }
        #expect(Double(lopsided.count) < 0.05 * Double(ratios.count))
    }

    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func oneWayStreetsHaveNoArcAgainstTheirDirection() throws {
        let path = try #require(SharedData.andorra2013)
        let osm = try NetworkImporter.readOSM(path: path)
        let graph = try RoadGraphBuilder().build(osm).graph
        let oneWays = Set(osm.ways.filter { $0["oneway"] == "yes" }.map(\.id))
        #expect(!oneWays.isEmpty)
        var checked = 0
        for e in 0 ..< Int32(graph.edgeCount) where oneWays.contains(graph.edgeWayID[Int(e)]) {
            #expect(graph.arc(onEdge: e, reversed: false) != nil)
            #expect(graph.arc(onEdge: e, reversed: true) == nil)
            checked += 1
        }
        #expect(checked > 10)
    }

    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func truncatedPBFIsRefusedWithAClearError() throws {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: SharedData.andorra2013!)))
        for cut in [3, 10, 200, bytes.count / 2, bytes.count - 1] {
            #expect {
                _ = try PBFReader.parse(bytes: Array(bytes[0 ..< cut]), source: "cut.osm.pbf")
            } throws: { error in
                guard case let .corruptFile(path, reason)? = error as? RoadNetworkError else { return false }
                return path == "cut.osm.pbf" && !reason.isEmpty
            }
        }
    }

    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func corruptedPBFBlockIsRefusedNotCrashed() throws {
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: SharedData.andorra2013!)))
        var rng = TestRandom(seed: 3)
        // Flip bytes inside compressed data blocks: zlib or protobuf decoding must fail cleanly.
        for _ in 0 ..< 40 { bytes[Int.random(in: 2_000 ..< bytes.count, using: &rng)] ^= 0x5A }
        #expect(throws: RoadNetworkError.self) { _ = try PBFReader.parse(bytes: bytes, source: "bad.osm.pbf") }
    }

    @Test func unknownFileTypeIsNamedInTheError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notes-\(UUID()).txt").path
        try Data("this is not a map\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: RoadNetworkError.unknownFileType(path: path)) { _ = try NetworkImporter.readOSM(path: path) }
    }

    @Test func missingFileIsReportedAsUnreadable() {
        #expect {
            _ = try NetworkImporter.readOSM(path: "/nonexistent/none.osm.pbf")
        } throws: { error in
            if case .cannotRead? = error as? RoadNetworkError { return true }
            return false
        }
    }
}
