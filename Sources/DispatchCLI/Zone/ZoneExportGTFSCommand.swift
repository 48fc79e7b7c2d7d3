import ArgumentParser
import DispatchPlanning
import DispatchWire
import Foundation
import RoadNetwork

struct ZoneExportGTFSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-gtfs",
        abstract: "Publish the zone's demand service as a GTFS feed with the Flex extension (a folder of files trip planners read).",
        discussion: """
            Writes agency.txt, routes.txt, trips.txt, stop_times.txt (pickup and drop-off windows per area), calendar.txt and \
            calendar_dates.txt (service days, public holidays, closing days), booking_rules.txt, locations.geojson (each \
            municipality's service area) and feed_info.txt; stops.txt and location groups when cross-border rules name \
            destinations outside a municipality. The zone file needs an `agency` {name, url}.
            """
    )

    @Option(name: .customLong("zone"), help: "The zone file (default: the embedded zone that ships with dispatch).")
    var zoneOption: String?
    var zone: String { zoneOption ?? Defaults.zone }

    @Option(name: [.short, .long], help: "The folder to write the feed's files to (made if absent).")
    var output: String

    @Option(help: "First date of service in the feed, YYYY-MM-DD (default: today in the zone's time zone).")
    var from: String?

    @Option(help: "Last date of service in the feed, YYYY-MM-DD (default: today + the zone's booking horizon).")
    var until: String?

    func validate() throws {
        if let from, ServiceDate(parsing: from) == nil { throw ValidationError("--from must be a date YYYY-MM-DD, not '\(from)'.") }
        if let until, ServiceDate(parsing: until) == nil { throw ValidationError("--until must be a date YYYY-MM-DD, not '\(until)'.") }
    }

    func run() async throws {
        let file = try ZoneFile.load(path: zone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: file.timeZone) ?? TimeZone(identifier: "Asia/Tokyo")!
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        let defaults = GTFSFlexFeed.defaultRange(zone: file, today: ServiceDate(year: c.year!, month: c.month!, day: c.day!)!)
        let first = from.flatMap { ServiceDate(parsing: $0) } ?? defaults.from
        let last = until.flatMap { ServiceDate(parsing: $0) } ?? (from == nil ? defaults.until : ServiceDate(dayNumber: first.dayNumber + defaults.until.dayNumber - defaults.from.dayNumber))
        guard first <= last else { throw CLIError.badInput("--from (\(first)) must not be after --until (\(last)).") }
        guard last.dayNumber - first.dayNumber < GTFSFlexFeed.maxDays else {
            throw CLIError.badInput("a feed covers at most \(GTFSFlexFeed.maxDays) days; \(first) to \(last) is longer.")
        }
        let files = try GTFSFlexFeed.files(zone: file, path: zone, from: first, until: last)
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
                try Data(bytes).write(to: URL(fileURLWithPath: output).appendingPathComponent(name), options: .atomic)
            }
            // A file of an earlier export that this feed has not (e.g. stops.txt) would still be read with it.
            for name in GTFSFlexFeed.fileNames where files[name] == nil {
                let stale = URL(fileURLWithPath: output).appendingPathComponent(name).path
                if FileManager.default.fileExists(atPath: stale) { try FileManager.default.removeItem(atPath: stale) }
            }
        } catch {
            throw CLIError.badInput("\(output): cannot be written (\((error as NSError).localizedDescription))")
        }
        print("wrote \(files.count) GTFS-Flex files for \(file.municipalities.count) municipalities, \(first) to \(last), to \(output)")
    }
}
