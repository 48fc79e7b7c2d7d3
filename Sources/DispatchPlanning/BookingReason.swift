import DispatchCore

/// A stored rejection reason: an `UnservedReason` raw value, optionally followed by ": " and a
/// sentence naming the rule (cross-border rules).
public enum BookingReason {
    public static func make(_ reason: UnservedReason, detail: String? = nil) -> String {
        detail.map { "\(reason.rawValue): \($0)" } ?? reason.rawValue
    }

    public static func reason(_ stored: String) -> UnservedReason? {
        UnservedReason(rawValue: String(stored.prefix { $0 != ":" }))
    }

    /// The sentence for people: the rule when one was stored, else the reason's explanation.
    public static func message(_ stored: String) -> String {
        if let colon = stored.firstIndex(of: ":") {
            return String(stored[stored.index(after: colon)...]).trimmingPrefix(" ").description
        }
        return UnservedReason(rawValue: stored)?.explanation ?? stored
    }
}
