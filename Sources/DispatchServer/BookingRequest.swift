import DispatchCore
import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import RideRequestStore
import RoadNetwork

extension BookingRequest {
    static let fields: Set<String> = ["passenger_ref", "municipality", "pickup", "dropoff", "date", "pickup_time", "arrive_by",
                                      "party_size", "wheelchairs", "notes", "concession"]

    /// Checks every field; errors name the field. `today` is the zone's current date and time of day.
    static func parse(_ bytes: [UInt8], key: APIKey, zone: ServiceZone, today: (date: ServiceDate, seconds: Int)) throws -> BookingRequest {
        let body = FieldReader(try JSONValue.object(from: bytes))
        try body.rejectUnknown(allowed: fields)
        let passenger = try body.string("passenger_ref", required: true, maxLength: 64)!

        // The resident's municipality: an operator books for its own (default) and no other.
        var municipalityID = try body.string("municipality", required: key.role != .operator, maxLength: 64)
        if key.role == .operator {
            if let given = municipalityID, given != key.municipality {
                throw APIError(.forbidden, "forbidden", "an operator of \(key.municipality ?? "?") books only for its own residents", field: "municipality")
            }
            municipalityID = key.municipality
        }
        guard let mid = municipalityID, let m = zone.municipalityIndex[mid] else {
            throw APIError.invalid("municipality", "'municipality' is not a municipality of the zone (\(zone.file.municipalities.map(\.id).joined(separator: ", ")))")
        }

        func place(_ field: String) throws -> BookingPlace {
            let p = try body.object(field)
            try p.rejectUnknown(allowed: ["stop_id", "lat", "lon"])
            if p.has("stop_id") {
                guard !p.has("lat"), !p.has("lon") else { throw APIError.invalid(field, "'\(field)' takes either stop_id or lat and lon, not both") }
                let id = try p.string("stop_id", required: true, maxLength: 128)!
                guard zone.stopIndex[id] != nil else { throw APIError.invalid("\(field).stop_id", "'\(field).stop_id' is not a stop of the zone: \(echo(id))") }
                return BookingPlace(stopID: id)
            }
            guard p.has("lat") || p.has("lon") else { throw APIError.invalid(field, "'\(field)' needs stop_id, or lat and lon") }
            let lat = try p.number("lat", in: -90...90), lon = try p.number("lon", in: -180...180)
            guard zone.municipality(containing: Coordinate(latitude: lat, longitude: lon)) != nil else {
                throw APIError.invalid(field, "'\(field)' (\(lat), \(lon)) is outside every municipality's service area")
            }
            return BookingPlace(latitude: lat, longitude: lon)
        }
        let pickup = try place("pickup"), dropoff = try place("dropoff")
        if pickup == dropoff { throw APIError.invalid("dropoff", "'dropoff' is the same place as 'pickup'") }

        let dateText = try body.string("date", required: true, maxLength: 10)!
        guard let date = ServiceDate(parsing: dateText) else { throw APIError.invalid("date", "'date' must be a date YYYY-MM-DD, not '\(echo(dateText))'") }
        guard date >= today.date else { throw APIError.invalid("date", "'date' \(date) is in the past") }

        let hasPickup = body.has("pickup_time"), hasArrival = body.has("arrive_by")
        guard hasPickup != hasArrival else {
            throw APIError.invalid(hasPickup ? "arrive_by" : "pickup_time", "give exactly one of 'pickup_time' and 'arrive_by' (HH:MM)")
        }
        let timeField = hasPickup ? "pickup_time" : "arrive_by"
        let timeText = try body.string(timeField, required: true, maxLength: 8)!
        guard let time = TimeText.seconds(ofClock: timeText), time < 24 * 3600 else {
            throw APIError.invalid(timeField, "'\(timeField)' must be a time HH:MM or HH:MM:SS (two digits each, 00:00 to 23:59), not '\(timeText)'")
        }
        let hours = zone.serviceHours[m]
        guard hours.contains(time) else {
            throw APIError.invalid(timeField, "'\(timeField)' \(timeText) is outside the service hours of \(mid) (\(TimeText.clockMinutes(hours.lowerBound))–\(TimeText.clockMinutes(hours.upperBound)))")
        }
        if date == today.date && time <= today.seconds { throw APIError.invalid(timeField, "'\(timeField)' \(timeText) has already passed today") }

        let party = try body.integer("party_size", default: 1, in: 1...8)
        let wheelchairs = try body.integer("wheelchairs", default: 0, in: 0...2)
        guard wheelchairs <= party else { throw APIError.invalid("wheelchairs", "'wheelchairs' cannot exceed 'party_size'") }
        let notes = try body.string("notes", required: false, maxLength: 500, multiline: true) ?? ""
        var concession: Concession?
        if let text = try body.string("concession", required: false, maxLength: 16) {
            guard let c = Concession(rawValue: text) else { throw APIError.invalid("concession", "'concession' must be elderly or disabled") }
            concession = c
        }
        return BookingRequest(passengerRef: passenger, municipality: m, municipalityID: mid, pickup: pickup, dropoff: dropoff, date: date,
                              timeKind: hasPickup ? .pickup : .arrival, requestedTime: time, partySize: party, wheelchairs: wheelchairs,
                              notes: notes, concession: concession, channel: key.role == .operator ? .phone : .app)
    }

    var load: Load { Load(seats: partySize - wheelchairs, wheelchairs: wheelchairs) }
}
