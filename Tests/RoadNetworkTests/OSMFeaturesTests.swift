import Foundation
import Testing
@testable import RoadNetwork

/// Spherical area of a lon/lat box in km² (mean radius 6,371,008.8 m): R²·Δλ·(sin φ₂ − sin φ₁).
private func boxArea(lon0: Double, lat0: Double, lon1: Double, lat1: Double) -> Double {
    let r = 6_371.0088, rad = Double.pi / 180
    return r * r * (lon1 - lon0) * rad * (sin(lat1 * rad) - sin(lat0 * rad))
}

private func parseXML(_ xml: String) throws -> OSMFeatures {
    try OSMFeatures.parse(bytes: Array(xml.utf8), source: "fixture.osm")
}

private func reason(_ area: AssembledArea) -> String? {
    if case let .incomplete(reason) = area { return reason }
    return nil
}

@Suite struct OSMFeaturesXMLTests {
    /// A 0.1° square municipality split into three ways (the middle one stored backwards), with a
    /// square hole; a cut-off relation; a relation whose ways do not close; points of interest.
    static let fixture = """
    <?xml version="1.0" encoding="UTF-8"?>
    <osm version="0.6" generator="hand">
      <node id="1" lat="42.50" lon="1.50"/>
      <node id="5" lat="42.50" lon="1.55"/>
      <node id="2" lat="42.50" lon="1.60"/>
      <node id="3" lat="42.60" lon="1.60"/>
      <node id="4" lat="42.60" lon="1.50"/>
      <node id="6" lat="42.54" lon="1.54"/>
      <node id="7" lat="42.54" lon="1.56"/>
      <node id="8" lat="42.56" lon="1.56"/>
      <node id="9" lat="42.56" lon="1.54"/>
      <node id="100" lat="42.51" lon="1.51">
        <tag k="highway" v="bus_stop"/><tag k="public_transport" v="platform"/><tag k="name" v="Pla&#231;a"/>
      </node>
      <node id="101" lat="42.52" lon="1.52">
        <tag k="amenity" v="pharmacy"/><tag k="name" v="Farmàcia"/><tag k="name:ja" v="薬局"/><tag k="name:en" v="Pharmacy"/>
      </node>
      <node id="102" lat="42.53" lon="1.53"><tag k="amenity" v="bench"/></node>
      <node id="103" lat="42.58" lon="1.58"><tag k="place" v="hamlet"/><tag k="name" v="Els Plans"/></node>
      <node id="104" lat="42.58" lon="1.59" action="delete"><tag k="amenity" v="school"/></node>
      <node id="200" lat="42.520" lon="1.520"/>
      <node id="201" lat="42.520" lon="1.523"/>
      <node id="202" lat="42.523" lon="1.523"/>
      <node id="203" lat="42.523" lon="1.522"/>
      <node id="204" lat="42.521" lon="1.522"/>
      <node id="205" lat="42.521" lon="1.521"/>
      <node id="206" lat="42.523" lon="1.521"/>
      <node id="207" lat="42.523" lon="1.520"/>
      <node id="300" lat="42.57" lon="1.51"/>
      <node id="301" lat="42.57" lon="1.52"/>
      <node id="302" lat="42.58" lon="1.52"/>
      <way id="1"><nd ref="1"/><nd ref="5"/><nd ref="2"/></way>
      <way id="2"><nd ref="3"/><nd ref="2"/></way>
      <way id="3"><nd ref="3"/><nd ref="4"/><nd ref="1"/><tag k="boundary" v="administrative"/></way>
      <way id="4"><nd ref="6"/><nd ref="7"/><nd ref="8"/><nd ref="9"/><nd ref="6"/></way>
      <way id="10">
        <nd ref="200"/><nd ref="201"/><nd ref="202"/><nd ref="203"/><nd ref="204"/><nd ref="205"/><nd ref="206"/><nd ref="207"/><nd ref="200"/>
        <tag k="building" v="hospital"/><tag k="amenity" v="hospital"/><tag k="name" v="Hospital"/>
      </way>
      <way id="11"><nd ref="300"/><nd ref="301"/><tag k="public_transport" v="platform"/></way>
      <way id="12"><nd ref="300"/><nd ref="301"/><nd ref="302"/><nd ref="300"/></way>
      <relation id="1">
        <member type="way" ref="1" role="outer"/>
        <member type="way" ref="3" role="outer"/>
        <member type="node" ref="103" role="admin_centre"/>
        <member type="way" ref="2" role="outer"/>
        <member type="way" ref="4" role="inner"/>
        <tag k="type" v="boundary"/><tag k="boundary" v="administrative"/><tag k="admin_level" v="8"/>
        <tag k="name" v="Testville"/><tag k="name:ja" v="テスト村"/><tag k="name:en" v="Test Village"/>
      </relation>
      <relation id="2">
        <member type="way" ref="1" role="outer"/>
        <member type="way" ref="99" role="outer"/>
        <tag k="type" v="boundary"/><tag k="boundary" v="administrative"/><tag k="admin_level" v="8"/><tag k="name" v="Cut Off"/>
      </relation>
      <relation id="3">
        <member type="way" ref="1" role="outer"/>
        <member type="way" ref="2" role="outer"/>
        <tag k="type" v="multipolygon"/><tag k="boundary" v="administrative"/><tag k="admin_level" v="8"/><tag k="name" v="Open"/>
      </relation>
      <relation id="4">
        <member type="way" ref="1" role=""/>
        <tag k="type" v="route"/><tag k="route" v="bus"/>
      </relation>
      <relation id="5">
        <member type="way" ref="12" role="outer"/>
        <tag k="type" v="multipolygon"/><tag k="amenity" v="school"/><tag k="name" v="Escola"/>
      </relation>
    </osm>
    """

