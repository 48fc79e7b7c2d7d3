import DispatchCore
import DispatchWire
import RoadNetwork

/// The plan as GeoJSON (RFC 7946): one LineString per vehicle along the roads it drives, one Point
/// per stop. Coordinates are [longitude, latitude].
public enum PlanGeoJSON {
    public static func render(_ outcome: PlanRun.Outcome) throws -> String {
        let day = outcome.loaded.day, instance = day.instance, network = outcome.loaded.network
        let report = PlanReport(plan: outcome.plan, instance: instance)
        var features: [JSONValue] = []
        func position(_ c: Coordinate) -> [Double] { [(c.longitude * 1e7).rounded() / 1e7, (c.latitude * 1e7).rounded() / 1e7] }
        func array(_ p: [Double]) -> JSONValue { .array(p.map(JSONValue.number)) }
        for schedule in report.schedules where schedule.stops.count > 2 {
            let id = instance.vehicles[schedule.vehicle].id
            let locations = schedule.stops.map { day.locations[Int(instance.location[$0.node])] }
            var line: [[Double]] = []
            for (a, b) in zip(locations, locations.dropFirst()) where a != b {
                for c in network.geometry(from: a, to: b) {
                    let p = position(c)
                    if line.last != p { line.append(p) }
                }
            }
            features.append(["type": "Feature", "geometry": ["type": "LineString", "coordinates": .array(line.map(array))],
                             "properties": ["kind": "route", "vehicle": .string(id), "departure": .string(TimeText.clock(schedule.departure)),
                                            "return": .string(TimeText.clock(schedule.returnTime))]])
            for (sequence, stop) in schedule.stops.dropFirst().dropLast().enumerated() {
                let r = instance.request(ofNode: stop.node)!
                let c = network.position(of: day.locations[Int(instance.location[stop.node])])
                features.append(["type": "Feature", "geometry": ["type": "Point", "coordinates": array(position(c))],
                                 "properties": ["kind": "stop", "vehicle": .string(id), "sequence": .int(sequence + 1), "booking_id": .string(day.bookingIDs[r]),
                                                "action": instance.isPickup(stop.node) ? "pickup" : "dropoff",
                                                "time": .string(TimeText.clock(stop.serviceStart)),
                                                "on_board_after": .int(stop.loadAfter.seats + stop.loadAfter.wheelchairs)]])
            }
        }
        let collection: JSONValue = ["type": "FeatureCollection", "features": .array(features),
                                     "properties": ["date": .string(outcome.document.date), "version": .int(outcome.version)]]
        return String(decoding: collection.bytes, as: UTF8.self) + "\n"
    }
}
