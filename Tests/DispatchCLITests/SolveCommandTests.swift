import DispatchWire
import Foundation
import Testing

@Suite struct SolveCommandTests {
    static let darp: String? = {
        let path = CLIRunner.projectRoot.deletingLastPathComponent().appendingPathComponent("shared/instances/darp-a/a2-16.txt").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    @Test(.enabled(if: darp != nil, "needs ../shared/instances/darp-a"))
    func solvePrintsTheDocumentedJSONWithACostRecomputedFromTheRoutes() throws {
        let output = try CLIRunner.run(["solve", Self.darp!, "--time-limit", "5", "--iterations", "300",
                                        "--seed", "3", "--format", "json", "--quiet", "--solver", "heuristic"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        for key in ["instance", "cost", "status", "vehicles_used", "unserved", "routes", "seconds"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["instance"] as? String == "a2-16")
        #expect(json["status"] as? String == "feasible")
        let routes = try #require(json["routes"] as? [[Int]])
        // Every pickup 1…16 and delivery 17…32 exactly once, depots excluded.
        #expect(routes.flatMap { $0 }.sorted() == Array(1...32))
        let file = try CordeauInstance.load(path: Self.darp!)
        let cost = try #require(json["cost"] as? Double)
        #expect(abs(cost - file.cost(ofRoutes: routes)) < 1e-9)
        #expect(cost >= 294.24)   // the proven optimum of a2-16 is 294.25
        #expect(json["vehicles_used"] as? Int == routes.count)
    }

    @Test(.enabled(if: darp != nil, "needs ../shared/instances/darp-a"))
    func sameSeedAndIterationsGiveTheSameRoutes() throws {
        let arguments = ["solve", Self.darp!, "--time-limit", "30", "--iterations", "200", "--seed", "9",
                         "--format", "json", "--quiet", "--no-recombination", "--solver", "heuristic"]
        let a = try CLIRunner.run(arguments), b = try CLIRunner.run(arguments)
        func routes(_ o: CLIRunner.Output) throws -> [[Int]] {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(o.stdout.utf8)) as? [String: Any])
            return try #require(json["routes"] as? [[Int]])
        }
        #expect(try routes(a) == routes(b))
    }

    @Test(.enabled(if: darp != nil, "needs ../shared/instances/darp-a"))
    func autoSolvesASmallInstanceExactlyAndProvesTheOptimum() throws {
        let output = try CLIRunner.run(["solve", Self.darp!, "--time-limit", "20", "--format", "json", "--quiet"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(json["solver"] as? String == "exact")
        #expect((json["solver_reason"] as? String)?.contains("auto chose the exact solver: 16 requests") == true)
        #expect(json["status"] as? String == "optimal")
        let cost = try #require(json["cost"] as? Double)
        #expect(abs(cost - 294.25) < 0.01)   // Cordeau's proven optimum for a2-16
        let bound = try #require(json["lower_bound"] as? Double)
        #expect(abs(bound - cost) < 0.01)
    }

    @Test func badInstanceFilesExitWithCode2AndNameTheLine() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let bad = dir.appendingPathComponent("broken.txt")
        try "2 1 480 3 30\n0 0 0 0 0 0 480\n1 1 1 3 1 0 100\n2 2 2 3 1 0 100\n3 0 0 0 0 0 480\n".write(to: bad, atomically: true, encoding: .utf8)
        let output = try CLIRunner.run(["solve", bad.path, "--quiet"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("line 4"))
        #expect(output.stderr.split(separator: "\n").count == 1)

        let missing = try CLIRunner.run(["solve", dir.appendingPathComponent("nope.txt").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot be read"))

        let negative = try CLIRunner.run(["solve", bad.path, "--time-limit", "-1"])
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--time-limit"))

        let gap = try CLIRunner.run(["solve", bad.path, "--mip-gap", "2"])
        #expect(gap.status == 2)
        #expect(gap.stderr.contains("--mip-gap"))

        for workers in ["0", "17", "two"] {
            let answer = try CLIRunner.run(["solve", bad.path, "--workers", workers])
            #expect(answer.status == 2, "--workers \(workers)")
            #expect(answer.stderr.contains("--workers") || answer.stderr.contains("workers"), "\(answer.stderr)")
        }
        let planWorkers = try CLIRunner.run(["plan", "--date", "2026-12-01", "--workers", "0"])
        #expect(planWorkers.status == 2)
        #expect(planWorkers.stderr.contains("--workers"))

        let huge = dir.appendingPathComponent("huge.txt")
        try "2 6000 480 3 30\n".write(to: huge, atomically: true, encoding: .utf8)
        let tooLarge = try CLIRunner.run(["solve", huge.path])
        #expect(tooLarge.status == 2)
        #expect(tooLarge.stderr.contains("at most 5,000"))
    }

    @Test func anInstanceNoPlanCanServeExitsWith3AfterWritingThePlan() throws {
        // One request whose pickup window closes before any vehicle can reach it.
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("impossible.txt")
        try "1 1 480 3 30\n0 0 0 0 0 0 480\n1 100 100 3 1 0 10\n2 101 101 3 -1 0 480\n3 0 0 0 0 0 480\n".write(to: file, atomically: true, encoding: .utf8)
        let written = dir.appendingPathComponent("plan.json")
        let output = try CLIRunner.run(["solve", file.path, "--format", "json", "-o", written.path, "--quiet", "--time-limit", "2"])
        #expect(output.status == 3, "\(output.stderr)")
        #expect(output.stderr.contains("No feasible plan") && output.stderr.contains("1 of 1"), "\(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: written)) as? [String: Any])
        #expect(json["unserved"] as? [String] == ["1"])
        #expect(json["status"] as? String == "infeasible")
        // The old spelling of the input file still works.
        let table = try CLIRunner.run(["solve", "--instance", file.path, "--quiet", "--time-limit", "2"])
        #expect(table.status == 3)
        #expect(table.stdout.contains("served     0 of 1"))
        let twice = try CLIRunner.run(["solve", file.path, "--instance", file.path])
        #expect(twice.status == 2)
    }
}
