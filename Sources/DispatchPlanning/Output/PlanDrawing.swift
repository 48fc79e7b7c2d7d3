import DispatchCore
import DispatchWire
import Foundation
import RoadNetwork

/// What the plan view draws, from a fresh plan run (`PlanRun.Outcome`) or from a stored plan
/// document: per duty its colour, its path along the roads, its stops and the driver's rests,
/// times in seconds after midnight. Draws the SVG map (`map`) and the timeline (`timeline`) of
/// `dispatch plan --format html` and of the console's day board; every route is a
/// `g.route[data-vehicle=DUTY]` and every stop carries `data-booking`.
public struct PlanDrawing: Sendable {
    public struct Stop: Sendable {
        public var bookingID: String
        public var isPickup: Bool
        public var serviceStart: Int
        public var serviceEnd: Int
        public var position: Coordinate
        /// The stop's tooltip.
        public var title: String
    }

    public struct Rest: Sendable {
        public var start: Int
        public var end: Int
    }

    public struct Route: Sendable {
        /// The duty id (`v`, or `v#2` for a vehicle's second shift).
        public var id: String
        public var colour: String
        public var departure: Int
        public var returnTime: Int
        /// Stop to stop times: (from, to) of each leg, depots included.
        public var legs: [(start: Int, end: Int)]
        public var path: [Coordinate]
        public var stops: [Stop]
        public var rests: [Rest]
    }

