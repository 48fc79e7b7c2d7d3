/// What the API accepts in text: one set of rules for every text field and header value.
enum TextRules {
    /// The first control character (Unicode general category Cc: U+0000–U+001F and U+007F–U+009F)
    /// of `text`; tab (U+0009) and line feed (U+000A) are allowed when `allowingLineBreaks`.
    /// NUL in particular: PostgreSQL refuses it in text and SQLite cuts the text there.
    static func firstControl(in text: String, allowingLineBreaks: Bool) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            guard scalar.properties.generalCategory == .control else { return false }
            return !(allowingLineBreaks && (scalar == "\t" || scalar == "\n"))
        }
    }

    /// Whether a character shows nothing: white space (including U+3000 ideographic space),
    /// format characters (zero-width space U+200B, joiners, U+FEFF, bidirectional marks),
    /// default-ignorable code points (Hangul fillers, variation selectors) and U+2800 braille blank.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        let p = scalar.properties
        return p.isWhitespace || p.isDefaultIgnorableCodePoint || p.generalCategory == .format || p.generalCategory == .control
            || scalar == "\u{2800}"
    }

    /// "U+0000".
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
