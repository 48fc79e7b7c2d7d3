import Foundation
import Testing
@testable import RoadNetwork

@Suite struct ShortestPathTests {
    /// A random strongly connected-ish grid with one-way streets and varying speeds.
    static func randomGridGraph(seed: UInt64, size: Int = 12) throws -> RoadGraph {
        var rng = TestRandom(seed: seed)
        var f = OSMFixture()
        var ids = [[Int64]]()
        for r in 0 ..< size {
            ids.append((0 ..< size).map { c in
                f.node(east: Double(c) * 200 + Double.random(in: -40 ... 40, using: &rng),
                       north: Double(r) * 200 + Double.random(in: -40 ... 40, using: &rng))
            })
        }
        let classes = ["primary", "secondary", "residential", "tertiary"]
        for r in 0 ..< size {
            for c in 0 ..< size {
                if c + 1 < size {
                    var tags = ["highway": classes.randomElement(using: &rng)!]
                    if Int.random(in: 0 ..< 6, using: &rng) == 0 { tags["oneway"] = "yes" }
                    f.way([ids[r][c], ids[r][c + 1]], tags)
                }
                if r + 1 < size {
                    var tags = ["highway": classes.randomElement(using: &rng)!]
                    if Int.random(in: 0 ..< 6, using: &rng) == 0 { tags["oneway"] = "-1" }
                    f.way([ids[r][c], ids[r + 1][c]], tags)
                }
            }
        }
        return try f.build()
    }

