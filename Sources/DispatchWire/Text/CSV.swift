/// Cells of the CSV files the tools write for people (opened in spreadsheet programs).
///
/// Text cells are neutralized as OWASP's CSV-injection guidance asks: a cell that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return (or their full-width forms `＝ ＋ － ＠`, which
/// Japanese input methods produce and some spreadsheets read as formulas too) gets a leading `'`,
/// so the spreadsheet shows it as text instead of evaluating it. Cells holding a comma, a quote or
/// a line break are quoted (RFC 4180, quotes doubled).
///
/// Figures the program computes itself (counts, kilometres, yen, possibly negative) are written
/// as they are, not through `text`: a net cost of `-1200` stays a number in the spreadsheet.
public enum CSV {
    /// The one dialect of every CSV dispatch writes (RFC 4180): UTF-8 with a byte-order mark (so
    /// that spreadsheets read Japanese names), CRLF line ends, a header row, comma separators,
    /// text cells through `text(_:)`. Readers of dispatch's CSV inputs accept it, and LF and no BOM.
    /// - Parameter rows: the lines, header first, cells already joined with commas.
    public static func document(_ rows: [String]) -> String {
        "\u{FEFF}" + rows.joined(separator: "\r\n") + "\r\n"
    }

    /// The plain dialect of data feeds read by programs (GTFS): UTF-8 without a byte-order mark,
    /// LF line ends, a header row, comma separators, cells through `plainCell(_:)` (quoted as
    /// RFC 4180 asks, never neutralized: a phone number `+81-…` stays as it is).
    /// - Parameter rows: the lines, header first, one array of raw cell values each.
    public static func plainDocument(_ rows: [[String]]) -> String {
        rows.map { $0.map(plainCell).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// A cell of `plainDocument`: tabs and line breaks become spaces (GTFS forbids them in a
    /// value); quoted, with quotes doubled, when it holds a comma or a quote.
    /// - Complexity: O(n) for n characters.
    public static func plainCell(_ value: String) -> String {
        var cell = value
        if cell.unicodeScalars.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            cell = String(String.UnicodeScalarView(cell.unicodeScalars.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 }))
        }
        guard cell.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" }) else { return cell }
        return "\"" + cell.replacingQuotes() + "\""
    }

    /// Characters that make a spreadsheet read a cell as a formula when they come first.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]

    /// A text cell (names, ids, free text): neutralized and quoted as needed.
    /// - Complexity: O(n) for n characters.
    public static func text(_ value: String) -> String {
        var cell = value
        if let first = cell.unicodeScalars.first, formulaStarts.contains(first) { cell = "'" + cell }
        guard cell.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingQuotes() + "\""
    }
}

private extension String {
    func replacingQuotes() -> String {
        var out = ""
        out.reserveCapacity(utf8.count + 2)
        for scalar in unicodeScalars {
            if scalar == "\"" { out.unicodeScalars.append("\"") }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
