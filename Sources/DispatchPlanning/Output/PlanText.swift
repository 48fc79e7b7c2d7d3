import DispatchCore
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

/// The plan as people read it: manifests, unserved bookings, figures (table); JSON; CSV.
public enum PlanText {
    /// "奥川役場前 Okukawa Yakuba-mae" for a stop or depot id, the coordinate otherwise.
    static func placeName(_ place: String, zone: ServiceZone) -> String {
        if let i = zone.stopIndex[place] { return "\(zone.points[i].localName) \(zone.points[i].name)" }
        if let point = zone.points.first(where: { $0.id == place }) { return point.name }
        return place
    }

    static func hm(_ clock: String?) -> String { clock.map { String($0.prefix(5)) } ?? "" }

    public static func table(_ outcome: PlanRun.Outcome, zone: ServiceZone) -> String {
        let document = outcome.document
        let records = Dictionary(uniqueKeysWithValues: outcome.loaded.records.map { ($0.id, $0) })
        let vehicleInfo = Dictionary(uniqueKeysWithValues: zone.file.vehicles.map { ($0.id, $0) })
        let municipalityName = Dictionary(uniqueKeysWithValues: zone.file.municipalities.map { ($0.id, "\($0.localName) \($0.name)") })
        var out = "Plan \(document.date) v\(outcome.version) — \(zone.file.name)\n"
        out += "solver \(document.solver) (\(document.solverReason)), \(document.status), \(String(format: "%.1f", document.seconds)) s\n"
        // Broken promises first and loud: the dispatcher must phone these passengers.
        if let broken = document.brokenPromises, !broken.isEmpty {
            out += "\n!!! BROKEN PROMISES (\(broken.count)): these passengers were promised a pickup window this plan does not keep\n"
            var table = TextTable(headers: ["booking", "passenger", "promised pickup", "reason", "what changed"])
            for b in broken {
                table.append([b.bookingId, b.passengerRef, "\(hm(b.promisedEarliest))–\(hm(b.promisedLatest))", b.reason, b.change])
            }
            out += table.text + "\n"
        }
        for route in document.vehicles where !route.stops.isEmpty {
            let info = vehicleInfo[ServiceZone.vehicleID(ofDuty: route.id)]
            out += "\nVehicle \(route.id)"
            if let info {
                out += " — \(municipalityName[info.municipality] ?? info.municipality), \(info.seats) seats"
                    + (info.wheelchairPlaces > 0 ? " + \(info.wheelchairPlaces) wheelchair" : "")
            }
            out += "\n"
            var table = TextTable(headers: ["time", "stop", "", "booking", "passenger", "party", "wheelchair", "on board"],
                                  alignments: [.left, .left, .left, .left, .left, .right, .right, .right])
            table.append([hm(route.departure), "depot", "depart", "", "", "", "", "0"])
            // The driver's rests, each after the last stop that starts before it.
            var rests = (route.breaks ?? []).sorted { $0.start < $1.start }[...]
            func restRows(before time: String?) {
                while let rest = rests.first, time.map({ rest.start < $0 }) ?? true {
                    rests.removeFirst()
                    table.append([hm(rest.start), placeName(rest.place, zone: zone), "◆ rest", "until \(hm(rest.end))", "", "", "", "0"])
                }
            }
            for stop in route.stops {
                restRows(before: stop.time)
                let record = records[stop.bookingId]
                table.append([hm(stop.time), placeName(stop.place, zone: zone), stop.action == "pickup" ? "▲ pickup" : "▼ drop-off",
                              stop.bookingId, record?.passengerRef ?? "", record.map { String($0.partySize) } ?? "",
                              record.map { $0.wheelchairs > 0 ? String($0.wheelchairs) : "" } ?? "", String(stop.seatsAfter + stop.wheelchairsAfter)])
            }
            restRows(before: nil)
            table.append([hm(route.returnTime), "depot", "return", "", "", "", "", "0"])
            out += table.text + "\n"
        }
        if !document.unserved.isEmpty {
            out += "\nNot served (\(document.unserved.count))\n"
            var table = TextTable(headers: ["booking", "passenger", "municipality", "requested", "reason"])
            for u in document.unserved {
                let r = records[u.bookingId]
                let requested = r.map { ($0.timeKind == .pickup ? "pickup " : "arrive by ") + TimeText.clockMinutes($0.requestedTime) } ?? ""
                table.append([u.bookingId, r?.passengerRef ?? "", r.flatMap { municipalityName[$0.municipality] } ?? "", requested, u.message])
            }
            out += table.text + "\n"
        }
        if let k = document.kpis {
            out += "\nFigures\n"
            var table = TextTable(headers: ["", ""], alignments: [.left, .right])
            table.append(["requests served", String(format: "%d of %d (%.1f %%)", k.served, k.requests, 100 * k.servedShare)])
            table.append(["passengers", "\(k.passengers)"])
            table.append(["vehicles used", "\(document.summary.vehiclesUsed) of \(document.vehicles.count)"])
            table.append(["vehicle-hours", String(format: "%.1f h", k.vehicleHours)])
            table.append(["distance", String(format: "%.1f km", k.kilometres)])
            table.append(["ride time mean / max", String(format: "%.1f / %.1f min", k.meanRideMinutes, k.maxRideMinutes)])
            table.append(["detour factor (ride ÷ direct)", String(format: "%.2f", k.meanDetourFactor)])
            table.append(["mean difference to requested time", String(format: "%.1f min", k.meanWaitMinutes)])
            table.append(["empty kilometres", String(format: "%.1f %%", 100 * k.emptyKilometreShare)])
            if let line = boundLine(document) { table.append(["lower bound (GLPK), gap", line]) }
            out += table.text + "\n"
        }
        return out
    }

