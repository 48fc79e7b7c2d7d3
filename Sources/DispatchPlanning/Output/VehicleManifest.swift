import DispatchWire
import Foundation
import RideRequestStore

/// One vehicle's day as its driver reads it: the stops of all its duties (`v#1`, `v#2`, …) from
/// a stored plan document, in time order, with places named as the zone names them and the
/// passengers' booking details; the duties with their departure, return and the driver's breaks.
/// As JSON for the tablet (`GET /v1/vehicles/{id}/manifest`) and as a printable A4 page.
public struct VehicleManifest: Sendable, Equatable {
    /// A stop of the zone, a depot, or a door-to-door address (coordinates only).
    public struct Place: Sendable, Equatable {
        public var id: String?
        public var name: String?
        public var localName: String?
        public var latitude: Double
        public var longitude: Double
    }

    public struct Stop: Sendable, Equatable {
        public var time: String
        public var duty: String
        public var action: String
        public var place: Place
        public var bookingID: String
        public var passengerRef: String
        public var partySize: Int
        public var wheelchairs: Int
        public var notes: String
        public var concession: String?
        public var done: Bool
    }

    public struct Break: Sendable, Equatable {
        public var start: String
        public var end: String
        public var place: Place
        public var waiting: Bool
    }

    public struct Duty: Sendable, Equatable {
        public var id: String
        public var departure: String?
        public var returnTime: String?
        public var breaks: [Break]
    }

    public var vehicle: String
    public var municipality: String
    public var date: String
    public var planVersion: Int
    public var stops: [Stop]
    public var duties: [Duty]

    /// The manifest of `vehicle` in `document` (version `version` of the date's plan); `bookings`
    /// give passenger ref, party, wheelchairs, notes and concession (a booking not among them
    /// leaves these empty).
    /// - Complexity: O(s log s) for the s stops of the vehicle's duties.
    public static func make(vehicle: ZoneFile.Vehicle, document: DayPlanDocument, version: Int, zone: ServiceZone,
                            bookings: [String: BookingRecord]) -> VehicleManifest {
        let places = Places(zone: zone)
        var stops: [(order: Int, stop: Stop)] = []
        var duties: [Duty] = []
        for route in document.vehicles where ServiceZone.vehicleID(ofDuty: route.id) == vehicle.id {
            for s in route.stops {
                let b = bookings[s.bookingId]
                stops.append((stops.count, Stop(time: s.time, duty: route.id, action: s.action, place: places.place(s.place), bookingID: s.bookingId,
                                                passengerRef: b?.passengerRef ?? "", partySize: b?.partySize ?? 0, wheelchairs: b?.wheelchairs ?? 0,
                                                notes: b?.notes ?? "", concession: b?.concession?.rawValue, done: s.done ?? false)))
            }
            duties.append(Duty(id: route.id, departure: route.departure, returnTime: route.returnTime,
                               breaks: (route.breaks ?? []).map { Break(start: $0.start, end: $0.end, place: places.place($0.place), waiting: $0.waiting) }))
        }
        // Clock texts have two-digit hours (a late return may read 24:10:00), so they sort as text.
        stops.sort { ($0.stop.time, $0.order) < ($1.stop.time, $1.order) }
        duties.sort { ($0.departure ?? "99", $0.id) < ($1.departure ?? "99", $1.id) }
        return VehicleManifest(vehicle: vehicle.id, municipality: vehicle.municipality, date: document.date, planVersion: version,
                               stops: stops.map(\.stop), duties: duties)
    }

    /// Places named as the zone names them.
    struct Places {
        let stops: [String: ZoneFile.Stop]
        let depots: [String: ZoneFile.Depot]

        init(zone: ServiceZone) {
            stops = Dictionary(zone.file.stops.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            depots = Dictionary(zone.file.depots.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }

        /// A plan's place: a stop or depot id, or "lat,lon" of a booked address.
        func place(_ text: String) -> Place {
            if let s = stops[text], s.position.count == 2 {
                return Place(id: s.id, name: s.name, localName: s.localName, latitude: s.position[1], longitude: s.position[0])
            }
            if let d = depots[text], d.position.count == 2 {
                return Place(id: d.id, name: d.id, localName: d.id, latitude: d.position[1], longitude: d.position[0])
            }
            let parts = text.split(separator: ",").compactMap { Double($0) }
            return Place(id: nil, name: nil, localName: nil, latitude: parts.count == 2 ? parts[0] : 0, longitude: parts.count == 2 ? parts[1] : 0)
        }
    }
}

extension VehicleManifest {
    /// The manifest as the API answers it.
    public var json: JSONValue {
        func place(_ p: Place) -> JSONValue {
            ["id": .optional(p.id), "name": .optional(p.name), "local_name": .optional(p.localName), "lat": .number(p.latitude), "lon": .number(p.longitude)]
        }
        return [
            "vehicle": .string(vehicle), "municipality": .string(municipality), "date": .string(date), "plan_version": .int(planVersion),
            "duties": .array(duties.map { d in
                ["id": .string(d.id), "departure": .optional(d.departure), "return": .optional(d.returnTime),
                 "breaks": .array(d.breaks.map { b in
                     ["start": .string(b.start), "end": .string(b.end), "place": place(b.place), "waiting": .bool(b.waiting)]
                 })]
            }),
            "stops": .array(stops.map { s in
                ["time": .string(s.time), "duty": .string(s.duty), "action": .string(s.action), "place": place(s.place),
                 "booking_id": .string(s.bookingID), "passenger_ref": .string(s.passengerRef), "party_size": .int(s.partySize),
                 "wheelchairs": .int(s.wheelchairs), "notes": .string(s.notes), "concession": .optional(s.concession), "done": .bool(s.done)]
            }),
        ]
    }

