/// The reading side of dispatch's CSV dialect, shared by every CSV input (points, closure lists,
/// fleets): UTF-8 with or without a byte-order mark, CRLF or LF, fields quoted with `"` (a doubled
/// `""` is a quote), blank lines and lines starting with `#` skipped, spaces around fields trimmed.
/// Quoted fields do not span lines.
public enum CSVInput {
    /// The non-blank, non-comment lines of `text` with their 1-based line numbers, split into fields.
    public static func records(_ text: String) -> [(line: Int, fields: [String])] {
        var out: [(line: Int, fields: [String])] = []
        for (offset, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = raw.trimmingSpaces()
            if offset == 0, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            out.append((offset + 1, ClosureList.splitCSV(line)))
        }
        return out
    }
}
