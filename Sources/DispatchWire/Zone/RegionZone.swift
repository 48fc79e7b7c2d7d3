import Foundation
import RoadNetwork

/// `dispatch zone create`: a zone of real municipalities from an OpenStreetMap extract — their
/// administrative boundaries, stops at the places people ask to go (and at bus stops and the
/// centres of hamlets and villages), snapped to the imported road network, and a fleet (from a
/// fleet file, or one vehicle per municipality at its town hall).
public enum RegionZone {
    public struct Options: Sendable {
        public var osmPath: String
        public var elevation: [String] = []
        public var closures: String?
        public var adminLevel: Int
        /// Keep only boundaries inside the boundary of this name (`name`, `name:en` or `name:ja`).
        public var within: String?
        /// Keep only these municipalities (by name, `name:en`, `name:ja` or id).
        public var municipalities: [String]?
        public var fleet: FleetFile?
        public var fleetPath: String?
        /// The zone's name (default: the `--within` boundary's name, or the file's).
        public var name: String?
        /// The network file's name, beside the zone file.
        public var networkFileName = "network.dnet"

        public init(osmPath: String, adminLevel: Int) {
            self.osmPath = osmPath
            self.adminLevel = adminLevel
        }
    }

    /// What `create` made and what it left out, for the report.
    public struct Result: Sendable {
        public var zone: ZoneFile
        public var graph: RoadGraph
        public var hierarchy: ContractionHierarchy
        public var report: [String]
    }

    /// How far a stop or depot may lie from the nearest road (the limit `ServiceZone` snaps with).
    public static let snapLimitMetres = 300.0
    /// Two stops closer than this are one place (the second is left out as a near-duplicate).
    public static let nearDuplicateMetres = 25.0
    /// Two stops of the same name closer than this are one place (e.g. a bus stop on either side
    /// of the road).
    public static let sameNameMetres = 80.0
    /// Service hours and shifts assumed when nothing says otherwise.
    public static let assumedServiceHours = ZoneFile.TimeRange(start: "07:00:00", end: "19:00:00")
    public static let assumedShift = ZoneFile.TimeRange(start: "07:30:00", end: "18:30:00")

