import DispatchCore
import Foundation
import NetworkGeneration
import RoadNetwork
import Testing

@Suite struct MountainNetworkGeneratorTests {
    static let zone = MountainNetworkGenerator.embeddedZone()
    static let tenThousand = try! MountainNetworkGenerator.scalable(targetNodes: 10_000, seed: 3)
    static let closure = "no @ (Dec 1-Apr 15)"

    // MARK: Seeded generator

    @Test func seededGeneratorMatchesTheReferenceXoshiro256StarStar() {
        var state: UInt64 = 0
        #expect(SeededGenerator.splitMix64(&state) == 0xE220_A839_7B1D_CDAF)
        var rng = SeededGenerator(seed: 42)
        // Reference outputs of the C implementation seeded the same way (SplitMix64 of 42).
        #expect(rng.next() == 0x1578_0B2E_0C2E_C716)
        #expect(rng.next() == 0x6104_D986_6D11_3A7E)
        #expect(rng.next() == 0xAE17_5332_39E4_99A1)
    }

    @Test func seededGeneratorHelpersStayInRange() {
        var rng = SeededGenerator(seed: 7)
        var seen = Set<Int>()
        for _ in 0..<10_000 {
            let d = rng.nextDouble()
            #expect(d >= 0 && d < 1)
            let k = rng.nextInt(below: 7)
            #expect(k >= 0 && k < 7)
            seen.insert(k)
            let r = rng.nextDouble(in: -2...3)
            #expect(r >= -2 && r <= 3)
        }
        #expect(seen.count == 7)
    }

    // MARK: Determinism

    @Test func sameSeedGivesIdenticalData() throws {
        let again = MountainNetworkGenerator.embeddedZone()
        let zone = Self.zone
        #expect(again.osm.ways == zone.osm.ways)
        #expect(again.osm.nodeIDs == zone.osm.nodeIDs)
        #expect(again.osm.nodePositions == zone.osm.nodePositions)
        #expect(again.places == zone.places)
        #expect(again.municipalities == zone.municipalities)
        let scalable = try MountainNetworkGenerator.scalable(targetNodes: 10_000, seed: 3)
        #expect(scalable.osm.ways == Self.tenThousand.osm.ways)
        #expect(scalable.osm.nodePositions == Self.tenThousand.osm.nodePositions)
        let c = Coordinate(latitude: 36.05, longitude: 137.8)
        #expect(again.terrain.elevation(at: c) == zone.terrain.elevation(at: c))
    }

    @Test func differentSeedsGiveDifferentData() throws {
        let other = MountainNetworkGenerator.embeddedZone(seed: 2)
        #expect(other.osm.nodePositions != Self.zone.osm.nodePositions)
        // The layout, names and the closure stay.
        #expect(other.municipalities.map(\.name) == Self.zone.municipalities.map(\.name))
        #expect(other.osm.ways.contains { $0["motor_vehicle:conditional"] == Self.closure })
        let scalable = try MountainNetworkGenerator.scalable(targetNodes: 10_000, seed: 4)
        #expect(scalable.osm.nodePositions != Self.tenThousand.osm.nodePositions)
    }

    // MARK: Well-formed OSM data

    @Test func everyWayNodeHasAPosition() {
        for network in [Self.zone, Self.tenThousand] {
            let osm = network.osm
            #expect(zip(osm.nodeIDs, osm.nodeIDs.dropFirst()).allSatisfy { $0 < $1 })
            #expect(osm.nodeIDs.first.map { $0 > 0 } == true)
            #expect(zip(osm.ways, osm.ways.dropFirst()).allSatisfy { $0.id < $1.id })
            var used = Set<Int64>()
            for way in osm.ways {
                #expect(way.nodeIDs.count >= 2)
                #expect(way["highway"] != nil)
                for id in way.nodeIDs {
                    #expect(osm.nodeIndex(of: id) != nil, "node \(id) of way \(way.id) has no position")
                    used.insert(id)
                }
                #expect(zip(way.nodeIDs, way.nodeIDs.dropFirst()).allSatisfy { $0 != $1 })
            }
            // Only nodes that ways use are listed.
            #expect(used.count == osm.nodeIDs.count)
        }
    }

