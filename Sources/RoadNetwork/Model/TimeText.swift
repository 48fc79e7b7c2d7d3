/// The one way dispatch writes and reads times as text: clock times of a service day as
/// `HH:MM:SS` (`HH:MM` accepted on input) and timestamps as ISO-8601 in UTC with milliseconds
/// (`2026-12-01T07:52:01.042Z`). Pure integer arithmetic, no formatter objects (an
/// `ISO8601DateFormatter` cost a fifth of a booking's time).
public enum TimeText {
    /// "HH:MM:SS" of `seconds` after midnight (negative values clamp to 00:00:00; 24:00:00 and
    /// later are written as such, for shifts that end at midnight).
    public static func clock(_ seconds: Int) -> String {
        let s = max(0, seconds)
        return pad(s / 3600, 2) + ":" + pad(s / 60 % 60, 2) + ":" + pad(s % 60, 2)
    }

    /// Seconds after midnight of "HH:MM" or "HH:MM:SS" (hours 0–24, at most 24:00:00), or nil.
    public static func seconds(ofClock text: some StringProtocol) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0.count == 2 && $0.utf8.allSatisfy { (48...57).contains($0) } }),
              let h = Int(parts[0]), let m = Int(parts[1]), h <= 24, m < 60 else { return nil }
        let s = parts.count == 3 ? Int(parts[2])! : 0
        guard s < 60 else { return nil }
        let total = h * 3600 + m * 60 + s
        return total <= 24 * 3600 ? total : nil
    }

    /// "2026-11-30T02:12:42.842Z" of milliseconds since 1970-01-01T00:00:00Z.
    public static func timestamp(milliseconds ms: Int64) -> String {
        let dayMs: Int64 = 86_400_000
        let days = ms >= 0 ? ms / dayMs : (ms - (dayMs - 1)) / dayMs
        let inDay = Int(ms - days * dayMs)
        let date = ServiceDate(dayNumber: Int(days))
        return date.description + "T" + pad(inDay / 3_600_000, 2) + ":" + pad(inDay / 60_000 % 60, 2) + ":" + pad(inDay / 1000 % 60, 2)
            + "." + pad(inDay % 1000, 3) + "Z"
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

extension TimeText {
    /// "HH:MM" of `seconds` after midnight (seconds dropped), for sentences people read; documents
    /// use `clock(_:)`.
    public static func clockMinutes(_ seconds: Int) -> String {
        let s = max(0, seconds)
        return pad(s / 3600, 2) + ":" + pad(s / 60 % 60, 2)
    }
}