    public static func create(_ options: Options) throws -> Result {
        var report: [String] = []
        let path = options.osmPath
        func fail(_ field: String, _ reason: String) -> ZoneFileError { ZoneFileError(path: path, field: field, reason: reason) }

        // The road network, as `network import` builds it.
        var builder = RoadGraphBuilder()
        if !options.elevation.isEmpty { builder.elevation = try ElevationModel.load(paths: options.elevation) }
        let (graph, importReport) = try NetworkImporter.importNetwork(path: path, builder: builder, closureListPath: options.closures)
        let hierarchy = ContractionHierarchyBuilder().build(graph)

        // Municipalities.
        let features = try OSMFeatures.read(path: path)
        var container: (name: String, area: GeoMultiPolygon)?
        if let within = options.within {
            let named = features.boundaries(named: within).filter { $0.area.polygon != nil }
            guard let outer = named.min(by: { ($0.adminLevel ?? 99) < ($1.adminLevel ?? 99) }), let area = outer.area.polygon else {
                let known = features.boundaries.filter { ($0.adminLevel ?? 99) < options.adminLevel }.compactMap(\.name)
                throw fail("--within", "no complete boundary is named '\(within)'"
                           + (known.isEmpty ? "" : " (boundaries of lower levels: \(Set(known).sorted().prefix(12).joined(separator: ", ")))"))
            }
            container = (within, area)
        }
        var chosen: [AdministrativeBoundary] = []
        var leftOut: [String] = []
        if let container {
            let selection = features.boundaries(adminLevel: options.adminLevel, within: container.area)
            chosen = selection.inside
            for b in selection.outside { leftOut.append("\(label(b)): outside \(container.name)") }
            for b in selection.incomplete { leftOut.append("\(label(b)): \(reason(b))") }
        } else {
            for b in features.boundaries(adminLevel: options.adminLevel) {
                if b.area.polygon != nil { chosen.append(b) } else { leftOut.append("\(label(b)): \(reason(b))") }
            }
        }
        if let wanted = options.municipalities {
            var remaining = chosen
            chosen = []
            for name in wanted {
                guard let i = remaining.firstIndex(where: { b in [b.name, b.nameEn, b.nameJa, b.name.map(slug)].contains(name) }) else {
                    throw fail("--municipalities", "'\(name)' is not a boundary at admin_level \(options.adminLevel)"
                               + (container.map { " within \($0.name)" } ?? "") + "; there are: "
                               + (chosen + remaining).compactMap(\.name).sorted().joined(separator: ", "))
                }
                chosen.append(remaining.remove(at: i))
            }
            for b in remaining { leftOut.append("\(label(b)): not in --municipalities") }
        }
        chosen.sort { ($0.nameEn ?? $0.name ?? "") < ($1.nameEn ?? $1.name ?? "") }
        guard !chosen.isEmpty else {
            let levels = Set(features.boundaries.compactMap(\.adminLevel)).sorted().map(String.init).joined(separator: ", ")
            throw fail("--admin-level", "no complete boundary at admin_level \(options.adminLevel)"
                       + (container.map { " within \($0.name)" } ?? "") + " (levels in the file: \(levels.isEmpty ? "none" : levels))")
        }
        let areas = chosen.map { $0.area.polygon! }
        let ids = EmbeddedZone.uniqueSlugs(chosen.map { $0.nameEn ?? $0.name ?? "municipality \($0.relationID)" })
        let municipalities = zip(chosen, areas).enumerated().map { i, pair in
            let (b, area) = pair
            let name = b.nameEn ?? b.name ?? ids[i]
            return ZoneFile.Municipality(id: ids[i], name: name, localName: b.nameJa ?? b.name ?? name,
                                         boundary: area.polygons.flatMap(\.lonLatRings), serviceHours: assumedServiceHours)
        }
        func municipality(of c: Coordinate) -> Int? {
            areas.indices.first { areas[$0].boundingBox.contains(c) && areas[$0].contains(c) }
        }

        // Stops: the places people ask to go first, then public-transport stops, then the centres
        // of settlements, so that a near-duplicate keeps the more useful kind.
        let snapIndex = SnapIndex(graph: graph)
        func nearRoad(_ c: Coordinate) -> Bool { (try? snapIndex.snap(c, in: graph, maxDistanceMetres: snapLimitMetres)) != nil }
        var outside = 0, farFromRoad: [String: Int] = [:], duplicates = 0, unnamed = 0
        var kept: [(poi: PointOfInterest, kind: String, name: String, localName: String, municipality: Int)] = []
        let ordered = features.pointsOfInterest.sorted { (priority($0.kind), $0.element) < (priority($1.kind), $1.element) }
        for poi in ordered {
            guard let m = municipality(of: poi.position) else { outside += 1; continue }
            let kind = zoneKind(poi.kind)
            guard nearRoad(poi.position) else { farFromRoad[kind, default: 0] += 1; continue }
            var name = poi.nameEn ?? poi.name
            if name == nil {
                // An unnamed bus stop is still a stop; an unnamed shop or school is too vague to book.
                guard poi.kind.isTransitStop else { unnamed += 1; continue }
                name = "\(kindLabel(kind)) \(poi.element)"
            }
            let duplicate = kept.contains { other in
                let d = other.poi.position.distance(to: poi.position)
                return d < nearDuplicateMetres || (d < sameNameMetres && other.name == name)
            }
            if duplicate { duplicates += 1; continue }
            kept.append((poi, kind, name!, poi.nameJa ?? poi.name ?? name!, m))
        }
        let stopIDs = EmbeddedZone.uniqueSlugs(kept.map { "\($0.name) \($0.kind)" })
        var stops: [ZoneFile.Stop] = [], places: [ZoneFile.Place] = []
        for (i, k) in kept.enumerated() {
            let position = lonLat(k.poi.position)
            stops.append(.init(id: stopIDs[i], name: k.name, localName: k.localName, municipality: ids[k.municipality], position: position))
            places.append(.init(id: stopIDs[i], name: k.name, localName: k.localName, kind: k.kind, municipality: ids[k.municipality], position: position))
        }

        // Fleet and depots.
        var depots: [ZoneFile.Depot] = [], vehicles: [ZoneFile.Vehicle] = []
        let allIDs = ids
        if let fleet = options.fleet {
            let fleetPath = options.fleetPath ?? "fleet"
            var depotAt: [String: String] = [:]
            for v in fleet.vehicles {
                guard let m = municipalities.indices.first(where: { [ids[$0], municipalities[$0].name, municipalities[$0].localName, chosen[$0].name ?? ""].contains(v.municipality) }) else {
                    throw ZoneFileError(path: fleetPath, field: "line \(v.line)",
                                        reason: "'\(v.municipality)' is not a municipality of the zone (\(ids.joined(separator: ", ")))")
                }
                guard nearRoad(v.depot) else {
                    throw ZoneFileError(path: fleetPath, field: "line \(v.line)", reason: "the depot is more than \(Int(snapLimitMetres)) m from every road")
                }
                let key = "\(ids[m]) \(lonLat(v.depot))"
                let depot: String
                if let known = depotAt[key] {
                    depot = known
                } else {
                    depot = "\(ids[m])-depot" + (depots.contains { $0.municipality == ids[m] } ? "-\(depots.filter { $0.municipality == ids[m] }.count + 1)" : "")
                    depots.append(.init(id: depot, municipality: ids[m], position: lonLat(v.depot)))
                    depotAt[key] = depot
                }
                vehicles.append(.init(id: v.id, municipality: ids[m], depot: depot, seats: v.seats, wheelchairPlaces: v.wheelchairPlaces,
                                      shift: .init(start: v.shiftStart, end: v.shiftEnd), serves: allIDs))
            }
        } else {
            for (m, id) in ids.enumerated() {
                // At the town hall, else the stop nearest the municipality's representative point.
                let inside = kept.indices.filter { kept[$0].municipality == m }
                let hall = inside.first { kept[$0].poi.kind == .townhall }
                let centre = areas[m].representativePoint
                guard let at = hall ?? inside.min(by: { kept[$0].poi.position.distance(to: centre) < kept[$1].poi.position.distance(to: centre) }) else {
                    leftOut.append("\(municipalities[m].name): no vehicle (no stop to put its depot at)")
                    continue
                }
                depots.append(.init(id: "\(id)-depot", municipality: id, position: lonLat(kept[at].poi.position)))
                vehicles.append(.init(id: "\(id)-1", municipality: id, depot: "\(id)-depot", seats: 4, wheelchairPlaces: 1,
                                      shift: assumedShift, serves: allIDs))
            }
        }

        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension.replacingOccurrences(of: ".osm", with: "")
        var zone = ZoneFile(name: options.name ?? "\(container?.name ?? stem) (OpenStreetMap)", network: options.networkFileName,
                            municipalities: municipalities, places: places, stops: stops, depots: depots, vehicles: vehicles,
                            notes: ["Made by `dispatch zone create` from \((path as NSString).lastPathComponent) (admin_level \(options.adminLevel)"
                                        + (options.within.map { ", within \($0)" } ?? "") + ").",
                                    "Map data © OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright).",
                                    "Assumed, not data: service hours \(assumedServiceHours.start)–\(assumedServiceHours.end)"
                                        + (options.fleet == nil ? ", one vehicle per municipality (4 seats, 1 wheelchair place, \(assumedShift.start)–\(assumedShift.end)) at its town hall" : "")
                                        + ", costs \(Int(ZoneFile.Costs.assumed.vehicleHourYen)) yen per vehicle-hour and \(Int(ZoneFile.Costs.assumed.kilometreYen)) per km; no fares, no rules."])
        zone.costs = nil

        // The report.
        report.append("zone:           \(zone.name)")
        report.append("municipalities: \(municipalities.count) at admin_level \(options.adminLevel)" + (container.map { " within \($0.name)" } ?? ""))
        for (i, m) in municipalities.enumerated() {
            let count = stops.count { $0.municipality == m.id }
            report.append("  \(m.id): \(m.localName == m.name ? m.name : "\(m.name) / \(m.localName)"), "
                          + String(format: "%.1f km²", areas[i].areaSquareKilometres) + ", \(count) stops, \(vehicles.count { $0.municipality == m.id }) vehicle(s)")
        }
        let byKind = Dictionary(grouping: places, by: \.kind).mapValues(\.count).sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        report.append("stops:          \(stops.count) (" + byKind.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ")")
        report.append("vehicles:       \(vehicles.count) at \(depots.count) depots" + (options.fleet == nil ? " (assumed: one per municipality at its town hall)" : " (from \(options.fleetPath ?? "the fleet file"))"))
        let km = Double(graph.edgeLength.reduce(0) { $0 + Int($1) }) / 1000
        report.append("network:        \(graph.nodeCount) nodes, \(graph.arcCount) arcs, " + String(format: "%.0f km of road", km)
                      + ", contraction hierarchy with \(hierarchy.shortcutCount) shortcuts")
        for line in importReport.lines { report.append("  " + line) }
        report.append("left out:")
        for line in leftOut { report.append("  boundary " + line) }
        if outside > 0 { report.append("  \(outside) points of interest outside every municipality of the zone") }
        for (kind, n) in farFromRoad.sorted(by: { $0.key < $1.key }) {
            report.append("  \(n) \(kind) more than \(Int(snapLimitMetres)) m from every road")
        }
        if duplicates > 0 { report.append("  \(duplicates) duplicates (closer than \(Int(nearDuplicateMetres)) m to a kept stop, or \(Int(sameNameMetres)) m with the same name)") }
        if unnamed > 0 { report.append("  \(unnamed) unnamed places (shops, schools, … without a name)") }
        if !features.incompletePointsOfInterest.isEmpty {
            report.append("  \(features.incompletePointsOfInterest.count) areas of points of interest the extract cuts off")
        }
        if report.last == "left out:" { report.append("  nothing") }
        return Result(zone: zone, graph: graph, hierarchy: hierarchy, report: report)
    }