    @Test func assemblesABoundaryFromThreeWaysOneReversedWithItsHole() throws {
        let features = try parseXML(Self.fixture)
        #expect(features.boundaries.map(\.relationID) == [1, 2, 3])
        let town = try #require(features.boundaries.first { $0.relationID == 1 })
        #expect(town.name == "Testville" && town.nameJa == "テスト村" && town.nameEn == "Test Village" && town.adminLevel == 8)
        #expect(town.memberWays.map(\.wayID) == [1, 3, 2, 4])
        #expect(town.memberWays.map(\.role) == ["outer", "outer", "outer", "inner"])
        #expect(town.memberWays[0].positions == [Coordinate(latitude: 42.5, longitude: 1.5),
                                                 Coordinate(latitude: 42.5, longitude: 1.55),
                                                 Coordinate(latitude: 42.5, longitude: 1.6)])
        let shape = try #require(town.area.polygon)
        #expect(shape.polygons.count == 1)
        #expect(shape.polygons[0].exterior.count == 5)
        #expect(shape.polygons[0].holes.count == 1)
        let expected = boxArea(lon0: 1.5, lat0: 42.5, lon1: 1.6, lat1: 42.6) - boxArea(lon0: 1.54, lat0: 42.54, lon1: 1.56, lat1: 42.56)
        #expect(abs(shape.areaSquareKilometres - expected) < 1e-6 * expected)
        #expect(shape.contains(Coordinate(latitude: 42.51, longitude: 1.51)))
        #expect(!shape.contains(Coordinate(latitude: 42.55, longitude: 1.55)), "the point lies in the hole")
        #expect(!shape.contains(Coordinate(latitude: 42.65, longitude: 1.55)))
        // GeoJSON rings: closed, [lon, lat], exterior counter-clockwise.
        let rings = shape.lonLatRings[0]
        #expect(rings[0].first == rings[0].last && rings[0].count == 6)
        #expect(GeoMultiPolygon.ringArea(shape.polygons[0].exterior) > 0)
        #expect(GeoMultiPolygon.ringArea(shape.polygons[0].holes[0]) < 0)
    }

    @Test func reportsARelationWhoseMemberWayIsNotInTheFileAsIncomplete() throws {
        let features = try parseXML(Self.fixture)
        let cut = try #require(features.boundaries.first { $0.relationID == 2 })
        let text = try #require(reason(cut.area))
        #expect(text.contains("1 of its 2 member ways are not in the file") && text.contains("way 99"))
        #expect(cut.memberWays[1].isInFile == false)
    }

    @Test func reportsARelationWhoseWaysDoNotCloseAsIncomplete() throws {
        let features = try parseXML(Self.fixture)
        let open = try #require(features.boundaries.first { $0.relationID == 3 })
        let text = try #require(reason(open.area))
        #expect(text.contains("ends open at node"))
    }

    @Test func keepsTaggedNodesAndClosedWayAreasAsPointsOfInterest() throws {
        let features = try parseXML(Self.fixture)
        let byElement = Dictionary(uniqueKeysWithValues: features.pointsOfInterest.map { ($0.element.description, $0) })
        #expect(Set(byElement.keys) == ["node/100", "node/101", "node/103", "way/10", "relation/5"])
        #expect(byElement["node/100"]?.kind == .busStop, "highway=bus_stop wins over public_transport=platform")
        #expect(byElement["node/100"]?.name == "Plaça")
        let pharmacy = try #require(byElement["node/101"])
        #expect(pharmacy.kind == .pharmacy && pharmacy.nameJa == "薬局" && pharmacy.nameEn == "Pharmacy")
        #expect(pharmacy.position == Coordinate(latitude: 42.52, longitude: 1.52))
        #expect(byElement["node/103"]?.kind == .hamlet)
        #expect(PointOfInterestKind.hamlet.rawValue == "hamlet" && PointOfInterestKind.postOffice.rawValue == "post_office")
        // The hospital is U-shaped: its centroid lies in the notch, its point must not.
        let hospital = try #require(byElement["way/10"])
        #expect(hospital.kind == .hospital && hospital.name == "Hospital")
        let uShape = GeoMultiPolygon(polygons: [GeoPolygon(exterior: [200, 201, 202, 203, 204, 205, 206, 207].map {
            Coordinate(latitude: [42.520, 42.520, 42.523, 42.523, 42.521, 42.521, 42.523, 42.523][$0 - 200],
                       longitude: [1.520, 1.523, 1.523, 1.522, 1.522, 1.521, 1.521, 1.520][$0 - 200])
        })])
        #expect(!uShape.contains(uShape.centroid))
        #expect(uShape.contains(hospital.position))
        let school = try #require(byElement["relation/5"])
        #expect(school.kind == .school && school.name == "Escola")
        #expect(GeoPolygon(exterior: [Coordinate(latitude: 42.57, longitude: 1.51), Coordinate(latitude: 42.57, longitude: 1.52),
                                      Coordinate(latitude: 42.58, longitude: 1.52)]).contains(school.position))
    }

    @Test func selectsBoundariesByLevelAndName() throws {
        let features = try parseXML(Self.fixture)
        #expect(features.boundaries(adminLevel: 8).count == 3)
        #expect(features.boundaries(adminLevel: 7).isEmpty)
        #expect(features.boundaries(named: "テスト村").map(\.relationID) == [1])
        #expect(features.boundaries(named: "Test Village").map(\.relationID) == [1])
        let world = GeoMultiPolygon(polygons: [GeoPolygon(exterior: [
            Coordinate(latitude: 42, longitude: 1), Coordinate(latitude: 42, longitude: 2), Coordinate(latitude: 43, longitude: 2),
            Coordinate(latitude: 43, longitude: 1),
        ])])
        let selection = features.boundaries(adminLevel: 8, within: world)
        #expect(selection.inside.map(\.relationID) == [1])
        #expect(selection.incomplete.map(\.relationID) == [2, 3])
        #expect(selection.outside.isEmpty)
    }
}

