import Foundation
@testable import RoadNetwork

/// Paths to the shared real-world data (OSM extracts, SRTM tile) when present.
/// CI has `../shared` beside the project; tests that need it are disabled, with a printed note, when it is absent.
enum SharedData {
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let networksDirectory = ProcessInfo.processInfo.environment["DISPATCH_SHARED_NETWORKS"]
        ?? projectRoot.deletingLastPathComponent().appendingPathComponent("shared/networks").path

    static func path(_ name: String) -> String? {
        let p = networksDirectory + "/" + name
        if FileManager.default.fileExists(atPath: p) { return p }
        print("note: \(p) is absent; tests that read it are skipped")
        return nil
    }

    static let andorra2013 = path("andorra.osm.pbf")
    static let andorra2025 = path("andorra-latest.osm.pbf")
    static let liechtenstein = path("liechtenstein-latest.osm.pbf")
    static let srtmAndorra = path("N42E001.hgt.zip")

    /// Andorra 2013, imported once per test process.
    static let andorra2013Graph: RoadGraph? = andorra2013.flatMap { try? NetworkImporter.importNetwork(path: $0).graph }
}

/// Builds small OSM inputs by hand.
struct OSMFixture {
    var nodes: [(id: Int64, position: FixedCoordinate)] = []
    var ways: [OSMWay] = []
    var nextNode: Int64 = 1
    var nextWay: Int64 = 1

    /// Adds a node at an offset in metres east/north of 36.0 N, 138.0 E.
    mutating func node(east: Double, north: Double) -> Int64 {
        let lat = 36.0 + north / 111_132.954
        let lon = 138.0 + east / (111_319.49 * cos(36.0 * .pi / 180))
        let id = nextNode
        nextNode += 1
        nodes.append((id, FixedCoordinate(Coordinate(latitude: lat, longitude: lon))))
        return id
    }

    @discardableResult
    mutating func way(_ refs: [Int64], _ tags: [String: String]) -> Int64 {
        let id = nextWay
        nextWay += 1
        ways.append(OSMWay(id: id, nodeIDs: refs, tags: tags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        return id
    }

    var data: OSMData { OSMData(ways: ways, nodes: nodes, source: "fixture") }

    func build(_ builder: RoadGraphBuilder = RoadGraphBuilder()) throws -> RoadGraph { try builder.build(data).graph }
}

extension RoadGraph {
    /// Checks that `arcs` is a path from `s` to `t` whose travel times add up to `time`.
    func isPath(_ arcs: [Int32], from s: Int32, to t: Int32, time: Int32) -> Bool {
        var at = s
        for a in arcs {
            guard arcTail(a) == at else { return false }
            at = head[Int(a)]
        }
        return at == t && arcs.reduce(Int32(0)) { $0 + travelTime[Int($1)] } == time
    }

    /// The graph node at (or nearest to) a coordinate.
    func nearestNode(to c: Coordinate) -> Int32 {
        var best: Int32 = 0
        var bestDistance = Double.infinity
        for v in 0 ..< nodeCount {
            let d = nodeCoordinates[v].coordinate.distance(to: c)
            if d < bestDistance { bestDistance = d; best = Int32(v) }
        }
        return best
    }
}

/// A deterministic generator for test inputs (SplitMix64).
struct TestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
