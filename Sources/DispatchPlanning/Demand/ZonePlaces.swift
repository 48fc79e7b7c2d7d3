import DispatchCore
import DispatchWire
import RoadNetwork

/// The zone's stops sorted by what residents do there: homes (hamlets, villages, meeting points)
/// and destinations (hospital, clinics, shops, station, schools, town offices), with the
/// fallbacks a zone without some kind of place takes, said for people.
///
/// A place of the zone file belongs to the stop with its id, else to the nearest stop within
/// `placeRadius` (only places of `tripKinds`); a stop no place belongs to is a meeting point (the
/// embedded zone writes its meeting points as stops only). Locations are `ServiceZone.points` indices (depots first).
struct ZonePlaces {
    /// Place kinds where residents live.
    static let homeKinds: Set<String> = ["hamlet", "village", "isolated_dwelling", "locality", "neighbourhood", "quarter", "meeting_point"]
    static let hospitalKinds: Set<String> = ["hospital"]
    static let clinicKinds: Set<String> = ["clinic", "doctors"]
    static let shopKinds: Set<String> = ["supermarket"]
    /// Where people shop when the zone has no supermarket.
    static let smallShopKinds: Set<String> = ["convenience"]
    static let stationKinds: Set<String> = ["station"]
    static let schoolKinds: Set<String> = ["school"]
    static let centreKinds: Set<String> = ["town_centre", "townhall"]
    static let officeKinds: Set<String> = ["townhall", "town_centre", "post_office", "community_centre"]
    /// Kinds that draw trips; a place of another kind (a pass, a pharmacy) is only a name on the map.
    static let tripKinds = homeKinds.union(hospitalKinds).union(clinicKinds).union(shopKinds).union(smallShopKinds).union(stationKinds)
        .union(schoolKinds).union(officeKinds)
    /// Farthest a place may lie from the stop that serves it (metres, straight line).
    static let placeRadius = 300.0

    /// Home stops per municipality (every stop of a municipality that has none of `homeKinds`).
    let homes: [[Int]]
    let hospitals: [Int], clinics: [Int], shops: [Int], stations: [Int], schools: [Int], offices: [Int]
    /// Per municipality: its town centres or town halls, else the stop nearest on average to its others.
    let centres: [[Int]]
    /// The municipality with the hospital (else the one with the most destinations).
    let hub: Int
    /// Per location: its municipality.
    let municipality: [Int]
    /// What the zone lacks and what takes its place, one sentence each.
    let fallbacks: [String]

