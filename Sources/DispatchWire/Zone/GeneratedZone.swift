import Foundation
import NetworkGeneration
import RoadNetwork

/// Heights of a generated network's own terrain, for the graph builder.
public struct SyntheticTerrainElevation: ElevationSource {
    public let terrain: SyntheticTerrain
    public init(_ terrain: SyntheticTerrain) { self.terrain = terrain }
    public func elevation(at coordinate: Coordinate) -> Double? { terrain.elevation(at: coordinate) }
}

/// The project's embedded default zone and its files, made by the deterministic generator.
public enum EmbeddedZone {
    public static let networkFileName = "default-zone.dnet"
    public static let zoneFileName = "default-zone.zone.json"
    /// The committed files, relative to the project root.
    public static let defaultZonePath = "Networks/" + zoneFileName

    /// Builds the road graph of a generated network (grades from its own terrain).
    public static func graph(of generated: GeneratedNetwork) throws -> (graph: RoadGraph, report: ImportReport) {
        try RoadGraphBuilder(elevation: SyntheticTerrainElevation(generated.terrain)).build(generated.osm)
    }

    /// The zone file describing a generated network: municipalities, places, stops, depots and a fleet.
    public static func zoneFile(of generated: GeneratedNetwork, networkFileName: String, name: String) -> ZoneFile {
        let municipalityIDs = uniqueSlugs(generated.municipalities.map(\.name))
        func position(_ c: Coordinate) -> [Double] {
            [(c.longitude * 1e7).rounded() / 1e7, (c.latitude * 1e7).rounded() / 1e7]
        }
        let hubIndex = generated.places.first { $0.kind == .hospital }?.municipality
        // Service calendar: every town on weekdays and Saturdays; on Sundays and holidays only the
        // hub town (its hospital and station), with two of its vehicles.
        let municipalities = generated.municipalities.enumerated().map { i, m in
            var municipality = ZoneFile.Municipality(id: municipalityIDs[i], name: m.name, localName: m.localName,
                                                     boundary: [m.boundary.map(position)],
                                                     serviceHours: i == hubIndex ? .init(start: "06:30:00", end: "20:00:00") : .init(start: "07:00:00", end: "19:00:00"))
            municipality.serviceDays = i == hubIndex ? nil : [ZoneFile.DayKind.weekday.rawValue, ZoneFile.DayKind.saturday.rawValue]
            return municipality
        }
        let placeSlugs = uniqueSlugs(generated.places.map { "\($0.name) \($0.kind.rawValue)" })
        var places: [ZoneFile.Place] = []
        var stops: [ZoneFile.Stop] = []
        var depots: [ZoneFile.Depot] = []
        for (i, p) in generated.places.enumerated() {
            let municipality = p.municipality.map { municipalityIDs[$0] }
            switch p.kind {
            case .depot:
                if let municipality { depots.append(.init(id: placeSlugs[i], municipality: municipality, position: position(p.coordinate))) }
            case .meetingPoint:
                if let municipality {
                    stops.append(.init(id: placeSlugs[i], name: p.name, localName: p.localName, municipality: municipality, position: position(p.coordinate)))
                }
            default:
                places.append(.init(id: placeSlugs[i], name: p.name, localName: p.localName, kind: ZoneFileMigration.snakeCase(p.kind.rawValue),
                                    municipality: municipality, position: position(p.coordinate)))
                // Facilities and centres are stops too: that is where residents are picked up and set down.
                if p.kind != .pass, let municipality {
                    stops.append(.init(id: placeSlugs[i], name: p.name, localName: p.localName, municipality: municipality, position: position(p.coordinate)))
                }
            }
        }
        // Fleet: two vehicles per municipality (three where the hospital is), one of them with a
        // wheelchair place; every vehicle may serve the whole zone (the point of pooling).
        var vehicles: [ZoneFile.Vehicle] = []
        for (i, m) in municipalityIDs.enumerated() {
            guard let depot = depots.first(where: { $0.municipality == m }) else { continue }
            let count = i == hubIndex ? 3 : 2
            for k in 1 ... count {
                let shift: ZoneFile.TimeRange = k == 3 ? .init(start: "10:00:00", end: "20:00:00") : .init(start: "07:30:00", end: "18:30:00")
                var vehicle = ZoneFile.Vehicle(id: "\(m)-\(k)", municipality: m, depot: depot.id,
                                               seats: k == 1 ? 3 : 4, wheelchairPlaces: k == 1 ? 1 : 0, shift: shift, serves: municipalityIDs)
                if i == hubIndex {
                    // The hub's vehicles 1 and 3 also work Sundays and holidays.
                    vehicle.schedule = .init(weekday: [shift], saturday: [shift], sundayHoliday: k == 2 ? [] : [shift])
                } else if k == 2 {
                    // The second vehicle of a village: a morning and an afternoon shift, lunch at the depot.
                    let split: [ZoneFile.TimeRange] = [.init(start: "07:30:00", end: "12:00:00"), .init(start: "13:00:00", end: "18:30:00")]
                    vehicle.schedule = .init(weekday: split, saturday: split)
                } else {
                    vehicle.schedule = .init(weekday: [shift], saturday: [shift])
                }
                vehicles.append(vehicle)
            }
        }
        // One vehicle at its yearly inspection (車検) on one date.
        if let index = vehicles.firstIndex(where: { $0.id.hasSuffix("-1") && !$0.id.hasPrefix(municipalityIDs[hubIndex ?? 0]) }) {
            vehicles[index].exceptions = [.init(date: "2026-12-15", shifts: [], note: "yearly inspection (車検)")]
        }
        var file = ZoneFile(name: name, network: networkFileName, municipalities: municipalities, places: places,
                            stops: stops, depots: depots, vehicles: vehicles,
                            notes: ["Fictional zone generated by `dispatch network generate` (seeded, deterministic); not real places.",
                                    "Coordinates are [longitude, latitude]; times are local (Asia/Tokyo).",
                                    "Costs and fares are assumptions for the demo, in the range small municipalities report; not data."])
        file.costs = .assumed
        file.calendar = .init(holidays: "japan", closingDays: [.init(from: "12-29", until: "01-03", name: "New Year (年末年始)")])
        // The operator as published in the GTFS-Flex feed; fictional like the zone (example.jp is reserved for examples).
        file.agency = ZoneFile.Agency(name: "しなの谷広域デマンドタクシー（架空）", url: "https://example.jp/shinano-valleys/demand-taxi", language: "ja")
        // Distance-band fares per passenger, half price for elderly and disabled riders, ¥100 for a
        // booking by phone; the hub town charges a flat fare inside its grid-sized area.
        let bands = [ZoneFile.FareBand(upToKm: 5, yen: 300), ZoneFile.FareBand(upToKm: 15, yen: 500), ZoneFile.FareBand(upToKm: nil, yen: 800)]
        file.fares = Dictionary(uniqueKeysWithValues: municipalityIDs.enumerated().map { i, m in
            (m, i == hubIndex ? ZoneFile.Fare(flatYen: 400, elderlyDiscount: 0.5, disabledDiscount: 0.5, phoneSurchargeYen: 100)
                              : ZoneFile.Fare(bands: bands, elderlyDiscount: 0.5, disabledDiscount: 0.5, phoneSurchargeYen: 100))
        })
        return file
    }

    /// Lower-case ASCII ids from names ("Kitazawa-mura" → "kitazawa-mura", "Ōdaira hamlet" → "odaira-hamlet"), made unique with -2, -3, ….
    static func uniqueSlugs(_ names: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return names.map { name in
            var slug = ""
            for ch in name.lowercased() {
                switch ch {
                case "ō", "ô": slug.append("o")
                case "ū", "û": slug.append("u")
                case "ā", "â": slug.append("a")
                case "ē", "ê": slug.append("e")
                case "ī", "î": slug.append("i")
                default:
                    // Latin letters with accents lose them (à → a, ß → ss); other scripts leave a gap.
                    let plain = ch.isASCII ? String(ch) : String(ch).folding(options: .diacriticInsensitive, locale: nil)
                    if plain.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) && !plain.isEmpty {
                        slug += plain
                    } else if slug.last != "-" && !slug.isEmpty {
                        slug.append("-")
                    }
                }
            }
            while slug.last == "-" { slug.removeLast() }
            if slug.isEmpty { slug = "place" }
            let n = (seen[slug] ?? 0) + 1
            seen[slug] = n
            return n == 1 ? slug : "\(slug)-\(n)"
        }
    }
}