    /// The manifest as a printable A4 page (XHTML, no external resources): a header with vehicle,
    /// date and duties, then one row per stop and per break in time order, in large type, places
    /// with their Japanese name first and the romanized one beside.
    public func html(zone: ServiceZone) -> String {
        func e(_ s: String) -> String { HTML.escape(s) }
        func hm(_ clock: String?) -> String { clock.map { String($0.prefix(5)) } ?? "–" }
        func placeCell(_ p: Place) -> String {
            guard let name = p.name else { return "<td class=\"place\">\(e(String(format: "%.5f, %.5f", p.latitude, p.longitude)))</td>" }
            let local = p.localName ?? name
            return "<td class=\"place\"><span class=\"ja\" lang=\"ja\">\(e(local))</span>"
                + (local == name ? "" : " <span class=\"en\" lang=\"en\">\(e(name))</span>") + "</td>"
        }
        let municipalityName = zone.file.municipalities.first { $0.id == municipality }.map { "\($0.localName) \($0.name)" } ?? municipality
        var rows: [(time: String, order: Int, html: String)] = []
        for (i, s) in stops.enumerated() {
            let action = s.action == "pickup" ? "▲ 乗車 pickup" : "▼ 降車 drop-off"
            let notes = [s.notes, s.concession.map { "割引 concession: \($0)" } ?? ""].filter { !$0.isEmpty }.joined(separator: " / ")
            rows.append((s.time, 2 * i + 1, """
                <tr class="stop\(s.done ? " done" : "")"><td class="time">\(e(hm(s.time)))</td>\(placeCell(s.place))<td>\(e(action))</td>\
                <td>\(e(s.passengerRef))<br/><small>\(e(s.bookingID))</small></td><td class="num">\(s.partySize)</td>\
                <td class="num">\(s.wheelchairs > 0 ? "♿ \(s.wheelchairs)" : "–")</td><td>\(e(notes))</td><td class="num">\(s.done ? "✓" : "")</td></tr>
                """))
        }
        for d in duties {
            for b in d.breaks {
                rows.append((b.start, 2 * rows.count, """
                    <tr class="break"><td class="time">\(e(hm(b.start)))</td>\(placeCell(b.place))<td>◆ 休憩 break</td>\
                    <td colspan="5">\(e("〜\(hm(b.end)) まで until \(hm(b.end))"))\(b.waiting ? " (待機 waiting)" : "")</td></tr>
                    """))
            }
        }
        rows.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        let dutyText = duties.map { d in
            d.departure == nil ? "\(d.id) (運行なし no stops)" : "\(d.id) \(hm(d.departure))–\(hm(d.returnTime))"
        }.joined(separator: ", ")
        return """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="ja">
            <head>
            <meta charset="utf-8"/>
            <title>\(e("運行表 Manifest \(vehicle) \(date)"))</title>
            <style>
            @page { size: A4; margin: 12mm; }
            body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; font-size: 14pt; color: #000; margin: 0; }
            h1 { font-size: 20pt; margin: 0 0 4mm 0; }
            p.meta { font-size: 14pt; margin: 0 0 4mm 0; }
            table { border-collapse: collapse; width: 100%; }
            th, td { border: 1px solid #000; padding: 2mm; font-size: 14pt; vertical-align: top; text-align: left; }
            th { background: #eee; }
            td.time { font-size: 18pt; font-weight: bold; white-space: nowrap; }
            td.num { text-align: center; }
            span.en { font-size: 12pt; color: #333; }
            small { font-size: 11pt; }
            tr.break td { background: #f4f4f4; font-style: italic; }
            tr.done td { color: #666; }
            tr { page-break-inside: avoid; }
            </style>
            </head>
            <body>
            <main>
            <h1>\(e("運行表 Manifest — \(vehicle)"))</h1>
            <p class="meta">\(e("\(date) · \(municipalityName) · plan v\(planVersion)"))<br/>\(e("勤務 Duties: \(dutyText.isEmpty ? "none" : dutyText)"))</p>
            <table>
            <thead><tr><th>時刻 Time</th><th>場所 Place</th><th>作業 Action</th><th>利用者 Passenger</th><th>人数 Party</th><th>車いす Wheelchair</th><th>備考 Notes</th><th>済 Done</th></tr></thead>
            <tbody>
            \(rows.isEmpty ? "<tr><td colspan=\"8\">この日の乗降はありません / No stops this day</td></tr>" : rows.map(\.html).joined(separator: "\n"))
            </tbody>
            </table>
            </main>
            </body>
            </html>

            """
    }
}
