import Foundation
import Testing
@testable import RoadNetwork

@Suite struct NetworkFileTests {
    static func sampleGraph() throws -> RoadGraph {
        var f = OSMFixture()
        let a = f.node(east: 0, north: 0), b = f.node(east: 300, north: 0), c = f.node(east: 300, north: 300)
        let d = f.node(east: 0, north: 300), m = f.node(east: 150, north: 10)
        f.way([a, m, b], ["highway": "primary", "name": "国道 1"])
        f.way([b, c, d], ["highway": "residential", "oneway": "yes"])
        f.way([d, a], ["highway": "tertiary", "motor_vehicle:conditional": "no @ (Dec 1-Apr 15)"])
        f.way([c, a], ["highway": "service"])
        return try f.build()
    }

    /// Every field of `loaded` equals `source`'s, one expectation per field so that a failure names it.
    static func expectSameContent(_ loaded: RoadGraph, as source: RoadGraph, _ context: String) {
        #expect(loaded.nodeCount == source.nodeCount && loaded.arcCount == source.arcCount && loaded.edgeCount == source.edgeCount,
                "counts (\(context))")
        #expect(loaded.firstOut == source.firstOut, "firstOut (\(context))")
        #expect(loaded.head == source.head, "head (\(context))")
        #expect(loaded.travelTime == source.travelTime, "travelTime (\(context))")
        #expect(loaded.arcEdge == source.arcEdge, "arcEdge (\(context))")
        #expect(loaded.nodeCoordinates == source.nodeCoordinates, "nodeCoordinates (\(context))")
        #expect(loaded.nodeOSMIDs == source.nodeOSMIDs, "nodeOSMIDs (\(context))")
        #expect(loaded.edgeFrom == source.edgeFrom, "edgeFrom (\(context))")
        #expect(loaded.edgeTo == source.edgeTo, "edgeTo (\(context))")
        #expect(loaded.edgeLength == source.edgeLength, "edgeLength (\(context))")
        #expect(loaded.edgeWayID == source.edgeWayID, "edgeWayID (\(context))")
        #expect(loaded.edgeRoadClass == source.edgeRoadClass, "edgeRoadClass (\(context))")
        #expect(loaded.edgeGeometryStart == source.edgeGeometryStart, "edgeGeometryStart (\(context))")
        #expect(loaded.geometry == source.geometry, "geometry (\(context))")
        #expect(loaded.geometryOSMIDs == source.geometryOSMIDs, "geometryOSMIDs (\(context))")
        #expect(loaded.closures == source.closures, "closures (\(context))")
        #expect(loaded.metadata == source.metadata, "metadata (\(context))")
    }

    /// Travel times between every pair of nodes, open and on `date` (closures applied), by Dijkstra
    /// and by a hierarchy built from the loaded graph, equal the source graph's; returns how many
    /// pairs are reachable, so a caller can check that the comparison was not empty.
    @discardableResult
    static func expectSameTravelTimes(_ loaded: RoadGraph, as source: RoadGraph, on date: ServiceDate, _ context: String) -> Int {
        let fromSource = ShortestPathQuery(graph: source), fromLoaded = ShortestPathQuery(graph: loaded)
        let closedSource = source.closedArcs(on: date), closedLoaded = loaded.closedArcs(on: date)
        let ch = CHQuery(ContractionHierarchyBuilder().build(loaded))
        var reachable = 0
        for s in 0 ..< Int32(source.nodeCount) {
            let open = fromSource.timesFromNode(s), closed = fromSource.timesFromNode(s, closed: closedSource)
            #expect(fromLoaded.timesFromNode(s) == open, "open times from node \(s) (\(context))")
            #expect(fromLoaded.timesFromNode(s, closed: closedLoaded) == closed, "times on \(date) from node \(s) (\(context))")
            for t in 0 ..< Int32(source.nodeCount) {
                let expected = open[Int(t)] == RoadGraph.unreachable ? nil : open[Int(t)]
                #expect(ch.time(from: s, to: t) == expected, "CH time \(s) → \(t) (\(context))")
                if expected != nil && s != t { reachable += 1 }
            }
        }
        return reachable
    }

    @Test func aSavedNetworkLoadsBackWithEveryFieldAndTravelTimeOfItsSource() throws {
        let landslide = EdgeClosure(edge: 0, period: .dates(from: ServiceDate(year: 2026, month: 11, day: 20)!, to: ServiceDate(year: 2026, month: 12, day: 5)!),
                                    reason: "土砂崩れ landslide")
        let sample = try Self.sampleGraph().addingClosures([landslide])
        let grid = try ShortestPathTests.randomGridGraph(seed: 3)
        for (name, g) in [("sample", sample), ("grid", grid)] {
            let decoded = try NetworkFile.decode(NetworkFile.encode(g), source: "mem")
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID()).dnet").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try NetworkFile.save(g, to: path)
            let loaded = try NetworkFile.load(path: path)
            for (how, copy) in [("decoded", decoded), ("loaded from a file", loaded)] {
                Self.expectSameContent(copy, as: g, "\(name), \(how)")
                let reachable = Self.expectSameTravelTimes(copy, as: g, on: ServiceDate(year: 2026, month: 12, day: 1)!, "\(name), \(how)")
                #expect(reachable >= g.nodeCount, "\(name), \(how): only \(reachable) ordered pairs reachable")
            }
        }
        // The fixture's facts survive, not only equality with a graph that might have lost them too.
        let loaded = try NetworkFile.decode(NetworkFile.encode(sample), source: "mem")
        // Four corners (the mid-point of a–b is geometry); five edges, as b–c–d splits at c where c–a joins.
        #expect(loaded.nodeCount == 4 && loaded.edgeCount == 5)
        #expect(loaded.closures.contains(landslide))
        #expect(loaded.closures.contains { $0.reason != landslide.reason }, "the winter closure from the way's conditional tag")
        let closed = loaded.closedArcs(on: ServiceDate(year: 2026, month: 12, day: 1)!)
        let query = ShortestPathQuery(graph: loaded)
        #expect((0 ..< Int32(loaded.nodeCount)).contains { query.timesFromNode($0) != query.timesFromNode($0, closed: closed) },
                "the closures of 2026-12-01 change some travel time, so the closed comparison above is not empty")
        #expect(loaded.closedArcs(on: ServiceDate(year: 2026, month: 7, day: 1)!).isEmpty)
        #expect(Set(loaded.edgeRoadClass).count == 4, "primary, residential, tertiary and service")
        #expect(grid.arcCount > 2 * 12 * 11, "the grid has two-way and one-way streets")
    }

    @Test func encodingIsDeterministicAndALoadedNetworkEncodesToTheSameBytes() throws {
        let bytes = NetworkFile.encode(try Self.sampleGraph())
        #expect(NetworkFile.encode(try Self.sampleGraph()) == bytes, "two builds of the same data encode alike")
        #expect(NetworkFile.encode(try NetworkFile.decode(bytes, source: "mem")) == bytes)
    }

    @Test func fileOfAnotherFormatVersionIsRefusedWithBothVersionsNamed() throws {
        var bytes = NetworkFile.encode(try Self.sampleGraph())
        bytes[8] = 99
        #expect(throws: RoadNetworkError.formatVersionMismatch(path: "old.dnet", found: 99, expected: NetworkFile.formatVersion)) {
            _ = try NetworkFile.decode(bytes, source: "old.dnet")
        }
        let message = RoadNetworkError.formatVersionMismatch(path: "old.dnet", found: 99, expected: 1).description
        #expect(message.contains("version 99") && message.contains("version 1") && message.contains("dispatch network import"))
    }

    /// Re-encodes `graph` with one section replaced (checksum recomputed), as a crafted file would be.
    static func crafted(_ graph: RoadGraph, section tag: String, _ edit: (inout [Int32]) -> Void) -> [UInt8] {
        var bytes = NetworkFile.encode(graph)
        let count = Int(bytes[12]) | Int(bytes[13]) << 8
        for i in 0 ..< count {
            let entry = 16 + i * 28
            guard String(decoding: bytes[entry ..< entry + 4], as: UTF8.self) == tag else { continue }
            let offset = bytes[entry + 4 ..< entry + 12].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            let length = bytes[entry + 12 ..< entry + 20].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            var values = (0 ..< length / 4).map { k in
                Int32(bitPattern: UInt32(bytes[offset + 4 * k]) | UInt32(bytes[offset + 4 * k + 1]) << 8
                    | UInt32(bytes[offset + 4 * k + 2]) << 16 | UInt32(bytes[offset + 4 * k + 3]) << 24)
            }
            edit(&values)
            for (k, v) in values.enumerated() {
                let u = UInt32(bitPattern: v)
                for b in 0 ..< 4 { bytes[offset + 4 * k + b] = UInt8(truncatingIfNeeded: u >> (8 * UInt32(b))) }
            }
            let crc = NetworkFile.crc(bytes[offset ..< offset + length])
            for b in 0 ..< 4 { bytes[entry + 20 + b] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(b))) }
        }
        return bytes
    }

    @Test func craftedFilesWithConsistentChecksumsButImpossibleContentsAreRefused() throws {
        let g = try Self.sampleGraph()
        #expect((try? NetworkFile.decode(Self.crafted(g, section: "TIME") { _ in }, source: "same.dnet")) != nil, "the crafting itself keeps a valid file valid")
        let cases: [(String, (inout [Int32]) -> Void)] = [
            ("AEDG", { $0.swapAt(0, $0.count - 1) }),
            ("TIME", { for i in $0.indices { $0[i] = 1 << 30 } }),
            ("ELEN", { $0[0] = Int32.max }),
            ("EGEO", { $0[1] = Int32.min }),
            ("HEAD", { $0[0] = -1 }),
        ]
        for (tag, edit) in cases {
            #expect(throws: RoadNetworkError.self, "\(tag)") { _ = try NetworkFile.decode(Self.crafted(g, section: tag, edit), source: "crafted.dnet") }
        }
        let empty = RoadGraph(firstOut: [0], head: [], travelTime: [], arcEdge: [], nodeCoordinates: [], nodeOSMIDs: [],
                              edgeFrom: [], edgeTo: [], edgeLength: [], edgeWayID: [], edgeRoadClass: [], edgeGeometryStart: [0],
                              geometry: [], geometryOSMIDs: [], closures: [], metadata: NetworkMetadata(source: "x", report: []))
        #expect(throws: RoadNetworkError.self) { _ = try NetworkFile.decode(NetworkFile.encode(empty), source: "empty.dnet") }
    }

    @Test func damagedOrTruncatedNetworkFileIsRefused() throws {
        let bytes = NetworkFile.encode(try Self.sampleGraph())
        for cut in [0, 5, 12, 40, bytes.count / 2, bytes.count - 1] {
            #expect(throws: RoadNetworkError.self) { _ = try NetworkFile.decode(Array(bytes[0 ..< cut]), source: "cut.dnet") }
        }
        var flipped = bytes
        flipped[bytes.count - 20] ^= 0xFF
        #expect(throws: RoadNetworkError.self) { _ = try NetworkFile.decode(flipped, source: "flip.dnet") }
    }
}

