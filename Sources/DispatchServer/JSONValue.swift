import Foundation
import HTTPTypes

/// Any JSON value, decoded strictly (a boolean is not a number, a number is not a string), so
/// that validation can name the field and say what was wrong with it.
enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Parses a request body that must be a JSON object.
    static func object(from bytes: [UInt8]) throws -> [String: JSONValue] {
        guard !bytes.isEmpty else { throw APIError.malformed("the request body is empty; send a JSON object") }
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) } catch {
            throw APIError.malformed("the request body is not valid JSON")
        }
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
            throw APIError(.unprocessableContent, "unknown_field", "'\(name(unknown))' is not a field of this request", field: name(unknown))
        }
    }

    func has(_ key: String) -> Bool {
        if let v = object[key], v != .null { return true }
        return false
    }

    func string(_ key: String, required: Bool, maxLength: Int) throws -> String? {
        guard let value = object[key], value != .null else {
            if required { throw APIError.invalid(name(key), "'\(name(key))' is required") }
            return nil
        }
        guard case .string(let s) = value else { throw APIError.invalid(name(key), "'\(name(key))' must be a string, not \(value.kind)") }
        guard s.count <= maxLength else { throw APIError.invalid(name(key), "'\(name(key))' is longer than \(maxLength) characters") }
        if required && s.trimmingCharacters(in: .whitespaces).isEmpty { throw APIError.invalid(name(key), "'\(name(key))' must not be empty") }
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
