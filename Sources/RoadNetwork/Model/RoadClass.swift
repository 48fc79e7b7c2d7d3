/// The OSM `highway=*` classes a vehicle may use, in decreasing importance.
public enum RoadClass: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case motorway, trunk, primary, secondary, tertiary, unclassified, residential, livingStreet, service, road, track

    /// The class for an OSM `highway` value (`*_link` folds into its parent), or nil for ways that are not roads.
    public init?(highway: String) {
        var value = Substring(highway)
        if value.hasSuffix("_link") { value = value.dropLast(5) }
        switch value {
        case "motorway": self = .motorway
        case "trunk": self = .trunk
        case "primary": self = .primary
        case "secondary": self = .secondary
        case "tertiary": self = .tertiary
        case "unclassified": self = .unclassified
        case "residential": self = .residential
        case "living_street": self = .livingStreet
        case "service": self = .service
        case "road": self = .road
        case "track": self = .track
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .livingStreet: "living_street"
        default: "\(self)"
        }
    }
}

/// What the importer reads from one way's tags: whether and in which directions a demand-taxi
/// vehicle may drive it, how fast, and when it is closed.
struct WayProfile: Sendable {
    var roadClass: RoadClass
    var isLink: Bool
    var forward: Bool
    var backward: Bool
    /// Signed speed limit in km/h, nil when untagged or not numeric.
    var maxspeedKmh: Double?
    var isBridge: Bool
    var isTunnel: Bool
    var closures: [(period: ClosurePeriod, reason: String)]
    /// Conditional restrictions that were not understood as date ranges (e.g. time-of-day), reported.
    var ignoredConditions: Int

    /// Why a way was not imported.
    enum Rejection: String, CaseIterable, Sendable {
        case notARoad = "not a road for cars (footway, path, construction, …)"
        case track = "track (highway=track is left out for passenger vehicles)"
        case noAccess = "no access for taxis (access/motor_vehicle/motorcar = no or private)"
        case reversible = "reversible one-way (direction changes during the day)"
    }

    /// Reads a way's tags.
    /// - Complexity: O(number of tags).
    static func read(_ way: OSMWay, includeTracks: Bool) -> Result<WayProfile, RejectionBox> {
        var highway: String?
        var oneway: String?
        var junction: String?
        var maxspeed: String?
        var bridge = false
        var tunnel = false
        // Access, most specific mode last in this list wins.
        let accessKeys = ["access", "vehicle", "motor_vehicle", "motorcar", "psv", "taxi"]
        var access: [String?] = Array(repeating: nil, count: accessKeys.count)
        var conditionals: [String] = []
        var seasonal: String?
        var winterRoad = false
        for (key, value) in way.tags {
            switch key {
            case "highway": highway = value
            case "oneway": oneway = value
            case "junction": junction = value
            case "maxspeed": maxspeed = value
            case "bridge": bridge = value != "no"
            case "tunnel": tunnel = value != "no"
            case "seasonal": seasonal = value
            case "winter_road", "ice_road": winterRoad = value == "yes"
            case "access:conditional", "vehicle:conditional", "motor_vehicle:conditional", "motorcar:conditional":
                conditionals.append(value)
            default:
                if let i = accessKeys.firstIndex(of: key) { access[i] = value }
            }
        }
        guard let highway, let roadClass = RoadClass(highway: highway) else { return .failure(RejectionBox(.notARoad)) }
        if roadClass == .track && !includeTracks { return .failure(RejectionBox(.track)) }
        if let allowed = access.reversed().compactMap({ $0 }).first.map(isAllowedAccess), !allowed {
            return .failure(RejectionBox(.noAccess))
        }
        var forward = true
        var backward = true
        switch oneway {
        case "yes", "true", "1": backward = false
        case "-1", "reverse": forward = false
        case "reversible", "alternating": return .failure(RejectionBox(.reversible))
        case "no", "false", "0": break
        default:
            if junction == "roundabout" || junction == "circular" || roadClass == .motorway && !highway.hasSuffix("_link") {
                backward = false
            }
        }
        var closures: [(ClosurePeriod, String)] = []
        var ignored = 0
        for text in conditionals {
            let parsed = ConditionalRestriction.closures(in: text)
            closures.append(contentsOf: parsed.periods.map { ($0, "conditional restriction \"\(text)\"") })
            ignored += parsed.ignored
        }
        switch seasonal {
        case "yes", "summer":
            closures.append((ConditionalRestriction.defaultWinter, "seasonal=\(seasonal!): closed in winter"))
        case "winter":
            closures.append((ConditionalRestriction.defaultSummer, "seasonal=winter: open only in winter"))
        default: break
        }
        if winterRoad { closures.append((ConditionalRestriction.defaultSummer, "winter road: open only in winter")) }
        return .success(WayProfile(roadClass: roadClass, isLink: highway.hasSuffix("_link"),
                                   forward: forward, backward: backward,
                                   maxspeedKmh: maxspeed.flatMap(parseMaxspeed),
                                   isBridge: bridge, isTunnel: tunnel,
                                   closures: closures, ignoredConditions: ignored))
    }

    struct RejectionBox: Error { let rejection: Rejection; init(_ r: Rejection) { rejection = r } }

