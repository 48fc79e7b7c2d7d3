import DispatchCore
import DispatchWire
import Foundation
import RoadNetwork

/// A single self-contained HTML file (no scripts, no external tiles or fonts): an SVG map of the
/// road network with each vehicle's route along the roads and its stops, and a timeline (Gantt
/// chart) per vehicle with driving and stops. Well-formed XHTML-compatible markup.
public enum PlanHTML {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#bcbd22", "#7f7f7f",
                          "#393b79", "#637939"]

    static func escape(_ s: String) -> String { HTML.escape(s) }

    public static func render(_ outcome: PlanRun.Outcome, zone: ServiceZone) -> String {
        let document = outcome.document
        let day = outcome.loaded.day, instance = day.instance, network = outcome.loaded.network
        let graph = zone.graph

        // Projection: the zone's bounding box, equirectangular scaled by cos(latitude).
        var minLat = 90.0, maxLat = -90.0, minLon = 180.0, maxLon = -180.0
        for m in zone.file.municipalities { for p in m.boundary.joined() where p.count == 2 {
            minLon = min(minLon, p[0]); maxLon = max(maxLon, p[0]); minLat = min(minLat, p[1]); maxLat = max(maxLat, p[1])
        } }
        if minLat > maxLat {
            for c in graph.nodeCoordinates {
                let lat = Double(c.latitudeE7) / 1e7, lon = Double(c.longitudeE7) / 1e7
                minLon = min(minLon, lon); maxLon = max(maxLon, lon); minLat = min(minLat, lat); maxLat = max(maxLat, lat)
            }
        }
        let k = cos((minLat + maxLat) / 2 * .pi / 180)
        let width = 900.0
        let scale = width / max(1e-9, (maxLon - minLon) * k)
        let height = (maxLat - minLat) * scale
        func xy(_ lat: Double, _ lon: Double) -> String {
            String(format: "%.1f,%.1f", (lon - minLon) * k * scale, (maxLat - lat) * scale)
        }

        var roads = ""
        roads.reserveCapacity(graph.edgeCount * 30)
        for e in 0..<graph.edgeCount {
            let points = graph.geometry[Int(graph.edgeGeometryStart[e])..<Int(graph.edgeGeometryStart[e + 1])]
            guard points.count >= 2 else { continue }
            roads += "M" + points.map { xy(Double($0.latitudeE7) / 1e7, Double($0.longitudeE7) / 1e7) }.joined(separator: "L")
        }

        var boundaries = ""
        for m in zone.file.municipalities {
            let rings = m.boundary.filter { $0.count >= 3 }
            guard !rings.isEmpty else { continue }
            let d = rings.map { "M" + $0.filter { $0.count == 2 }.map { xy($0[1], $0[0]) }.joined(separator: "L") + "Z" }.joined()
            boundaries += "<path class=\"boundary\" d=\"\(d)\"><title>\(escape(m.localName + " " + m.name))</title></path>\n"
        }

        // Routes along the roads, stops on top.
        let report = PlanReport(plan: outcome.plan, instance: instance)
        var routes = "", stops = "", legend = ""
        var used: [(vehicle: Int, colour: String, schedule: RouteSchedule)] = []
        for schedule in report.schedules where schedule.stops.count > 2 {
            let colour = palette[used.count % palette.count]
            used.append((schedule.vehicle, colour, schedule))
            let locations = schedule.stops.map { day.locations[Int(instance.location[$0.node])] }
            var coordinates: [Coordinate] = []
            for (a, b) in zip(locations, locations.dropFirst()) where a != b { coordinates += network.geometry(from: a, to: b) }
            let id = instance.vehicles[schedule.vehicle].id
            routes += "<path class=\"route\" data-vehicle=\"\(escape(id))\" stroke=\"\(colour)\" d=\"M"
                + coordinates.map { xy($0.latitude, $0.longitude) }.joined(separator: "L") + "\"><title>\(escape(id))</title></path>\n"
            for stop in schedule.stops.dropFirst().dropLast() {
                let c = network.position(of: day.locations[Int(instance.location[stop.node])])
                let r = instance.request(ofNode: stop.node)!
                let p = xy(c.latitude, c.longitude).split(separator: ",")
                let action = instance.isPickup(stop.node) ? "pickup" : "drop-off"
                let title = escape("\(TimeText.clock(stop.serviceStart)) \(action) \(day.bookingIDs[r]) (\(id))")
                stops += "<circle class=\"stop\" cx=\"\(p[0])\" cy=\"\(p[1])\" r=\"3.5\" fill=\"\(colour)\"><title>\(title)</title></circle>\n"
            }
            legend += "<li><span class=\"swatch\" style=\"background:\(colour)\"></span>\(escape(id))</li>"
        }
        for point in zone.points where point.isDepot {
            let p = xy(point.snapped.onRoad.latitude, point.snapped.onRoad.longitude).split(separator: ",")
            stops += "<rect class=\"depot\" x=\"\(Double(p[0])! - 4)\" y=\"\(Double(p[1])! - 4)\" width=\"8\" height=\"8\"><title>\(escape(point.id))</title></rect>\n"
        }

        // Timeline: 06:00–20:00 (or wider when the plan is).
        let first = min(6 * 3600, used.map { $0.schedule.departure }.min() ?? 6 * 3600)
        let last = max(20 * 3600, used.map { $0.schedule.returnTime }.max() ?? 20 * 3600)
        let timelineWidth = 900.0, rowHeight = 26.0, left = 150.0
        func tx(_ t: Int) -> Double { left + Double(t - first) / Double(last - first) * (timelineWidth - left - 10) }
        var gantt = ""
        for hour in stride(from: (first + 3599) / 3600, through: last / 3600, by: 1) {
            let x = tx(hour * 3600)
            gantt += String(format: "<line class=\"hour\" x1=\"%.1f\" y1=\"18\" x2=\"%.1f\" y2=\"%.1f\"/>", x, x, 24 + rowHeight * Double(used.count))
            gantt += String(format: "<text class=\"hour\" x=\"%.1f\" y=\"14\">%02d:00</text>\n", x - 14, hour)
        }
        for (row, entry) in used.enumerated() {
            let y = 24 + rowHeight * Double(row)
            gantt += String(format: "<text class=\"vehicle\" x=\"4\" y=\"%.1f\">%@</text>\n", y + 16, escape(instance.vehicles[entry.vehicle].id))
            for (a, b) in zip(entry.schedule.stops, entry.schedule.stops.dropFirst()) {
                let x1 = tx(a.departure), x2 = tx(b.arrival)
                gantt += String(format: "<rect class=\"drive\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"12\" fill=\"%@\"><title>%@–%@ driving</title></rect>",
                                x1, y + 6, max(0.5, x2 - x1), entry.colour, TimeText.clock(a.departure), TimeText.clock(b.arrival))
            }
            for stop in entry.schedule.stops.dropFirst().dropLast() {
                let r = instance.request(ofNode: stop.node)!
                gantt += String(format: "<rect class=\"service\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\"><title>%@ %@ %@</title></rect>",
                                tx(stop.serviceStart), y + 3, max(1.5, tx(stop.serviceStart + instance.serviceTime[stop.node]) - tx(stop.serviceStart)),
                                TimeText.clock(stop.serviceStart), instance.isPickup(stop.node) ? "pickup" : "drop-off", escape(day.bookingIDs[r]))
            }
            for rest in entry.schedule.rests {
                gantt += String(format: "<rect class=\"rest\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\"><title>%@–%@ driver's rest</title></rect>",
                                tx(rest.start), y + 3, max(1.5, tx(rest.end) - tx(rest.start)), TimeText.clock(rest.start), TimeText.clock(rest.end))
            }
            gantt += "\n"
        }
        let ganttHeight = 34 + rowHeight * Double(used.count)

        var unserved = ""
        for u in document.unserved {
            unserved += "<tr><td>\(escape(u.bookingId))</td><td>\(escape(u.message))</td></tr>\n"
        }
        // Broken promises first and loud: the dispatcher must phone these passengers.
        var broken = ""
        if let list = document.brokenPromises, !list.isEmpty {
            broken = "<section class=\"broken\" role=\"alert\">\n<h2>Broken promises (\(list.count))</h2>\n<table>\n"
                + "<tr><th>booking</th><th>passenger</th><th>promised pickup</th><th>reason</th><th>what changed</th></tr>\n"
            for b in list {
                broken += "<tr><td>\(escape(b.bookingId))</td><td>\(escape(b.passengerRef))</td><td>\(escape(b.promisedEarliest))–\(escape(b.promisedLatest))</td>"
                    + "<td>\(escape(b.reason))</td><td>\(escape(b.change))</td></tr>\n"
            }
            broken += "</table>\n</section>\n"
        }
        let figures = document.kpis.map { k in
            String(format: "%d of %d requests served (%.1f %%) · %d passengers · %.1f vehicle-hours · %.1f km · mean ride %.1f min · empty km %.1f %%",
                   k.served, k.requests, 100 * k.servedShare, k.passengers, k.vehicleHours, k.kilometres, k.meanRideMinutes, 100 * k.emptyKilometreShare)
        } ?? ""

        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <title>Plan \(escape(document.date)) — \(escape(zone.file.name))</title>
        <style>
        body { font-family: sans-serif; margin: 16px; color: #222; }
        h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 24px; }
        .road { fill: none; stroke: #c8c8c8; stroke-width: 0.8; }
        .boundary { fill: #f6f6f0; fill-rule: evenodd; stroke: #b0a890; stroke-width: 1; stroke-dasharray: 4 3; }
        .route { fill: none; stroke-width: 3; stroke-opacity: 0.85; stroke-linejoin: round; }
        .stop { stroke: #fff; stroke-width: 1; }
        .rest { fill: none; stroke: #555; stroke-width: 1.5; stroke-dasharray: 3 2; }
        .depot { fill: #333; }
        .hour { stroke: #ddd; font-size: 10px; fill: #666; }
        .vehicle { font-size: 12px; }
        .service { fill: #222; }
        ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 12px; }
        .swatch { display: inline-block; width: 14px; height: 4px; margin-right: 6px; vertical-align: middle; }
        table { border-collapse: collapse; } td, th { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: left; }
        .broken { border: 3px solid #b00020; background: #fff0f0; padding: 4px 12px; margin: 12px 0; }
        .broken h2 { color: #b00020; margin-top: 8px; }
        </style>
        </head>
        <body>
        <h1>Plan \(escape(document.date)) (version \(outcome.version)) — \(escape(zone.file.name))</h1>
        \(broken)<p>\(escape(figures))</p>
        <p>Solver: \(escape(document.solver)) — \(escape(document.solverReason))</p>
        <h2>Routes</h2>
        <ul class="legend">\(legend)</ul>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height.rounded(.up)))" viewBox="0 0 \(Int(width)) \(Int(height.rounded(.up)))">
        \(boundaries)<path class="road" d="\(roads)"/>
        \(routes)\(stops)</svg>
        <h2>Timeline</h2>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(timelineWidth))" height="\(Int(ganttHeight))">
        \(gantt)</svg>
        <h2>Not served (\(document.unserved.count))</h2>
        <table>
        \(unserved)</table>
        </body>
        </html>

        """
    }
}
