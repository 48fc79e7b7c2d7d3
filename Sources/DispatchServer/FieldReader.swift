import DispatchWire
import Foundation
import HTTPTypes

extension JSONValue {
    /// Parses a request body that must be a JSON object.
    static func object(from bytes: [UInt8]) throws -> [String: JSONValue] {
        guard !bytes.isEmpty else { throw APIError.malformed("the request body is empty; send a JSON object") }
        var parser = JSONParser(bytes)
        guard let value = parser.document() else { throw APIError.malformed("the request body is not valid JSON (\(parser.problem))") }
        guard case .object(let object) = value else { throw APIError.malformed("the request body must be a JSON object, not \(value.kind)") }
        return object
    }
}

/// Reads fields of a JSON object, each error naming its field (`pickup.lat`).
struct FieldReader {
    let object: [String: JSONValue]
    let prefix: String

    init(_ object: [String: JSONValue], prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    func name(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }

    func rejectUnknown(allowed: Set<String>) throws {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError(.unprocessableContent, "unknown_field", "'\(echo(name(unknown)))' is not a field of this request", field: name(unknown))
        }
    }

    /// A true/false field (`fallback` when absent or null).
    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        switch object[key] {
        case nil, .null?: return fallback
        case .bool(let b)?: return b
        default: throw APIError.invalid(name(key), "'\(name(key))' must be true or false")
        }
    }

    func has(_ key: String) -> Bool {
        if let v = object[key], v != .null { return true }
        return false
    }

    /// A text field. Control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) are
    /// refused everywhere, except tab and line feed where `multiline` (free text such as notes);
    /// a required field must hold at least one visible character (`TextRules.isInvisible`).
    func string(_ key: String, required: Bool, maxLength: Int, multiline: Bool = false) throws -> String? {
        guard let value = object[key], value != .null else {
            if required { throw APIError.invalid(name(key), "'\(name(key))' is required") }
            return nil
        }
        guard case .string(let s) = value else { throw APIError.invalid(name(key), "'\(name(key))' must be a string, not \(value.kind)") }
        guard s.count <= maxLength else { throw APIError.invalid(name(key), "'\(name(key))' is longer than \(maxLength) characters") }
        if let bad = TextRules.firstControl(in: s, allowingLineBreaks: multiline) {
            throw APIError.invalid(name(key), "'\(name(key))' contains the control character \(TextRules.codePoint(bad))"
                                   + (multiline ? "; only tab and line feed are allowed" : "; it must be a single line of text"))
        }
        if required && s.unicodeScalars.allSatisfy(TextRules.isInvisible) {
            throw APIError.invalid(name(key), "'\(name(key))' must not be empty or made only of invisible characters (spaces, zero-width characters)")
        }
        return s
    }

    func number(_ key: String, in range: ClosedRange<Double>) throws -> Double {
        guard let value = object[key], value != .null else { throw APIError.invalid(name(key), "'\(name(key))' is required") }
        guard case .number(let n) = value else { throw APIError.invalid(name(key), "'\(name(key))' must be a number, not \(value.kind)") }
        guard n.isFinite, range.contains(n) else {
            throw APIError.invalid(name(key), "'\(name(key))' must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return n
    }

    func integer(_ key: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let value = object[key], value != .null else { return fallback }
        guard case .number(let n) = value, n.isFinite, n.rounded() == n, abs(n) < 1e9 else {
            throw APIError.invalid(name(key), "'\(name(key))' must be a whole number, not \(value.kind == "a number" ? "a fraction" : value.kind)")
        }
        guard range.contains(Int(n)) else { throw APIError.invalid(name(key), "'\(name(key))' must be between \(range.lowerBound) and \(range.upperBound)") }
        return Int(n)
    }

    func object(_ key: String) throws -> FieldReader {
        guard let value = object[key], value != .null else { throw APIError.invalid(name(key), "'\(name(key))' is required") }
        guard case .object(let o) = value else { throw APIError.invalid(name(key), "'\(name(key))' must be an object, not \(value.kind)") }
        return FieldReader(o, prefix: name(key))
    }
}
