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
            #expect(g.isPath(arcs, from: s, to: t, time: time))
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

@Suite struct PointTableTests {
    @Test(.enabled(if: SharedData.andorra2013 != nil, "needs ../shared/networks/andorra.osm.pbf"))
    func tableOfRoadPositionsEqualsDijkstraRoutesBetweenThem() throws {
        let g = try #require(SharedData.andorra2013Graph)
        let ch = try #require(ContractionHierarchyTests.andorraCH)
        let index = SnapIndex(graph: g)
        var rng = TestRandom(seed: 31)
        let box = g.boundingBox
        var points: [SnappedPoint] = []
        while points.count < 40 {
            let c = Coordinate(latitude: Double.random(in: box.minLatitude ... box.maxLatitude, using: &rng),
                               longitude: Double.random(in: box.minLongitude ... box.maxLongitude, using: &rng))
            if let p = try? index.snap(c, in: g, maxDistanceMetres: 300) { points.append(p) }
        }
        // Two points on one edge, to exercise the direct trip along it.
        var twin = points[0]
        twin.fraction = min(1, twin.fraction + 0.3)
        points.append(twin)
        let table = ManyToMany.table(graph: g, hierarchy: ch, points: points, closed: nil)
        let dijkstra = ShortestPathQuery(graph: g)
        for i in points.indices {
            for j in points.indices where i != j {
                #expect(table.time(i, j) == dijkstra.route(from: points[i], to: points[j])?.travelTime, "pair \(i) → \(j)")
            }
            #expect(table.time(i, i) == 0)
        }
    }

    @Test func closuresMakeANewHierarchyThatMatchesDijkstraOnTheClosedNetwork() throws {
        let g = try ShortestPathTests.randomGridGraph(seed: 8, size: 10)
        let cache = ContractionHierarchyCache(graph: g)
        var rng = TestRandom(seed: 2)
        var mask = ArcMask(arcCount: g.arcCount)
        for _ in 0 ..< 25 { mask.insert(Int32.random(in: 0 ..< Int32(g.arcCount), using: &rng)) }
        let closedCH = cache.hierarchy(closed: mask)
        #expect(cache.contractions == 1)
        _ = cache.hierarchy(closed: mask)
        #expect(cache.contractions == 1, "the same closures reuse the hierarchy")
        #expect(cache.hierarchy(closed: ArcMask(arcCount: g.arcCount)).rank == ContractionHierarchyBuilder().build(g).rank)
        let query = CHQuery(closedCH)
        let dijkstra = ShortestPathQuery(graph: g)
        for s in 0 ..< Int32(g.nodeCount) {
            let all = dijkstra.timesFromNode(s, closed: mask)
            for t in 0 ..< Int32(g.nodeCount) {
                #expect(query.time(from: s, to: t) == (all[Int(t)] == RoadGraph.unreachable ? nil : all[Int(t)]))
            }
        }
    }

    @Test func networkFileKeepsTheHierarchyAndRefusesADamagedOne() throws {
        let g = try ShortestPathTests.randomGridGraph(seed: 6, size: 8)
        let ch = ContractionHierarchyBuilder().build(g)
        let bytes = NetworkFile.encode(g, hierarchy: ch)
        let loaded = try NetworkFile.decodeNetwork(bytes, source: "mem")
        let back = try #require(loaded.hierarchy)
        #expect(back.rank == ch.rank && back.upHead == ch.upHead && back.downArc == ch.downArc && back.shortcutFirst == ch.shortcutFirst)
        #expect(try NetworkFile.decodeNetwork(NetworkFile.encode(g), source: "mem").hierarchy == nil)
        // A hierarchy whose arcs point downwards is refused, not trusted.
        let broken = ContractionHierarchy(nodeCount: ch.nodeCount, originalArcCount: ch.originalArcCount, rank: ch.rank,
                                          upFirst: ch.upFirst, upHead: ch.upHead.map { _ in 0 }, upTime: ch.upTime, upLength: ch.upLength,
                                          upArc: ch.upArc, downFirst: ch.downFirst, downTail: ch.downTail, downTime: ch.downTime,
                                          downLength: ch.downLength, downArc: ch.downArc,
                                          shortcutFirst: ch.shortcutFirst, shortcutSecond: ch.shortcutSecond)
        #expect(throws: RoadNetworkError.self) { _ = try NetworkFile.decodeNetwork(NetworkFile.encode(g, hierarchy: broken), source: "bad.dnet") }
    }

    @Test func pointFilesAreCheckedLineByLine() {
        #expect(throws: RoadNetworkError.invalidPoints(path: "p.csv", line: 1, reason: "the first line must be the header id,lat,lon")) {
            _ = try PointList.parse("name,lat,lon\na,1,2\n", source: "p.csv")
        }
        #expect(throws: RoadNetworkError.invalidPoints(path: "p.csv", line: 3, reason: "the id 'a' is used twice")) {
            _ = try PointList.parse("id,lat,lon\na,1,2\na,1,3\n", source: "p.csv")
        }
        #expect(throws: RoadNetworkError.self) { _ = try PointList.parse("id,lat,lon\na,100,2\n", source: "p.csv") }
        #expect(throws: RoadNetworkError.self) { _ = try PointList.parse("id,lat,lon\n", source: "p.csv") }
        #expect((try? PointList.parse("\u{FEFF}id,lat,lon\n\"A, B\",36.1,137.9\n", source: "p.csv"))?.first?.id == "A, B")
        // Files saved on Windows (CRLF line ends) read the same, with the same line numbers.
        #expect((try? PointList.parse("id,lat,lon\r\na,36.1,137.9\r\nb,36.2,137.8\r\n", source: "p.csv"))?.map(\.line) == [2, 3])
    }
}
