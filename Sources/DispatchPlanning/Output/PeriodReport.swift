import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

/// `dispatch report`: per-municipality figures summed over a period, from the latest whole-day plan
/// stored for each date (a re-plan during the day covers only the rest of it and carries no
/// accounting, so the version before it counts).
public struct PeriodReport: Sendable {
    public var from: ServiceDate
    public var to: ServiceDate
    /// Per municipality of the zone, in the zone's order; municipalities without rides are left out.
    public var rows: [MunicipalityAccount]
    public var datesPlanned: [String]
    public var datesWithoutPlan: [String]
    /// "ローカル名 Name" per municipality id.
    var names: [String: String]

    /// At most this many days per report.
    public static let maxDays = 366

    /// The dates from `from` to `to`, inclusive.
    public static func dates(_ from: ServiceDate, _ to: ServiceDate) -> [ServiceDate] {
        guard from <= to else { return [] }
        return (from.dayNumber...to.dayNumber).map { ServiceDate(dayNumber: $0) }
    }

    public static func make(store: any RideRequestStore, zone: ZoneFile, from: ServiceDate, to: ServiceDate) async throws -> PeriodReport {
        var totals: [String: MunicipalityAccount] = [:]
        var planned: [String] = [], missing: [String] = []
        for date in dates(from, to) {
            var accounts: [MunicipalityAccount]?
            if let latest = try await store.latestPlan(serviceDate: date.description) {
                for version in stride(from: latest.version, through: 1, by: -1) {
                    guard let record = version == latest.version ? latest : try await store.plan(serviceDate: date.description, version: version),
                          let document = try? DayPlanDocument.decode(record.payload) else { continue }
                    if let found = document.accounting { accounts = found; break }
                }
            }
            guard let accounts else {
                missing.append(date.description)
                continue
            }
            planned.append(date.description)
            for account in accounts { totals[account.municipality] = totals[account.municipality].map { $0 + account } ?? account }
        }
        return PeriodReport(from: from, to: to, rows: zone.municipalities.compactMap { totals[$0.id] }, datesPlanned: planned,
                            datesWithoutPlan: missing,
                            names: Dictionary(uniqueKeysWithValues: zone.municipalities.map { ($0.id, "\($0.localName) \($0.name)") }))
    }

    var header: String {
        "Report \(from) – \(to): \(datesPlanned.count) planned dates" + (datesWithoutPlan.isEmpty ? "" : ", \(datesWithoutPlan.count) without a plan")
    }

    public func json() throws -> String {
        struct Document: Encodable {
            let from, to: String
            let datesPlanned, datesWithoutPlan: [String]
            let municipalities: [MunicipalityAccount]
            enum CodingKeys: String, CodingKey { case from, to, datesPlanned = "dates_planned", datesWithoutPlan = "dates_without_plan", municipalities }
        }
        return try encodeJSON(Document(from: from.description, to: to.description, datesPlanned: datesPlanned, datesWithoutPlan: datesWithoutPlan,
                                       municipalities: rows)) + "\n"
    }

    /// The municipality id is text; the figures (net may be negative) stay numbers.
    public func csv() -> String {
        var lines = ["municipality,requests,served,passengers,passenger_km,vehicle_hours,km,cost_yen,fares_yen,net_yen"]
        for r in rows {
            lines.append([CSV.text(r.municipality), "\(r.requests)", "\(r.served)", "\(r.passengers)", String(format: "%.1f", r.passengerKilometres),
                          String(format: "%.2f", r.vehicleHours), String(format: "%.1f", r.kilometres), String(format: "%.0f", r.costYen),
                          String(format: "%.0f", r.faresYen), String(format: "%.0f", r.netYen)].joined(separator: ","))
        }
        return CSV.document(lines)
    }

    var textTable: TextTable {
        var table = TextTable(headers: ["municipality", "requests", "served", "passengers", "passenger-km", "vehicle-h", "km", "cost", "fares", "net"],
                              alignments: [.left] + Array(repeating: .right, count: 9))
        func yen(_ v: Double) -> String { "¥" + String(format: "%.0f", v) }
        for r in rows {
            table.append([names[r.municipality] ?? r.municipality, "\(r.requests)", "\(r.served)", "\(r.passengers)",
                          String(format: "%.0f", r.passengerKilometres), String(format: "%.1f", r.vehicleHours), String(format: "%.0f", r.kilometres),
                          yen(r.costYen), yen(r.faresYen), yen(r.netYen)])
        }
        return table
    }

    public func table() -> String { header + "\n" + textTable.text + "\n" }

    public func html() -> String {
        let table = textTable
        let cells = ([table.headers] + table.rows).enumerated().map { i, row in
            "<tr>" + row.map { i == 0 ? "<th>\(HTML.escape($0))</th>" : "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"/><title>\(HTML.escape(header))</title>
            <style>body{font-family:sans-serif;margin:16px} td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right} td:first-child,th:first-child{text-align:left}</style>
            </head><body><h1>\(HTML.escape(header))</h1><table>
            \(cells)
            </table></body></html>

            """
    }
}