    /// Writes `DIR/zone.json` and `DIR/network.dnet` (the folder is created).
    public static func write(_ result: Result, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try NetworkFile.save(result.graph, hierarchy: result.hierarchy, to: (directory as NSString).appendingPathComponent(result.zone.network))
        try result.zone.write(to: (directory as NSString).appendingPathComponent("zone.json"))
    }

    // MARK: Helpers

    static func label(_ b: AdministrativeBoundary) -> String {
        "\(b.name ?? "relation \(b.relationID)") (relation \(b.relationID))"
    }

    static func reason(_ b: AdministrativeBoundary) -> String {
        if case let .incomplete(reason) = b.area { return reason }
        return "complete"
    }

    /// The zone file's kind of a point of interest.
    static func zoneKind(_ kind: PointOfInterestKind) -> String {
        switch kind {
        case .busStop, .busStation, .platform, .stopPosition: "bus_stop"
        case .railwayStation, .railwayHalt: "station"
        case .town: "town_centre"
        case .isolatedDwelling: "hamlet"
        default: kind.rawValue
        }
    }

    static func kindLabel(_ kind: String) -> String {
        kind.replacingOccurrences(of: "_", with: " ").capitalized
    }

    /// Lower first: hospitals and the like, then stations and bus stops, then settlement centres.
    static func priority(_ kind: PointOfInterestKind) -> Int {
        if kind.isPlace { return 2 }
        if kind.isTransitStop { return 1 }
        return 0
    }

    static func lonLat(_ c: Coordinate) -> [Double] {
        [(c.longitude * 1e7).rounded() / 1e7, (c.latitude * 1e7).rounded() / 1e7]
    }

    static func slug(_ name: String) -> String { EmbeddedZone.uniqueSlugs([name])[0] }

}
