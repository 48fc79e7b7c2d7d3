import Foundation

// dispatch has two JSON stacks: `JSONValue` (hand-written, strict, on the booking hot path) and
// Foundation's Codable coders for documents (plans, zone files, reports), always through these
// functions so that every document is written alike: sorted keys, no escaped slashes, keys spelled
// in snake_case by each type's `CodingKeys`.

/// JSON the way the CLI and the server write documents: sorted keys, stable across runs.
public func encodeJSON(_ value: some Encodable, pretty: Bool = true) throws -> String {
    String(decoding: try encodeJSONBytes(value, pretty: pretty), as: UTF8.self)
}

/// `encodeJSON` as bytes (stored plan payloads, HTTP bodies).
public func encodeJSONBytes(_ value: some Encodable, pretty: Bool = false) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(value))
}