    /// The duties with stops, in plan order.
    public var routes: [Route]

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#bcbd22", "#7f7f7f",
                          "#393b79", "#637939"]

    public init(routes: [Route]) { self.routes = routes }

    /// The drawing of a plan just made (exact arrival and departure times).
    public init(_ outcome: PlanRun.Outcome) {
        let day = outcome.loaded.day, instance = day.instance, network = outcome.loaded.network
        let report = PlanReport(plan: outcome.plan, instance: instance)
        var routes: [Route] = []
        for schedule in report.schedules where schedule.stops.count > 2 {
            let colour = Self.palette[routes.count % Self.palette.count]
            let locations = schedule.stops.map { day.locations[Int(instance.location[$0.node])] }
            var path: [Coordinate] = []
            for (a, b) in zip(locations, locations.dropFirst()) where a != b { path += network.geometry(from: a, to: b) }
            let id = instance.vehicles[schedule.vehicle].id
            let stops = schedule.stops.dropFirst().dropLast().map { stop -> Stop in
                let r = instance.request(ofNode: stop.node)!
                let pickup = instance.isPickup(stop.node)
                return Stop(bookingID: day.bookingIDs[r], isPickup: pickup, serviceStart: stop.serviceStart,
                            serviceEnd: stop.serviceStart + instance.serviceTime[stop.node],
                            position: network.position(of: day.locations[Int(instance.location[stop.node])]),
                            title: "\(TimeText.clock(stop.serviceStart)) \(pickup ? "pickup" : "drop-off") \(day.bookingIDs[r]) (\(id))")
            }
            routes.append(Route(id: id, colour: colour, departure: schedule.departure, returnTime: schedule.returnTime,
                                legs: zip(schedule.stops, schedule.stops.dropFirst()).map { (start: $0.departure, end: $1.arrival) },
                                path: path, stops: Array(stops), rests: schedule.rests.map { Rest(start: $0.start, end: $0.end) }))
        }
        self.init(routes: routes)
    }

    /// The drawing of a stored plan document on `network` (the date's roads): each duty from its
    /// vehicle's depot along the fastest open roads between its stops and back. The document keeps
    /// service start times only, so a stop is drawn `boarding` seconds long and each leg as long as
    /// the date's travel time (the vehicle leaves when a stop is done and waits at the next). `title` names a stop (default: time, action, booking, duty).
    public init(document: DayPlanDocument, zone: ServiceZone, network: DayNetwork, boarding: Int = 60,
                title: ((DayPlanDocument.Stop, String) -> String)? = nil) {
        var depotIndex: [String: Int] = [:]
        for (i, point) in zone.points.enumerated() where point.isDepot { depotIndex[point.id] = i }
        let depotOfVehicle = Dictionary(zone.file.vehicles.map { ($0.id, $0.depot) }, uniquingKeysWith: { first, _ in first })
        func location(_ place: String) -> Int? {
            if let i = zone.stopIndex[place] ?? depotIndex[place] { return i }
            let parts = place.split(separator: ",").compactMap { Double($0) }
            guard parts.count == 2 else { return nil }
            return try? network.location(of: Coordinate(latitude: parts[0], longitude: parts[1]))
        }
        // Places first: a door-to-door address new to the network recomputes its travel table.
        let located = document.vehicles.map { route in route.stops.map { location($0.place) } }
        let travel = network.travel()
        /// Seconds to drive from `a` to `b` (nil: no open road).
        func drive(_ a: Int?, _ b: Int?) -> Int? {
            guard let a, let b, a < travel.count, b < travel.count, travel.isReachable(a, b) else { return nil }
            return travel[a, b]
        }
        var routes: [Route] = []
        for (route, places) in zip(document.vehicles, located) where !route.stops.isEmpty {
            let colour = Self.palette[routes.count % Self.palette.count]
            let depot = depotOfVehicle[ServiceZone.vehicleID(ofDuty: route.id)].flatMap { depotIndex[$0] }
            var path: [Coordinate] = []
            let visits = ([depot] + places + [depot]).compactMap { $0 }
            for (a, b) in zip(visits, visits.dropFirst()) where a != b { path += network.geometry(from: a, to: b) }
            var stops: [Stop] = []
            var at: [Int] = []
            for (stop, place) in zip(route.stops, places) {
                guard let place, let start = TimeText.seconds(ofClock: stop.time) else { continue }
                let pickup = stop.action == "pickup"
                stops.append(Stop(bookingID: stop.bookingId, isPickup: pickup, serviceStart: start, serviceEnd: start + boarding,
                                  position: network.position(of: place),
                                  title: title?(stop, route.id) ?? "\(stop.time) \(pickup ? "pickup" : "drop-off") \(stop.bookingId) (\(route.id))"))
                at.append(place)
            }
            let departure = route.departure.flatMap { TimeText.seconds(ofClock: $0) } ?? stops.first?.serviceStart ?? 0
            let returnTime = route.returnTime.flatMap { TimeText.seconds(ofClock: $0) } ?? stops.last?.serviceEnd ?? departure
            // The vehicle leaves when a stop is done and waits at the next one if early.
            var legs: [(start: Int, end: Int)] = []
            var from = depot, leaving = departure
            for (stop, place) in zip(stops, at) {
                legs.append((start: leaving, end: min(stop.serviceStart, leaving + (drive(from, place) ?? stop.serviceStart - leaving))))
                from = place
                leaving = stop.serviceEnd
            }
            legs.append((start: leaving, end: min(returnTime, leaving + (drive(from, depot) ?? returnTime - leaving))))
            let rests = (route.breaks ?? []).compactMap { b -> Rest? in
                guard let s = TimeText.seconds(ofClock: b.start), let e = TimeText.seconds(ofClock: b.end) else { return nil }
                return Rest(start: s, end: e)
            }
            routes.append(Route(id: route.id, colour: colour, departure: departure, returnTime: returnTime, legs: legs, path: path,
                                stops: stops, rests: rests))
        }
        self.init(routes: routes)
    }

    static func escape(_ s: String) -> String { HTML.escape(s) }

    /// The SVG map: the municipalities, the roads, one `g.route[data-vehicle]` per duty (its path
    /// and its stops, each `circle.stop[data-booking]`), the depots. `id` and `label` go on the
    /// `svg` element.
    /// - Complexity: O(E) for the E road edges of the zone plus the routes' points.
    /// A place marked on the map (`circle.place[data-stop]`), e.g. the stops a booking may use.
    public struct Place: Sendable {
        public var id: String
        public var position: Coordinate
        public var title: String
        public init(id: String, position: Coordinate, title: String) {
            self.id = id
            self.position = position
            self.title = title
        }
    }

    /// - Parameter places: places to mark (drawn under the routes). The `svg` element carries the
    ///   projection (`data-min-lon`, `data-max-lat`, `data-scale`, `data-k`: x = (lon − minLon)·k·scale,
    ///   y = (maxLat − lat)·scale) so that a script can turn a click into a position.
    public func map(zone: ServiceZone, id: String? = nil, label: String? = nil, places: [Place] = []) -> String {
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
            boundaries += "<path class=\"boundary\" d=\"\(d)\"><title>\(Self.escape(m.localName + " " + m.name))</title></path>\n"
        }

        var groups = ""
        for route in routes {
            let id = Self.escape(route.id)
            groups += "<g class=\"route\" data-vehicle=\"\(id)\">\n<path class=\"route\" data-vehicle=\"\(id)\" stroke=\"\(route.colour)\" d=\"M"
                + route.path.map { xy($0.latitude, $0.longitude) }.joined(separator: "L") + "\"><title>\(id)</title></path>\n"
            for stop in route.stops {
                let p = xy(stop.position.latitude, stop.position.longitude).split(separator: ",")
                groups += "<circle class=\"stop \(stop.isPickup ? "pickup" : "dropoff")\" data-booking=\"\(Self.escape(stop.bookingID))\" "
                    + "cx=\"\(p[0])\" cy=\"\(p[1])\" r=\"3.5\" fill=\"\(route.colour)\"><title>\(Self.escape(stop.title))</title></circle>\n"
            }
            groups += "</g>\n"
        }
        var marked = ""
        for place in places {
            let p = xy(place.position.latitude, place.position.longitude).split(separator: ",")
            marked += "<circle class=\"place\" data-stop=\"\(Self.escape(place.id))\" cx=\"\(p[0])\" cy=\"\(p[1])\" r=\"5\"><title>\(Self.escape(place.title))</title></circle>\n"
        }
        var depots = ""
        for point in zone.points where point.isDepot {
            let p = xy(point.snapped.onRoad.latitude, point.snapped.onRoad.longitude).split(separator: ",")
            depots += "<rect class=\"depot\" x=\"\(Double(p[0])! - 4)\" y=\"\(Double(p[1])! - 4)\" width=\"8\" height=\"8\"><title>\(Self.escape(point.id))</title></rect>\n"
        }
        let h = Int(height.rounded(.up))
        let projection = places.isEmpty ? "" : String(format: " data-min-lon=\"%.7f\" data-max-lat=\"%.7f\" data-scale=\"%.4f\" data-k=\"%.7f\"",
                                                      minLon, maxLat, scale, k)
        let idAttribute = id.map { " id=\"\(Self.escape($0))\"" } ?? ""
        let labelAttribute = label.map { " role=\"img\" aria-label=\"\(Self.escape($0))\"" } ?? ""
        return """
            <svg xmlns="http://www.w3.org/2000/svg"\(idAttribute)\(labelAttribute) width="\(Int(width))" height="\(h)" viewBox="0 0 \(Int(width)) \(h)"\(projection)>
            \(boundaries)<path class="road" d="\(roads)"/>
            \(marked)\(groups)\(depots)</svg>
            """
    }

    /// The timeline (Gantt chart), 06:00–20:00 or wider when the plan is: one
    /// `g.timeline-row[data-vehicle]` per duty with its driving, its stops (`rect.service[data-booking]`)
    /// and the driver's rests. `words` translates "driving", "pickup", "drop-off" and "driver's rest".
    public func timeline(id: String? = nil, label: String? = nil, words: (String) -> String = { $0 }) -> String {
        let first = min(6 * 3600, routes.map(\.departure).min() ?? 6 * 3600)
        let last = max(20 * 3600, routes.map(\.returnTime).max() ?? 20 * 3600)
        let timelineWidth = 900.0, rowHeight = 26.0, left = 150.0
        func tx(_ t: Int) -> Double { left + Double(t - first) / Double(last - first) * (timelineWidth - left - 10) }
        var gantt = ""
        for hour in stride(from: (first + 3599) / 3600, through: last / 3600, by: 1) {
            let x = tx(hour * 3600)
            gantt += String(format: "<line class=\"hour\" x1=\"%.1f\" y1=\"18\" x2=\"%.1f\" y2=\"%.1f\"/>", x, x, 24 + rowHeight * Double(routes.count))
            gantt += String(format: "<text class=\"hour\" x=\"%.1f\" y=\"14\">%02d:00</text>\n", x - 14, hour)
        }
        let driving = Self.escape(words("driving")), rest = Self.escape(words("driver's rest"))
        let pickup = Self.escape(words("pickup")), dropoff = Self.escape(words("drop-off"))
        for (row, route) in routes.enumerated() {
            let y = 24 + rowHeight * Double(row)
            gantt += "<g class=\"timeline-row\" data-vehicle=\"\(Self.escape(route.id))\">"
            gantt += String(format: "<text class=\"vehicle\" x=\"4\" y=\"%.1f\">%@</text>\n", y + 16, Self.escape(route.id))
            for leg in route.legs where leg.end > leg.start {
                let x1 = tx(leg.start), x2 = tx(leg.end)
                gantt += String(format: "<rect class=\"drive\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"12\" fill=\"%@\"><title>%@–%@ %@</title></rect>",
                                x1, y + 6, max(0.5, x2 - x1), route.colour, TimeText.clock(leg.start), TimeText.clock(leg.end), driving)
            }
            for stop in route.stops {
                gantt += String(format: "<rect class=\"service\" data-booking=\"%@\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\"><title>%@ %@ %@</title></rect>",
                                Self.escape(stop.bookingID), tx(stop.serviceStart), y + 3, max(1.5, tx(stop.serviceEnd) - tx(stop.serviceStart)),
                                TimeText.clock(stop.serviceStart), stop.isPickup ? pickup : dropoff, Self.escape(stop.bookingID))
            }
            for r in route.rests {
                gantt += String(format: "<rect class=\"rest\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\"><title>%@–%@ %@</title></rect>",
                                tx(r.start), y + 3, max(1.5, tx(r.end) - tx(r.start)), TimeText.clock(r.start), TimeText.clock(r.end), rest)
            }
            gantt += "</g>\n"
        }
        let height = 34 + rowHeight * Double(routes.count)
        let idAttribute = id.map { " id=\"\(Self.escape($0))\"" } ?? ""
        let labelAttribute = label.map { " role=\"img\" aria-label=\"\(Self.escape($0))\"" } ?? ""
        return """
            <svg xmlns="http://www.w3.org/2000/svg"\(idAttribute)\(labelAttribute) width="\(Int(timelineWidth))" height="\(Int(height))">
            \(gantt)</svg>
            """
    }
}
