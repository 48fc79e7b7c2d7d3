import DispatchCore
import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

/// "Alone vs together" for the municipalities of a zone on one date, and a fair split of the joint
/// cost. A coalition of municipalities serves only its residents' requests with only its own
/// vehicles, under the same rules (a vehicle serves the municipalities its `serves` list names);
/// its cost is vehicle-hours × rate + kilometres × rate + unserved requests × the unserved cost.
/// Coalition costs come from the heuristic within a time limit each, so they are upper bounds of
/// the true optimal costs (the same method for every coalition).
public enum WideAreaComparison {
    public struct Figures: Codable, Sendable, Equatable {
        public var requests: Int
        public var served: Int
        public var vehicleHours: Double
        public var kilometres: Double
        public var costYen: Double

        enum CodingKeys: String, CodingKey {
            case requests, served, vehicleHours = "vehicle_hours", kilometres, costYen = "cost_yen"
        }
    }

    public struct Row: Codable, Sendable, Equatable {
        public var municipality: String
        public var alone: Figures
        /// Attributed share of the joint plan (shared legs split by the passengers' direct distances).
        public var together: Figures
        public var shapleyYen: Double
        /// Half-width of the 95 % interval when the Shapley value was sampled (nil: exact).
        public var shapleyErrorYen: Double?
        public var proportionalYen: Double

        enum CodingKeys: String, CodingKey {
            case municipality, alone, together, shapleyYen = "shapley_yen", shapleyErrorYen = "shapley_error_yen",
                 proportionalYen = "proportional_yen"
        }
    }

    public struct Report: Codable, Sendable, Equatable {
        public var date: String
        public var rows: [Row]
        public var jointCostYen: Double
        public var standaloneCostYen: Double
        /// Coalitions that would pay less alone than their Shapley shares (empty: the split is in the core).
        public var coreViolations: [[String]]
        public var coalitionsSolved: Int
        public var costs: ZoneFile.Costs

        enum CodingKeys: String, CodingKey {
            case date, rows, jointCostYen = "joint_cost_yen", standaloneCostYen = "standalone_cost_yen",
                 coreViolations = "core_violations", coalitionsSolved = "coalitions_solved", costs
        }
    }

    /// One coalition's day: its residents' requests (not cancelled) with its own vehicles.
    struct CoalitionDay {
        var day: DayInstance
        var vehicleIDs: [String]
        var requests: Int
    }

    static func coalitionDay(_ members: Set<Int>, records: [BookingRecord], zone: ServiceZone, network: DayNetwork,
                             policy: BookingPolicy) throws -> CoalitionDay? {
        let fleet = zone.vehicles.filter { $0.homeMunicipality.map(members.contains) ?? false }
        var bookings: [DayBooking] = []
        var requests = 0
        let rules = ZoneRules(zone: zone.file)
        for record in records where record.status != .cancelled {
            guard let m = zone.municipalityIndex[record.municipality], members.contains(m) else { continue }
            requests += 1
            guard DayLoading.ruleViolation(record, zone: zone, rules: rules) == nil else { continue }
            guard var b = try? DayLoading.dayBooking(record, zone: zone, network: network) else { continue }
            b.promised = nil   // promises belong to the joint operation
            bookings.append(b)
        }
        guard !fleet.isEmpty else { return CoalitionDay(day: try DayModel.build(name: "empty", zone: zone, day: network, bookings: [],
                                                                                policy: policy, fleet: Array(zone.vehicles.prefix(1))),
                                                        vehicleIDs: [], requests: requests) }
        let day = try DayModel.build(name: "coalition", zone: zone, day: network, bookings: bookings, policy: policy, fleet: fleet)
        return CoalitionDay(day: day, vehicleIDs: fleet.map(\.id), requests: requests)
    }

