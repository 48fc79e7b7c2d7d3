import DispatchCore
import DispatchWire

/// The zone file's cross-border rules, checked for a resident's trip (see `ZoneFile.Rules`).
public struct ZoneRules: Sendable {
    let zone: ZoneFile
    let outside: [String: Set<String>]

    public init(zone: ZoneFile) {
        self.zone = zone
        outside = (zone.rules?.outsideDestinations ?? [:]).mapValues(Set.init)
    }

    /// Nil when the trip may be booked; otherwise a sentence naming the rule that forbids it.
    /// - Parameters: municipality ids of the resident and of the trip's two ends, and the stop ids
    ///   of the ends (nil for a coordinate).
    public func violation(resident: String, from: String, to: String, fromStop: String?, toStop: String?) -> String? {
        guard zone.rules != nil else { return nil }
        if from == resident && to == resident { return nil }
        let allowedOutside = outside[resident] ?? []
        let endsOK = [(from, fromStop), (to, toStop)].allSatisfy { m, stop in m == resident || stop.map(allowedOutside.contains) == true }
        if endsOK { return nil }
        for agreement in zone.rules?.agreements ?? [] {
            let pair = Set(agreement.between)
            let covers = Set([from, to]).isSubset(of: pair) || (from == to && pair.contains(from))
            let forResident = agreement.residentsOf.map { $0.contains(resident) } ?? pair.contains(resident)
            if covers && forResident { return nil }
        }
        let name = Dictionary(uniqueKeysWithValues: zone.municipalities.map { ($0.id, $0.name) })
        let places = allowedOutside.isEmpty ? "none" : allowedOutside.sorted().joined(separator: ", ")
        return "residents of \(name[resident] ?? resident) may not book a trip between \(name[from] ?? from) and \(name[to] ?? to): "
            + "no cross-border agreement covers it, and it is not to one of their permitted destinations outside \(name[resident] ?? resident) (\(places))"
    }
}
