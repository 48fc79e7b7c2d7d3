import DispatchPlanning
import DispatchWire
import Foundation

/// Finds the zone's stops by what a phone operator types: the Japanese name (kanji or kana as
/// written), a kana reading of the romanized name, or the romanized name itself (Hepburn, with or
/// without macrons, spaces or hyphens). Kana is turned into romaji and both sides are folded
/// (long vowels, `mb`/`mp` for `nb`/`np`, `tch` for `cch`), so くもいおんせん, クモイ and
/// "kumoi onsen" all find Kumoi Onsen (雲居温泉).
struct StopFinder: Sendable {
    struct Entry: Sendable {
        let stop: Int
        let id: String
        let name: String
        let localName: String
        let municipality: String
        let folded: String
    }

    let entries: [Entry]

    init(zone: ServiceZone) {
        entries = zone.file.stops.enumerated().map { i, s in
            Entry(stop: i, id: s.id, name: s.name, localName: s.localName, municipality: s.municipality, folded: Self.fold(romaji: s.name))
        }
    }

    /// Stops matching `query`, best first: exact names, then names that start with it, then names
    /// that contain it; stops of `preferring` (the operator's municipality) first within each.
    func find(_ query: String, preferring municipality: String? = nil, limit: Int = 10) -> [Entry] {
        let q = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !q.isEmpty else { return [] }
        let folded = Self.fold(romaji: Self.romaji(ofKana: q))
        let compact = q.filter { !$0.isWhitespace }
        var scored: [(Int, Entry)] = []
        for e in entries {
            var score = Int.max
            if e.id == q || e.localName == compact || (!folded.isEmpty && e.folded == folded) { score = 0 }
            else if e.localName.hasPrefix(compact) || (!folded.isEmpty && e.folded.hasPrefix(folded)) { score = 1 }
            else if e.localName.contains(compact) || (folded.count >= 2 && e.folded.contains(folded)) { score = 2 }
            guard score != .max else { continue }
            scored.append((score * 2 + (municipality != nil && e.municipality != municipality ? 1 : 0), e))
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.localName < $1.1.localName }.prefix(limit).map(\.1)
    }

    /// The stops whose id, Japanese name or folded romanized name is exactly `text`.
    func exact(_ text: String) -> [Entry] {
        let q = text.trimmingCharacters(in: .whitespacesAndNewlines), compact = q.filter { !$0.isWhitespace }
        let folded = Self.fold(romaji: Self.romaji(ofKana: q))
        return entries.filter { $0.id == q || $0.localName == compact || (!folded.isEmpty && $0.folded == folded) }
    }

    /// Lower-case ASCII letters and digits of a romanized name, folded: macrons and circumflexes
    /// dropped, `ou`/`oo` → `o`, `uu` → `u`, `ii` → `i`, `aa` → `a`, `ee` → `e`, `m` before b/p/m → `n`,
    /// `tch` → `cch`.
    static func fold(romaji: String) -> String {
        let plain = romaji.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
        var s = String(plain.unicodeScalars.filter { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") }.map(Character.init))
        for (from, to) in [("tch", "cch"), ("mb", "nb"), ("mp", "np"), ("mm", "nm"), ("ou", "o"), ("oo", "o"), ("uu", "u"), ("ii", "i"),
                           ("aa", "a"), ("ee", "e")] {
            s = s.replacingOccurrences(of: from, with: to)
        }
        return s
    }

    /// Hepburn romaji of the kana in `text` (katakana read as hiragana; other characters kept).
    static func romaji(ofKana text: String) -> String {
        var scalars: [Unicode.Scalar] = text.unicodeScalars.map { s in
            // Katakana ァ..ヶ → hiragana ぁ..ゖ.
            (0x30A1...0x30F6).contains(s.value) ? Unicode.Scalar(s.value - 0x60)! : s
        }
        scalars.append(" ")  // a sentinel for the look-ahead
        var out = "", i = 0
        var doubleNext = false
        while i < scalars.count - 1 {
            let pair = String(String.UnicodeScalarView([scalars[i], scalars[i + 1]]))
            let one = String(scalars[i])
            var piece: String
            if let r = kanaPairs[pair] { piece = r; i += 2 }
            else if one == "っ" { doubleNext = true; i += 1; continue }
            else if one == "ー" { i += 1; continue }
            else if let r = kana[one] { piece = r; i += 1 }
            else { piece = one; i += 1 }
            if doubleNext, let first = piece.first, first.isLetter, !"aeiou".contains(first) { piece = String(first) + piece }
            doubleNext = false
            out += piece
        }
        return out
    }

    static let kana: [String: String] = {
        let rows: [(String, [String])] = [
            ("あいうえお", ["a", "i", "u", "e", "o"]), ("かきくけこ", ["ka", "ki", "ku", "ke", "ko"]), ("がぎぐげご", ["ga", "gi", "gu", "ge", "go"]),
            ("さしすせそ", ["sa", "shi", "su", "se", "so"]), ("ざじずぜぞ", ["za", "ji", "zu", "ze", "zo"]),
            ("たちつてと", ["ta", "chi", "tsu", "te", "to"]), ("だぢづでど", ["da", "ji", "zu", "de", "do"]),
            ("なにぬねの", ["na", "ni", "nu", "ne", "no"]), ("はひふへほ", ["ha", "hi", "fu", "he", "ho"]),
            ("ばびぶべぼ", ["ba", "bi", "bu", "be", "bo"]), ("ぱぴぷぺぽ", ["pa", "pi", "pu", "pe", "po"]),
            ("まみむめも", ["ma", "mi", "mu", "me", "mo"]), ("やゆよ", ["ya", "yu", "yo"]), ("らりるれろ", ["ra", "ri", "ru", "re", "ro"]),
            ("わをん", ["wa", "o", "n"]), ("ぁぃぅぇぉ", ["a", "i", "u", "e", "o"]), ("ゃゅょ", ["ya", "yu", "yo"]), ("ゐゑ", ["i", "e"]),
        ]
        var table: [String: String] = [:]
        for (letters, sounds) in rows { for (k, r) in zip(letters, sounds) { table[String(k)] = r } }
        table["ゔ"] = "vu"
        return table
    }()

    /// Contracted sounds (きゃ → kya, しゃ → sha, ちゃ → cha, じゃ → ja, …).
    static let kanaPairs: [String: String] = {
        var table: [String: String] = [:]
        let bases: [(String, String)] = [("き", "ky"), ("ぎ", "gy"), ("し", "sh"), ("じ", "j"), ("ち", "ch"), ("ぢ", "j"), ("に", "ny"), ("ひ", "hy"),
                                         ("び", "by"), ("ぴ", "py"), ("み", "my"), ("り", "ry")]
        for (k, r) in bases {
            table[k + "ゃ"] = r + "a"
            table[k + "ゅ"] = r + "u"
            table[k + "ょ"] = r + "o"
        }
        table["しぇ"] = "she"; table["じぇ"] = "je"; table["ちぇ"] = "che"; table["ふぁ"] = "fa"; table["ふぃ"] = "fi"; table["ふぇ"] = "fe"; table["ふぉ"] = "fo"
        table["てぃ"] = "ti"; table["でぃ"] = "di"
        // ん before a vowel or y is written n' in Hepburn; folded names drop the apostrophe anyway.
        return table
    }()
}