    /// Vehicle-hours, kilometres and served count of a plan.
    static func figures(plan: Plan, day: DayInstance, network: DayNetwork, requests: Int, costs: ZoneFile.Costs) -> Figures {
        let instance = day.instance
        let report = PlanReport(plan: plan, instance: instance)
        var seconds = 0, metres = 0
        for schedule in report.schedules where schedule.stops.count > 2 {
            seconds += schedule.returnTime - schedule.departure
            for (a, b) in zip(schedule.stops, schedule.stops.dropFirst()) {
                metres += network.metres(day.locations[Int(instance.location[a.node])], day.locations[Int(instance.location[b.node])]) ?? 0
            }
        }
        let served = report.rides.count
        let hours = Double(seconds) / 3600, km = Double(metres) / 1000
        return Figures(requests: requests, served: served, vehicleHours: hours, kilometres: km,
                       costYen: hours * costs.vehicleHourYen + km * costs.kilometreYen + Double(requests - served) * costs.unservedRequestYen)
    }

    /// Each municipality's share of a joint plan: a leg's time and distance are split among the
    /// passengers on board in proportion to their direct drive; a leg with nobody on board goes to
    /// the passenger picked up at its end, or (the way back to the depot) to the last one dropped off.
    static func attribution(plan: Plan, day: DayInstance, network: DayNetwork, zone: ServiceZone) -> [(seconds: Double, metres: Double)] {
        let instance = day.instance
        var out = [(seconds: Double, metres: Double)](repeating: (0, 0), count: zone.file.municipalities.count)
        let report = PlanReport(plan: plan, instance: instance)
        func municipality(_ r: Int) -> Int { instance.requests[r].municipality.map { $0 < out.count ? $0 : 0 } ?? 0 }
        for schedule in report.schedules where schedule.stops.count > 2 {
            var onBoard: [Int] = []
            var lastDropped: Int?
            for (a, b) in zip(schedule.stops, schedule.stops.dropFirst()) {
                if let r = instance.request(ofNode: a.node) {
                    if instance.isPickup(a.node) { onBoard.append(r) } else { onBoard.removeAll { $0 == r }; lastDropped = r }
                }
                let legSeconds = Double(b.arrival - a.departure) + Double(b.serviceStart - b.arrival) + Double(b.departure - b.serviceStart)
                let legMetres = Double(network.metres(day.locations[Int(instance.location[a.node])], day.locations[Int(instance.location[b.node])]) ?? 0)
                var who = onBoard
                if who.isEmpty { who = instance.request(ofNode: b.node).map { [$0] } ?? lastDropped.map { [$0] } ?? [] }
                let weights = who.map { Double(max(1, instance.requests[$0].directTime)) }
                let total = weights.reduce(0, +)
                for (r, w) in zip(who, weights) {
                    out[municipality(r)].seconds += legSeconds * w / total
                    out[municipality(r)].metres += legMetres * w / total
                }
            }
            // The time before the first leg (leaving the depot) belongs to the first leg's passengers already.
        }
        return out
    }

