import Foundation
import Testing
@testable import RoadNetwork

@Suite struct ContractionHierarchyTests {
    static let andorraCH: ContractionHierarchy? = SharedData.andorra2013Graph.map { ContractionHierarchyBuilder().build($0) }

    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func chAndDijkstraAgreeExactlyOnThousandsOfRandomPairs() throws {
        let g = try #require(SharedData.andorra2013Graph)
        let ch = try #require(Self.andorraCH)
        let dijkstra = ShortestPathQuery(graph: g)
        let query = CHQuery(ch)
        var rng = TestRandom(seed: 99)
        var mismatches = 0
        for _ in 0 ..< 3_000 {
            let s = Int32.random(in: 0 ..< Int32(g.nodeCount), using: &rng)
            let t = Int32.random(in: 0 ..< Int32(g.nodeCount), using: &rng)
            if query.time(from: s, to: t) != dijkstra.time(from: s, to: t) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func chAndDijkstraAgreeOnRandomGridsWithOneWays(seed: UInt64) throws {
        let g = try ShortestPathTests.randomGridGraph(seed: seed, size: 14)
        let ch = ContractionHierarchyBuilder().build(g)
        let query = CHQuery(ch)
        let dijkstra = ShortestPathQuery(graph: g)
        for s in 0 ..< Int32(g.nodeCount) where s % 3 == 0 {
            let all = dijkstra.timesFromNode(s)
            for t in 0 ..< Int32(g.nodeCount) {
                let expected = all[Int(t)] == RoadGraph.unreachable ? nil : all[Int(t)]
                #expect(query.time(from: s, to: t) == expected)
            }
        }
    }

    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func unpackedPathsAreConnectedArcSequencesSummingToTheReportedTime() throws {
        let g = try #require(SharedData.andorra2013Graph)
        let query = CHQuery(try #require(Self.andorraCH))
        var rng = TestRandom(seed: 5)
        for _ in 0 ..< 300 {
            let s = Int32.random(in: 0 ..< Int32(g.nodeCount), using: &rng)
            let t = Int32.random(in: 0 ..< Int32(g.nodeCount), using: &rng)
            let time = try #require(query.time(from: s, to: t))
            let arcs = try #require(query.pathArcs(from: s, to: t))
            #expect(arcs.reduce(Int32(0)) { $0 + g.travelTime[Int($1)] } == time)
            var at = s
            for a in arcs {
                #expect(g.arcTail(a) == at)
                at = g.head[Int(a)]
            }
            #expect(at == t)
        }
    }

    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func tableEqualsDijkstraOneToAllSearches() throws {
        let g = try #require(SharedData.andorra2013Graph)
        let ch = try #require(Self.andorraCH)
        var rng = TestRandom(seed: 17)
        let sources = (0 ..< 40).map { _ in Int32.random(in: 0 ..< Int32(g.nodeCount), using: &rng) }
        let targets = (0 ..< 60).map { _ in Int32.random(in: 0 ..< Int32(g.nodeCount), using: &rng) }
        let table = ManyToMany.table(ch, sources: sources.map { [SearchSeed(node: $0)] }, targets: targets.map { [SearchSeed(node: $0)] })
        let dijkstra = ShortestPathQuery(graph: g)
        for (i, s) in sources.enumerated() {
            let all = dijkstra.timesFromNode(s)
            for (j, t) in targets.enumerated() {
                #expect(table.time(i, j) == all[Int(t)])
                if let arcs = dijkstra.pathArcs(to: t), let length = table.length(i, j) {
                    // Lengths follow a fastest path; with ties they may differ from Dijkstra's path, but not by much.
                    let dijkstraLength = arcs.reduce(0) { $0 + Int(g.arcLength($1)) }
                    #expect(abs(Int(length) - dijkstraLength) <= max(50, dijkstraLength / 20))
                }
            }
        }
    }

    @Test func tablesReportHamletsCutOffByAClosedPassAsUnreachable() throws {
        var f = OSMFixture()
        let town = f.node(east: 0, north: 0), other = f.node(east: 500, north: 0), hamlet = f.node(east: 3_000, north: 2_000)
        let farm = f.node(east: 3_200, north: 2_100)
        f.way([town, other], ["highway": "residential"])
        f.way([other, hamlet], ["highway": "tertiary", "motor_vehicle:conditional": "no @ (Nov-Apr)"])
        f.way([hamlet, farm], ["highway": "unclassified"])
        let g = try f.build()
        let winter = g.closedArcs(on: ServiceDate(year: 2027, month: 1, day: 10)!)
        let ch = ContractionHierarchyBuilder().build(g, closed: winter)
        let nodes = (0 ..< Int32(g.nodeCount)).map { [SearchSeed(node: $0)] }
        let table = ManyToMany.table(ch, sources: nodes, targets: nodes)
        let t = Int((0 ..< g.nodeCount).first { g.nodeOSMIDs[$0] == town }!)
        let h = Int((0 ..< g.nodeCount).first { g.nodeOSMIDs[$0] == farm }!)
        #expect(table.time(t, h) == nil)
        #expect(table.times[t * table.targetCount + h] == RoadGraph.unreachable)
        #expect(table.length(t, h) == nil)
        let summer = ManyToMany.table(ContractionHierarchyBuilder().build(g), sources: nodes, targets: nodes)
        #expect(summer.time(t, h) != nil)
    }
}