@Suite struct MultipolygonAssemblerTests {
    /// A way of `coordinates` given as (lon, lat) pairs, with node ids from `ids`.
    private func way(_ id: Int64, _ role: String, _ ids: [Int64], _ coordinates: [Int64: (Double, Double)]) -> RelationMemberWay {
        RelationMemberWay(wayID: id, role: role, nodeIDs: ids,
                          positions: ids.map { Coordinate(latitude: coordinates[$0]!.1, longitude: coordinates[$0]!.0) })
    }

    @Test func joinsAShuffledRingOfManyPiecesAndClassifiesRolelessRingsByContainment() throws {
        // Outer 10×10 square split into six pieces (some reversed), a hole inside it, an island
        // inside the hole, and an exclave: all without roles.
        let c: [Int64: (Double, Double)] = [
            1: (0, 0), 2: (5, 0), 3: (10, 0), 4: (10, 5), 5: (10, 10), 6: (5, 10), 7: (0, 10), 8: (0, 5),
            20: (2, 2), 21: (8, 2), 22: (8, 8), 23: (2, 8),
            30: (4, 4), 31: (6, 4), 32: (6, 6), 33: (4, 6),
            40: (20, 0), 41: (22, 0), 42: (22, 2),
        ].mapValues { ($0.0 * 0.01 + 1.5, $0.1 * 0.01 + 42.5) }
        let members = [
            way(1, "", [3, 2], c), way(2, "", [5, 4], c), way(3, "", [7, 8], c), way(4, "", [1, 2], c),
            way(10, "", [40, 41, 42, 40], c),
            way(5, "", [5, 6, 7], c), way(6, "", [3, 4], c), way(7, "", [1, 8], c),
            way(8, "", [20, 21, 22], c), way(9, "", [20, 23, 22], c),
            way(11, "", [30, 31, 32, 33, 30], c),
        ]
        let shape = try #require(MultipolygonAssembler.assemble(members).polygon)
        #expect(shape.polygons.count == 3)
        let sizes = shape.polygons.map { ($0.exterior.count, $0.holes.map(\.count)) }.sorted { $0.0 > $1.0 }
        #expect(sizes.map(\.0) == [8, 4, 3])
        #expect(sizes.map(\.1) == [[4], [], []])
        #expect(shape.contains(Coordinate(latitude: 42.5 + 0.01, longitude: 1.5 + 0.01)))
        #expect(!shape.contains(Coordinate(latitude: 42.5 + 0.03, longitude: 1.5 + 0.03)), "in the hole")
        #expect(shape.contains(Coordinate(latitude: 42.5 + 0.05, longitude: 1.5 + 0.05)), "on the island")
        #expect(shape.contains(Coordinate(latitude: 42.5 + 0.005, longitude: 1.5 + 0.215)), "in the exclave")
    }

