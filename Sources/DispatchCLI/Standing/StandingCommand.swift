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

/// "LAT,LON" → {"lat", "lon"}; anything else is a stop id.
func placeJSON(_ text: String) -> JSONValue {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
    if parts.count == 2, let lat = Double(parts[0].trimmingCharacters(in: .whitespaces)), let lon = Double(parts[1].trimmingCharacters(in: .whitespaces)) {
        return ["lat": .number(lat), "lon": .number(lon)]
    }
    return ["stop_id": .string(text)]
}

struct StandingCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a standing booking and book its dates within the horizon; prints every date's outcome."
    )

    @Option(help: "The passenger's reference.")
    var passenger: String

    @Option(help: "The resident's municipality.")
    var municipality: String

    @Option(help: "Pickup: a stop id or LAT,LON.")
    var pickup: String

    @Option(help: "Drop-off: a stop id or LAT,LON.")
    var dropoff: String

    @Option(name: .customLong("pickup-time"), help: "Pickup time HH:MM.")
    var pickupTime: String?

    @Option(name: .customLong("arrive-by"), help: "Latest arrival HH:MM (instead of --pickup-time).")
    var arriveBy: String?

    @Option(help: "Days of the week, e.g. mon,wed,fri.")
    var weekdays: String

    @Option(help: "First date of the pattern, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last date of the pattern, YYYY-MM-DD (default: until cancelled).")
    var until: String?

    @Flag(name: .customLong("skip-holidays"), help: "Leave out public holidays.")
    var skipHolidays = false

    @Option(name: .customLong("except"), help: "A date to leave out, YYYY-MM-DD (repeat for more).")
    var exceptions: [String] = []

    @Option(help: "Passengers, wheelchair users included.")
    var party = 1

    @Option(help: "Wheelchair users among them.")
    var wheelchairs = 0

    @Option(help: "Notes for the driver.")
    var notes: String?

    @Option(help: "elderly or disabled.")
    var concession: String?

    @OptionGroup var options: StandingOptions

    @Option(help: "table or json.")
    var format: StandingCommand.Format = .table

    @OptionGroup var output: OutputOption

    func validate() throws {
        guard (pickupTime == nil) != (arriveBy == nil) else { throw ValidationError("give exactly one of --pickup-time and --arrive-by.") }
    }

    func run() async throws {
        let (zone, _, desk) = try await options.load()
        var body: [String: JSONValue] = [
            "passenger_ref": .string(passenger), "municipality": .string(municipality), "pickup": placeJSON(pickup), "dropoff": placeJSON(dropoff),
            "weekdays": .array(weekdays.split(separator: ",", omittingEmptySubsequences: false).map { .string($0.trimmingCharacters(in: .whitespaces)) }),
            "from": .string(from), "skip_holidays": .bool(skipHolidays), "exceptions": .array(exceptions.map(JSONValue.string)),
            "party_size": .int(party), "wheelchairs": .int(wheelchairs),
        ]
        if let until { body["until"] = .string(until) }
        if let pickupTime { body["pickup_time"] = .string(pickupTime) }
        if let arriveBy { body["arrive_by"] = .string(arriveBy) }
        if let notes { body["notes"] = .string(notes) }
        if let concession { body["concession"] = .string(concession) }
        let today = options.today(zone)
        let key = APIKey(id: "cli", role: .admin, municipality: nil, label: "command line", createdAt: 0)
        let standing: StandingBookingRecord
        do {
            standing = try StandingRequest.parse(JSONValue.object(body).bytes, key: key, zone: zone, today: today)
        } catch let error as APIError {
            throw CLIError.badInput(Self.flag(error))
        }
        let (_, outcomes) = try await desk.create(standing, today: today)
        let document = try await StandingJSON.document(standing, desk: desk, today: today.date)
        switch format {
        case .json: try output.write(String(decoding: document.bytes, as: UTF8.self) + "\n")
        case .table:
            guard case .object(let json) = document else { return }
            let skipped: [[String: JSONValue]] = if case .array(let days)? = json["skipped"] {
                days.compactMap { if case .object(let day) = $0 { day.merging(["status": "skipped"]) { a, _ in a } } else { nil } }
            } else { [] }
            let rows = (outcomes.map(StandingJSON.occurrence) + skipped).sorted { StandingTable.text($0["date"]) < StandingTable.text($1["date"]) }
            try output.write("created " + StandingTable.pattern(json) + "\n" + StandingTable.occurrences(rows))
        }
    }

    /// The API's message with the field named as the flag that carries it.
    static func flag(_ error: APIError) -> String {
        let flags = ["passenger_ref": "--passenger", "pickup_time": "--pickup-time", "arrive_by": "--arrive-by", "party_size": "--party",
                     "exceptions": "--except", "skip_holidays": "--skip-holidays"]
        guard let field = error.field else { return error.message }
        let root = String(field.prefix { $0 != "." && $0 != "[" })
        return "\(flags[root] ?? "--" + root): \(error.message)"
    }
}

