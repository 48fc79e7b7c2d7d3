@testable import DispatchServer
import Foundation
import Testing

@Suite struct JSONWritingTests {
    @Test func writtenJSONReadsBackAsTheSameValueWithSortedKeys() throws {
        let value: JSONValue = ["b": "quote \" slash \\ newline \n tab \t bell \u{07} 雲居温泉", "a": [1, 2.5, -3, true, nil], "c": ["z": 0, "y": 1e-7]]
        let bytes = value.bytes
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) == value)
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix(#"{"a":[1,2.5,-3,true,null],"b":"#))
    }

    @Test func timestampsAreISO8601InUTCLikeFoundationWritesThem() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var rng = SystemRandomNumberGenerator()
        for ms: Int64 in [0, 1, 86_399_999, 951_782_400_000, 4_102_444_800_123, -1, -86_400_001] + (0..<200).map({ _ in Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &rng) }) {
            #expect(iso8601(milliseconds: ms) == formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)), "\(ms)")
        }
    }
}
