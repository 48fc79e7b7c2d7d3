import StoreTestSupport
import Foundation
import GRDB
@testable import RideRequestStore
import Testing

/// The behaviour every backend must have. Each test opens a fresh store (`StoreFixture`).
@Suite struct StoreTests {
    static let municipalities = [MunicipalityRow(id: "north", name: "North", localName: "北村"),
                                 MunicipalityRow(id: "south", name: "South", localName: "南町")]
    static let vehicles = [VehicleRow(id: "n-1", municipality: "north", depot: "north-depot", seats: 3, wheelchairPlaces: 1,
                                      shiftStart: "07:30", shiftEnd: "18:30")]

    static func booking(_ id: String, date: String = "2026-12-01", municipality: String = "north", by key: String = "key-a",
                        status: BookingStatus = .accepted) -> BookingRecord {
        BookingRecord(id: id, serviceDate: date, municipality: municipality, passengerRef: "P-\(id)", pickup: BookingPlace(stopID: "stop-1"),
                      dropoff: BookingPlace(latitude: 36.1, longitude: 137.8), timeKind: .pickup, requestedTime: 36_000, partySize: 1,
                      wheelchairs: 0, notes: "walker", status: status, promisedEarliest: 35_700, promisedLatest: 36_900,
                      createdBy: key, createdAt: storeNow(), updatedAt: storeNow())
    }

    func openStore(_ backend: StoreFixture.Backend) async throws -> any RideRequestStore {
        let store = try await StoreFixture.open(backend)
        try await store.replaceZone(municipalities: Self.municipalities, vehicles: Self.vehicles, actor: "test")
        return store
    }

    @Test(arguments: StoreFixture.backends) func aBookingIsStoredWithItsHistoryAndReadBackExactly(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        let b = Self.booking("b1")
        #expect(try await store.insertBooking(b, history: [.requested, .accepted], actor: "key-a", detail: "fits", idempotency: nil) == .created(b))
        #expect(try await store.booking(id: "b1") == b)
        #expect(try await store.history(bookingID: "b1").map(\.status) == [.requested, .accepted])
        #expect(try await store.bookings(serviceDate: "2026-12-01", municipality: nil, createdBy: nil) == [b])
        #expect(try await store.bookings(serviceDate: "2026-12-02", municipality: nil, createdBy: nil).isEmpty)
        #expect(try await store.booking(id: "nope") == nil)
    }

    @Test(arguments: StoreFixture.backends) func listingsFilterByMunicipalityAndByKey(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        for (id, m, key) in [("b1", "north", "key-a"), ("b2", "south", "key-a"), ("b3", "south", "key-b")] {
            _ = try await store.insertBooking(Self.booking(id, municipality: m, by: key), history: [.accepted], actor: key, detail: "", idempotency: nil)
        }
        #expect(try await store.bookings(serviceDate: "2026-12-01", municipality: "south", createdBy: nil).map(\.id) == ["b2", "b3"])
        #expect(try await store.bookings(serviceDate: "2026-12-01", municipality: nil, createdBy: "key-a").map(\.id) == ["b1", "b2"])
    }

    @Test(arguments: StoreFixture.backends) func theSameIdempotencyKeyReplaysTheFirstAnswerAndAnotherBodyConflicts(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        let (key, _) = try await store.createAPIKey(role: .booking, municipality: nil, label: "app", actor: "admin")
        let first = IdempotencyRecord(keyID: key.id, key: "abc", requestHash: "h1", statusCode: 201, responseBody: Array("{\"id\":\"b1\"}".utf8))
        _ = try await store.insertBooking(Self.booking("b1", by: key.id), history: [.accepted], actor: key.id, detail: "", idempotency: first)
        var again = first
        again.responseBody = Array("other".utf8)
        let replay = try await store.insertBooking(Self.booking("b2", by: key.id), history: [.accepted], actor: key.id, detail: "", idempotency: again)
        #expect(replay == .replayed(statusCode: 201, body: first.responseBody))
        var different = first
        different.requestHash = "h2"
        #expect(try await store.insertBooking(Self.booking("b3", by: key.id), history: [.accepted], actor: key.id, detail: "", idempotency: different) == .conflict)
        #expect(try await store.bookings(serviceDate: "2026-12-01", municipality: nil, createdBy: nil).map(\.id) == ["b1"])
        #expect(try await store.idempotentAnswer(keyID: key.id, key: "abc") == first)
    }

