import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RideRequestStore
import Testing

/// `dispatch serve` as a process: bookings answered 201 survive a SIGKILL.
@Suite(.serialized) struct ServeDurabilityTests {
    /// A running `dispatch serve`; its port is read from the line it prints when listening.
    final class Server: @unchecked Sendable {
        let process = Process()
        let port: Int

        init(store: String, arguments: [String] = []) throws {
            process.executableURL = URL(fileURLWithPath: CLIRunner.binary)
            process.arguments = ["serve", "--port", "0", "--store", store, "--booking-horizon-days", "36600"] + arguments
            process.currentDirectoryURL = CLIRunner.projectRoot
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line = Data()
            let handle = out.fileHandleForReading
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = handle.availableData
                guard !chunk.isEmpty else { break }
                line.append(chunk)
            }
            let text = String(decoding: line, as: UTF8.self)
            guard let range = text.range(of: #"http://127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                  let port = Int(text[range].split(separator: ":").last!) else {
                process.terminate()
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "dispatch serve did not start: \(text)"])
            }
            self.port = port
        }

        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        func client(timeout: Duration = .seconds(30)) -> TestClient {
            let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: timeout))
            client.connect()
            return client
        }
    }

    final class Ledger: @unchecked Sendable {
        let lock = NSLock()
        var created: [Int: String] = [:]   // request number → booking id answered 201
        var answered = 0
        func record(_ i: Int, _ id: String) { lock.lock(); created[i] = id; answered += 1; lock.unlock() }
        var count: Int { lock.lock(); defer { lock.unlock() }; return answered }
    }

    static func body(_ i: Int) -> ByteBuffer {
        // Ten service dates, the two valleys, times through the day.
        let date = String(format: "2099-07-%02d", [1, 2, 3, 4, 6, 7, 8, 9, 10, 11][i % 10])   // no Sunday: every town has service
        let time = String(format: "%02d:%02d", 8 + (i / 10) % 9, (i % 4) * 15)
        let (from, to) = i % 2 == 0 ? ("okukawa-yakuba-mae-meetingpoint", "hanaoka-prefectural-hospital-hospital")
                                    : ("hanaoka-station-station", "minamidani-yakuba-mae-meetingpoint")
        return ByteBuffer(string: """
            {"passenger_ref": "D-\(i)", "municipality": "okukawa-mura", "pickup": {"stop_id": "\(from)"}, "dropoff": {"stop_id": "\(to)"},
             "date": "\(date)", "pickup_time": "\(time)"}
            """)
    }

    static func send(_ i: Int, with client: TestClient, key: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        let headers: HTTPFields = [.authorization: "Bearer \(key)", .contentType: "application/json", HTTPField.Name("Idempotency-Key")!: "dur-\(i)"]
        let response = try await client.execute(.init("/v1/bookings", method: .post, headers: headers, body: body(i)))
        let json = (try? JSONSerialization.jsonObject(with: Data((response.body ?? ByteBuffer()).readableBytesView))) as? [String: Any] ?? [:]
        return (response.status, json)
    }

    @Test func everyBookingAnswered201SurvivesASIGKILLMidBurstAndNoneIsDuplicated() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        let store = "sqlite:" + dir.appendingPathComponent("store.sqlite").path
        let key = try CLIRunner.run(["keys", "create", "--role", "booking", "--store", store]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let dispatcher = try CLIRunner.run(["keys", "create", "--role", "dispatcher", "--store", store]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("dk_") && dispatcher.hasPrefix("dk_"))

        let total = 1_000, killAfter = 400
        let server = try Server(store: store)
        let ledger = Ledger()
        // Eight clients, each with its own connection, send their share; the server dies mid-burst.
        await withTaskGroup(of: Void.self) { group in
            for c in 0..<8 {
                group.addTask {
                    let client = server.client()
                    for i in stride(from: c, to: total, by: 8) {
                        guard let (status, json) = try? await Self.send(i, with: client, key: key) else { return }
                        if status == .created, let id = json["id"] as? String { ledger.record(i, id) }
                    }
                }
            }
            group.addTask {
                while ledger.count < killAfter { try? await Task.sleep(for: .milliseconds(5)) }
                server.kill()
            }
        }
        let answeredBeforeKill = ledger.created
        #expect(answeredBeforeKill.count >= killAfter && answeredBeforeKill.count < total, "killed after \(answeredBeforeKill.count)")

        // Restart on the same file: every 201 is there; then resend everything with the same keys.
        let restarted = try Server(store: store)
        defer { restarted.kill() }
        let client = restarted.client()
        for (i, id) in answeredBeforeKill {
            let headers: HTTPFields = [.authorization: "Bearer \(key)"]
            let response = try await client.execute(.init("/v1/bookings/\(id)", method: .get, headers: headers))
            #expect(response.status == .ok, "booking \(i) (\(id)) answered 201 before the kill is missing")
        }
        var ids: [Int: String] = [:]
        for i in 0..<total {
            let (status, json) = try await Self.send(i, with: client, key: key)
            #expect(status == .created)
            ids[i] = json["id"] as? String
            if let before = answeredBeforeKill[i] { #expect(ids[i] == before, "request \(i) was answered with another booking after the restart") }
        }
        // Exactly one booking per request across all dates.
        var passengers: [String] = []
        for day in [1, 2, 3, 4, 6, 7, 8, 9, 10, 11] {
            let headers: HTTPFields = [.authorization: "Bearer \(dispatcher)"]
            let response = try await client.execute(.init(String(format: "/v1/bookings?date=2099-07-%02d", day), method: .get, headers: headers))
            let json = (try? JSONSerialization.jsonObject(with: Data((response.body ?? ByteBuffer()).readableBytesView))) as? [String: Any] ?? [:]
            passengers += ((json["bookings"] as? [[String: Any]]) ?? []).compactMap { $0["passenger_ref"] as? String }
        }
        #expect(passengers.count == total)
        #expect(Set(passengers).count == total)
    }

    @Test func sigtermGivesARunningPlanItsGraceThenTheBestPlanIsSavedAndTheServerExits() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        let store = "sqlite:" + dir.appendingPathComponent("store.sqlite").path
        let key = try CLIRunner.run(["keys", "create", "--role", "booking", "--store", store]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let dispatcher = try CLIRunner.run(["keys", "create", "--role", "dispatcher", "--store", store]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try Server(store: store, arguments: ["--shutdown-grace", "1", "--max-plan-time-limit", "300"])
        defer { if server.process.isRunning { server.kill() } }
        let client = server.client()
        var accepted = 0
        for i in 0..<40 {
            let (status, json) = try await Self.send(i * 10, with: client, key: key)   // all on 2099-07-01
            #expect(status == .created)
            if json["status"] as? String == "accepted" { accepted += 1 }
        }
        #expect(accepted > 0)
        let started = ContinuousClock.now
        let planning = Task {
            let headers: HTTPFields = [.authorization: "Bearer \(dispatcher)", .contentType: "application/json"]
            // A patient client: the check below is on the time, not the client's own timeout.
            return try await server.client(timeout: .seconds(150)).execute(.init("/v1/plans/2099-07-01", method: .post, headers: headers,
                                                           body: ByteBuffer(string: #"{"time_limit": 120, "solver": "heuristic"}"#)))
        }
        // SIGTERM once the run is under way (the metrics say so).
        let watcher = server.client()
        var running = false
        for _ in 0..<1_200 where !running {
            let metrics = try await watcher.execute(.init("/metrics", method: .get))
            running = String(buffer: metrics.body ?? ByteBuffer()).contains("dispatch_plan_runs_in_progress 1")
            if !running { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(running, "the plan run did not start within 60 s")
        try await Task.sleep(for: .milliseconds(500))
        Foundation.kill(server.process.processIdentifier, SIGTERM)
        let response: TestClient.Response
        do {
            response = try await planning.value
        } catch {
            Issue.record("the running plan's request failed after SIGTERM (\(error)); server still running: \(server.process.isRunning)")
            return
        }
        // Answered after the grace, not after the 120 s it asked for, with the plan it had.
        #expect(response.status == .created)
        #expect(ContinuousClock.now - started < .seconds(60))
        let plan = (try? JSONSerialization.jsonObject(with: Data((response.body ?? ByteBuffer()).readableBytesView))) as? [String: Any] ?? [:]
        #expect((plan["summary"] as? [String: Any])?["served"] as? Int == accepted)
        for _ in 0..<300 where server.process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!server.process.isRunning, "dispatch serve is still running 30 s after the plan was answered")
        #expect(try await openStore(store).latestPlan(serviceDate: "2099-07-01")?.version == 1)
    }
}
