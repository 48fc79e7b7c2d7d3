import ArgumentParser
import DispatchPlanning
import DispatchWire
import RideRequestStore
import RoadNetwork

/// `dispatch manifest`: a vehicle's stops of a date from the date's latest stored plan, as the
/// API's `GET /v1/vehicles/{id}/manifest` gives them — for a dispatcher printing the drivers'
/// sheets without a server.
struct ManifestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest",
        abstract: "A vehicle's manifest for a date from the date's latest plan: JSON, or a printable A4 page (html)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, html }

    @Option(help: "The service date, YYYY-MM-DD.")
    var date: String

    @Option(help: "The vehicle's id in the zone file.")
    var vehicle: String

    @Option(help: "sqlite:PATH or postgres://… (as for serve).")
    var store = Defaults.store

    @Option(name: .customLong("zone"), help: "The zone file (default: the embedded zone that ships with dispatch).")
    var zoneOption: String?
    var zone: String { zoneOption ?? Defaults.zone }

    @Option(help: "json or html (a printable A4 page).")
    var format: Format = .html

    @OptionGroup var output: OutputOption

    func validate() throws {
        guard ServiceDate(parsing: date) != nil else { throw ValidationError("--date must be a date YYYY-MM-DD, not '\(date)'.") }
    }

    func run() async throws {
        let serviceZone = try ServiceZone.load(zonePath: zone)
        guard let vehicle = serviceZone.file.vehicles.first(where: { $0.id == self.vehicle }) else {
            throw CLIError.badInput("--vehicle \(self.vehicle) is not a vehicle of \(zone) (\(serviceZone.file.vehicles.map(\.id).joined(separator: ", ")))")
        }
        let opened = try await openStore(store)
        guard let record = try await opened.latestPlan(serviceDate: date) else {
            throw CLIError.badInput("there is no plan for \(date) in \(store) yet; the manifest is made from the date's latest plan (dispatch plan --date \(date))")
        }
        let document = try DayPlanDocument.decode(record.payload)
        let bookings = try await opened.bookings(serviceDate: date, municipality: nil, createdBy: nil)
        let manifest = VehicleManifest.make(vehicle: vehicle, document: document, version: record.version, zone: serviceZone,
                                            bookings: Dictionary(bookings.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
        let text = format == .html ? manifest.html(zone: serviceZone) : String(decoding: manifest.json.bytes, as: UTF8.self) + "\n"
        try output.write(text, what: "manifest")
    }
}
