/// Columns of text aligned for a terminal, counting East Asian wide characters (kanji, kana,
/// full-width forms) as two cells, as terminals draw them (Unicode UAX #11, wide and fullwidth).
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]] = []

    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
    }

    public mutating func append(_ row: [String]) {
        precondition(row.count == headers.count, "a row needs \(headers.count) cells")
        rows.append(row)
    }

    public var text: String {
        var widths = headers.map(displayWidth)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], displayWidth(cell)) } }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - displayWidth(cell))
                let isLast = i == cells.count - 1
                out += alignments[i] == .right ? pad + cell : cell + (isLast ? "" : pad)
                if !isLast { out += "  " }
            }
            return out
        }
        var lines = [line(headers), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }
}

/// Terminal cells needed to show `text`: 2 for East Asian wide and fullwidth characters, 0 for
/// combining marks and zero-width joiners, 1 otherwise.
public func displayWidth(_ text: String) -> Int {
    var width = 0
    for scalar in text.unicodeScalars {
        let v = scalar.value
        switch v {
        case 0x0300 ... 0x036F, 0x200B ... 0x200F, 0xFE00 ... 0xFE0F, 0x3099 ... 0x309A: continue
        case 0x1100 ... 0x115F, 0x2E80 ... 0x303E, 0x3041 ... 0x33FF, 0x3400 ... 0x4DBF, 0x4E00 ... 0x9FFF,
             0xA000 ... 0xA4CF, 0xAC00 ... 0xD7A3, 0xF900 ... 0xFAFF, 0xFE30 ... 0xFE4F, 0xFF00 ... 0xFF60,
             0xFFE0 ... 0xFFE6, 0x1F300 ... 0x1F64F, 0x1F900 ... 0x1F9FF, 0x20000 ... 0x3FFFD:
            width += 2
        default:
            width += 1
        }
    }
    return width
}
