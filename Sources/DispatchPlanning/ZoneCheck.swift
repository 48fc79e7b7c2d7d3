import DispatchWire
import Foundation
import RoadNetwork

/// `dispatch zone check`: every problem of a zone file against its network, one per line with its
/// JSON path — references, times and coordinates (`ZoneFile.problems`), stops and depots off the
/// roads, municipalities without stops or without a vehicle that serves them, shifts outside the
/// service hours of every municipality a vehicle serves.
public enum ZoneCheck {
    /// How far a stop or depot may lie from the nearest road (the limit `ServiceZone` snaps with).
    public static let snapLimitMetres = 300.0

    public struct Result: Sendable {
        public var problems: [ZoneFileError]
        /// One line for people: what the zone holds.
        public var summary: String
    }

    public static func run(zonePath: String) -> Result {
        let file: ZoneFile
        do { file = try ZoneFile.load(path: zonePath, validate: false) } catch let error as ZoneFileError {
            return Result(problems: [error], summary: "")
        } catch {
            return Result(problems: [ZoneFileError(path: zonePath, field: "(file)", reason: "\(error)")], summary: "")
        }
        var problems = file.problems(path: zonePath)
        func fail(_ field: String, _ reason: String) { problems.append(ZoneFileError(path: zonePath, field: field, reason: reason)) }

        // Municipalities without stops, or that no vehicle serves.
        for (i, m) in file.municipalities.enumerated() {
            if !file.stops.contains(where: { $0.municipality == m.id }) { fail("municipalities[\(i)]", "'\(m.id)' has no stop") }
            if !file.vehicles.contains(where: { $0.serves.contains(m.id) }) { fail("municipalities[\(i)]", "no vehicle serves '\(m.id)'") }
        }
        // Shifts and service hours.
        let hours = Dictionary(uniqueKeysWithValues: file.municipalities.map { m in
            (m.id, TimeText.seconds(ofClock: m.serviceHours.start).flatMap { s in TimeText.seconds(ofClock: m.serviceHours.end).map { s..<$0 } })
        })
        for (i, m) in file.municipalities.enumerated() {
            if let h = hours[m.id] ?? nil, h.count < 3600 { fail("municipalities[\(i)].service_hours", "are shorter than an hour") }
        }
        for (i, v) in file.vehicles.enumerated() {
            guard let s = TimeText.seconds(ofClock: v.shift.start), let e = TimeText.seconds(ofClock: v.shift.end), s < e else { continue }
            if e - s > 16 * 3600 { fail("vehicles[\(i)].shift", "is longer than 16 hours") }
            let served = v.serves.compactMap { hours[$0] ?? nil }
            if !served.isEmpty && !served.contains(where: { $0.overlaps(s..<e) }) {
                fail("vehicles[\(i)].shift", "does not overlap the service hours of any municipality the vehicle serves")
            }
        }
        // The calendar: each kind of day a municipality has service, some vehicle that serves it
        // works (the weekly pattern; dated exceptions are the dispatcher's business).
        if problems.isEmpty {
            for (i, m) in file.municipalities.enumerated() {
                for kind in (m.serviceDays ?? ZoneFile.DayKind.allCases.map(\.rawValue)).compactMap(ZoneFile.DayKind.init(rawValue:)) {
                    let working = file.vehicles.contains { v in
                        v.serves.contains(m.id) && !(v.schedule.map { $0.shifts(on: kind) } ?? [v.shift]).isEmpty
                    }
                    if !working {
                        fail("municipalities[\(i)].service_days", "'\(m.id)' has service on \(kind.rawValue) days but no vehicle that serves it works then")
                    }
                }
            }
        }
        // The network: every stop and depot near a road.
        let networkPath = file.networkPath(zonePath: zonePath)
        var networkLine = "network \(file.network)"
        do {
            let graph = try NetworkFile.load(path: networkPath)
            networkLine += " (\(graph.nodeCount) nodes)"
            let index = SnapIndex(graph: graph)
            func near(_ position: [Double], _ field: String) {
                guard position.count == 2, Coordinate(latitude: position[1], longitude: position[0]).isValid else { return }
                do {
                    _ = try index.snap(Coordinate(latitude: position[1], longitude: position[0]), in: graph, maxDistanceMetres: snapLimitMetres)
                } catch {
                    fail(field, "is more than \(Int(snapLimitMetres)) m from every road of the network")
                }
            }
            for (i, s) in file.stops.enumerated() { near(s.position, "stops[\(i)].position") }
            for (i, d) in file.depots.enumerated() { near(d.position, "depots[\(i)].position") }
        } catch {
            fail("network", "'\(file.network)' cannot be used: \(error)")
        }
        let summary = "\(zonePath): \(file.municipalities.count) municipalities, \(file.stops.count) stops, \(file.depots.count) depots, "
            + "\(file.vehicles.count) vehicles, \(networkLine)"
        return Result(problems: problems, summary: summary)
    }
}
