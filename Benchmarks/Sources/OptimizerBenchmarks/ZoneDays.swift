import DispatchCore
import DispatchMILP
import DispatchPlanning
import DispatchServer
import Foundation
import RideRequestStore
import RoadNetwork

/// `--zone-days`: real days on a zone (default: the embedded one, `--zone PATH`), as `dispatch demo`
/// makes them: `--bookings-list 20,40,60` bookings drawn by `ZoneDemand` (seeds 1…`--seeds`), each
/// answered by the booking desk into its own SQLite store, then planned by `PlanRun` (the path of
/// `dispatch plan`) with `--solver auto` and, on a second store booked the same way, with the
/// heuristic — same time limit, same run. Reports whether auto proved its plan optimal, its time,
/// objective, bound and gap, and the heuristic's objective and gap.
func runZoneDays() async {
    let zonePath = option("--zone") ?? "../Networks/default-zone.zone.json"
    let sizes = (option("--bookings-list") ?? "20,40,60").split(separator: ",").compactMap { Int($0) }
    let seeds = option("--seeds").flatMap(Int.init) ?? 3
    let date = ServiceDate(parsing: option("--date") ?? "2026-12-01")!
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zone-days-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let zone: ServiceZone
    do { zone = try ServiceZone.load(zonePath: zonePath) } catch {
        print("The zone \(zonePath) cannot be loaded: \(error)")
        return
    }
    print("Zone days on \(zone.file.name), \(date), \(timeLimit) s per plan, \(Date())")
    print("")
    print("| bookings | seed | requests | auto: solver | status | s | objective h | bound h | gap % | heuristic: objective h | gap % | auto − heuristic % |")
    print("|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|")
    var proven: [Int: (Int, Int)] = [:]
    var differences: [Double] = []
    for size in sizes {
        for s in 1...seeds {
            var documents: [DayPlanDocument] = []
            for (name, strategy) in [("auto", SolveStrategy(.auto)), ("heuristic", SolveStrategy(.heuristic))] {
                do {
                    let path = folder.appendingPathComponent("d\(size)-\(s)-\(name).sqlite").path
                    let store = try await openStore("sqlite:" + path)
                    try await store.replaceZone(with: zone.file, actor: "bench")
                    let demand = try ZoneDemand.generate(zone: zone, date: date, count: size, seed: UInt64(s))
                    let office = BookingOffice(zone: zone, store: store)
                    for (n, request) in demand.requests.enumerated() {
                        _ = try? await office.book(request, createdBy: "bench", id: "bk-\(n + 1)")
                    }
                    if name == "auto" && arguments.contains("--diagnostics") {
                        let instance = try await DayLoading.load(store: store, zone: zone, date: date).day.instance
                        let warm = SolveStrategy(.heuristic).decide(for: instance).solver
                            .solve(instance, limits: SolveLimits(timeLimit: .seconds(1), seed: UInt64(s)), progress: nil)
                        var configuration = EventMILPSolver.Configuration()
                        let cuts = Set((option("--cuts") ?? "").split(separator: ",").map(String.init))
                        configuration.gmiCuts = cuts.contains("gmi")
                        configuration.mirCuts = cuts.contains("mir")
                        configuration.coverCuts = cuts.contains("cover")
                        configuration.cliqueCuts = cuts.contains("clique")
                        configuration.pseudocost = cuts.contains("pseudocost")
                        configuration.bestProjection = cuts.contains("projection")
                        let r = FleetMILPSolver(configuration: configuration).solve(instance, timeLimit: .milliseconds(Int64(timeLimit * 1000)), warmStart: warm.plan)
                        print(String(format: "    fleet model: %@ in %.1f s (graphs %.2f s): %d classes, %d events, %d arcs, %d rows, %d columns, root %.1f, bound %.1f, objective %.1f, warm %.1f (accepted: %@); %@",
                                     r.status.rawValue, r.graphSeconds + r.solveSeconds, r.graphSeconds, VehicleClasses(instance: instance).members.count,
                                     r.events, r.arcs, r.rows, r.columns, r.rootBound ?? -1, r.lowerBound ?? -1, r.objective ?? -1,
                                     Double(instance.objective(of: warm.plan)) / Double(instance.timeScale.ticksPerUnit),
                                     r.warmStartAccepted ? "yes" : "no", r.note))
                    }
                    if arguments.contains("--diagnostics-only") { continue }
                    let outcome = try await PlanRun.run(store: store, zone: zone, date: date, strategy: strategy,
                                                        limits: SolveLimits(timeLimit: .milliseconds(Int64(timeLimit * 1000)), seed: UInt64(s)),
                                                        holder: "bench")
                    documents.append(outcome.document)
                } catch {
                    print("| \(size) | \(s) | error: \(error) |")
                }
            }
            guard documents.count == 2 else { continue }
            let (auto, heuristic) = (documents[0], documents[1])
            func hours(_ v: Double?) -> String { v.map { String(format: "%.3f", $0 / 3600) } ?? "–" }
            func percent(_ v: Double?) -> String { v.map { String(format: "%.2f", $0 * 100) } ?? "–" }
            let difference = (auto.objective ?? 0) / max(1, heuristic.objective ?? 1) - 1
            differences.append(difference)
            var p = proven[size] ?? (0, 0)
            p.1 += 1
            if auto.status == "optimal" { p.0 += 1 }
            proven[size] = p
            print("| \(size) | \(s) | \(auto.summary.bookings) | \(auto.solver) | \(auto.status) | \(String(format: "%.1f", auto.seconds)) | \(hours(auto.objective)) | \(hours(auto.lowerBound)) | \(percent(auto.gap)) | \(hours(heuristic.objective)) | \(percent(heuristic.gap)) | \(String(format: "%+.2f", difference * 100)) |")
        }
    }
    print("")
    for size in sizes { if let p = proven[size] { print("\(size) bookings: \(p.0) of \(p.1) days proven optimal by auto") } }
    if !differences.isEmpty {
        print(String(format: "auto against the heuristic: mean %+.2f %%, best %+.2f %%, worst %+.2f %% (objective: travel time + penalty per unserved request)",
                     differences.reduce(0, +) / Double(differences.count) * 100, differences.min()! * 100, differences.max()! * 100))
    }
}
