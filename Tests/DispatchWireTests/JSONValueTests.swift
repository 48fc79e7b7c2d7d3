import DispatchCore
import DispatchWire
import Foundation
import RoadNetwork
import Testing

@Suite struct JSONValueTests {
    @Test func writtenJSONReadsBackAsTheSameValueWithSortedKeys() throws {
        let value: JSONValue = ["b": "quote \" slash \\ newline \n tab \t bell \u{07} 雲居温泉", "a": [1, 2.5, -3, true, nil], "c": ["z": 0, "y": 1e-7]]
        let bytes = value.bytes
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) == value)
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix(#"{"a":[1,2.5,-3,true,null],"b":"#))
    }

    @Test func timestampsAreISO8601InUTCLikeFoundationWritesThem() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let seed: UInt64 = 14
        var rng = SeededGenerator(seed: seed)
        let random = (0..<200).map { _ in Int64(rng.nextInt(in: -2_000_000_000_000...4_000_000_000_000)) }
        for ms: Int64 in [0, 1, 86_399_999, 951_782_400_000, 4_102_444_800_123, -1, -86_400_001] + random {
            #expect(TimeText.timestamp(milliseconds: ms) == formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)),
                    "\(ms) ms (the random instants come from seed \(seed))")
        }
    }
}

@Suite struct JSONParsingTests {
    @Test func validDocumentsParseLikeFoundationDoes() throws {
        let documents = [#"{"a": [1, -2.5e3, 0.25, true, false, null], "b": {"c": "x\"y\\z\/\n\u00e9\ud83d\ude95"}, "d": ""}"#,
                         #"  {"passenger_ref":"雲居","party_size":2}  "#, "[]", "{}", #""text""#, "0", "-0.5e+1", "12.75E-2"]
        for text in documents {
            var parser = JSONParser(Array(text.utf8))
            let parsed = parser.document()
            let ours = try #require(parsed, "\(text): \(parser.problem)")
            let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            #expect(ours == foundation, "\(text)")
        }
    }

    @Test func invalidDocumentsAreRefusedWithAReason() {
        let documents = ["", "{", #"{"a" 1}"#, #"{"a": 1,}"#, "[1,]", "01", "1.", "-", "'a'", #"{"a": tru}"#, #""\ud800""#, #""\x""#,
                         "\"a\u{01}b\"", #"{"a": 1} x"#, #"{"a": 1, "a": 2}"#, String(repeating: "[", count: 40) + String(repeating: "]", count: 40)]
        for text in documents {
            var parser = JSONParser(Array(text.utf8))
            #expect(parser.document() == nil, "\(text)")
            #expect(!parser.problem.isEmpty)
        }
    }

    @Test func whatTheWriterWritesTheParserReadsBack() {
        let seed: UInt64 = 14
        var rng = SeededGenerator(seed: seed)
        let characters = Array("aé\"\\\n\u{1}雲😀 ")
        func random(_ depth: Int) -> JSONValue {
            switch rng.nextInt(below: depth > 3 ? 4 : 6) {
            case 0: return .null
            case 1: return .bool(rng.nextBool(probability: 0.5))
            case 2: return .number(Double(rng.nextInt(in: -1_000_000...1_000_000)) / [1, 8, 1024][rng.nextInt(below: 3)])
            case 3: return .string(String((0..<rng.nextInt(below: 8)).map { _ in characters[rng.nextInt(below: characters.count)] }))
            case 4: return .array((0..<rng.nextInt(below: 4)).map { _ in random(depth + 1) })
            default: return .object(Dictionary((0..<rng.nextInt(below: 4)).map { ("k\($0)", random(depth + 1)) }) { a, _ in a })
            }
        }
        for i in 0..<300 {
            let value = random(0)
            var parser = JSONParser(value.bytes)
            #expect(parser.document() == value, "value \(i) from seed \(seed): \(String(decoding: value.bytes, as: UTF8.self))")
        }
    }
}
