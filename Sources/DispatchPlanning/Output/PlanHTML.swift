import DispatchCore
import DispatchWire
import Foundation
import RoadNetwork

/// A single self-contained HTML file (no scripts, no external tiles or fonts): an SVG map of the
/// road network with each vehicle's route along the roads and its stops, and a timeline (Gantt
/// chart) per vehicle with driving and stops (drawn by `PlanDrawing`). Well-formed XHTML-compatible markup.
public enum PlanHTML {
    static func escape(_ s: String) -> String { HTML.escape(s) }

    public static func render(_ outcome: PlanRun.Outcome, zone: ServiceZone) -> String {
        let document = outcome.document
        let drawing = PlanDrawing(outcome)
        let legend = drawing.routes.map { "<li><span class=\"swatch\" style=\"background:\($0.colour)\"></span>\(escape($0.id))</li>" }.joined()

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
        path.route { fill: none; stroke-width: 3; stroke-opacity: 0.85; stroke-linejoin: round; }
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
        \(drawing.map(zone: zone))
        <h2>Timeline</h2>
        \(drawing.timeline())
        <h2>Not served (\(document.unserved.count))</h2>
        <table>
        \(unserved)</table>
        </body>
        </html>

        """
    }
}
