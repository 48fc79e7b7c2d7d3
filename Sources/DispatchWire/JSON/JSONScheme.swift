/// The naming scheme of every JSON document dispatch reads or writes, as a check (the scheme
/// tests walk each command's and each endpoint's output with it):
/// - keys are snake_case (`wheelchair_places`), except in maps keyed by ids (`fares`);
/// - values of enumeration keys (`status`, `reason`, `code`, …) are snake_case;
/// - clock times are `HH:MM:SS`, timestamps (`at`, `*_at`) ISO-8601 UTC with milliseconds;
/// - a pair of numbers is GeoJSON `[lon, lat]`; points as objects are `{"lat", "lon"}`.
public enum JSONScheme {
    /// Keys whose string values name a case of an enumeration.
    public static let enumerationKeys: Set<String> = ["status", "reason", "code", "kind", "role", "solver", "action", "channel",
                                                      "concession", "time_kind", "actor", "rule"]
    /// Keys whose string values are clock times.
    public static let clockKeys: Set<String> = ["time", "departure", "return", "pickup_time", "arrive_by", "promised_earliest",
                                                "promised_latest", "start", "end", "from", "to", "old_pickup", "new_pickup"]

    /// Every place in `value` that breaks the scheme, as "path: what" lines (empty when none).
    /// - Parameters:
    ///   - idKeyedMaps: paths (keys joined by ".", array positions left out) of objects whose keys
    ///     are ids, not names of the format.
    ///   - enumerationKeys: keys whose values are enumeration cases (GeoJSON documents leave out
    ///     `type`, whose values the standard spells).
    ///   - lonLatPlausible: whether a pair of numbers [a, b] with |a| ≤ 90 < |b| is flagged as
    ///     [lat, lon] (true for zones east or west of ±90° longitude, such as Japan's).
    public static func violations(in value: JSONValue, idKeyedMaps: Set<String> = [], enumerationKeys: Set<String> = enumerationKeys,
                                  lonLatPlausible: Bool = true) -> [String] {
        var found: [String] = []
        func walk(_ value: JSONValue, path: [String], key: String?, parentKey: String?) {
            let where_ = path.isEmpty ? "(root)" : path.joined(separator: ".")
            switch value {
            case .object(let object):
                if object["lat"] != nil || object["lon"] != nil, object["lat"] == nil || object["lon"] == nil {
                    found.append("\(where_): a point object needs both lat and lon")
                }
                let ids = idKeyedMaps.contains(where_)
                for (k, inner) in object {
                    if !ids && !isSnakeCase(k) { found.append("\(where_): key '\(k)' is not snake_case") }
                    walk(inner, path: path + [ids ? "*" : k], key: ids ? nil : k, parentKey: key)
                }
            case .array(let items):
                if items.count == 2, case .number(let a) = items[0], case .number(let b) = items[1], lonLatPlausible, abs(a) <= 90, abs(b) > 90 {
                    found.append("\(where_): [\(a), \(b)] looks like [lat, lon]; pairs are GeoJSON [lon, lat]")
                }
                for item in items { walk(item, path: path, key: key, parentKey: parentKey) }
            case .string(let s):
                guard let key else { return }
                if enumerationKeys.contains(key) && !isSnakeCase(s) { found.append("\(where_): value '\(s)' of '\(key)' is not snake_case") }
                let clockKey = clockKeys.contains(key) && (key != "from" && key != "to" || parentKey == "promised_pickup")
                if clockKey && !isClock(s) { found.append("\(where_): '\(s)' is not a clock time HH:MM:SS") }
                if (key == "at" || key.hasSuffix("_at")) && !isTimestamp(s) {
                    found.append("\(where_): '\(s)' is not an ISO-8601 timestamp with milliseconds (2026-12-01T07:52:01.042Z)")
                }
            default:
                break
            }
        }
        walk(value, path: [], key: nil, parentKey: nil)
        return found.sorted()
    }

    /// `^[a-z][a-z0-9]*(_[a-z0-9]+)*$`.
    public static func isSnakeCase(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let first = u.first, (97...122).contains(first), u.last != UInt8(ascii: "_") else { return false }
        var previousUnderscore = false
        for c in u {
            if c == UInt8(ascii: "_") {
                if previousUnderscore { return false }
                previousUnderscore = true
            } else {
                guard (97...122).contains(c) || (48...57).contains(c) else { return false }
                previousUnderscore = false
            }
        }
        return true
    }

    static func isClock(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return u.count == 8 && u[2] == UInt8(ascii: ":") && u[5] == UInt8(ascii: ":") && TimeTextCheck.digits(u, [0, 1, 3, 4, 6, 7])
    }

    static func isTimestamp(_ s: String) -> Bool {
        // 2026-12-01T07:52:01.042Z
        let u = Array(s.utf8)
        guard u.count == 24 else { return false }
        let punctuation: [(Int, Character)] = [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "."), (23, "Z")]
        guard punctuation.allSatisfy({ u[$0.0] == $0.1.asciiValue! }) else { return false }
        return TimeTextCheck.digits(u, [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22])
    }
}

enum TimeTextCheck {
    static func digits(_ u: [UInt8], _ positions: [Int]) -> Bool { positions.allSatisfy { (48...57).contains(u[$0]) } }
}
