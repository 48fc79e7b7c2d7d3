import DispatchWire

/// HTML whose interpolated text is escaped: `"<p>\(name)</p>" as Markup` escapes `name`, while
/// interpolated `Markup` (already safe) goes in as it is. Every console page is built from it, so
/// a passenger's notes or a stop name cannot inject markup.
struct Markup: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var text: String

    init(raw: String) { text = raw }
    init(stringLiteral value: String) { text = value }
    init(stringInterpolation: StringInterpolation) { text = stringInterpolation.text }

    var description: String { text }

    static func + (a: Markup, b: Markup) -> Markup { Markup(raw: a.text + b.text) }
    static func += (a: inout Markup, b: Markup) { a.text += b.text }

    struct StringInterpolation: StringInterpolationProtocol {
        var text = ""
        init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity + 16 * interpolationCount) }
        mutating func appendLiteral(_ literal: String) { text += literal }
        mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }
        mutating func appendInterpolation(_ value: String?) { text += HTML.escape(value ?? "") }
        mutating func appendInterpolation(_ value: Int) { text += String(value) }
        mutating func appendInterpolation(_ value: Markup) { text += value.text }
        mutating func appendInterpolation(_ values: [Markup]) { for v in values { text += v.text } }
    }
}

extension Array where Element == Markup {
    func joined() -> Markup { Markup(raw: map(\.text).joined()) }
}