@Suite struct ClosureListTests {
    @Test func closuresByWayNodePairAndPlaceAreResolved() throws {
        let g = try NetworkFileTests.sampleGraph()
        let way = g.edgeWayID[0]
        let ids = g.geometryOSMIDs[Int(g.edgeGeometryStart[0]) ..< Int(g.edgeGeometryStart[1])]
        let point = g.geometry[Int(g.edgeGeometryStart[0])].coordinate
        let csv = """
        road,from,to,reason
        # a comment
        way:\(way),2026-11-20,2026-12-05,"Landslide, lane blocked"
        nodes:\(ids[ids.startIndex])-\(ids[ids.startIndex + 1]),2026-12-01,2026-12-01,snow
        at:\(point.latitude);\(point.longitude),2027-01-01,2027-01-02,
        """
        let closures = try ClosureList.parse(csv, source: "closures.csv", graph: g)
        #expect(closures.count >= 3)
        #expect(closures[0].reason == "Landslide, lane blocked")
        #expect(closures.allSatisfy { $0.edge >= 0 && Int($0.edge) < g.edgeCount })
        let mask = g.closedArcs(on: ServiceDate(year: 2026, month: 11, day: 25)!, extra: closures)
        #expect(!mask.isEmpty)
        #expect(g.closedArcs(on: ServiceDate(year: 2026, month: 11, day: 19)!, extra: closures).isEmpty)
    }

    @Test func badClosureLinesNameTheLineAndTheProblem() throws {
        let g = try NetworkFileTests.sampleGraph()
        let cases: [(String, String)] = [
            ("road,from,to,reason\nway:abc,2026-01-01,2026-01-02,x", "way:ID"),
            ("road,from,to,reason\nway:1,2026-02-30,2026-03-01,x", "not a date"),
            ("road,from,to,reason\nway:1,2026-03-01,2026-02-01,x", "ends"),
            ("road,from,to,reason\nway:999999,2026-01-01,2026-01-02,x", "no way 999999"),
            ("road,from,to,reason\nbridge,2026-01-01,2026-01-02,x", "names no road"),
            ("road,from,to,reason\nway:1,2026-01-01", "expected 4 fields"),
            ("id,date\n", "header"),
            ("road,from,to,reason\nat:48.85;2.35,2026-01-01,2026-01-02,x", "within 100 m"),
        ]
        for (text, fragment) in cases {
            #expect {
                _ = try ClosureList.parse(text, source: "c.csv", graph: g)
            } throws: { error in
                let message = (error as? RoadNetworkError)?.description ?? ""
                return message.contains("c.csv, line") && message.contains(fragment)
            }
        }
    }
}
