import Foundation
import Testing
@testable import RoadNetwork

@Suite struct SnappingTests {
    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func snapFindsTheSameDistanceAsABruteForceScan() throws {
        let g = try #require(SharedData.andorra2013Graph)
        let index = SnapIndex(graph: g)
        var rng = TestRandom(seed: 21)
        let box = g.boundingBox
        for _ in 0 ..< 100 {
            let c = Coordinate(latitude: Double.random(in: box.minLatitude ... box.maxLatitude, using: &rng),
                               longitude: Double.random(in: box.minLongitude ... box.maxLongitude, using: &rng))
            var brute = Double.infinity
            for e in 0 ..< g.edgeCount {
                for i in Int(g.edgeGeometryStart[e]) ..< Int(g.edgeGeometryStart[e + 1]) - 1 {
                    brute = min(brute, distanceToSegment(c, g.geometry[i].coordinate, g.geometry[i + 1].coordinate))
                }
            }
            if let snapped = try? index.snap(c, in: g, maxDistanceMetres: 2_000) {
                // The index projects around the zone centre, the reference around the point: allow 0.2 %.
                #expect(abs(snapped.distanceMetres - brute) < 0.5 + 0.002 * brute)
                #expect(snapped.fraction >= 0 && snapped.fraction <= 1)
            } else {
                #expect(brute > 1_999)
            }
        }
    }

    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func pointOutsideTheNetworkIsRefusedWithTheLimitInTheMessage() throws {
        let g = try #require(SharedData.andorra2013Graph)
        let paris = Coordinate(latitude: 48.8566, longitude: 2.3522)
        #expect(throws: RoadNetworkError.pointTooFarFromRoad(paris, nearestMetres: nil, limitMetres: 500)) {
            _ = try SnapIndex(graph: g).snap(paris, in: g)
        }
        let message = RoadNetworkError.pointTooFarFromRoad(paris, nearestMetres: nil, limitMetres: 500).description
        #expect(message.contains("500 m"))
    }

    @Test func invalidCoordinateIsRefused() throws {
        let g = try ShortestPathTests.randomGridGraph(seed: 1, size: 3)
        #expect(throws: RoadNetworkError.self) {
            _ = try SnapIndex(graph: g).snap(Coordinate(latitude: 95, longitude: 0), in: g)
        }
        #expect(Coordinate(parsing: "42.5,1.5") != nil)
        #expect(Coordinate(parsing: "42.5") == nil)
        #expect(Coordinate(parsing: "91,1") == nil)
        #expect(Coordinate(parsing: "a,b") == nil)
    }

    @Test func snapSkipsRoadsClosedInBothDirections() throws {
        var f = OSMFixture()
        let a = f.node(east: 0, north: 0), b = f.node(east: 1000, north: 0)
        let c = f.node(east: 0, north: 100), d = f.node(east: 1000, north: 100)
        f.way([a, b], ["highway": "primary", "motor_vehicle:conditional": "no @ (Dec 1-Apr 15)"])
        f.way([c, d], ["highway": "primary"])
        f.way([a, c], ["highway": "primary"])
        f.way([b, d], ["highway": "primary"])
        let g = try f.build()
        let closed = g.closedArcs(on: ServiceDate(year: 2026, month: 12, day: 24)!)
        let index = SnapIndex(graph: g)
        let near = Coordinate(latitude: 36.0 + 10 / 111_132.954, longitude: 138.0 + 500 / (111_319.49 * cos(36.0 * .pi / 180)))
        let summer = try index.snap(near, in: g)
        let winter = try index.snap(near, in: g, closed: closed)
        #expect(summer.distanceMetres < 15)
        #expect(winter.distanceMetres > 80)
    }
}
