import ArgumentParser
import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

struct StandingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standing",
        abstract: "Standing bookings: weekly patterns whose dates within the booking horizon become normal bookings.",
        subcommands: [StandingCreateCommand.self, StandingListCommand.self, StandingCancelCommand.self, StandingExtendCommand.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
}

/// The options every `standing` subcommand shares: store, zone, horizon and today's date.
struct StandingOptions: ParsableArguments {
    @Option(help: "sqlite:PATH or postgres://… (as for serve).")
    var store = Defaults.store

    @Option(name: .customLong("zone"), help: "The zone file (default: the embedded zone that ships with dispatch).")
    var zoneOption: String?
    var zone: String { zoneOption ?? Defaults.zone }

    @Option(help: "Act as on this date, YYYY-MM-DD, from its start (default: now in the zone's time zone).")
    var date: String?

    @Option(name: .customLong("booking-horizon-days"), help: "How many days ahead dates are booked (default: the zone's booking_horizon_days, else 90).")
    var bookingHorizonDays: Int?

    func validate() throws {
        if let date, ServiceDate(parsing: date) == nil { throw ValidationError("--date must be a date YYYY-MM-DD, not '\(date)'.") }
        if let bookingHorizonDays, !(0...3_660).contains(bookingHorizonDays) { throw ValidationError("--booking-horizon-days must be between 0 and 3660.") }
    }

    /// The zone, the store (with the zone's municipalities) and the desk that books.
    func load() async throws -> (zone: ServiceZone, store: any RideRequestStore, desk: StandingDesk) {
        let serviceZone = try ServiceZone.load(zonePath: zone)
        let opened = try await openStore(store)
        if try await opened.municipalities().isEmpty { try await opened.replaceZone(with: serviceZone.file, actor: "cli") }
        let horizon = bookingHorizonDays ?? serviceZone.bookingHorizonDays
        let office = BookingOffice(zone: serviceZone, store: opened, horizonDays: horizon)
        return (serviceZone, opened, StandingDesk(zone: serviceZone, store: opened, office: office, horizonDays: horizon))
    }

    func today(_ zone: ServiceZone) -> (date: ServiceDate, seconds: Int) {
        if let date, let d = ServiceDate(parsing: date) { return (d, 0) }
        return StandingDesk.today(zone: zone, now: Date())
    }
}

/// Table lines for occurrences: date, passenger, status, promised window or reason.
enum StandingTable {
    static func occurrences(_ rows: [[String: JSONValue]]) -> String {
        guard !rows.isEmpty else { return "no dates booked\n" }
        return rows.map { row in
            var line = [text(row["date"]), text(row["passenger_ref"]), text(row["status"])].filter { !$0.isEmpty }.joined(separator: "  ")
            if case .object(let window)? = row["promised_pickup"] { line += "  pickup \(text(window["from"]))–\(text(window["to"]))" }
            if case .object(let reason)? = row["reason"] { line += "  \(text(reason["code"])): \(text(reason["message"]))" }
            if case .string(let id)? = row["booking_id"] { line += "  \(id)" }
            return line
        }.joined(separator: "\n") + "\n"
    }

    static func pattern(_ json: [String: JSONValue]) -> String {
        let days: String = if case .array(let d)? = json["weekdays"] { d.map { text($0) }.joined(separator: ",") } else { "" }
        let time = json["pickup_time"].map { "pickup \(text($0))" } ?? json["arrive_by"].map { "arrive by \(text($0))" } ?? ""
        let until = json["until"].map { text($0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "…"
        return "\(text(json["id"]))  \(text(json["status"]))  \(text(json["passenger_ref"]))  \(text(json["municipality"]))  \(days)  \(time)  \(text(json["from"]))–\(until)"
    }

    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s)?: s
        case .number(let n)?: n.rounded() == n ? String(Int(n)) : String(n)
        case .bool(let b)?: b ? "yes" : "no"
        default: ""
        }
    }
}

extension StandingStatus: ExpressibleByArgument {}