    @Test(arguments: StoreFixture.backends) func keysAreFoundByTheirSecretAndOnlyTheHashIsStored(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        let (key, secret) = try await store.createAPIKey(role: .operator, municipality: "south", label: "phone desk", actor: "admin")
        #expect(secret.hasPrefix("dk_") && secret.count == 35)
        #expect(try await store.apiKey(secret: secret) == key)
        #expect(try await store.apiKey(secret: secret + "x") == nil)
        if let sqlite = store as? SQLiteStore {
            let file = try Data(contentsOf: URL(fileURLWithPath: String(sqlite.location.dropFirst("sqlite:".count))))
            #expect(file.range(of: Data(secret.utf8)) == nil)
        }
    }

    @Test(arguments: StoreFixture.backends) func aRevokedKeyIsNoLongerFoundByItsSecretButStillByItsId(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        let (key, secret) = try await store.createAPIKey(role: .booking, municipality: nil, label: "app", actor: "admin")
        let (other, otherSecret) = try await store.createAPIKey(role: .booking, municipality: nil, label: "other app", actor: "admin")
        #expect(try await store.revokeAPIKey(id: key.id, actor: "admin-key"))
        #expect(try await store.apiKey(secret: secret) == nil)
        #expect(try await store.apiKey(id: key.id) == key)
        #expect(try await store.apiKey(secret: otherSecret) == other)
        #expect(try await store.revokeAPIKey(id: key.id, actor: "admin-key") == false)
        let error = await #expect(throws: StoreError.self) { try await store.revokeAPIKey(id: "key-unknown", actor: "admin-key") }
        #expect(error?.kind == .notFound)
        let log = try await store.auditLog(limit: 1)
        #expect(log.first?.action == "key.revoke" && log.first?.subject == key.id && log.first?.actor == "admin-key")
    }

    @Test func onlySecretsOfTheStoresOwnShapeAreWellFormed() async throws {
        let store = try StoreFixture.sqlite()
        let (_, secret) = try await store.createAPIKey(role: .admin, municipality: nil, label: "", actor: "test")
        #expect(APIKey.isWellFormedSecret(secret))
        for junk in ["", "dk_", secret + "a", String(secret.dropLast()), secret.uppercased(), "xx" + secret.dropFirst(2), secret.dropLast() + "0"] {
            #expect(!APIKey.isWellFormedSecret(String(junk)), "\(junk)")
        }
    }

    @Test(arguments: StoreFixture.backends) func statusChangesFollowTheLifeOfABookingAndRefuseTheRest(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        _ = try await store.insertBooking(Self.booking("b1"), history: [.requested, .accepted], actor: "a", detail: "", idempotency: nil)
        #expect(try await store.transition(bookingID: "b1", to: .cancelled, actor: "a", detail: "by phone").status == .cancelled)
        await #expect(throws: StoreError.self) { try await store.transition(bookingID: "b1", to: .scheduled, actor: "a", detail: "") }
        await #expect(throws: StoreError.self) { try await store.transition(bookingID: "missing", to: .cancelled, actor: "a", detail: "") }
        #expect(try await store.history(bookingID: "b1").map(\.status) == [.requested, .accepted, .cancelled])
    }