    /// Bellman-Ford over all arcs: the reference the Dijkstra query must equal.
    static func bellmanFord(_ g: RoadGraph, from s: Int32, closed: ArcMask? = nil) -> [Int32] {
        var d = [Int64](repeating: Int64.max, count: g.nodeCount)
        d[Int(s)] = 0
        for _ in 0 ..< g.nodeCount {
            var changed = false
            for v in 0 ..< g.nodeCount where d[v] != Int64.max {
                for a in Int(g.firstOut[v]) ..< Int(g.firstOut[v + 1]) where !(closed?.contains(Int32(a)) ?? false) {
                    let h = Int(g.head[a])
                    if d[v] + Int64(g.travelTime[a]) < d[h] { d[h] = d[v] + Int64(g.travelTime[a]); changed = true }
                }
            }
            if !changed { break }
        }
        return d.map { $0 == Int64.max ? RoadGraph.unreachable : Int32($0) }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func dijkstraEqualsBellmanFordOnRandomGrids(seed: UInt64) throws {
        let g = try Self.randomGridGraph(seed: seed)
        let query = ShortestPathQuery(graph: g)
        for s in stride(from: 0, to: Int32(g.nodeCount), by: 17) {
            #expect(query.timesFromNode(s) == Self.bellmanFord(g, from: s))
        }
    }

    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func distancesSatisfyTheTriangleInequalityAlongEveryArc() throws {
        let g = try #require(SharedData.andorra2013Graph)
        let query = ShortestPathQuery(graph: g)
        var rng = TestRandom(seed: 11)
        for _ in 0 ..< 5 {
            let d = query.timesFromNode(Int32.random(in: 0 ..< Int32(g.nodeCount), using: &rng))
            for v in 0 ..< g.nodeCount {
                for a in Int(g.firstOut[v]) ..< Int(g.firstOut[v + 1]) {
                    #expect(Int64(d[Int(g.head[a])]) <= Int64(d[v]) + Int64(g.travelTime[a]))
                }
            }
        }
    }

    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func pathTravelTimeEqualsTheSumOfItsArcWeights() throws {
        let g = try #require(SharedData.andorra2013Graph)
        let query = ShortestPathQuery(graph: g)
        var rng = TestRandom(seed: 5)
        for _ in 0 ..< 200 {
            let s = Int32.random(in: 0 ..< Int32(g.nodeCount), using: &rng)
            let t = Int32.random(in: 0 ..< Int32(g.nodeCount), using: &rng)
            let time = try #require(query.time(from: s, to: t))
            let arcs = try #require(query.pathArcs(to: t))
            #expect(g.isPath(arcs, from: s, to: t, time: time))
        }
    }

    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func snappedRouteTimeIsPartialFirstArcPlusMiddleArcsPlusPartialLastArc() throws {
        let g = try #require(SharedData.andorra2013Graph)
        let index = SnapIndex(graph: g)
        let query = ShortestPathQuery(graph: g)
        var rng = TestRandom(seed: 9)
        let box = g.boundingBox
        var routes = 0
        while routes < 100 {
            func randomPoint() -> Coordinate {
                Coordinate(latitude: Double.random(in: box.minLatitude ... box.maxLatitude, using: &rng),
                           longitude: Double.random(in: box.minLongitude ... box.maxLongitude, using: &rng))
            }
            guard let a = try? index.snap(randomPoint(), in: g, maxDistanceMetres: 300),
                  let b = try? index.snap(randomPoint(), in: g, maxDistanceMetres: 300) else { continue }
            let route = try #require(query.route(from: a, to: b))
            routes += 1
            if route.arcs.count >= 2 {
                let first = route.arcs.first!, last = route.arcs.last!
                // A point on a junction may leave by any road there: a first or last arc on another edge is driven whole.
                let firstShare = g.arcEdge[Int(first)] >> 1 != a.edge ? 1 : g.arcEdge[Int(first)] & 1 == 0 ? 1 - a.fraction : a.fraction
                let lastShare = g.arcEdge[Int(last)] >> 1 != b.edge ? 1 : g.arcEdge[Int(last)] & 1 == 0 ? b.fraction : 1 - b.fraction
                let middle = route.arcs.dropFirst().dropLast().reduce(Int32(0)) { $0 + g.travelTime[Int($1)] }
                #expect(route.travelTime == partial(g.travelTime[Int(first)], firstShare) + middle + partial(g.travelTime[Int(last)], lastShare))
            }
            #expect(route.geometry.first == a.onRoad && route.geometry.last == b.onRoad)
        }
    }

    @Test func pointOnAJunctionMayLeaveByAnyRoadNotOnlyBySnappedOne() throws {
        // A one-way road A→B, a two-way road C–A, and a long way round B–C.
        var f = OSMFixture()
        let a = f.node(east: 0, north: 0), b = f.node(east: 100, north: 0), c = f.node(east: 0, north: 100)
        let far = f.node(east: 3_000, north: 3_000)
        f.way([a, b], ["highway": "residential", "oneway": "yes"])
        f.way([c, a], ["highway": "residential"])
        f.way([b, far, c], ["highway": "residential"])
        let g = try f.build()
        let index = SnapIndex(graph: g)
        let nodeA = try #require((0 ..< Int32(g.nodeCount)).first { g.nodeOSMIDs[Int($0)] == a })
        let nodeC = try #require((0 ..< Int32(g.nodeCount)).first { g.nodeOSMIDs[Int($0)] == c })
        // 10 m south-west of A: the nearest road point is the junction A itself.
        let aPosition = g.nodeCoordinates[Int(nodeA)].coordinate
        let near = Coordinate(latitude: aPosition.latitude - 7 / 111_132.954, longitude: aPosition.longitude - 7 / 90_000)
        let p = try index.snap(near, in: g)
        let cPoint = try index.snap(g.nodeCoordinates[Int(nodeC)].coordinate, in: g)
        let query = ShortestPathQuery(graph: g)
        let there = try #require(query.route(from: p, to: cPoint))
        let back = try #require(query.route(from: cPoint, to: p))
        #expect(there.distanceMetres < 150, "left by the road to C, not round the one-way loop")
        #expect(abs(there.distanceMetres - back.distanceMetres) < 5)
        let table = ManyToMany.table(graph: g, hierarchy: ContractionHierarchyBuilder().build(g), points: [p, cPoint], closed: nil)
        #expect(table.time(0, 1) == there.travelTime)
        #expect(table.time(1, 0) == back.travelTime)
    }

    @Test func queryObjectGivesTheSameAnswersWhenReused() throws {
        let g = try Self.randomGridGraph(seed: 4)
        let reused = ShortestPathQuery(graph: g)
        for s in [Int32(0), 5, 77, 3, 0] {
            #expect(reused.timesFromNode(s) == ShortestPathQuery(graph: g).timesFromNode(s))
        }
    }
}
