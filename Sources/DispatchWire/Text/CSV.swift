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