    @Test(arguments: StoreFixture.backends) func plansGetNewVersionsAndScheduleOnlyBookingsThatStillWantARide(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        for id in ["b1", "b2"] { _ = try await store.insertBooking(Self.booking(id), history: [.accepted], actor: "a", detail: "", idempotency: nil) }
        _ = try await store.transition(bookingID: "b2", to: .cancelled, actor: "a", detail: "")
        let v1 = try await store.savePlan(serviceDate: "2026-12-01", payload: Array("one".utf8), createdBy: "planner", scheduled: ["b1", "b2"],
                                          routes: [], expectedRevision: nil)
        let v2 = try await store.savePlan(serviceDate: "2026-12-01", payload: Array("two".utf8), createdBy: "planner", scheduled: ["b1"],
                                          routes: [], expectedRevision: nil)
        guard case .saved(let r1) = v1, case .saved(let r2) = v2 else { Issue.record("plans not saved: \(v1), \(v2)"); return }
        #expect(r1.version == 1 && r2.version == 2)
        #expect(try await store.plan(serviceDate: "2026-12-01", version: 1)?.payload == Array("one".utf8))
        #expect(try await store.latestPlan(serviceDate: "2026-12-01")?.version == 2)
        #expect(try await store.latestPlan(serviceDate: "2026-12-02") == nil)
        #expect(try await store.booking(id: "b1")?.status == .scheduled)
        #expect(try await store.booking(id: "b2")?.status == .cancelled)
    }

    @Test(arguments: StoreFixture.backends) func bookingInsertsKeepTheirVehiclesRouteAndAPlanReplacesAllRoutes(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        let p = { (id: String) in DayRoute.Stop(bookingID: id, pickup: true) }, d = { (id: String) in DayRoute.Stop(bookingID: id, pickup: false) }
        let first = DayRoute(vehicleID: "v1", stops: [p("b1"), d("b1")])
        _ = try await store.insertBookings([BookingInsert(booking: Self.booking("b1"), history: [.accepted], actor: "a", detail: "", idempotency: nil,
                                                          expectedRevision: 0, route: first)])
        #expect(try await store.dayRoutes(serviceDate: "2026-12-01") == [first])
        // A stale insert writes neither the booking nor its route.
        let stale = try await store.insertBookings([BookingInsert(booking: Self.booking("b2"), history: [.accepted], actor: "a", detail: "",
                                                                  idempotency: nil, expectedRevision: 0,
                                                                  route: DayRoute(vehicleID: "v1", stops: [p("b2"), d("b2")]))])
        #expect(stale == [.stale])
        #expect(try await store.dayRoutes(serviceDate: "2026-12-01") == [first])
        let second = DayRoute(vehicleID: "v1", stops: [p("b1"), p("b2"), d("b1"), d("b2")])
        _ = try await store.insertBookings([BookingInsert(booking: Self.booking("b2"), history: [.accepted], actor: "a", detail: "", idempotency: nil,
                                                          expectedRevision: 1, route: second)])
        #expect(try await store.dayRoutes(serviceDate: "2026-12-01") == [second])
        #expect(try await store.dayRoutes(serviceDate: "2026-12-02") == [])
        // A plan made on an older revision is not saved; one on the current revision replaces every route and raises the revision.
        let planned = [DayRoute(vehicleID: "v2", stops: [p("b2"), d("b2")]), DayRoute(vehicleID: "v3", stops: [p("b1"), d("b1")])]
        #expect(try await store.savePlan(serviceDate: "2026-12-01", payload: [1], createdBy: "p", scheduled: [], routes: planned, expectedRevision: 1) == .stale)
        #expect(try await store.latestPlan(serviceDate: "2026-12-01") == nil)
        guard case .saved = try await store.savePlan(serviceDate: "2026-12-01", payload: [1], createdBy: "p", scheduled: ["b1", "b2"],
                                                     routes: planned, expectedRevision: 2) else { Issue.record("not saved"); return }
        #expect(try await store.dayRoutes(serviceDate: "2026-12-01") == planned)
        #expect(try await store.dayRevision(serviceDate: "2026-12-01") == 3)
    }

