import Foundation
import RoadNetwork

/// The main job until the dispatcher exists: load the embedded zone, then route every
/// municipality's centre to the hospital in summer and in winter, when the pass is closed.
public enum NetworkDemo {
    public struct Result: Sendable {
        public var text: String
        /// Routes computed (for tests).
        public var routes: [(from: String, to: String, summer: Int32?, winter: Int32?)]
    }

    public static func run(zonePath: String, summer: ServiceDate, winter: ServiceDate) throws -> Result {
        let zone = try ZoneFile.load(path: zonePath)
        let networkPath = URL(fileURLWithPath: zonePath).deletingLastPathComponent().appendingPathComponent(zone.network).path
        let graph = try NetworkFile.load(path: networkPath)
        let index = SnapIndex(graph: graph)
        let query = ShortestPathQuery(graph: graph)
        let summerClosed = graph.closedArcs(on: summer), winterClosed = graph.closedArcs(on: winter)
        let summary = NetworkSummary(graph: graph)

        var out: [String] = []
        out.append("dispatch demo — \(zone.name)")
        out.append("zone file: \(zonePath); network: \(networkPath)")
        out.append("network: \(graph.nodeCount) nodes, \(graph.arcCount) arcs, \(summary.roadKilometres) km of road; \(summary.closures.count) closure rule(s)")
        for c in summary.closures { out.append("  closed \(c.period): way \(c.wayID) (\(c.edges) edges) — \(c.reason)") }
        out.append("")
        var fleet = TextTable(headers: ["municipality", "", "service hours", "vehicles", "seats + wheelchair", "stops"],
                              alignments: [.left, .left, .left, .right, .left, .right])
        for m in zone.municipalities {
            let vehicles = zone.vehicles.filter { $0.municipality == m.id }
            fleet.append([m.localName, m.name, "\(m.serviceHours.start)–\(m.serviceHours.end)", "\(vehicles.count)",
                          vehicles.map { "\($0.seats)+\($0.wheelchairPlaces)" }.joined(separator: ", "),
                          "\(zone.stops.filter { $0.municipality == m.id }.count)"])
        }
        out.append(fleet.text)
        out.append("")

        func snap(_ p: [Double]) throws -> SnappedPoint {
            try index.snap(Coordinate(latitude: p[1], longitude: p[0]), in: graph, maxDistanceMetres: 200)
        }
        func minutes(_ t: Int32?) -> String {
            guard let t else { return "unreachable" }
            return String(format: "%.1f min", Double(t) / 600)
        }
        var routes: [(String, String, Int32?, Int32?)] = []
        guard let hospital = zone.places.first(where: { $0.kind == "hospital" }) else {
            out.append("(the zone has no hospital to route to)")
            return Result(text: out.joined(separator: "\n"), routes: [])
        }
        let target = try snap(hospital.position)
        out.append("Travel time by road to \(hospital.localName) \(hospital.name): summer (\(summer)) vs winter (\(winter))")
        var table = TextTable(headers: ["from", "", "summer", "winter", "km (summer)", "change"],
                              alignments: [.left, .left, .right, .right, .right, .left])
        var origins = zone.places.filter { $0.kind == "town_centre" }
        origins += zone.places.filter { $0.kind == "hamlet" }
        for place in origins {
            let source = try snap(place.position)
            let s = query.route(from: source, to: target, closed: summerClosed)
            let w = query.route(from: source, to: target, closed: winterClosed)
            routes.append((place.id, hospital.id, s?.travelTime, w?.travelTime))
            let change: String
            switch (s, w) {
            case let (s?, w?) where w.travelTime > s.travelTime + 600: change = String(format: "+%.0f min (pass closed)", Double(w.travelTime - s.travelTime) / 600)
            case (_?, nil): change = "cut off in winter"
            default: change = ""
            }
            // Hamlets: list only those the winter changes, to keep the table short.
            if place.kind == "hamlet" && change.isEmpty { continue }
            table.append([place.localName, place.name, minutes(s?.travelTime), minutes(w?.travelTime),
                          s.map { String(format: "%.1f", Double($0.distanceMetres) / 1000) } ?? "–", change])
        }
        out.append(table.text)

        // Town to town: where the winter closure forces a detour.
        let centres = zone.places.filter { $0.kind == "town_centre" }
        var detours = TextTable(headers: ["from", "to", "summer", "winter", "change"], alignments: [.left, .left, .right, .right, .left])
        for a in centres {
            for b in centres where a.id != b.id {
                let sa = try snap(a.position), sb = try snap(b.position)
                let s = query.route(from: sa, to: sb, closed: summerClosed)?.travelTime
                let w = query.route(from: sa, to: sb, closed: winterClosed)?.travelTime
                routes.append((a.id, b.id, s, w))
                guard let s, s != w else { continue }
                let change = w.map { String(format: "+%.0f min", Double($0 - s) / 600) } ?? "cut off"
                detours.append(["\(a.localName) \(a.name)", "\(b.localName) \(b.name)", minutes(s), minutes(w), change])
            }
        }
        if !detours.rows.isEmpty {
            out.append("")
            out.append("Town to town where the winter closure forces a detour:")
            out.append(detours.text)
        }
        return Result(text: out.joined(separator: "\n"), routes: routes)
    }
}