    /// - Complexity: O(places · stops + Σ stops per municipality²).
    init(zone: ServiceZone, travel: TravelMatrix) {
        let file = zone.file
        let municipality = zone.points.map(\.municipality)
        self.municipality = municipality
        let m = file.municipalities.count
        let stopCoordinates = file.stops.map { Coordinate(latitude: $0.position[1], longitude: $0.position[0]) }
        var kinds = [Set<String>](repeating: [], count: file.stops.count)
        let stopByID = Dictionary(uniqueKeysWithValues: file.stops.enumerated().map { ($1.id, $0) })
        var unserved = 0, tripPlaces = 0
        for place in file.places {
            if let s = stopByID[place.id] {
                kinds[s].insert(place.kind)
                if Self.tripKinds.contains(place.kind) { tripPlaces += 1 }
                continue
            }
            guard Self.tripKinds.contains(place.kind) else { continue }
            tripPlaces += 1
            let c = Coordinate(latitude: place.position[1], longitude: place.position[0])
            var best: (Double, Int)?
            for (s, stop) in file.stops.enumerated() where place.municipality == nil || place.municipality == stop.municipality {
                let d = c.distance(to: stopCoordinates[s])
                if d <= Self.placeRadius, best.map({ d < $0.0 }) ?? true { best = (d, s) }
            }
            if let (_, s) = best { kinds[s].insert(place.kind) } else { unserved += 1 }
        }
        let base = file.depots.count
        let stopMunicipality = file.stops.map { zone.municipalityIndex[$0.municipality]! }
        func stops(_ wanted: Set<String>) -> [Int] {
            kinds.indices.filter { !kinds[$0].isDisjoint(with: wanted) }.map { base + $0 }
        }
        let names = file.municipalities.map(\.name)
        var notes: [String] = []

        var homes = [[Int]](repeating: [], count: m)
        for s in kinds.indices where kinds[s].isEmpty || !kinds[s].isDisjoint(with: Self.homeKinds) {
            homes[stopMunicipality[s]].append(base + s)
        }
        for k in 0..<m where homes[k].isEmpty {
            homes[k] = kinds.indices.filter { stopMunicipality[$0] == k }.map { base + $0 }
            if !homes[k].isEmpty {
                notes.append("\(names[k]) has no hamlet, village or meeting point: residents live at any of its \(homes[k].count) stops.")
            }
        }
        self.homes = homes
        hospitals = stops(Self.hospitalKinds)
        clinics = stops(Self.clinicKinds)
        let supermarkets = stops(Self.shopKinds)
        shops = supermarkets.isEmpty ? stops(Self.smallShopKinds) : supermarkets
        stations = stops(Self.stationKinds)
        schools = stops(Self.schoolKinds)
        offices = stops(Self.officeKinds)

        let centreStops = stops(Self.centreKinds)
        var centres = [[Int]](repeating: [], count: m)
        for c in centreStops { centres[municipality[c]].append(c) }
        for k in 0..<m where centres[k].isEmpty {
            let own = kinds.indices.filter { stopMunicipality[$0] == k }.map { base + $0 }
            guard let medoid = own.min(by: { a, b in
                (Self.totalTime(from: a, to: own, travel: travel), a) < (Self.totalTime(from: b, to: own, travel: travel), b)
            }) else { continue }
            centres[k] = [medoid]
            notes.append("\(names[k]) has no town centre or town hall: its centre is \(zone.points[medoid].name), the stop nearest on average to its others.")
        }
        self.centres = centres

        let facilities = hospitals + clinics + shops + stations + schools + offices
        if let h = hospitals.first {
            hub = municipality[h]
        } else {
            let counts = (0..<m).map { k in facilities.filter { municipality[$0] == k }.count }
            hub = counts.indices.max { (counts[$0], -$0) < (counts[$1], -$1) } ?? 0
        }
        if hospitals.isEmpty {
            notes.append(clinics.isEmpty
                ? "No hospital, clinic or doctors in the zone: hospital trips go to the centre of \(names[hub])."
                : "No hospital in the zone: hospital trips go to the nearest clinic or doctors.")
        }
        if clinics.isEmpty { notes.append("No clinic or doctors in the zone: clinic trips go to the resident's town centre (the clinic by the town office).") }
        if supermarkets.isEmpty {
            notes.append(shops.isEmpty ? "No supermarket in the zone: shopping trips go to the resident's town centre."
                : "No supermarket in the zone: shopping trips go to the \(shops.count) convenience stores.")
        }
        if stations.isEmpty { notes.append("No station in the zone: station trips go to the centre of \(names[hub]) (the bus terminal).") }
        if schools.isEmpty { notes.append("No school in the zone: school trips go to the resident's town centre.") }
        if unserved > 0 { notes.append("\(unserved) of \(tripPlaces) places where trips begin or end have no stop within \(Int(Self.placeRadius)) m and draw no trips.") }
        fallbacks = notes
    }

    /// Sum of travel times from `a` to `others` (unreachable ones count a day).
    static func totalTime(from a: Int, to others: [Int], travel: TravelMatrix) -> Int {
        others.reduce(0) { $0 + (travel.isReachable(a, $1) ? travel[a, $1] : 86_400) }
    }

    /// One line per kind of destination with its number of stops.
    var destinationCounts: String {
        [("hospital", hospitals), ("clinic or doctors", clinics), ("supermarket or convenience store", shops), ("station", stations), ("school", schools),
         ("town office or post office", offices)].map { "\($0.0) \($0.1.count)" }.joined(separator: ", ")
    }
}
