import ArgumentParser
import DispatchPlanning
import DispatchWire
import Foundation
import RoadNetwork

struct ZoneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zone",
        abstract: "Make a zone from OpenStreetMap, check zone files, and publish the service as GTFS-Flex.",
        subcommands: [ZoneCreateCommand.self, ZoneCheckCommand.self, ZoneExportGTFSCommand.self]
    )
}

struct ZoneCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a zone file against its network: one line per problem with its JSON path (exit 2), or a one-line summary (exit 0)."
    )

    @Argument(help: "The zone file (its network file is read from the same folder).")
    var zone: String

    func run() async throws {
        let result = ZoneCheck.run(zonePath: zone)
        guard result.problems.isEmpty else {
            for problem in result.problems { ErrorReporting.printError(problem.description) }
            throw CLIError.badInput("")
        }
        print(result.summary + ": no problems")
    }
}

struct ZoneCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Make a zone of real municipalities from an OpenStreetMap extract: DIR/zone.json and DIR/network.dnet, and a report.",
        discussion: """
            Municipalities are the extract's boundary=administrative relations at --admin-level (with --within, only those \
            inside the boundary of that name); stops are hospitals, clinics, doctors, pharmacies, schools, stations, \
            supermarkets, town halls, post offices, community centres, bus stops and the centres of hamlets and villages, \
            snapped to the roads. Without --fleet, each municipality gets one vehicle at its town hall. The report says \
            what was left out and why.
            """
    )

    @Option(help: "The OpenStreetMap extract (.osm.pbf or .osm).")
    var osm: String

    @Option(name: .customLong("elevation"), help: "SRTM tile(s) (.hgt or .hgt.zip) for grades; repeat for several tiles.")
    var elevation: [String] = []

    @Option(help: "A closure list (CSV: road,from,to,reason) to bake into the network.")
    var closures: String?

    @Option(name: .customLong("admin-level"), help: "The admin_level of the municipalities (e.g. 7 for Andorra's parishes, 8 for most municipalities).")
    var adminLevel: Int

    @Option(help: "Keep only the boundaries inside the boundary of this name (the extract holds cut-off neighbours too).")
    var within: String?

    @Option(help: "Keep only these municipalities (comma-separated names or ids).")
    var municipalities: String?

    @Option(help: "The fleet (CSV: id,municipality,seats,wheelchair_places,depot_lat,depot_lon,shift_start,shift_end).")
    var fleet: String?

    @Option(help: "The zone's name (default: the --within boundary's, or the file's).")
    var name: String?

    @Option(name: [.short, .long], help: "The folder to write zone.json and network.dnet to.")
    var output: String

    func validate() throws {
        guard (1...12).contains(adminLevel) else { throw ValidationError("--admin-level must be between 1 and 12 (OSM's admin_level), not \(adminLevel).") }
        if let municipalities, municipalities.split(separator: ",").isEmpty { throw ValidationError("--municipalities names no municipality.") }
    }

    func run() async throws {
        var options = RegionZone.Options(osmPath: osm, adminLevel: adminLevel)
        options.elevation = elevation
        options.closures = closures
        options.within = within
        options.municipalities = municipalities.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        if let fleet {
            options.fleet = try FleetFile.load(path: fleet)
            options.fleetPath = fleet
        }
        options.name = name
        let result = try RegionZone.create(options)
        try RegionZone.write(result, to: output)
        for line in result.report { print(line) }
        let zonePath = (output as NSString).appendingPathComponent("zone.json")
        let check = ZoneCheck.run(zonePath: zonePath)
        guard check.problems.isEmpty else {
            for problem in check.problems { ErrorReporting.printError(problem.description) }
            throw CLIError.badInput("")
        }
        print("wrote \(zonePath) and \((output as NSString).appendingPathComponent(result.zone.network)); `dispatch zone check` finds no problems")
    }
}