    static func isAllowedAccess(_ value: String) -> Bool {
        switch value {
        case "no", "private", "agricultural", "forestry", "military", "delivery", "emergency", "use_sidepath": false
        default: true
        }
    }

    /// Parses `maxspeed` values: "50", "50 km/h", "30 mph", "walk", "XX:urban"/"XX:rural"/"XX:motorway".
    static func parseMaxspeed(_ text: String) -> Double? {
        guard let v = parseMaxspeedValue(text), v.isFinite, v > 0, v <= 300 else { return nil }
        return v
    }

    static func parseMaxspeedValue(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: " ")
        if let v = Double(t), v > 0 { return v }
        if t.hasSuffix("mph"), let v = Double(t.dropLast(3).trimmingCharacters(in: " ")), v > 0 { return v * 1.609344 }
        if t.hasSuffix("km/h"), let v = Double(t.dropLast(4).trimmingCharacters(in: " ")), v > 0 { return v }
        if t.hasSuffix("kmh"), let v = Double(t.dropLast(3).trimmingCharacters(in: " ")), v > 0 { return v }
        if t == "walk" { return 6 }
        if t == "living_street" || t.hasSuffix(":living_street") { return 20 }
        if t.hasSuffix(":urban") { return 50 }
        if t.hasSuffix(":rural") { return 80 }
        if t.hasSuffix(":motorway") { return 100 }
        return nil
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String { String(self).trimmingCharacters(in: set) }
}

/// Reads OSM conditional restrictions (`value @ (condition); …`) whose condition is a date range.
/// https://wiki.openstreetmap.org/wiki/Conditional_restrictions
enum ConditionalRestriction {
    /// Winter used for `seasonal=yes|summer`: 15 Nov – 30 Apr, typical for Japanese Alps pass roads.
    static let defaultWinter = ClosurePeriod.yearly(fromMonthDay: 1115, toMonthDay: 430)
    /// The complement, used for winter-only roads.
    static let defaultSummer = ClosurePeriod.yearly(fromMonthDay: 501, toMonthDay: 1114)

    /// Closure periods for the `no`/`private` parts of `text`, and how many parts were not understood.
    static func closures(in text: String) -> (periods: [ClosurePeriod], ignored: Int) {
        var periods: [ClosurePeriod] = []
        var ignored = 0
        for part in splitTopLevel(text) {
            guard let at = part.firstIndex(of: "@") else { ignored += 1; continue }
            let value = part[..<at].trimmingCharacters(in: " ")
            guard value == "no" || value == "private" else { continue }
            var condition = part[part.index(after: at)...].trimmingCharacters(in: " ")
            if condition.hasPrefix("(") && condition.hasSuffix(")") {
                condition = String(condition.dropFirst().dropLast()).trimmingCharacters(in: " ")
            }
            var understood = false
            for range in condition.split(separator: ",") {
                if let p = parseMonthDayRange(range.trimmingCharacters(in: " ")) {
                    periods.append(p)
                    understood = true
                } else if range.trimmingCharacters(in: " ") == "winter" {
                    periods.append(defaultWinter)
                    understood = true
                } else {
                    understood = false
                    break
                }
            }
            if !understood { ignored += 1 }
        }
        return (periods, ignored)
    }

    static func splitTopLevel(_ text: String) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var start = text.startIndex
        for i in text.indices {
            switch text[i] {
            case "(": depth += 1
            case ")": depth -= 1
            case ";" where depth == 0:
                parts.append(text[start..<i])
                start = text.index(after: i)
            default: break
            }
        }
        parts.append(text[start...])
        return parts.filter { !$0.trimmingCharacters(in: " ").isEmpty }
    }

    /// "Dec 1-Apr 15", "Dec 01 - Apr 15", "Nov-Apr", "Dec" → a yearly period. Anything with a time of day → nil.
    static func parseMonthDayRange(_ text: String) -> ClosurePeriod? {
        if text.contains(":") { return nil }
        let ends = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: " ") }
        func parse(_ s: String, isEnd: Bool) -> Int? {
            let words = s.split(separator: " ")
            guard let first = words.first, let m = ClosurePeriod.monthNames.firstIndex(of: String(first)).map({ $0 + 1 }) else { return nil }
            if words.count == 1 { return m * 100 + (isEnd ? ServiceDate.daysIn(month: m, year: 2000) : 1) }
            guard words.count == 2, let d = Int(words[1]), (1...ServiceDate.daysIn(month: m, year: 2000)).contains(d) else { return nil }
            return m * 100 + d
        }
        switch ends.count {
        case 1:
            guard let a = parse(ends[0], isEnd: false), let b = parse(ends[0], isEnd: true) else { return nil }
            return .yearly(fromMonthDay: a, toMonthDay: b)
        case 2:
            // "Dec 1-15" means Dec 1 – Dec 15.
            var endText = ends[1]
            if Int(endText) != nil, let month = ends[0].split(separator: " ").first { endText = "\(month) \(endText)" }
            guard let a = parse(ends[0], isEnd: false), let b = parse(endText, isEnd: true) else { return nil }
            return .yearly(fromMonthDay: a, toMonthDay: b)
        default:
            return nil
        }
    }
}
