import ArgumentParser
import DispatchCore
import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import NetworkGeneration
import RideRequestStore
import RoadNetwork

/// The README's first command: a day of bookings on the embedded zone, answered as the server
/// answers them, stored in a local SQLite file, planned, printed, and drawn as an HTML page.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the main job on the embedded default zone: book a day, plan it, print the manifests and write the HTML view."
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
            let requests = try DemoDay.requests(zone: serviceZone, date: serviceDate, count: bookings, seed: seed)
            let office = BookingOffice(zone: serviceZone, store: opened)
            var accepted = 0, rejected: [String: Int] = [:]
            for (n, request) in requests.enumerated() {
                let outcome = try await office.book(request, createdBy: "demo", id: "bk-\(serviceDate.description.replacingOccurrences(of: "-", with: ""))-\(String(format: "%04d", n + 1))")
                if outcome.record.status == .accepted { accepted += 1 } else { rejected[outcome.record.reason ?? "?", default: 0] += 1 }
            }
            print("Booked \(requests.count) rides for \(serviceDate) on \(serviceZone.file.name), as the booking API answers them:")
            print("  accepted at once with a promised pickup window: \(accepted)")
            for (reason, n) in rejected.sorted(by: { $0.key < $1.key }) {
                print("  rejected (\(BookingReason.message(reason))): \(n)")
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

/// A realistic day of bookings for the demo: the generated wide-area demand (hospital and
/// shopping mornings, returns in the afternoon, wheelchair users, cross-municipality trips) on the
/// zone's stops, plus a few requests no plan can serve.
enum DemoDay {
    static func requests(zone: ServiceZone, date: ServiceDate, count: Int, seed: UInt64) throws -> [BookingRequest] {
        let scenario = try WideAreaScenario.generate(requests: count, vehicles: zone.vehicles.count, seed: seed, date: date)
        let stops = zone.file.stops
        // The scenario's places are the zone's places; take the stop at the same spot.
        func stop(_ location: Int) -> String {
            let c = scenario.locations[location].coordinate
            return stops.min { a, b in
                let da = pow(a.position[1] - c.latitude, 2) + pow(a.position[0] - c.longitude, 2)
                let db = pow(b.position[1] - c.latitude, 2) + pow(b.position[0] - c.longitude, 2)
                return da < db
            }!.id
        }
        let municipalityID = Dictionary(uniqueKeysWithValues: zone.file.municipalities.map { ($0.name, $0.id) })
        var out: [BookingRequest] = []
        for (r, q) in scenario.instance.requests.enumerated() {
            let detail = scenario.requestDetails[r]
            let name = scenario.municipalities[detail.municipality].name
            guard let mid = municipalityID[name], let m = zone.municipalityIndex[mid] else { continue }
            let from = stop(Int(scenario.instance.location[scenario.instance.pickup(r)])), to = stop(Int(scenario.instance.location[scenario.instance.dropoff(r)]))
            guard from != to else { continue }
            out.append(BookingRequest(passengerRef: String(format: "R-%04d", r + 1), municipality: m, municipalityID: mid,
                                      pickup: BookingPlace(stopID: from), dropoff: BookingPlace(stopID: to), date: date,
                                      timeKind: detail.leg == .outbound ? .arrival : .pickup, requestedTime: detail.requestedTime,
                                      partySize: q.load.seats + q.load.wheelchairs, wheelchairs: q.load.wheelchairs,
                                      notes: detail.wheelchair ? "wheelchair" : detail.purpose.rawValue,
                                      // Most riders are elderly; one booking in three comes by phone.
                                      concession: detail.wheelchair ? .disabled : (r % 5 < 3 ? .elderly : nil),
                                      channel: r % 3 == 0 ? .phone : .app))
        }
        // A few that cannot be served: over the pass in winter, a party too big for any vehicle,
        // two wheelchairs where vehicles carry one.
        if let kitazawa = zone.municipalityIndex["kitazawa-mura"], zone.stopIndex["kumoi-onsen-hamlet"] != nil, zone.stopIndex["tanohara-hamlet"] != nil {
            out.append(BookingRequest(passengerRef: "R-X1", municipality: kitazawa, municipalityID: "kitazawa-mura",
                                      pickup: BookingPlace(stopID: "tanohara-hamlet"), dropoff: BookingPlace(stopID: "kumoi-onsen-hamlet"), date: date,
                                      timeKind: .pickup, requestedTime: 10 * 3600, partySize: 1, wheelchairs: 0, notes: "onsen"))
        }
        if let first = out.first {
            var big = first
            big.passengerRef = "R-X2"; big.partySize = 6; big.wheelchairs = 0; big.notes = "school group"
            out.append(big)
            var two = first
            two.passengerRef = "R-X3"; two.partySize = 2; two.wheelchairs = 2; two.notes = "two wheelchairs"
            out.append(two)
        }
        return out
    }
}
