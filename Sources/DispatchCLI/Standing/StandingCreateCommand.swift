import ArgumentParser
import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

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
            "passenger_ref": .string(passenger), "municipality": .string(municipality), "pickup": Self.place(pickup), "dropoff": Self.place(dropoff),
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

    /// "LAT,LON" → {"lat", "lon"}; anything else is a stop id.
    static func place(_ text: String) -> JSONValue {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        if parts.count == 2, let lat = Double(parts[0].trimmingCharacters(in: .whitespaces)), let lon = Double(parts[1].trimmingCharacters(in: .whitespaces)) {
            return ["lat": .number(lat), "lon": .number(lon)]
        }
        return ["stop_id": .string(text)]
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
