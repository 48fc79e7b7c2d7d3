import DispatchCore
import DispatchPlanning
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork
import Testing

@Suite struct ZoneDemandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let zonePath = root.appendingPathComponent("Networks/default-zone.zone.json").path
    static let zone: ServiceZone = try! ServiceZone.load(zonePath: zonePath)
    static let winter = ServiceDate(parsing: "2026-12-01")!
    static let summer = ServiceDate(parsing: "2026-07-15")!

    /// The embedded zone with its file changed by `edit`, on the same roads.
    static func variant(_ edit: (inout ZoneFile) -> Void) throws -> ServiceZone {
        var file = zone.file
        edit(&file)
        try file.validate(path: "variant")
        let network = try NetworkFile.loadNetwork(path: root.appendingPathComponent("Networks/default-zone.dnet").path)
        return try ServiceZone(file: file, graph: network.graph, hierarchy: network.hierarchy)
    }

    /// Everything a request says, to compare two days.
    static func key(_ r: BookingRequest) -> String {
        "\(r.passengerRef) \(r.municipalityID) \(r.pickup.stopID ?? "?")→\(r.dropoff.stopID ?? "?") \(r.timeKind.rawValue) \(r.requestedTime) "
            + "\(r.partySize)/\(r.wheelchairs) \(r.notes) \(r.concession?.rawValue ?? "-") \(r.channel.rawValue)"
    }

    /// Stop id → municipality id, from the zone file (not from the generator).
    static func stopMunicipalities(_ zone: ServiceZone) -> [String: String] {
        Dictionary(uniqueKeysWithValues: zone.file.stops.map { ($0.id, $0.municipality) })
    }

    @Test func aDayOnTheEmbeddedZoneUsesItsStopsInsideServiceHoursWithRoundTripsWheelchairsAndCrossBorderTrips() throws {
        let zone = Self.zone
        let demand = try ZoneDemand.generate(zone: zone, date: Self.summer, count: 400, seed: 7)
        #expect(demand.requests.count == demand.trips.count)
        let drawn = zip(demand.requests, demand.trips).filter { $0.1.impossible == nil }
        #expect(drawn.count == 400)
        let municipalityOf = Self.stopMunicipalities(zone)
        let hours = Dictionary(uniqueKeysWithValues: zone.file.municipalities.map {
            ($0.id, TimeText.seconds(ofClock: $0.serviceHours.start)!...TimeText.seconds(ofClock: $0.serviceHours.end)!)
        })
        for (r, _) in drawn {
            let from = try #require(r.pickup.stopID), to = try #require(r.dropoff.stopID)
            #expect(municipalityOf[from] != nil && municipalityOf[to] != nil, "\(r.passengerRef): \(from) or \(to) is not a stop of the zone")
            #expect(from != to)
            #expect(zone.municipalityIndex[r.municipalityID] == r.municipality)
            #expect(try #require(hours[r.municipalityID]).contains(r.requestedTime), "\(r.passengerRef) at \(TimeText.clock(r.requestedTime)) outside the hours of \(r.municipalityID)")
            #expect((1...2).contains(r.partySize) && (0...1).contains(r.wheelchairs) && r.wheelchairs <= r.partySize)
        }
        // Both legs of a round trip: out to a place arriving by a time, back from it later.
        let byResident = Dictionary(grouping: drawn, by: \.1.resident)
        var roundTrips = 0
        for (resident, legs) in byResident where legs.count == 2 {
            let out = try #require(legs.first { $0.1.leg == .outbound }?.0), back = try #require(legs.first { $0.1.leg == .homeward }?.0)
            #expect(out.pickup == back.dropoff && out.dropoff == back.pickup, "resident \(resident)")
            #expect(out.timeKind == .arrival && back.timeKind == .pickup && back.requestedTime >= out.requestedTime + 1_800)
            #expect(out.passengerRef == back.passengerRef && out.partySize == back.partySize && out.wheelchairs == back.wheelchairs)
            roundTrips += 1
        }
        #expect(byResident.values.allSatisfy { $0.count <= 2 })
        #expect(Double(roundTrips) >= 0.75 * Double(byResident.count), "\(roundTrips) round trips of \(byResident.count) residents")
        // About 7 % of residents travel with a wheelchair.
        let wheelchairResidents = byResident.values.filter { $0.contains { $0.0.wheelchairs == 1 } }.count
        let share = Double(wheelchairResidents) / Double(byResident.count)
        #expect((0.04...0.11).contains(share), "wheelchair share \(share)")
        // Trips to the hub's hospital cross municipal borders, counted from the zone file.
        let crossing = drawn.filter { municipalityOf[$0.0.pickup.stopID!] != municipalityOf[$0.0.dropoff.stopID!] }
        #expect(crossing.count >= 20, "\(crossing.count) cross-border trips")
        #expect(crossing.count == drawn.filter(\.1.crossesMunicipalities).count)
        let hospital = try #require(zone.file.places.first { $0.kind == "hospital" })
        let toHospital = drawn.filter { $0.1.purpose == .hospital && $0.1.leg == .outbound }
        #expect(!toHospital.isEmpty && toHospital.allSatisfy { $0.0.dropoff.stopID == hospital.id })
        #expect(toHospital.contains { municipalityOf[$0.0.pickup.stopID!] != hospital.municipality })
        // Every purpose occurs; no fallback needed on the embedded zone except the clinic.
        #expect(Set(drawn.map(\.1.purpose)) == Set(ZoneDemand.Purpose.allCases).subtracting([.impossible]))
        #expect(!demand.summary.contains { $0.contains("No hospital") || $0.contains("No supermarket") || $0.contains("No station") })
        #expect(demand.summary.contains { $0.contains("No clinic") })
    }

    @Test func theSameSeedGivesTheSameDayAndAnotherSeedAnother() throws {
        let a = try ZoneDemand.generate(zone: Self.zone, date: Self.winter, count: 60, seed: 3)
        let b = try ZoneDemand.generate(zone: Self.zone, date: Self.winter, count: 60, seed: 3)
        let c = try ZoneDemand.generate(zone: Self.zone, date: Self.winter, count: 60, seed: 4)
        #expect(a.requests.map(Self.key) == b.requests.map(Self.key))
        #expect(a.trips == b.trips && a.summary == b.summary)
        #expect(a.requests.map(Self.key) != c.requests.map(Self.key))
    }

    @Test func theImpossibleBookingsComeOnlyWhereTheZoneMakesThemMeaningful() throws {
        let zone = Self.zone
        let winter = try ZoneDemand.generate(zone: zone, date: Self.winter, count: 20, seed: 1)
        let impossible = winter.requests.filter { $0.passengerRef.hasPrefix("R-X") }
        #expect(impossible.map(\.passengerRef) == ["R-X1", "R-X2", "R-X3"])
        // In winter the pass is closed: no road open between the two ends of R-X1.
        let closed = try #require(impossible.first)
        let travel = zone.network(on: Self.winter).travel()
        #expect(!travel.isReachable(zone.stopIndex[closed.pickup.stopID!]!, zone.stopIndex[closed.dropoff.stopID!]!))
        #expect(zone.network(on: Self.summer).travel().isReachable(zone.stopIndex[closed.pickup.stopID!]!, zone.stopIndex[closed.dropoff.stopID!]!))
        // Vehicles seat at most 4 and carry at most one wheelchair.
        #expect(impossible[1].partySize == 5 && impossible[2].wheelchairs == 2)
        #expect(winter.trips.filter { $0.impossible != nil }.count == 3)
        // No drawn trip of the winter day uses the road closed that day.
        for r in winter.requests.dropLast(3) {
            #expect(travel.isReachable(zone.stopIndex[r.pickup.stopID!]!, zone.stopIndex[r.dropoff.stopID!]!), "\(r.passengerRef)")
        }

        // In summer the pass is open; with a 6-seat, 2-wheelchair van, neither the big party nor two wheelchairs is impossible.
        let roomy = try Self.variant { file in
            file.vehicles[0].seats = 8
            file.vehicles[0].wheelchairPlaces = 2
        }
        let summer = try ZoneDemand.generate(zone: roomy, date: Self.summer, count: 20, seed: 1)
        #expect(!summer.requests.contains { $0.passengerRef.hasPrefix("R-X") })
        #expect(summer.trips.allSatisfy { $0.impossible == nil })
    }

    @Test func withoutAHospitalHospitalTripsGoToTheHubCentreAndWithoutSupermarketsShoppingToConvenienceStores() throws {
        let zone = try Self.variant { file in
            file.places.removeAll { $0.kind == "hospital" }
            for i in file.places.indices where file.places[i].kind == "supermarket" { file.places[i].kind = "convenience" }
        }
        let demand = try ZoneDemand.generate(zone: zone, date: Self.summer, count: 200, seed: 5)
        #expect(demand.summary.contains { $0.contains("No hospital, clinic or doctors in the zone") && $0.contains("Hanaoka") })
        #expect(demand.summary.contains("No supermarket in the zone: shopping trips go to the 2 convenience stores."))
        let outbound = zip(demand.requests, demand.trips).filter { $0.1.leg == .outbound }
        let toHospital = outbound.filter { $0.1.purpose == .hospital }
        #expect(!toHospital.isEmpty)
        #expect(toHospital.allSatisfy { $0.0.dropoff.stopID == "hanaoka-shi-towncentre" }, "\(Set(toHospital.map { $0.0.dropoff.stopID ?? "?" }))")
        let stores = Set(zone.file.places.filter { $0.kind == "convenience" }.map(\.id))
        let shopping = outbound.filter { $0.1.purpose == .shopping }.map { $0.0.dropoff.stopID ?? "?" }
        let centres = Set(zone.file.places.filter { $0.kind == "town_centre" }.map(\.id))
        #expect(shopping.contains { stores.contains($0) } && shopping.allSatisfy { stores.contains($0) || centres.contains($0) }, "\(Set(shopping))")
    }

    @Test func aZoneWithOnlyVillagesDrawsEveryPurposeFromItsStopsAndNamesEachFallback() throws {
        let zone = try Self.variant { file in
            for i in file.places.indices { file.places[i].kind = "village" }
        }
        let demand = try ZoneDemand.generate(zone: zone, date: Self.summer, count: 200, seed: 2)
        for missing in ["No hospital, clinic or doctors", "No clinic or doctors", "No supermarket", "No station", "No school"] {
            #expect(demand.summary.contains { $0.hasPrefix(missing) }, "\(missing) is not in \(demand.summary)")
        }
        // Each municipality's centre is one of its own stops, named in the summary.
        for m in zone.file.municipalities {
            #expect(demand.summary.contains { $0.hasPrefix("\(m.name) has no town centre or town hall: its centre is ") })
        }
        let municipalityOf = Self.stopMunicipalities(zone)
        let drawn = demand.requests.filter { !$0.passengerRef.hasPrefix("R-X") }
        #expect(drawn.count == 200)
        #expect(drawn.allSatisfy { municipalityOf[$0.pickup.stopID!] != nil && municipalityOf[$0.dropoff.stopID!] != nil })
        // Shopping, clinic and school trips go to the resident's own centre, one stop per municipality.
        let own = zip(demand.requests, demand.trips).filter { [.clinic, .school].contains($0.1.purpose) && $0.1.leg == .outbound }
        #expect(!own.isEmpty)
        #expect(own.allSatisfy { municipalityOf[$0.0.dropoff.stopID!] == $0.0.municipalityID })
        let centres = Dictionary(grouping: own.map { ($0.0.municipalityID, $0.0.dropoff.stopID!) }, by: \.0).mapValues { Set($0.map(\.1)) }
        #expect(centres.values.allSatisfy { $0.count == 1 }, "\(centres)")
    }

    @Test func aMunicipalityWithShortServiceHoursGetsTripsOnlyInsideThem() throws {
        let zone = try Self.variant { file in
            let i = file.municipalities.firstIndex { $0.id == "okukawa-mura" }!
            file.municipalities[i].serviceHours.start = "09:00"
            file.municipalities[i].serviceHours.end = "15:00"
        }
        let demand = try ZoneDemand.generate(zone: zone, date: Self.summer, count: 300, seed: 11)
        let okukawa = demand.requests.filter { $0.municipalityID == "okukawa-mura" }
        #expect(okukawa.count >= 20)
        #expect(okukawa.allSatisfy { (9 * 3600...15 * 3600).contains($0.requestedTime) }, "\(okukawa.map { TimeText.clock($0.requestedTime) })")
        // Trips that would start before opening (trains, school) are moved into the hours, not dropped.
        #expect(okukawa.contains { $0.timeKind == .arrival && $0.requestedTime < 10 * 3600 })
    }

    @Test func aZoneWhoseFleetNeverRunsCannotDrawADayAndSaysWhy() throws {
        let zone = try Self.variant { file in
            for i in file.vehicles.indices {
                file.vehicles[i].shift.start = "02:00:00"
                file.vehicles[i].shift.end = "03:00:00"
            }
        }
        #expect(throws: ZoneDemandError.self) { try ZoneDemand.generate(zone: zone, date: Self.summer, count: 5, seed: 1) }
    }
}
