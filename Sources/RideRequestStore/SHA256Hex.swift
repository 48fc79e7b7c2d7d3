import Crypto
import Foundation

/// Lower-case hex of the SHA-256 digest (FIPS 180-4, swift-crypto: BoringSSL on Linux, CryptoKit on
/// Apple systems), for hashing API-key secrets and idempotent request bodies. The secrets are 160
/// random bits, so a plain hash (no slow KDF) is the right tool: nothing to brute-force.
/// - Complexity: O(n).
public func sha256Hex(_ bytes: some Collection<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var hex: [UInt8] = []
    hex.reserveCapacity(64)
    for byte in SHA256.hash(data: Array(bytes)) {
        hex.append(digits[Int(byte >> 4)])
        hex.append(digits[Int(byte & 15)])
    }
    return String(decoding: hex, as: UTF8.self)
}