    @Test func placesSitOnRoadNodes() {
        for network in [Self.zone, Self.tenThousand] {
            for place in network.places {
                let index = network.osm.nodeIndex(of: place.nodeID)
                #expect(index != nil)
                if let index { #expect(network.osm.nodePositions[index].coordinate == place.coordinate) }
            }
        }
    }

    // MARK: The embedded zone

    @Test func embeddedZoneHasARealisticSizeAndPlace() {
        let zone = Self.zone
        let nodes = graphNodeCount(zone.osm)
        #expect((2_000...6_000).contains(nodes), "graph nodes: \(nodes)")
        let box = zone.osm.headerBoundingBox!
        #expect(box.minLatitude > 35.8 && box.maxLatitude < 36.25)
        #expect(box.minLongitude > 137.6 && box.maxLongitude < 138.05)
        let southNorth = Coordinate(latitude: box.minLatitude, longitude: box.minLongitude)
            .distance(to: Coordinate(latitude: box.maxLatitude, longitude: box.minLongitude))
        #expect((25_000...40_000).contains(southNorth))
        #expect((4...5).contains(zone.municipalities.count))
    }

    @Test func embeddedZoneContainsTheWinterClosedPass() {
        let closed = Self.zone.osm.ways.filter { $0["motor_vehicle:conditional"] != nil }
        #expect(!closed.isEmpty)
        for way in closed {
            #expect(way["motor_vehicle:conditional"] == Self.closure)
            #expect(way["name"]?.hasSuffix("峠") == true)
            #expect(way["seasonal"] == nil)
        }
        let pass = Self.zone.places(ofKind: .pass)
        #expect(pass.count == 1)
        #expect(abs(Self.zone.terrain.elevation(at: pass[0].coordinate) - 1_800) < 30)
    }

    @Test func closingThePassMakesADetourButCutsOffKumoiOnsen() throws {
        let zone = Self.zone
        let kitazawa = try #require(zone.place(named: "Kitazawa-mura"))
        let higashiyama = try #require(zone.place(named: "Higashiyama-mura"))
        let kumoi = try #require(zone.place(named: "Kumoi Onsen"))
        let summer = reachable(zone.osm, from: kitazawa.nodeID, winter: false)
        let winter = reachable(zone.osm, from: kitazawa.nodeID, winter: true)
        #expect(summer.contains(higashiyama.nodeID) && summer.contains(kumoi.nodeID))
        #expect(winter.contains(higashiyama.nodeID))
        #expect(!winter.contains(kumoi.nodeID))
        // What winter cuts off lies up on the pass: the closed section and Kumoi Onsen.
        let saddle = try #require(zone.places(ofKind: .pass).first).coordinate
        for id in summer.subtracting(winter) {
            let c = zone.osm.nodePositions[zone.osm.nodeIndex(of: id)!].coordinate
            #expect(c.distance(to: saddle) < 6_000)
        }
    }

    @Test func passRoadHasHairpins() {
        let zone = Self.zone
        var hairpins = 0
        for way in zone.osm.ways where way["motor_vehicle:conditional"] != nil {
            let points = way.nodeIDs.map { zone.osm.nodePositions[zone.osm.nodeIndex(of: $0)!].coordinate }
            hairpins += countHairpins(points)
        }
        #expect(hairpins >= 8, "found \(hairpins) turns of more than 150° within 40 m")
        // Hamlet roads and the scalable networks have them too.
        var elsewhere = 0
        for way in Self.tenThousand.osm.ways {
            let osm = Self.tenThousand.osm
            elsewhere += countHairpins(way.nodeIDs.map { osm.nodePositions[osm.nodeIndex(of: $0)!].coordinate })
        }
        #expect(elsewhere > 0)
    }

    @Test func embeddedZoneUsesTheTagsRoutingNeeds() {
        let ways = Self.zone.osm.ways
        func has(_ key: String, _ value: String) -> Bool { ways.contains { $0[key] == value } }
        #expect(has("bridge", "yes") && ways.contains { $0["bridge"] == "yes" && $0["layer"] == "1" })
        #expect(has("tunnel", "yes"))
        #expect(has("junction", "roundabout"))
        #expect(has("oneway", "yes"))
        #expect(has("highway", "track"))
        #expect(has("access", "private"))
        #expect(has("highway", "primary") && has("highway", "secondary") && has("highway", "tertiary"))
        #expect(has("highway", "unclassified") && has("highway", "residential") && has("highway", "service"))
        #expect(ways.filter { $0["junction"] == "roundabout" }.count == 1)
        let roundabout = ways.first { $0["junction"] == "roundabout" }!
        #expect(roundabout.nodeIDs.first == roundabout.nodeIDs.last)
        for way in ways where way["highway"] == "primary" || way["highway"] == "secondary" {
            #expect(["30", "40", "50", "60"].contains(way["maxspeed"] ?? ""), "way \(way.id)")
        }
    }

    @Test func boundariesContainTheirMunicipalitysPlaces() {
        let zone = Self.zone
        for m in zone.municipalities {
            #expect(m.boundary.first == m.boundary.last)
            #expect(m.contains(m.centre))
        }
        for place in zone.places {
            let m = try? #require(place.municipality)
            if let m { #expect(zone.municipalities[m].contains(place.coordinate), "\(place.name)") }
        }
        // No two municipalities claim a road node, and together they cover them all.
        for position in zone.osm.nodePositions {
            let c = position.coordinate
            #expect(zone.municipalities.filter { $0.contains(c) }.count == 1, "\(c)")
        }
    }

    @Test func everyMunicipalityHasItsServicesAndStops() {
        let zone = Self.zone
        for index in zone.municipalities.indices {
            let here = zone.places.filter { $0.municipality == index }
            let stops = here.filter { $0.kind == .meetingPoint }.count
            #expect((8...20).contains(stops), "\(zone.municipalities[index].name): \(stops) meeting points")
            #expect(here.filter { $0.kind == .depot }.count == 1)
            #expect(here.filter { $0.kind == .townCentre }.count == 1)
            #expect(here.contains { $0.kind == .school })
        }
        #expect(zone.places(ofKind: .hospital).count == 1)
        #expect(zone.places(ofKind: .station).count >= 1)
        #expect(zone.places(ofKind: .supermarket).count >= 1)
        #expect(zone.places(ofKind: .hamlet).count >= 10)
        #expect(zone.place(named: "北沢村")?.kind == .townCentre)
    }

    @Test func gradesAreRealisticOnTheGeneratedRoads() {
        let zone = Self.zone
        var valleyLength = 0.0
        var valleySteep = 0.0
        var passLength = 0.0
        var passRise = 0.0
        for way in zone.osm.ways where way["tunnel"] == nil && way["bridge"] == nil {
            let points = way.nodeIDs.map { zone.osm.nodePositions[zone.osm.nodeIndex(of: $0)!].coordinate }
            let heights = points.map { zone.terrain.elevation(at: $0) }
            for k in 1..<points.count {
                let d = points[k - 1].distance(to: points[k])
                let rise = abs(heights[k] - heights[k - 1])
                if way["motor_vehicle:conditional"] != nil {
                    passLength += d
                    passRise += rise
                } else if (way["highway"] == "primary" || way["highway"] == "secondary") && way["name"] != "県道雲居峠線" {
                    valleyLength += d
                    if rise > 0.05 * d { valleySteep += d }
                }
            }
        }
        #expect(valleySteep / valleyLength < 0.05, "valley roads steeper than 5 %: \(valleySteep / valleyLength)")
        let passGrade = passRise / passLength
        #expect(passGrade > 0.06 && passGrade < 0.10, "pass grade \(passGrade)")
        for place in zone.places(ofKind: .townCentre) {
            let h = zone.terrain.elevation(at: place.coordinate)
            #expect(h > 500 && h < 1_200, "\(place.name) at \(h) m")
        }
    }

    // MARK: Scalable networks

    @Test func scalableHitsTheTargetNodeCount() throws {
        let nodes = graphNodeCount(Self.tenThousand.osm)
        #expect(abs(nodes - 10_000) <= 2_000, "graph nodes: \(nodes)")
        let small = try MountainNetworkGenerator.scalable(targetNodes: 1_000, seed: 1)
        let smallNodes = graphNodeCount(small.osm)
        #expect(abs(smallNodes - 1_000) <= 200, "graph nodes: \(smallNodes)")
    }

    @Test func networksAreConnected() throws {
        for osm in [Self.zone.osm, Self.tenThousand.osm] {
            let start = osm.ways[0].nodeIDs[0]
            let all = reachable(osm, from: start, winter: false)
            var routable = Set<Int64>()
            for way in osm.ways where isRoutable(way) { routable.formUnion(way.nodeIDs) }
            #expect(all == routable, "\(routable.count - all.count) nodes cut off")
        }
    }

    @Test func badParametersThrow() {
        for target in [-5, 0, 99, 20_000_001] {
            #expect(throws: RoadNetworkError.self) { try MountainNetworkGenerator.scalable(targetNodes: target, seed: 1) }
            do {
                _ = try MountainNetworkGenerator.scalable(targetNodes: target, seed: 1)
            } catch let error as RoadNetworkError {
                guard case .invalidGeneratorParameters = error else {
                    Issue.record("expected invalidGeneratorParameters, got \(error)")
                    continue
                }
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    // MARK: Helpers

    /// Way ends plus nodes used by two ways or twice by one.
    func graphNodeCount(_ osm: OSMData) -> Int {
        var uses: [Int64: Int] = [:]
        var ends = Set<Int64>()
        for way in osm.ways {
            for id in way.nodeIDs { uses[id, default: 0] += 1 }
            ends.insert(way.nodeIDs[0])
            ends.insert(way.nodeIDs[way.nodeIDs.count - 1])
        }
        return uses.filter { $0.value >= 2 || ends.contains($0.key) }.count
    }

    func isRoutable(_ way: OSMWay) -> Bool {
        way["highway"] != "track" && way["access"] != "private" && way["access"] != "no" && way["motor_vehicle"] != "no"
    }

    /// Nodes reachable from `start` ignoring one-way restrictions; in winter without the closed ways.
    func reachable(_ osm: OSMData, from start: Int64, winter: Bool) -> Set<Int64> {
        var neighbours: [Int64: [Int64]] = [:]
        for way in osm.ways where isRoutable(way) && !(winter && way["motor_vehicle:conditional"] != nil) {
            for (a, b) in zip(way.nodeIDs, way.nodeIDs.dropFirst()) {
                neighbours[a, default: []].append(b)
                neighbours[b, default: []].append(a)
            }
        }
        var seen: Set<Int64> = [start]
        var stack = [start]
        while let n = stack.popLast() {
            for m in neighbours[n] ?? [] where seen.insert(m).inserted { stack.append(m) }
        }
        return seen
    }

    /// Places along a polyline where the heading turns by more than 150° within less than 40 m.
    func countHairpins(_ points: [Coordinate]) -> Int {
        guard points.count >= 3 else { return 0 }
        var headings: [Double] = []
        var lengths: [Double] = []
        let cosLat = cos(points[0].latitude * .pi / 180)
        for (a, b) in zip(points, points.dropFirst()) {
            let dx = (b.longitude - a.longitude) * cosLat
            let dy = b.latitude - a.latitude
            headings.append(atan2(dy, dx))
            lengths.append(a.distance(to: b))
        }
        var count = 0
        var i = 0
        while i < headings.count - 1 {
            var turn = 0.0
            var length = 0.0
            var j = i + 1
            var found = false
            while j < headings.count {
                var delta = headings[j] - headings[j - 1]
                while delta > .pi { delta -= 2 * .pi }
                while delta < -.pi { delta += 2 * .pi }
                turn += delta
                length += lengths[j - 1]
                if length >= 40 { break }
                if abs(turn) > 150 * .pi / 180 { found = true; break }
                j += 1
            }
            if found {
                count += 1
                i = j + 1
            } else {
                i += 1
            }
        }
        return count
    }
}
