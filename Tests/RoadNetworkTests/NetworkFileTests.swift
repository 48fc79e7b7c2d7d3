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

    func same(_ x: RoadGraph, _ y: RoadGraph) -> Bool {
        x.firstOut == y.firstOut && x.head == y.head && x.travelTime == y.travelTime && x.arcEdge == y.arcEdge
            && x.nodeCoordinates == y.nodeCoordinates && x.nodeOSMIDs == y.nodeOSMIDs
            && x.edgeFrom == y.edgeFrom && x.edgeTo == y.edgeTo && x.edgeLength == y.edgeLength
            && x.edgeWayID == y.edgeWayID && x.edgeRoadClass == y.edgeRoadClass
            && x.edgeGeometryStart == y.edgeGeometryStart && x.geometry == y.geometry && x.geometryOSMIDs == y.geometryOSMIDs
            && x.closures == y.closures && x.metadata == y.metadata
    }

    @Test func savedNetworkLoadsBackIdentical() throws {
        let g = try Self.sampleGraph().addingClosures([
            EdgeClosure(edge: 0, period: .dates(from: ServiceDate(year: 2026, month: 11, day: 20)!, to: ServiceDate(year: 2026, month: 12, day: 5)!), reason: "土砂崩れ landslide"),
        ])
        let loaded = try NetworkFile.decode(NetworkFile.encode(g), source: "mem")
        #expect(same(g, loaded))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID()).dnet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NetworkFile.save(g, to: path)
        #expect(same(g, try NetworkFile.load(path: path)))
    }

    @Test func encodingIsDeterministic() throws {
        #expect(NetworkFile.encode(try Self.sampleGraph()) == NetworkFile.encode(try Self.sampleGraph()))
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