    /// "12.3 h ≤ 12.9 h objective, gap 4.6 %" (objective: driving plus the unserved penalty), or
    /// "none (why)"; nil for documents from before bounds.
    static func boundLine(_ document: DayPlanDocument) -> String? {
        guard let objective = document.objective else { return nil }
        guard let bound = document.lowerBound, let gap = document.gap else {
            return "none (" + (document.boundNote ?? "").replacingOccurrences(of: "no bound: ", with: "") + ")"
        }
        return String(format: "%.2f h ≤ %.2f h objective, gap %.1f %%", bound / 3600, objective / 3600, 100 * gap)
    }

    public static func json(_ document: DayPlanDocument) throws -> String {
        try encodeJSON(document) + "\n"
    }

    /// One row per stop; UTF-8 with a byte-order mark so that spreadsheet programs read the
    /// Japanese names correctly. Text cells go through `CSV.text` (no formulas), figures do not.
    public static func csv(_ outcome: PlanRun.Outcome, zone: ServiceZone) -> String {
        let records = Dictionary(uniqueKeysWithValues: outcome.loaded.records.map { ($0.id, $0) })
        var lines = ["vehicle,sequence,time,action,booking_id,passenger_ref,party_size,wheelchairs,place,place_name,on_board_after"]
        for route in outcome.document.vehicles {
            for (i, stop) in route.stops.enumerated() {
                let r = records[stop.bookingId]
                lines.append([CSV.text(route.id), String(i + 1), CSV.text(stop.time), CSV.text(stop.action), CSV.text(stop.bookingId),
                              CSV.text(r?.passengerRef ?? ""), r.map { String($0.partySize) } ?? "", r.map { String($0.wheelchairs) } ?? "",
                              CSV.text(stop.place), CSV.text(placeName(stop.place, zone: zone)),
                              String(stop.seatsAfter + stop.wheelchairsAfter)].joined(separator: ","))
            }
        }
        return CSV.document(lines)
    }
}
