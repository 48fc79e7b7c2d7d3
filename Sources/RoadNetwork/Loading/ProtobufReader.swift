/// Thrown by `ProtobufReader` when a message ends early or holds an impossible value.
struct ProtobufError: Error {
    let reason: String
}

/// A minimal reader over the protobuf wire format (varints, zigzag, length-delimited fields),
/// enough for OpenStreetMap PBF. It never copies: sub-messages are slices of the same buffer.
///
/// Wire format: each field starts with a varint key `(field << 3) | wireType`; wire types 0 varint,
/// 1 fixed64, 2 length-delimited, 5 fixed32 (https://protobuf.dev/programming-guides/encoding/).
struct ProtobufReader {
    let base: UnsafeRawPointer
    var position: Int
    let end: Int

    init(_ buffer: UnsafeRawBufferPointer) {
        base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 0x10)!
        position = 0
        end = buffer.count
    }

    private init(base: UnsafeRawPointer, position: Int, end: Int) {
        self.base = base
        self.position = position
        self.end = end
    }

    @inline(__always) var isAtEnd: Bool { position >= end }

    /// Reads a base-128 varint of at most 10 bytes.
    @inline(__always)
    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw ProtobufError(reason: "varint runs past the end of its message") }
            let byte = base.load(fromByteOffset: position, as: UInt8.self)
            position += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift >= 70 { throw ProtobufError(reason: "varint longer than 10 bytes") }
        }
    }

    @inline(__always)
    mutating func readSignedVarint() throws -> Int64 {
        zigzag(try readVarint())
    }

    @inline(__always)
    mutating func readInt64() throws -> Int64 { Int64(bitPattern: try readVarint()) }

    /// Reads the next field key; returns nil at the end of the message.
    @inline(__always)
    mutating func readKey() throws -> (field: Int, wireType: Int)? {
        guard position < end else { return nil }
        let key = try readVarint()
        let field = Int(truncatingIfNeeded: key >> 3)
        guard field > 0 else { throw ProtobufError(reason: "field number 0") }
        return (field, Int(key & 7))
    }

    /// A reader over the next length-delimited value.
    @inline(__always)
    mutating func readMessage() throws -> ProtobufReader {
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw ProtobufError(reason: "a field of \(length) bytes runs past the end of its message")
        }
        let sub = ProtobufReader(base: base, position: position, end: position + Int(length))
        position += Int(length)
        return sub
    }

    /// The bytes of the next length-delimited value.
    mutating func readBytes() throws -> UnsafeRawBufferPointer {
        let sub = try readMessage()
        return UnsafeRawBufferPointer(start: base + sub.position, count: sub.end - sub.position)
    }

    mutating func readString() throws -> String {
        let bytes = try readBytes()
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Skips a field of the given wire type.
    mutating func skip(wireType: Int) throws {
        switch wireType {
        case 0: _ = try readVarint()
        case 1: try advance(8)
        case 2: _ = try readMessage()
        case 5: try advance(4)
        default: throw ProtobufError(reason: "unsupported wire type \(wireType)")
        }
    }

    private mutating func advance(_ n: Int) throws {
        guard n <= end - position else { throw ProtobufError(reason: "fixed-size field runs past the end") }
        position += n
    }

    /// Calls `body` with each varint of a packed field (or the single value of an unpacked one).
    @inline(__always)
    mutating func forEachVarint(wireType: Int, _ body: (UInt64) throws -> Void) throws {
        if wireType == 2 {
            var packed = try readMessage()
            while !packed.isAtEnd { try body(try packed.readVarint()) }
        } else if wireType == 0 {
            try body(try readVarint())
        } else {
            throw ProtobufError(reason: "expected a varint field, found wire type \(wireType)")
        }
    }
}

@inline(__always) func zigzag(_ v: UInt64) -> Int64 { Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1))) }
