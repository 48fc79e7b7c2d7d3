/// The console's two languages. Chosen by `?lang=ja|en` (kept in the `dispatch_lang` cookie),
/// else by `Accept-Language` (the preferred of ja and en by q), else Japanese.
enum ConsoleLocale: String, Sendable, CaseIterable {
    case ja, en

    /// The text in this language.
    func t(_ en: String, _ ja: String) -> String { self == .ja ? ja : en }

    static func from(query: String?, cookie: String?, acceptLanguage: String?) -> ConsoleLocale {
        if let query, let l = ConsoleLocale(rawValue: query) { return l }
        if let cookie, let l = ConsoleLocale(rawValue: cookie) { return l }
        return fromAcceptLanguage(acceptLanguage) ?? .ja
    }

    /// The highest-q language of ja and en in an Accept-Language header (first listed on a tie).
    static func fromAcceptLanguage(_ header: String?) -> ConsoleLocale? {
        guard let header else { return nil }
        var best: (ConsoleLocale, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased() else { continue }
            var q = 1.0
            for p in pieces.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 0 }
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let l = ConsoleLocale(rawValue: primary), q > 0 else { continue }
            if best == nil || q > best!.1 { best = (l, q) }
        }
        return best?.0
    }
}

import Foundation
