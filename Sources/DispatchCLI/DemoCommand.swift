import ArgumentParser
import DispatchCore
import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

/// The README's first command: a day of bookings drawn from a zone's places (`ZoneDemand`; the
/// embedded zone by default), answered as the server answers them, stored in a local SQLite file,
/// planned, printed, and drawn as an HTML page.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the main job on a zone (default: the embedded one): book a day, plan it, print the manifests and write the HTML view."
    )

    @Option(name: .customLong("zone"), help: "The zone file (default: the embedded zone that ships with dispatch).")
    var zoneOption: String?
    var zone: String { zoneOption ?? Defaults.zone }

    @Option(help: "The service date (YYYY-MM-DD); from December to mid-April the mountain pass is closed.")
    var date: String = "2026-12-01"

    @Option(help: "Bookings to generate.")
    var bookings: Int = 120

    @Option(help: "Random seed of the generated demand.")
    var seed: UInt64 = 1

    @Option(help: "The local store (a relative path is under the current folder).")
    var store: String = "sqlite:data/demo.sqlite"

    @Option(name: .customLong("time-limit"), help: "Seconds to optimize.")
    var timeLimit: Double = 10

    @Option(help: "Stop the optimization after this many iterations (with --seed, the plan is reproducible).")
    var iterations: Int?

    @Option(name: [.short, .long], help: "Where to write the HTML view (default data/plan-DATE.html under the current folder).")
    var output: String?

    @Option(help: .hidden)
    var html: String?

    @Flag(help: "Only compare summer and winter travel times on the zone's roads (the network demo).")
    var roads = false

    @Flag(help: "No progress line.")
    var quiet = false

    func validate() throws {
        guard ServiceDate(parsing: date) != nil else { throw ValidationError(RoadNetworkError.invalidDate(date).description) }
        guard (1...5_000).contains(bookings) else { throw ValidationError("--bookings must be between 1 and 5000.") }
        guard timeLimit.isFinite, timeLimit > 0, timeLimit <= 3_600 else { throw ValidationError("--time-limit must be between 0 and 3600 seconds.") }
        if let iterations, iterations < 0 { throw ValidationError("--iterations must not be negative.") }
    }

    func run() async throws {
        let serviceDate = ServiceDate(parsing: date)!
        if roads {
            let result = try NetworkDemo.run(zonePath: zone, summer: ServiceDate(parsing: "2026-07-15")!, winter: serviceDate)
            print(result.text)
            return
        }
        let serviceZone = try ServiceZone.load(zonePath: zone)
        let opened = try await openStore(store)
        try await opened.replaceZone(with: serviceZone.file, actor: "demo")
        let existing = try await opened.bookings(serviceDate: serviceDate.description, municipality: nil, createdBy: nil)
        if existing.isEmpty {
            let demand = try ZoneDemand.generate(zone: serviceZone, date: serviceDate, count: bookings, seed: seed)
            let requests = demand.requests
            print("The day's demand on \(serviceZone.file.name):")
            for line in demand.summary { print("  " + line) }
            let office = BookingOffice(zone: serviceZone, store: opened)
            var accepted = 0, rejected: [String: Int] = [:], refused: [String: Int] = [:]
            for (n, request) in requests.enumerated() {
                // The booking rules that depend on the date (closing days, service days) apply; those
                // relative to the wall clock (horizon, cut-off, notice) do not: the demo books a drawn date
                // as its operator would have, in time.
                do {
                    let outcome = try await office.book(request, createdBy: "demo", id: "bk-\(serviceDate.description.replacingOccurrences(of: "-", with: ""))-\(String(format: "%04d", n + 1))")
                    if outcome.record.status == .accepted { accepted += 1 } else { rejected[outcome.record.reason ?? "?", default: 0] += 1 }
                } catch let error as APIError where error.rule != nil {
                    refused[error.rule!, default: 0] += 1
                }
            }
            print("Booked \(requests.count) rides for \(serviceDate) on \(serviceZone.file.name), as the booking API answers them:")
            print("  accepted at once with a promised pickup window: \(accepted)")
            for (reason, n) in rejected.sorted(by: { $0.key < $1.key }) {
                print("  rejected (\(BookingReason.message(reason))): \(n)")
            }
            for (rule, n) in refused.sorted(by: { $0.key < $1.key }) {
                print("  refused by the booking rule \(rule) (not stored): \(n)")
            }
        } else {
            print("Reusing the \(existing.count) bookings of \(serviceDate) already in \(opened.location).")
        }
        let progress = ProgressLine(enabled: !quiet)
        let outcome = try await PlanRun.run(store: opened, zone: serviceZone, date: serviceDate, strategy: SolveStrategy(.auto),
                                            limits: SolveLimits(timeLimit: iterations == nil ? .milliseconds(Int64(timeLimit * 1000)) : nil,
                                                                iterationLimit: iterations, seed: seed), holder: "demo") { point in
            progress.show("\(point.phase) \(String(format: "%.1f", point.seconds)) s  served \(point.served)  driving \(String(format: "%.1f", Double(point.cost) / 3600)) h")
        }
        progress.clear()
        print("")
        print(PlanText.table(outcome, zone: serviceZone))
        let path = output ?? html ?? "data/plan-\(serviceDate).html"
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(PlanHTML.render(outcome, zone: serviceZone).utf8).write(to: url, options: .atomic)
        print("The plan is stored as version \(outcome.version) in \(opened.location).")
        print("Map and timeline: \(url.path) (open it in a browser; it works offline).")
        print("Next: `dispatch serve --store \(store)` to take bookings over HTTP, `dispatch plan --date \(serviceDate) --store \(store)` to re-plan.")
        try PlanCommand.checkPromises(outcome)
    }
}
