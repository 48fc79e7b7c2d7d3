import Foundation
import Testing
@testable import RoadNetwork

@Suite struct RoadModelTests {
    @Test func conditionalRestrictionsBecomeYearlyClosures() {
        #expect(ConditionalRestriction.closures(in: "no @ (Dec 1-Apr 15)").periods == [.yearly(fromMonthDay: 1201, toMonthDay: 415)])
        #expect(ConditionalRestriction.closures(in: "no @ (Nov-Apr)").periods == [.yearly(fromMonthDay: 1101, toMonthDay: 430)])
        #expect(ConditionalRestriction.closures(in: "no @ (Dec 01 - Mar 31); destination @ (Apr)").periods == [.yearly(fromMonthDay: 1201, toMonthDay: 331)])
        #expect(ConditionalRestriction.closures(in: "no @ winter").periods == [ConditionalRestriction.defaultWinter])
        let timed = ConditionalRestriction.closures(in: "no @ (Mo-Fr 07:00-09:00)")
        #expect(timed.periods.isEmpty && timed.ignored == 1)
    }

    @Test func yearlyPeriodsWrapOverNewYear() {
        let winter = ClosurePeriod.yearly(fromMonthDay: 1201, toMonthDay: 415)
        #expect(winter.covers(ServiceDate(year: 2026, month: 12, day: 1)!))
        #expect(winter.covers(ServiceDate(year: 2027, month: 1, day: 20)!))
        #expect(winter.covers(ServiceDate(year: 2027, month: 4, day: 15)!))
        #expect(!winter.covers(ServiceDate(year: 2027, month: 4, day: 16)!))
        #expect(!winter.covers(ServiceDate(year: 2026, month: 11, day: 30)!))
    }

    @Test func datesAreParsedStrictly() {
        #expect(ServiceDate(parsing: "2026-12-01") == ServiceDate(year: 2026, month: 12, day: 1))
        #expect(ServiceDate(parsing: "2028-02-29") != nil)
        #expect(ServiceDate(parsing: "2026-02-29") == nil)
        #expect(ServiceDate(parsing: "2026-13-01") == nil)
        #expect(ServiceDate(parsing: "2026-1-01") == nil)
        #expect(ServiceDate(parsing: "01/12/2026") == nil)
        let d = ServiceDate(year: 2026, month: 12, day: 1)!
        #expect(ServiceDate(dayNumber: d.dayNumber) == d)
        #expect(ServiceDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
    }

    @Test func speedLimitsAreReadInTheirUsualForms() {
        #expect(WayProfile.parseMaxspeed("50") == 50)
        #expect(WayProfile.parseMaxspeed("50 km/h") == 50)
        #expect(abs(WayProfile.parseMaxspeed("30 mph")! - 48.28) < 0.01)
        #expect(WayProfile.parseMaxspeed("JP:urban") == 50)
        #expect(WayProfile.parseMaxspeed("walk") == 6)
        #expect(WayProfile.parseMaxspeed("none") == nil)
        #expect(WayProfile.parseMaxspeed("inf") == nil)
        #expect(WayProfile.parseMaxspeed("1e200") == nil)
        #expect(WayProfile.parseMaxspeed("-30") == nil)
    }

    @Test func absurdSpeedLimitsFallBackToTheRoadClassInsteadOfBreakingTheImport() throws {
        var f = OSMFixture()
        let a = f.node(east: 0, north: 0), b = f.node(east: 100, north: 0)
        f.way([a, b], ["highway": "residential", "maxspeed": "inf"])
        let g = try f.build()
        #expect(g.travelTime.allSatisfy { $0 > 0 && $0 < 600 })
    }

    @Test func accessTagsDecideWhetherATaxiMayDrive() throws {
        func profile(_ tags: [String: String]) -> WayProfile? {
            try? WayProfile.read(OSMWay(id: 1, nodeIDs: [1, 2], tags: tags.map { ($0.key, $0.value) }), includeTracks: false).get()
        }
        #expect(profile(["highway": "residential"]) != nil)
        #expect(profile(["highway": "footway"]) == nil)
        #expect(profile(["highway": "track"]) == nil)
        #expect(profile(["highway": "service", "access": "private"]) == nil)
        #expect(profile(["highway": "primary", "motor_vehicle": "no"]) == nil)
        #expect(profile(["highway": "primary", "motor_vehicle": "no", "psv": "yes"]) != nil)
        #expect(profile(["highway": "residential", "access": "destination"]) != nil)
        #expect(profile(["highway": "primary", "oneway": "yes"])?.backward == false)
        #expect(profile(["highway": "primary", "oneway": "-1"])?.forward == false)
        #expect(profile(["highway": "primary", "junction": "roundabout"])?.backward == false)
        #expect(profile(["highway": "motorway"])?.backward == false)
        #expect(profile(["highway": "primary", "oneway": "reversible"]) == nil)
    }

