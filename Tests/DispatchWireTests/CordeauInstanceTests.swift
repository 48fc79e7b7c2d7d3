import Foundation
import Testing
@testable import DispatchWire

@Suite struct CordeauInstanceTests {
    static let directory = EmbeddedZoneTests.root.deletingLastPathComponent().appendingPathComponent("shared/instances/darp-a").path
    static let present: Bool = {
        let found = FileManager.default.fileExists(atPath: directory + "/a2-16.txt")
        if !found { print("note: \(directory) is absent; Cordeau instance tests are skipped") }
        return found
    }()

    @Test(.enabled(if: present, "needs ../shared/instances/darp-a"))
    func everyInstanceOfSetAReadsWithTheCountsItsNameStates() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory).filter { $0.hasPrefix("a") && $0.hasSuffix(".txt") }
        #expect(files.count == 24)
        for file in files {
            let instance = try CordeauInstance.load(path: Self.directory + "/" + file)
            // a<K>-<n>.txt
            let parts = file.dropFirst().dropLast(4).split(separator: "-")
            #expect(instance.vehicleCount == Int(parts[0]))
            #expect(instance.requestCount == Int(parts[1]))
            #expect(instance.nodes.count == 2 * instance.requestCount + 2)
            #expect(instance.vehicleCapacity == 3 && instance.maxRideTime == 30)
        }
    }

    @Test(.enabled(if: present, "needs ../shared/instances/darp-a"))
    func travelTimesAreUnroundedEuclideanDistances() throws {
        let a = try CordeauInstance.load(path: Self.directory + "/a2-16.txt")
        #expect(a.name == "a2-16")
        #expect(abs(a.travelTime(0, 1) - (1.198 * 1.198 + 5.164 * 5.164).squareRoot()) < 1e-12)
        #expect(a.travelTime(3, 3) == 0)
        #expect(a.pickup(ofRequest: 0).load == 1 && a.delivery(ofRequest: 0).load == -1)
        #expect(a.nodes.last!.id == 33 && a.maxRouteDuration == 480)
    }

    @Test func badInstanceFilesNameTheLineAndTheProblem() {
        let good = """
        1 1 480 3 30
          0   0.0   0.0   0   0    0  480
          1   1.0   0.0   3   1    0 1440
          2   2.0   0.0   3  -1    0 1440
          3   0.0   0.0   0   0    0  480
        """
        #expect((try? CordeauInstance.parse(good, name: "t", source: "t.txt"))?.requestCount == 1)
        let cases: [(String, Int, String)] = [
            ("", 1, "empty"),
            ("1 1 480 3\n", 1, "K n T Q L"),
            (good.replacingOccurrences(of: "  3   0.0   0.0   0   0    0  480", with: ""), 4, "expected 4 node lines"),
            (good.replacingOccurrences(of: "2   2.0   0.0   3  -1", with: "2   2.0   0.0   3  -2"), 4, "must be -1"),
            (good.replacingOccurrences(of: "1   1.0   0.0   3   1    0 1440", with: "1   1.0   0.0   3   1  900 100"), 3, "ends before it starts"),
            (good.replacingOccurrences(of: "1   1.0   0.0   3   1", with: "1   one   0.0   3   1"), 3, "node line"),
            (good.replacingOccurrences(of: "  2   2.0", with: "  7   2.0"), 4, "node id 7"),
        ]
        for (text, line, fragment) in cases {
            #expect {
                _ = try CordeauInstance.parse(text, name: "t", source: "t.txt")
            } throws: { error in
                guard let e = error as? InstanceFileError else { return false }
                return e.line == line && e.description.contains(fragment) && e.description.hasPrefix("t.txt, line")
            }
        }
    }
}