    /// Solves every coalition needed (all of them up to `exactLimit` municipalities, sampled
    /// permutations above), two at a time, each within `limits`; returns the comparison.
    public static func compare(loaded: DayLoading.LoadedDay, zone: ServiceZone, jointPlan: Plan, limits: SolveLimits,
                               exactLimit: Int = 8, permutations: Int = 200, policy: BookingPolicy = BookingPolicy()) async throws -> Report {
        let costs = zone.file.costs ?? .assumed
        let n = zone.file.municipalities.count
        let network = loaded.network
        let records = loaded.records
        // Coalition costs, cached by mask.
        let cache = CoalitionCache()
        func solve(_ mask: CostSharing.Coalition) async throws -> Figures {
            if let known = await cache.get(mask) { return known }
            let members = Set((0..<n).filter { mask & (1 << $0) != 0 })
            guard let coalition = try coalitionDay(members, records: records, zone: zone, network: network, policy: policy) else {
                return Figures(requests: 0, served: 0, vehicleHours: 0, kilometres: 0, costYen: 0)
            }
            let figures: Figures
            if coalition.vehicleIDs.isEmpty {
                figures = Figures(requests: coalition.requests, served: 0, vehicleHours: 0, kilometres: 0,
                                  costYen: Double(coalition.requests) * costs.unservedRequestYen)
            } else {
                let decision = SolveStrategy(.heuristic).decide(for: coalition.day.instance)
                let instance = coalition.day.instance
                let result = await DedicatedThread.run { decision.solver.solve(instance, limits: limits, progress: nil) }
                figures = self.figures(plan: result.plan, day: coalition.day, network: network, requests: coalition.requests, costs: costs)
            }
            await cache.set(mask, figures)
            return figures
        }
        let all: CostSharing.Coalition = (1 << n) - 1
        let needed: [CostSharing.Coalition] = n <= exactLimit ? Array(1...all) : (0..<n).map { 1 << $0 } + [all]
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for mask in needed {
                if running == 2 { try await group.next(); running -= 1 }
                group.addTask { _ = try await solve(mask) }
                running += 1
            }
            try await group.waitForAll()
        }
        let table = await cache.all()
        // Sampling needs costs of coalitions not solved yet: solve them on demand (sequentially).
        var known = table
        func cost(_ mask: CostSharing.Coalition) -> Double { known[mask]?.costYen ?? 0 }
        var shapley: [Double], errors: [Double]?
        if n <= exactLimit {
            shapley = CostSharing.shapley(players: n, cost: cost)
        } else {
            // Gather the coalitions the permutations visit, solve them, then sample.
            var visited = Set<CostSharing.Coalition>()
            _ = CostSharing.sampledShapley(players: n, permutations: permutations, seed: 1) { visited.insert($0); return 0 }
            for mask in visited where known[mask] == nil { known[mask] = try await solve(mask) }
            let sampled = CostSharing.sampledShapley(players: n, permutations: permutations, seed: 1, cost: cost)
            shapley = sampled.values
            errors = sampled.halfWidth95
        }
        // The joint plan's attribution: the proportional split's weights and the "together" figures.
        let attributed = attribution(plan: jointPlan, day: loaded.day, network: network, zone: zone)
        var servedBy = [Int](repeating: 0, count: n), requestsBy = [Int](repeating: 0, count: n)
        for record in records where record.status != .cancelled {
            if let m = zone.municipalityIndex[record.municipality] { requestsBy[m] += 1 }
        }
        for r in PlanReport(plan: jointPlan, instance: loaded.day.instance).rides.map(\.request) {
            if let m = loaded.day.instance.requests[r].municipality, m < n { servedBy[m] += 1 }
        }
        let togetherCosts = (0..<n).map { m in
            attributed[m].seconds / 3600 * costs.vehicleHourYen + attributed[m].metres / 1000 * costs.kilometreYen
                + Double(requestsBy[m] - servedBy[m]) * costs.unservedRequestYen
        }
        let proportional = CostSharing.proportional(total: cost(all), weights: togetherCosts)
        let rows = (0..<n).map { m in
            Row(municipality: zone.file.municipalities[m].id, alone: known[1 << m]!,
                together: Figures(requests: requestsBy[m], served: servedBy[m], vehicleHours: attributed[m].seconds / 3600,
                                  kilometres: attributed[m].metres / 1000, costYen: togetherCosts[m]),
                shapleyYen: shapley[m], shapleyErrorYen: errors?[m], proportionalYen: proportional[m])
        }
        let violations = n <= exactLimit
            ? CostSharing.coreViolations(players: n, split: shapley, cost: cost).map { v in
                (0..<n).filter { v.coalition & (1 << $0) != 0 }.map { zone.file.municipalities[$0].id }
            } : []
        return Report(date: loaded.date.description, rows: rows, jointCostYen: cost(all),
                      standaloneCostYen: (0..<n).reduce(0) { $0 + cost(1 << $1) }, coreViolations: violations,
                      coalitionsSolved: known.count, costs: costs)
    }
}

