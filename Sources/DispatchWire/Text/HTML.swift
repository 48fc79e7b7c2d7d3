/// HTML text for every page dispatch writes (plan views, reports).
public enum HTML {
    /// `s` safe inside element content and quoted attribute values: & < > " ' escaped.
    /// - Complexity: O(n) for n characters.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