struct StandingListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the standing bookings.")

    @Option(help: "Only active or cancelled ones.")
    var status: StandingStatus?

    @OptionGroup var options: StandingOptions

    @Option(help: "table or json.")
    var format: StandingCommand.Format = .table

    @OptionGroup var output: OutputOption

    func run() async throws {
        let (_, store, _) = try await options.load()
        let records = try await store.standingBookings(municipality: nil, createdBy: nil, status: status)
        switch format {
        case .json:
            let document: JSONValue = ["standing_bookings": .array(records.map { .object(StandingJSON.pattern($0)) })]
            try output.write(String(decoding: document.bytes, as: UTF8.self) + "\n")
        case .table:
            try output.write(records.isEmpty ? "no standing bookings\n" : records.map { StandingTable.pattern(StandingJSON.pattern($0)) }.joined(separator: "\n") + "\n")
        }
    }
}

struct StandingCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel",
                                                    abstract: "Cancel a standing booking and its bookings after now (those before stay as they are).")

    @Argument(help: "The standing booking's id (sb-…).")
    var id: String

    @OptionGroup var options: StandingOptions

    @Option(help: "table or json.")
    var format: StandingCommand.Format = .table

    @OptionGroup var output: OutputOption

    func run() async throws {
        let (zone, store, desk) = try await options.load()
        guard let standing = try await store.standingBooking(id: id) else { throw CLIError.badInput("there is no standing booking \(id)") }
        let today = options.today(zone)
        let cancelled = try await desk.cancel(standing, actor: "cli", today: today)
        let record = try await store.standingBooking(id: id) ?? standing
        switch format {
        case .json:
            try output.write(String(decoding: try await StandingJSON.document(record, desk: desk, today: today.date).bytes, as: UTF8.self) + "\n")
        case .table:
            try output.write("cancelled \(id) and \(cancelled.count) future booking\(cancelled.count == 1 ? "" : "s")"
                             + cancelled.map { "\n  \($0.serviceDate)  \($0.id)" }.joined() + "\n")
        }
    }
}

struct StandingExtendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend",
        abstract: "Book the dates of every active standing booking that entered the horizon (idempotent: a daily timer can run it)."
    )

    @OptionGroup var options: StandingOptions

    @Option(help: "table or json.")
    var format: StandingCommand.Format = .table

    @OptionGroup var output: OutputOption

    func run() async throws {
        let (zone, _, desk) = try await options.load()
        let today = options.today(zone)
        let rows = try await desk.extend(today: today).map(StandingJSON.occurrence)
        switch format {
        case .json:
            let document: JSONValue = ["date": .string(today.date.description), "occurrences": .array(rows.map(JSONValue.object))]
            try output.write(String(decoding: document.bytes, as: UTF8.self) + "\n")
        case .table:
            try output.write(StandingTable.occurrences(rows))
        }
    }
}

extension StandingStatus: ExpressibleByArgument {}