    @Test func aKilledPlanRunBlocksTheDateOnlyForItsShortLeaseWhileALiveOneKeepsIt() async throws {
        let store = try TestStore.sqlite()
        // What a holder killed with SIGKILL leaves behind: its row, renewed last just now, never again.
        try await store.pool.write { db in
            try db.execute(sql: "INSERT INTO plan_locks (service_date, holder, expires_at) VALUES ('2026-12-01', 'dead#1', ?)",
                           arguments: [storeNow() + 1_000])
        }
        let clock = ContinuousClock()
        let started = clock.now
        let value = try await store.withPlanLock(serviceDate: "2026-12-01", holder: "next", lease: 1, timeout: 30) { 7 }
        #expect(value == 7)
        // The row expired after 1 s; the old lease kept a date for the time limit + 120 s. Generous
        // for a loaded machine, far below that.
        #expect(clock.now - started < .seconds(15))

        // A live holder renews its 6 s lease (every 2 s, on a thread of its own): after 12 s the
        // date is still its own, even on a loaded machine. (With a 3 s lease a renewal was once
        // late by more than the lease under the full suite on CI — most likely a write waiting on
        // a stalled fsync; the lease must outlast the machine's longest write stall, which is why
        // plan runs use 10 s.)
        let holding = HoldingFlag(), competitorDone = HoldingFlag()
        let live = Task {
            try await store.withPlanLock(serviceDate: "2026-12-02", holder: "live-holder-id", lease: 6, timeout: 30) {
                holding.set()
                // Held until the competitor has given up (its 12 s are twice the lease, so the lease
                // must be renewed), not for a fixed time a loaded machine could outlast.
                let start = ContinuousClock.now
                while !competitorDone.isSet && ContinuousClock.now - start < .seconds(120) { try await Task.sleep(for: .milliseconds(20)) }
            }
        }
        // Only once the live holder holds the lock (a loaded machine may start its task late).
        let waitStart = ContinuousClock.now
        while !holding.isSet {
            guard ContinuousClock.now - waitStart < .seconds(60) else { Issue.record("the live holder never got the lock"); return }
            try await Task.sleep(for: .milliseconds(20))
        }
        do {
            _ = try await store.withPlanLock(serviceDate: "2026-12-02", holder: "other", lease: 6, timeout: 12) { 0 }
            competitorDone.set()
            Issue.record("the lock of a live holder was taken")
        } catch let error as StoreError {
            competitorDone.set()
            #expect(error.kind == .lockTimeout)
            #expect(!error.message.contains("live-holder-id"), "the message names another holder: \(error.message)")
        }
        try await live.value
    }

    /// PostgreSQL stops taking this store's connections (its database refuses them and its sessions
    /// are ended): operations fail as unavailable within the store's operation timeout instead of
    /// waiting for the pool's endless retries.
    @Test(.timeLimit(.minutes(2))) func aPostgreSQLServerThatStopsAnsweringMakesOperationsUnavailableWithinTheirTimeout() async throws {
        guard let base = TestPostgres.url else {
            print("note: no test PostgreSQL server (make test starts one); the unavailable-server case is skipped")
            return
        }
        let store = try await TestPostgres.freshStore(operationTimeout: 2)
        let name = String(store.location.split(separator: "/").last!)
        let admin = try await PostgresStore(url: base, timeout: 60, operationTimeout: 60)
        _ = try await store.dayRevision(serviceDate: "2026-12-01")
        try await admin.execute("ALTER DATABASE \(name) WITH ALLOW_CONNECTIONS false")
        try await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'")
        let clock = ContinuousClock()
        for attempt in 0..<2 {
            let started = clock.now
            do {
                _ = try await store.insertBookings([BookingInsert(booking: Self.booking("down-\(attempt)"), history: [.accepted], actor: "a",
                                                                  detail: "", idempotency: nil)])
                Issue.record("an insert succeeded on a database that refuses connections")
            } catch let error as StoreError {
                #expect(error.kind == .unavailable)
            }
            await #expect(throws: StoreError.self) { try await store.bookings(serviceDate: "2026-12-01", municipality: nil, createdBy: nil) }
            // Two operations of 2 s each; without the deadline they wait for the pool's retries.
            #expect(clock.now - started < .seconds(20), "attempt \(attempt) took \(clock.now - started)")
        }
        try await admin.execute("ALTER DATABASE \(name) WITH ALLOW_CONNECTIONS true")
        store.close()
        admin.close()
    }

