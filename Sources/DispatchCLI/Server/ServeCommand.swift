import ArgumentParser
import DispatchPlanning
import DispatchServer
import DispatchWire
import DispatchZoneData
import Foundation
import Hummingbird
import Logging
import RideRequestStore

/// Default places of the embedded zone and the local store.
enum Defaults {
    /// The embedded zone beside the executable (see `EmbeddedZoneFiles`), or else
    /// `Networks/default-zone.zone.json` under the current folder.
    static var zone: String { EmbeddedZoneFiles.zonePath ?? "Networks/default-zone.zone.json" }
    /// Stores and outputs go under `data/` in the current folder.
    static let store = "sqlite:data/dispatch.sqlite"
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the booking and planning API (OpenAPI document at /openapi.json)."
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port).")
    var port = 8080

    @Option(help: "sqlite:PATH (embedded, the default; a relative PATH is under the current folder) or postgres://user[:password]@host[:port]/database.")
    var store = Defaults.store

    @Option(name: .customLong("zone"), help: "The zone file; its network file is read from the same folder (default: the embedded zone that ships with dispatch).")
    var zoneOption: String?
    var zone: String { zoneOption ?? Defaults.zone }

    @Option(name: .customLong("plan-time-limit"), help: "Default solver seconds for POST /v1/plans/{date}.")
    var planTimeLimit: Double = 10

    @Option(name: .customLong("max-plan-time-limit"), help: "Largest solver seconds a client may ask for.")
    var maxPlanTimeLimit: Double = 300

    @Option(name: .customLong("shutdown-grace"), help: "Seconds a running plan may go on after SIGTERM or SIGINT before it stops and saves the best plan it has.")
    var shutdownGrace: Double = 10

    @Option(name: .customLong("booking-horizon-days"), help: "How many days ahead rides may be booked (default: the zone's booking_horizon_days, else 90).")
    var bookingHorizonDays: Int?

    @Option(name: .customLong("idle-timeout"), help: "Seconds after which a connection that sends nothing (partial headers, a stalled body, idle keep-alive) is closed; also the longest a request body may take.")
    var idleTimeout: Double = 30

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard shutdownGrace.isFinite, (0...600).contains(shutdownGrace) else { throw ValidationError("--shutdown-grace must be between 0 and 600 seconds.") }
        if let bookingHorizonDays, !(0...36_600).contains(bookingHorizonDays) {
            throw ValidationError("--booking-horizon-days must be between 0 and 36600.")
        }
        guard idleTimeout.isFinite, idleTimeout >= 0.1, idleTimeout <= 3_600 else {
            throw ValidationError("--idle-timeout must be between 0.1 and 3600 seconds.")
        }
        guard maxPlanTimeLimit.isFinite, maxPlanTimeLimit >= 0.1, maxPlanTimeLimit <= 3_600 else {
            throw ValidationError("--max-plan-time-limit must be between 0.1 and 3600 seconds.")
        }
        guard planTimeLimit.isFinite, planTimeLimit > 0, planTimeLimit <= maxPlanTimeLimit else {
            throw ValidationError("--plan-time-limit must be above 0 and at most --max-plan-time-limit.")
        }
    }

    func run() async throws {
        let serviceZone = try ServiceZone.load(zonePath: zone)
        let opened = try await openStore(store)
        try await opened.replaceZone(with: serviceZone.file, actor: "serve")
        var configuration = ServerConfiguration(zone: serviceZone, store: opened)
        configuration.host = host
        configuration.port = port
        configuration.planTimeLimit = planTimeLimit
        configuration.maxPlanTimeLimit = maxPlanTimeLimit
        if let bookingHorizonDays { configuration.bookingHorizonDays = bookingHorizonDays }
        configuration.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        configuration.bodyTimeout = .milliseconds(Int64(idleTimeout * 1000))
        var logger = Logger(label: "dispatch.server")
        logger.logLevel = .notice
        // Dates of standing bookings that entered the horizon since the last extend. A failure
        // does not keep the server down: the next start or `dispatch standing extend` books them.
        do {
            let extended = try await DispatchAPI.extendStandingBookings(configuration, logger: logger)
            if !extended.isEmpty {
                let accepted = extended.filter { $0.booking?.status == .accepted }.count
                FileHandle.standardError.write(Data("dispatch: standing bookings: \(extended.count) dates booked, \(accepted) accepted\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("dispatch: standing bookings were not extended (\(error)); run `dispatch standing extend`\n".utf8))
        }
        let app = DispatchAPI.application(configuration, logger: logger, onServerRunning: { address in
            FileHandle.standardOutput.write(Data("dispatch: serving \(serviceZone.file.name) from \(opened.location) on http://\(address)\n".utf8))
        })
        // Hummingbird stops taking connections on SIGTERM/SIGINT and waits for the requests in
        // flight; a plan run among them gets `--shutdown-grace` seconds, then saves its best plan.
        let runs = configuration.planRuns, grace = shutdownGrace
        let signals = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { runs.shutDown(grace: grace) }
            source.resume()
            return source
        }
        try await app.runService()
        withExtendedLifetime(signals) {}
    }
}

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage API keys.",
        subcommands: [Create.self, Revoke.self]
    )

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key; running servers refuse it from its next request on.")

        @Argument(help: "The key's id (key-…), as `keys create` printed it.")
        var id: String

        @Option(help: "sqlite:PATH or postgres://… (as for serve).")
        var store = Defaults.store

        func run() async throws {
            let opened = try await openStore(store)
            let revoked = try await opened.revokeAPIKey(id: id, actor: "cli")
            FileHandle.standardError.write(Data((revoked ? "revoked key \(id)\n" : "key \(id) was revoked already\n").utf8))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key and print its secret (shown once).")

        @Option(help: "booking, operator, dispatcher, admin or driver.")
        var role: Role

        @Option(help: "The operator's municipality (operators only).")
        var municipality: String?

        @Option(help: "The driver's vehicle, a vehicle id of the zone (drivers only; the key reads that vehicle's manifest).")
        var vehicle: String?

        @Option(help: "A label for people (who holds the key).")
        var label = ""

        @Option(help: "sqlite:PATH or postgres://… (as for serve).")
        var store = Defaults.store

        @Option(name: .customLong("zone"), help: "The zone file, to check the municipality and load the zone into a new store (default: the embedded zone).")
        var zoneOption: String?
        var zone: String { zoneOption ?? Defaults.zone }

        func validate() throws {
            if role == .operator && municipality == nil { throw ValidationError("an operator key needs --municipality.") }
            if role != .operator && municipality != nil { throw ValidationError("only operator keys take --municipality.") }
            if role == .driver && vehicle == nil { throw ValidationError("a driver key needs --vehicle.") }
            if role != .driver && vehicle != nil { throw ValidationError("only driver keys take --vehicle.") }
        }

        func run() async throws {
            let file = try ZoneFile.load(path: zone)
            if let municipality, !file.municipalities.contains(where: { $0.id == municipality }) {
                throw CLIError.badInput("--municipality \(municipality) is not a municipality of \(zone) (\(file.municipalities.map(\.id).joined(separator: ", ")))")
            }
            if let vehicle, !file.vehicles.contains(where: { $0.id == vehicle }) {
                throw CLIError.badInput("--vehicle \(vehicle) is not a vehicle of \(zone) (\(file.vehicles.map(\.id).joined(separator: ", ")))")
            }
            let opened = try await openStore(store)
            if try await opened.municipalities().isEmpty {
                try await opened.replaceZone(with: file, actor: "keys")
            }
            let (key, secret) = try await opened.createAPIKey(role: role, municipality: municipality, vehicle: vehicle, label: label, actor: "cli")
            let holder = municipality.map { " for \($0)" } ?? vehicle.map { " for vehicle \($0)" } ?? ""
            FileHandle.standardError.write(Data("created \(key.role.rawValue) key \(key.id)\(holder); the secret is shown once:\n".utf8))
            print(secret)
        }
    }
}

extension Role: ExpressibleByArgument {}