actor CoalitionCache {
    private var values: [CostSharing.Coalition: WideAreaComparison.Figures] = [:]
    func get(_ mask: CostSharing.Coalition) -> WideAreaComparison.Figures? { values[mask] }
    func set(_ mask: CostSharing.Coalition, _ figures: WideAreaComparison.Figures) { values[mask] = figures }
    func all() -> [CostSharing.Coalition: WideAreaComparison.Figures] { values }
}

extension WideAreaComparison.Report {
    /// The comparison for people: alone vs together per municipality, then both cost splits.
    public func text(zone: ServiceZone) -> String {
        func yen(_ v: Double) -> String {
            let n = Int(v.rounded())
            let digits = String(abs(n))
            var grouped = ""
            for (i, c) in digits.reversed().enumerated() { if i > 0 && i % 3 == 0 { grouped.append(",") }; grouped.append(c) }
            return (n < 0 ? "-¥" : "¥") + String(grouped.reversed())
        }
        let names = Dictionary(uniqueKeysWithValues: zone.file.municipalities.map { ($0.id, "\($0.localName) \($0.name)") })
        var out = "Alone vs together, \(date) (costs: \(yen(costs.vehicleHourYen)) per vehicle-hour, \(yen(costs.kilometreYen)) per km, "
            + "\(yen(costs.unservedRequestYen)) per unserved request; \(coalitionsSolved) coalitions solved)\n"
        var table = TextTable(headers: ["municipality", "requests", "served alone", "together", "veh-h alone", "together", "km alone", "together",
                                        "cost alone", "together", "Shapley", "proportional"],
                              alignments: [.left] + Array(repeating: .right, count: 11))
        for row in rows {
            table.append([names[row.municipality] ?? row.municipality, "\(row.alone.requests)", "\(row.alone.served)", "\(row.together.served)",
                          String(format: "%.1f", row.alone.vehicleHours), String(format: "%.1f", row.together.vehicleHours),
                          String(format: "%.0f", row.alone.kilometres), String(format: "%.0f", row.together.kilometres),
                          yen(row.alone.costYen), yen(row.together.costYen),
                          yen(row.shapleyYen) + (row.shapleyErrorYen.map { " ±" + yen($0) } ?? ""), yen(row.proportionalYen)])
        }
        table.append(["all", "\(rows.reduce(0) { $0 + $1.alone.requests })", "\(rows.reduce(0) { $0 + $1.alone.served })",
                      "\(rows.reduce(0) { $0 + $1.together.served })",
                      String(format: "%.1f", rows.reduce(0) { $0 + $1.alone.vehicleHours }), String(format: "%.1f", rows.reduce(0) { $0 + $1.together.vehicleHours }),
                      String(format: "%.0f", rows.reduce(0) { $0 + $1.alone.kilometres }), String(format: "%.0f", rows.reduce(0) { $0 + $1.together.kilometres }),
                      yen(standaloneCostYen), yen(rows.reduce(0) { $0 + $1.together.costYen }), yen(jointCostYen), yen(jointCostYen)])
        out += table.text + "\n"
        out += "Pooling saves \(yen(standaloneCostYen - jointCostYen)) (\(String(format: "%.1f", 100 * (standaloneCostYen - jointCostYen) / max(1, standaloneCostYen))) %) "
            + "against every municipality alone. Shapley: each pays its average added cost over all orders of joining; "
            + "proportional: the joint cost split by each municipality's attributed cost in the joint plan.\n"
        out += "Coalition costs come from the heuristic within the coalition time limit (upper bounds); differences of a few per cent are search noise.\n"
        if coreViolations.isEmpty {
            out += "The Shapley split is in the core: no group of municipalities would pay less on its own.\n"
        } else {
            out += "Not in the core: " + coreViolations.map { $0.joined(separator: " + ") }.joined(separator: "; ")
                + " would pay less on their own than their Shapley shares.\n"
        }
        return out
    }
}