    /// A road of equal length, straight or with hairpins, in the test fixture's local metres.
    static func hairpinAndStraightTimes() throws -> (hairpin: Int32, straight: Int32) {
        var f = OSMFixture()
        // Straight: 1 km east.
        let s = (0 ... 10).map { f.node(east: Double($0) * 100, north: -500) }
        f.way(s, ["highway": "secondary"])
        // Switchbacks: five 180-metre legs joined by tight 180° bends (radius ~8 m), 1 km in all.
        var z: [Int64] = []
        for leg in 0 ..< 5 {
            let y = Double(leg) * 16
            let xs: [Double] = leg % 2 == 0 ? [0, 60, 120, 180] : [180, 120, 60, 0]
            for x in xs { z.append(f.node(east: x, north: y)) }
            if leg < 4 {
                let cx = leg % 2 == 0 ? 180.0 : 0.0, dir = leg % 2 == 0 ? 1.0 : -1.0
                for k in 1 ... 5 {
                    let angle = -Double.pi / 2 + Double(k) * Double.pi / 6
                    z.append(f.node(east: cx + dir * 8 * cos(angle), north: y + 8 + 8 * sin(angle)))
                }
            }
        }
        f.way(z, ["highway": "secondary"])
        let g = try f.build(RoadGraphBuilder())
        _ = g
        // Each way is its own component; build them separately to keep both.
        var f1 = OSMFixture(); f1.nodes = f.nodes; f1.ways = [f.ways[0]]
        var f2 = OSMFixture(); f2.nodes = f.nodes; f2.ways = [f.ways[1]]
        let straight = try f1.build().travelTime[0]
        let hairpin = try f2.build().travelTime[0]
        return (hairpin, straight)
    }

    @Test func hairpinsAreSlowerThanAStraightRoadOfTheSameLength() throws {
        let (hairpin, straight) = try Self.hairpinAndStraightTimes()
        // 1 km at 50 km/h is 72 s; four hairpins must add at least several seconds each.
        #expect(straight >= 700 && straight <= 760)
        #expect(hairpin > straight + 4 * 50)
    }

    struct Slope: ElevationSource {
        /// Height rises 10 % to the north.
        func elevation(at c: Coordinate) -> Double? { (c.latitude - 36.0) * 111_132.954 * 0.10 }
    }

    @Test func steepClimbsAreSlowerThanDescentsAndFlatRoads() throws {
        var f = OSMFixture()
        let points = (0 ... 10).map { f.node(east: 0, north: Double($0) * 100) }
        f.way(points, ["highway": "secondary"])
        let graph = try f.build(RoadGraphBuilder(elevation: Slope()))
        let flat = try f.build().travelTime[0]
        let up = graph.travelTime[Int(try #require(graph.arc(onEdge: 0, reversed: false)))]
        let down = graph.travelTime[Int(try #require(graph.arc(onEdge: 0, reversed: true)))]
        #expect(up > down)
        #expect(down > flat)
        #expect(Double(up) > 1.2 * Double(flat))
    }

    @Test func closedPassForcesADetourOnAWinterDate() throws {
        // Two valley towns joined by a short pass (closed Dec 1 – Apr 15) and a long valley road.
        var f = OSMFixture()
        let west = f.node(east: 0, north: 0), east = f.node(east: 4_000, north: 0)
        let passTop = f.node(east: 2_000, north: 300)
        let south1 = f.node(east: 0, north: -6_000), south2 = f.node(east: 4_000, north: -6_000)
        f.way([west, passTop, east], ["highway": "secondary", "motor_vehicle:conditional": "no @ (Dec 1-Apr 15)"])
        f.way([west, south1, south2, east], ["highway": "primary"])
        let g = try f.build()
        let query = ShortestPathQuery(graph: g)
        let w = g.nearestNode(to: FixedCoordinate(latitudeE7: 360_000_000, longitudeE7: 1_380_000_000).coordinate)
        let e = try #require((0 ..< Int32(g.nodeCount)).first { g.nodeOSMIDs[Int($0)] == east })
        #expect(g.nodeOSMIDs[Int(w)] == west)
        let summer = try #require(query.time(from: w, to: e, closed: g.closedArcs(on: ServiceDate(year: 2026, month: 7, day: 1)!)))
        let winter = try #require(query.time(from: w, to: e, closed: g.closedArcs(on: ServiceDate(year: 2026, month: 12, day: 1)!)))
        #expect(winter > 3 * summer)
        #expect(g.closures.count == 1)
        #expect(g.closures.allSatisfy { $0.reason.contains("Dec 1-Apr 15") })
    }

    @Test func hamletBehindAClosedPassIsUnreachableInWinter() throws {
        var f = OSMFixture()
        let town = f.node(east: 0, north: 0), other = f.node(east: 500, north: 0), hamlet = f.node(east: 3_000, north: 2_000)
        f.way([town, other], ["highway": "residential"])
        f.way([other, hamlet], ["highway": "tertiary", "motor_vehicle:conditional": "no @ (Nov-Apr)"])
        let g = try f.build()
        let query = ShortestPathQuery(graph: g)
        let t = try #require((0 ..< Int32(g.nodeCount)).first { g.nodeOSMIDs[Int($0)] == town })
        let h = try #require((0 ..< Int32(g.nodeCount)).first { g.nodeOSMIDs[Int($0)] == hamlet })
        #expect(query.time(from: t, to: h) != nil)
        #expect(query.time(from: t, to: h, closed: g.closedArcs(on: ServiceDate(year: 2027, month: 2, day: 1)!)) == nil)
    }
}