    @Test func splitsTwoRingsThatTouchAtOneNode() throws {
        // A figure eight: two triangles sharing node 1, walked as one chain 4-5-1-2-3-1-4.
        let c: [Int64: (Double, Double)] = [1: (0, 0), 2: (1, 1), 3: (0, 1), 4: (-1, -1), 5: (0, -1)]
            .mapValues { ($0.0 * 0.01 + 1.5, $0.1 * 0.01 + 42.5) }
        let members = [way(1, "outer", [4, 5, 1], c), way(2, "outer", [1, 2, 3], c), way(3, "outer", [3, 1], c), way(4, "outer", [1, 4], c)]
        let shape = try #require(MultipolygonAssembler.assemble(members).polygon)
        #expect(shape.polygons.count == 2)
        #expect(shape.polygons.allSatisfy { $0.exterior.count == 3 })
    }

    @Test func reportsMissingNodePositionsAsIncomplete() {
        let members = [RelationMemberWay(wayID: 7, role: "outer", nodeIDs: [1, 2, 3, 1],
                                         positions: [Coordinate(latitude: 0, longitude: 0), nil, Coordinate(latitude: 1, longitude: 1), Coordinate(latitude: 0, longitude: 0)])]
        #expect(reason(MultipolygonAssembler.assemble(members))?.contains("1 nodes of its member ways have no position") == true)
        #expect(reason(MultipolygonAssembler.assemble([])) != nil)
    }
}

@Suite struct GeoPolygonTests {
    private func square(_ lon: Double, _ lat: Double, _ size: Double) -> [Coordinate] {
        [Coordinate(latitude: lat, longitude: lon), Coordinate(latitude: lat, longitude: lon + size),
         Coordinate(latitude: lat + size, longitude: lon + size), Coordinate(latitude: lat + size, longitude: lon)]
    }

    @Test func areaMatchesTheSphericalFormulaAndIgnoresOrientation() {
        let ring = square(138, 36, 0.1)
        let a = GeoMultiPolygon(polygons: [GeoPolygon(exterior: ring)]).areaSquareKilometres
        let b = GeoMultiPolygon(polygons: [GeoPolygon(exterior: ring.reversed())]).areaSquareKilometres
        let expected = boxArea(lon0: 138, lat0: 36, lon1: 138.1, lat1: 36.1)
        #expect(abs(a - expected) < 1e-9 * expected && a == b)
        // About 9.0 × 11.1 km at 36° N.
        #expect(a > 99 && a < 101)
    }

    @Test func centroidOfASquareWithAnOffCentreHoleMovesAwayFromTheHole() {
        let shape = GeoMultiPolygon(polygons: [GeoPolygon(exterior: square(0, 0, 1), holes: [square(0.6, 0.4, 0.2)])])
        let c = shape.centroid
        #expect(c.longitude < 0.5 && abs(c.latitude - 0.5) < 1e-3)
        #expect(shape.contains(shape.representativePoint))
    }

    @Test func anAreaLiesWithinAnotherThatSharesItsBorder() {
        let country = GeoMultiPolygon(polygons: [GeoPolygon(exterior: square(1, 42, 1))])
        // The western half shares three sides with the country (the same vertices).
        let west = GeoMultiPolygon(polygons: [GeoPolygon(exterior: [
            Coordinate(latitude: 42, longitude: 1), Coordinate(latitude: 42, longitude: 1.5),
            Coordinate(latitude: 43, longitude: 1.5), Coordinate(latitude: 43, longitude: 1),
        ])])
        let neighbour = GeoMultiPolygon(polygons: [GeoPolygon(exterior: square(2, 42, 1))])
        let straddling = GeoMultiPolygon(polygons: [GeoPolygon(exterior: square(1.8, 42.2, 0.4))])
        #expect(west.liesWithin(country))
        #expect(country.liesWithin(country))
        #expect(!neighbour.liesWithin(country))
        #expect(!straddling.liesWithin(country))
        #expect(!country.liesWithin(west))
    }
}
