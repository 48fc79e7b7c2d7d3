import Foundation
import RideRequestStore
import Testing

/// `dispatch standing create|list|extend|cancel` on a fresh store, acting on pinned dates.
@Suite struct StandingCommandTests {
    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    static func create(_ store: String, _ extra: [String] = []) throws -> CLIRunner.Output {
        try CLIRunner.run(["standing", "create", "--passenger", "P-dialysis", "--municipality", "okukawa-mura",
                           "--pickup", "okukawa-yakuba-mae-meetingpoint", "--dropoff", "hanaoka-prefectural-hospital-hospital",
                           "--pickup-time", "10:00", "--weekdays", "mon,wed,fri", "--from", "2026-11-30", "--until", "2026-12-18",
                           "--store", store, "--date", "2026-11-30", "--booking-horizon-days", "7"] + extra)
    }

    @Test func extendBooksTheDatesThatEnteredTheHorizonOnceAndCancelKeepsThePast() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = "sqlite:" + dir.appendingPathComponent("s.sqlite").path
        let created = try Self.create(store, ["--format", "json", "--except", "2026-12-04"])
        #expect(created.status == 0, "\(created.stderr)")
        let document = Self.json(created.stdout)
        let id = try #require(document["id"] as? String)
        // Monday the 30th, Wednesday the 2nd and Monday the 7th (Friday the 4th is an exception).
        let dates = (document["occurrences"] as? [[String: Any]] ?? []).compactMap { $0["date"] as? String }
        #expect(dates == ["2026-11-30", "2026-12-02", "2026-12-07"])
        #expect((document["skipped"] as? [[String: Any]])?.compactMap { $0["date"] as? String } == ["2026-12-04"])

        // Three days later the 9th enters the horizon; a second run books nothing.
        let extend = ["standing", "extend", "--store", store, "--date", "2026-12-03", "--booking-horizon-days", "7"]
        let first = try CLIRunner.run(extend + ["--format", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect((Self.json(first.stdout)["occurrences"] as? [[String: Any]])?.compactMap { $0["date"] as? String } == ["2026-12-09"])
        let second = try CLIRunner.run(extend)
        #expect(second.status == 0 && second.stdout.contains("no dates booked"), "\(second.stdout)")
        let opened = try await openStore(store)
        #expect(try await opened.bookings(serviceDate: "2026-12-09", municipality: nil, createdBy: nil).count == 1)

        let list = try CLIRunner.run(["standing", "list", "--store", store])
        #expect(list.status == 0 && list.stdout.contains(id) && list.stdout.contains("mon,wed,fri"), "\(list.stdout)")

        // Cancelled on the 3rd: the 30th and the 2nd stay as they were, the 7th and 9th are cancelled.
        let before = try await opened.occurrences(standingID: id)
        let cancel = try CLIRunner.run(["standing", "cancel", id, "--store", store, "--date", "2026-12-03"])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        for occurrence in before {
            let booking = try #require(try await opened.booking(id: occurrence.bookingID ?? ""))
            if occurrence.serviceDate < "2026-12-03" {
                #expect(booking.status != .cancelled, "\(occurrence.serviceDate)")
            } else {
                #expect(booking.status == .cancelled || booking.status == .rejected, "\(occurrence.serviceDate)")
            }
        }
        #expect(try await opened.standingBooking(id: id)?.status == .cancelled)
        let again = try CLIRunner.run(["standing", "cancel", id, "--store", store, "--date", "2026-12-03"])
        #expect(again.status == 2 && again.stderr.contains("cancelled already"), "\(again.stderr)")
    }

    /// Runs `dispatch serve` until it says it is listening, then stops it.
    static func startAndStopServer(store: String, horizonDays: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        process.arguments = ["serve", "--port", "0", "--store", store, "--booking-horizon-days", String(horizonDays)]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("http://") {
            let chunk = out.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        process.terminate()
        process.waitUntilExit()
        #expect(text.contains("serving"), "\(text)")
    }

    @Test func serveBooksTheDatesThatEnteredTheHorizonWhenItStartsAndOnlyOnce() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = "sqlite:" + dir.appendingPathComponent("s.sqlite").path
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        func day(_ offset: Int) -> String {
            let c = calendar.dateComponents([.year, .month, .day], from: Date().addingTimeInterval(Double(offset) * 86_400))
            return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        }
        // Every day from tomorrow, booked two days ahead on the real clock.
        let created = try CLIRunner.run(["standing", "create", "--passenger", "P-daily", "--municipality", "okukawa-mura",
                                         "--pickup", "okukawa-yakuba-mae-meetingpoint", "--dropoff", "hanaoka-prefectural-hospital-hospital",
                                         "--pickup-time", "10:00", "--weekdays", "mon,tue,wed,thu,fri,sat,sun", "--from", day(1),
                                         "--store", store, "--booking-horizon-days", "2", "--format", "json"])
        #expect(created.status == 0, "\(created.stderr)")
        let id = try #require(Self.json(created.stdout)["id"] as? String)
        let opened = try await openStore(store)
        let before = try await opened.occurrences(standingID: id).map(\.serviceDate)
        #expect(!before.isEmpty && before.allSatisfy { $0 >= day(1) && $0 <= day(2) }, "\(before)")

        // The server starts with a horizon of six days: the dates up to then are booked before it listens, once.
        var counts: [Int] = []
        for _ in 0..<2 {
            try Self.startAndStopServer(store: store, horizonDays: 6)
            counts.append(try await opened.occurrences(standingID: id).count)
        }
        let dates = try await opened.occurrences(standingID: id).map(\.serviceDate)
        #expect(Set(dates).isStrictSuperset(of: Set(before)), "\(dates)")
        #expect(dates.contains(day(3)) || dates.contains(day(4)), "\(dates)")
        #expect(dates.allSatisfy { $0 >= day(1) && $0 <= day(6) }, "\(dates)")
        #expect(counts[0] == counts[1], "the second start booked again: \(counts)")
        #expect(Set(dates).count == dates.count)
        for date in dates {
            #expect(try await opened.bookings(serviceDate: date, municipality: nil, createdBy: nil).count <= 1, "\(date)")
        }
    }

    @Test func badInputExitsWithCodeTwoAndOneLineNamingTheFlag() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = "sqlite:" + dir.appendingPathComponent("s.sqlite").path
        for (extra, flag) in [(["--except", "someday"], "--except"), (["--pickup", "nowhere"], "--pickup"),
                              (["--party", "9"], "--party"), (["--municipality", "atlantis"], "--municipality"),
                              (["--weekdays", "mon,funday"], "--weekdays"), (["--until", "2026-11-01"], "--until")] {
            var arguments = ["standing", "create", "--passenger", "P", "--municipality", "okukawa-mura", "--pickup", "okukawa-yakuba-mae-meetingpoint",
                             "--dropoff", "hanaoka-prefectural-hospital-hospital", "--pickup-time", "10:00", "--weekdays", "mon",
                             "--from", "2026-11-30", "--store", store, "--date", "2026-11-30"]
            for i in stride(from: 0, to: extra.count, by: 2) {
                if let at = arguments.firstIndex(of: extra[i]) { arguments[at + 1] = extra[i + 1] } else { arguments += [extra[i], extra[i + 1]] }
            }
            let output = try CLIRunner.run(arguments)
            #expect(output.status == 2, "\(extra): \(output.stderr)")
            #expect(output.stderr.hasPrefix("error: \(flag)") && output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
        }
        let unknown = try CLIRunner.run(["standing", "cancel", "sb-nothere", "--store", store])
        #expect(unknown.status == 2, "\(unknown.stderr)")
    }
}