    @Test(arguments: StoreFixture.backends) func twoPlanRunsForTheSameDateDoNotOverlap(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var entries: [String] = []
            func add(_ s: String) { lock.lock(); entries.append(s); lock.unlock() }
        }
        let log = Log()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for run in ["A", "B"] {
                group.addTask {
                    try await store.withPlanLock(serviceDate: "2026-12-01", holder: run, lease: 60, timeout: 120) {  // exclusion, not speed: a starved task pool may hold the first run back
                        log.add("\(run) start")
                        try await Task.sleep(for: .milliseconds(150))
                        log.add("\(run) end")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(log.entries.count == 4)
        #expect(log.entries[0].dropLast(6) == log.entries[1].dropLast(4), "\(log.entries)")
        // Another date is not blocked, and a held lock times out with a clear message.
        try await store.withPlanLock(serviceDate: "2026-12-01", holder: "C", lease: 60, timeout: 1) {
            try await store.withPlanLock(serviceDate: "2026-12-02", holder: "D", lease: 60, timeout: 1) {}
            await #expect(throws: StoreError.self) {
                try await store.withPlanLock(serviceDate: "2026-12-01", holder: "E", lease: 60, timeout: 0.2) {}
            }
        }
    }

    @Test(arguments: StoreFixture.backends) func theAuditLogSaysWhoChangedWhat(_ backend: StoreFixture.Backend) async throws {
        let store = try await openStore(backend)
        _ = try await store.insertBooking(Self.booking("b1"), history: [.accepted], actor: "key-x", detail: "fits", idempotency: nil)
        _ = try await store.transition(bookingID: "b1", to: .cancelled, actor: "key-y", detail: "resident called")
        let log = try await store.auditLog(limit: 2)
        #expect(log.map(\.action) == ["booking.cancelled", "booking.create"])
        #expect(log.map(\.actor) == ["key-y", "key-x"])
    }

    @Test func aStoreThatCannotBeOpenedSaysWhy() async throws {
        #expect(throws: StoreError.self) { try SQLiteStore(path: "/proc/forbidden/dispatch.sqlite") }
        // Nothing listens on port 1: a clear error within the timeout, not an endless retry.
        let error = await #expect(throws: StoreError.self) { try await PostgresStore(url: "postgres://dispatch@127.0.0.1:1/x", timeout: 2) }
        #expect(error?.kind == .unavailable)
        await #expect(throws: StoreError.self) { try await PostgresStore(url: "mysql://nobody@host/x") }
    }

    @Test func aPostgreSQLPasswordNeverAppearsInAStoresErrorsOrLocation() async throws {
        let password = "s3cr3t-Pa55"
        for url in ["postgres://dispatch:\(password)@127.0.0.1:1/x", "postgres://:\(password)@/x", "postgresql://u:\(password)@",
                    "mysql://u:\(password)@host/x", "postgres://u:pa/\(password)@host/x"] {
            do {
                _ = try await PostgresStore(url: url, timeout: 1)
                Issue.record("\(url) opened")
            } catch {
                #expect(!"\(error)".contains(password) && !String(reflecting: error).contains(password), "\(error)")
            }
        }
        for location in ["mysql://u:\(password)@host/x", "ftp://:\(password)@h", "u:\(password)@h"] {
            let error = await #expect(throws: StoreError.self) { try await StoreFixture.open(location: location) }
            #expect(error.map { !$0.message.contains(password) } == true, "\(String(describing: error))")
        }
        #expect(redactingPassword("postgres://u:\(password)@h:5432/db") == "postgres://u:***@h:5432/db")
        #expect(redactingPassword("postgres://u@h/db") == "postgres://u@h/db")
        #expect(redactingPassword("sqlite:data/x.sqlite") == "sqlite:data/x.sqlite")
        // A live server takes any password (trust authentication): the location still omits it.
        if let base = StoreFixture.postgresURL, var parts = URLComponents(string: base) {
            parts.password = password
            let store = try await PostgresStore(url: parts.string!, timeout: 60, operationTimeout: 60)
            #expect(!store.location.contains(password))
            store.close()
        }
    }

    /// `make test` always starts a PostgreSQL server; in CI its absence is a failure, not a skip.
    @Test func thePostgreSQLBackendIsTestedInCI() {
        if TestPostgres.requiredByCI {
            #expect(StoreFixture.postgresURL != nil, "CI runs make test, which starts PostgreSQL (scripts/with-postgres)")
            #expect(StoreFixture.backends.contains(.postgres))
        } else {
            #expect(StoreFixture.backends.contains(.postgres) == (StoreFixture.postgresURL != nil))
        }
    }

    @Test func sha256MatchesTheStandardTestVectors() {
        #expect(sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha256Hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(sha256Hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

enum StoreFixture {
    typealias Backend = TestStore
    static let backends = TestStore.available
    static var postgresURL: String? { TestPostgres.url }
    static func open(_ backend: Backend) async throws -> any RideRequestStore { try await backend.open() }
    static func sqlite() throws -> SQLiteStore { try TestStore.sqlite() }
    /// `openStore` as the command line calls it.
    static func open(location: String) async throws -> any RideRequestStore { try await openStore(location) }
}

@Suite struct StoreMigrationTests {
    @Test func aVersion4StoreTakesTheOneVocabularyWhenOpened() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dispatch-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        // A store as version 4 left it: the old status and reason spellings.
        let old = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(old, upTo: "4-day-routes")
        try await old.write { db in
            try db.execute(sql: "INSERT INTO municipalities (id, name, local_name) VALUES ('north', 'North', '北村')")
            func booking(_ id: String, status: String, reason: String?) throws {
                try db.execute(sql: """
                    INSERT INTO bookings (id, service_date, municipality, passenger_ref, pickup_stop, dropoff_stop, time_kind, requested_time,
                                          party_size, wheelchairs, notes, status, reason, created_by, created_at, updated_at)
                    VALUES (?, '2026-12-01', 'north', 'P', 'a', 'b', 'pickup', 36000, 1, 0, '', ?, ?, 'test', 0, 0)
                    """, arguments: [id, status, reason])
                try db.execute(sql: "INSERT INTO booking_events (booking_id, at, status, actor, detail) VALUES (?, 0, ?, 'test', '')",
                               arguments: [id, status])
            }
            try booking("bk-1", status: "no-show", reason: nil)
            try booking("bk-2", status: "rejected", reason: "noCapacityLeft")
            try booking("bk-3", status: "rejected", reason: "crossBorderNotAllowed: residents of north may not go there")
            try booking("bk-4", status: "rejected", reason: "noOpenRoad")
            try booking("bk-5", status: "rejected", reason: "noOpenRoadway")   // not a code: left alone
        }
        try old.close()
        let store = try SQLiteStore(path: path)
        #expect(try store.appliedMigrations().contains("5-one-vocabulary"))
        #expect(try await store.booking(id: "bk-1")?.status == .noShow)
        #expect(try await store.booking(id: "bk-2")?.reason == "no_vehicle_free")
        #expect(try await store.booking(id: "bk-3")?.reason == "not_allowed_by_rules: residents of north may not go there")
        #expect(try await store.booking(id: "bk-4")?.reason == "road_closed")
        #expect(try await store.booking(id: "bk-5")?.reason == "noOpenRoadway")
        let events = try await store.pool.read { db in try String.fetchAll(db, sql: "SELECT status FROM booking_events ORDER BY seq") }
        #expect(events.first == "no_show")
    }
}

/// Set once from inside a lock's body, read by the test.
final class HoldingFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
