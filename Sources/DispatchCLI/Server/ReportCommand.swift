import ArgumentParser
import DispatchPlanning
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Per-municipality figures over a period, from the latest whole-day plan stored for each date."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json, html }

    @Option(help: "First date, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last date (inclusive), YYYY-MM-DD.")
    var to: String

    @Option(help: "sqlite:PATH or postgres://… (as for serve).")
    var store = Defaults.store

    @Option(name: .customLong("zone"), help: "The zone file (default: the embedded zone that ships with dispatch).")
    var zoneOption: String?
    var zone: String { zoneOption ?? Defaults.zone }

    @Option(help: "table, csv (UTF-8 with BOM), json or html.")
    var format: Format = .table

    @Option(name: [.short, .long], help: "Write the report to this file instead of standard output.")
    var output: String?

    func validate() throws {
        guard let a = ServiceDate(parsing: from) else { throw ValidationError("--from must be a date YYYY-MM-DD, not '\(from)'.") }
        guard let b = ServiceDate(parsing: to) else { throw ValidationError("--to must be a date YYYY-MM-DD, not '\(to)'.") }
        guard a <= b else { throw ValidationError("--from must not be after --to.") }
        guard Self.dates(a, b).count <= 366 else { throw ValidationError("a report covers at most 366 days.") }
    }

    static func dates(_ a: ServiceDate, _ b: ServiceDate) -> [ServiceDate] {
        var out: [ServiceDate] = []
        var d = a
        while d <= b && out.count <= 366 {
            out.append(d)
            let days = ServiceDate.daysIn(month: d.month, year: d.year)
            d = d.day < days ? ServiceDate(year: d.year, month: d.month, day: d.day + 1)!
                : (d.month < 12 ? ServiceDate(year: d.year, month: d.month + 1, day: 1)! : ServiceDate(year: d.year + 1, month: 1, day: 1)!)
        }
        return out
    }

    func run() async throws {
        let file = try ZoneFile.load(path: zone)
        let opened = try await openStore(store)
        var totals: [String: MunicipalityAccount] = [:]
        var planned: [String] = [], missing: [String] = []
        for date in Self.dates(ServiceDate(parsing: from)!, ServiceDate(parsing: to)!) {
            // The latest whole-day plan: a re-plan during the day (--now) covers only the rest of
            // the day and carries no accounting, so the version before it counts.
            var accounts: [MunicipalityAccount]?
            if let latest = try await opened.latestPlan(serviceDate: date.description) {
                for version in stride(from: latest.version, through: 1, by: -1) {
                    guard let record = version == latest.version ? latest : try await opened.plan(serviceDate: date.description, version: version),
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
        let rows = file.municipalities.compactMap { totals[$0.id] }
        let names = Dictionary(uniqueKeysWithValues: file.municipalities.map { ($0.id, "\($0.localName) \($0.name)") })
        let text: String
        switch format {
        case .json:
            struct Report: Encodable { let from, to: String; let dates_planned, dates_without_plan: [String]; let municipalities: [MunicipalityAccount] }
            text = try encodeJSON(Report(from: from, to: to, dates_planned: planned, dates_without_plan: missing, municipalities: rows)) + "\n"
        case .csv:
            var lines = ["municipality,requests,served,passengers,passenger_km,vehicle_hours,km,cost_yen,fares_yen,net_yen"]
            for r in rows {
                // The municipality id is text; the figures (net may be negative) stay numbers.
                lines.append([CSV.text(r.municipality), "\(r.requests)", "\(r.served)", "\(r.passengers)", String(format: "%.1f", r.passengerKilometres),
                              String(format: "%.2f", r.vehicleHours), String(format: "%.1f", r.kilometres), String(format: "%.0f", r.costYen),
                              String(format: "%.0f", r.faresYen), String(format: "%.0f", r.netYen)].joined(separator: ","))
            }
            text = CSV.document(lines)
        case .table, .html:
            var table = TextTable(headers: ["municipality", "requests", "served", "passengers", "passenger-km", "vehicle-h", "km", "cost", "fares", "net"],
                                  alignments: [.left] + Array(repeating: .right, count: 9))
            func yen(_ v: Double) -> String { "¥" + String(format: "%.0f", v) }
            for r in rows {
                table.append([names[r.municipality] ?? r.municipality, "\(r.requests)", "\(r.served)", "\(r.passengers)",
                              String(format: "%.0f", r.passengerKilometres), String(format: "%.1f", r.vehicleHours), String(format: "%.0f", r.kilometres),
                              yen(r.costYen), yen(r.faresYen), yen(r.netYen)])
            }
            let header = "Report \(from) – \(to): \(planned.count) planned dates" + (missing.isEmpty ? "" : ", \(missing.count) without a plan")
            if format == .table {
                text = header + "\n" + table.text + "\n"
            } else {
                func escape(_ s: String) -> String { s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;") }
                let cells = ([table.headers] + table.rows).enumerated().map { i, row in
                    "<tr>" + row.map { i == 0 ? "<th>\(escape($0))</th>" : "<td>\(escape($0))</td>" }.joined() + "</tr>"
                }.joined(separator: "\n")
                text = """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"/><title>\(escape(header))</title>
                <style>body{font-family:sans-serif;margin:16px} td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right} td:first-child,th:first-child{text-align:left}</style>
                </head><body><h1>\(escape(header))</h1><table>
                \(cells)
                </table></body></html>

                """
            }
        }
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } else {
            print(text, terminator: "")
        }
    }
}
