import DispatchCore
import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import RideRequestStore
import RoadNetwork

/// What `dispatch serve` runs: the booking and planning API over a zone and a store.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var zone: ServiceZone
    public var store: any RideRequestStore
    public var policy = BookingPolicy()
    /// The server's clock (tests pin it); bookings for past dates and times are refused.
    public var now: @Sendable () -> Date = { Date() }
    /// Default and largest solver time for `POST /v1/plans/{date}`, seconds.
    public var planTimeLimit = 10.0
    public var maxPlanTimeLimit = 300.0
    /// How many days ahead rides may be booked (default the zone's) where a municipality's booking
    /// rules set no `horizon_days`: bounds the dates the booking desk and the zone keep in memory.
    public var bookingHorizonDays: Int
    /// Counters and histograms served by `GET /metrics`.
    public var metrics = ServerMetrics()
    /// The plan runs in progress (a shutdown stops them after its grace period).
    public var planRuns = PlanRuns()
    /// How long `/readyz` waits for the store before answering 503.
    public var readinessTimeout: Duration = .seconds(2)
    /// A connection that sends nothing for this long is closed: one that stops in the middle of
    /// its request line or headers, stalls its body, or stays idle between requests.
    public var idleTimeout: Duration = .seconds(30)
    /// The longest time a request body may take to arrive, however it trickles in (408 after).
    public var bodyTimeout: Duration = .seconds(30)

    public init(zone: ServiceZone, store: any RideRequestStore) {
        self.zone = zone
        self.store = store
        bookingHorizonDays = zone.bookingHorizonDays
    }
}

public enum DispatchAPI {
    /// The Hummingbird application (call `runService()` on it, or test it with `.live`).
    /// - Parameter onServerRunning: called with "host:port" once the server listens.
    public static func application(_ configuration: ServerConfiguration, logger: Logger = Logger(label: "dispatch.server"),
                                   onServerRunning: @escaping @Sendable (String) async -> Void = { _ in }) -> some ApplicationProtocol {
        let connections = LockedCounter()
        configuration.metrics.gauge("dispatch_http_connections_open", help: "Open HTTP connections.") { Double(connections.current) }
        configuration.metrics.gauge("dispatch_plan_runs_in_progress", help: "Plan runs in progress.") { [planRuns = configuration.planRuns] in
            Double(planRuns.count)
        }
        configuration.metrics.gauge("dispatch_zone_dates_in_memory", help: "Service dates whose road networks are in memory.") {
            [zone = configuration.zone] in Double(zone.datesInMemory)
        }
        let idle = TimeAmount.nanoseconds(max(1, configuration.idleTimeout.components.seconds * 1_000_000_000
                                                  + configuration.idleTimeout.components.attoseconds / 1_000_000_000))
        return Application(router: router(configuration),
                           server: .http1(configuration: HTTP1Channel.Configuration(additionalChannelHandlers: [ConnectionCounter(connections)],
                                                                                    idleTimeout: idle)),
                           configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "dispatch"),
                           onServerRunning: { channel in
                               let port = channel.localAddress?.port ?? configuration.port
                               await onServerRunning("\(configuration.host):\(port)")
                           },
                           logger: logger)
    }

    static func router(_ configuration: ServerConfiguration) -> Router<ServerContext> {
        let handlers = Handlers(configuration)
        let router = Router(context: ServerContext.self)
        router.add(middleware: MetricsMiddleware(metrics: configuration.metrics))
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: AuthMiddleware(keys: KeyLookup(store: configuration.store)))
        router.add(middleware: ConsoleSessionMiddleware(store: configuration.store))
        router.get("/healthz") { _, _ in handlers.health() }
        router.get("/readyz") { _, _ in try await handlers.ready() }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: configuration.metrics.render())))
        }
        let document = JSONBody.buffer(OpenAPIDocument.document(maxPlanTimeLimit: configuration.maxPlanTimeLimit,
                                                                           stops: configuration.zone.file.stops.map(\.id),
                                                                           municipalities: configuration.zone.file.municipalities.map(\.id),
                                                                           vehicles: configuration.zone.file.vehicles.map(\.id)))
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: document))
        }
        router.post("/v1/bookings") { request, context in try await handlers.createBooking(request, context) }
        router.get("/v1/bookings") { request, context in try await handlers.listBookings(request, context) }
        router.get("/v1/bookings/{id}") { _, context in try await handlers.getBooking(context) }
        router.delete("/v1/bookings/{id}") { _, context in try await handlers.cancelBooking(context) }
        router.post("/v1/standing-bookings") { request, context in try await handlers.createStanding(request, context) }
        router.get("/v1/standing-bookings") { request, context in try await handlers.listStanding(request, context) }
        router.get("/v1/standing-bookings/{id}") { _, context in try await handlers.getStanding(context) }
        router.delete("/v1/standing-bookings/{id}") { _, context in try await handlers.cancelStanding(context) }
        router.get("/v1/plans/{date}") { request, context in try await handlers.getPlan(request, context) }
        router.post("/v1/plans/{date}") { request, context in try await handlers.runPlan(request, context) }
        router.get("/v1/vehicles") { _, context in try handlers.vehicles(context) }
        router.get("/v1/vehicles/{id}/manifest") { request, context in try await handlers.manifest(request, context) }
        router.post("/v1/vehicles/{id}/events") { request, context in try await handlers.recordVehicleEvent(request, context) }
        router.get("/v1/vehicles/{id}/events") { request, context in try await handlers.listVehicleEvents(request, context) }
        router.post("/v1/keys") { request, context in try await handlers.createKey(request, context) }
        router.delete("/v1/keys/{id}") { _, context in try await handlers.revokeKey(context) }
        Console(handlers).register(on: router)
        return router
    }
}

/// The endpoint implementations.
struct Handlers: Sendable {
    let configuration: ServerConfiguration
    let office: BookingOffice
    let standingDesk: StandingDesk
    let readiness: Readiness
    var desk: BookingDesk { office.desk }
    var zone: ServiceZone { configuration.zone }
    var store: any RideRequestStore { configuration.store }

    init(_ configuration: ServerConfiguration) {
        self.configuration = configuration
        office = BookingOffice(zone: configuration.zone, store: configuration.store, policy: configuration.policy,
                               horizonDays: configuration.bookingHorizonDays)
        standingDesk = StandingDesk(zone: configuration.zone, store: configuration.store, office: office, horizonDays: configuration.bookingHorizonDays)
        readiness = Readiness(store: configuration.store)
    }

    /// Liveness: the process answers. Touches no store and names no file, host or user.
    func health() -> Response {
        JSONBody.response(["status": "ok", "zone": .string(zone.file.name)])
    }

    /// Readiness: the store answers a small read within `readinessTimeout` (else 503 store_unavailable).
    func ready() async throws -> Response {
        do {
            try await readiness.check(timeout: configuration.readinessTimeout)
        } catch let error as StoreError {
            throw APIError.storeUnavailable(error)
        }
        return JSONBody.response(["status": "ready"])
    }

    /// The request body (at most `maxUploadSize` bytes), which must arrive within `bodyTimeout`
    /// however slowly it trickles in (408 request_timeout otherwise) and be sent as JSON (415
    /// otherwise; an `optional` body may also be empty, with any or no Content-Type).
    func readBody(_ request: Request, _ context: ServerContext, optional: Bool = false) async throws -> [UInt8] {
        let isJSON = Self.isJSON(request.headers[.contentType])
        if !optional && !isJSON { throw Self.notJSON }
        let body = try await collectBody(request, context)
        if optional && !body.isEmpty && !isJSON { throw Self.notJSON }
        return body
    }

    /// Whether a Content-Type is `application/json` (parameters such as charset aside).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        return media.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    static let notJSON = APIError(.unsupportedMediaType, "unsupported_media_type",
                                  "send the body as JSON with 'Content-Type: application/json'", field: "Content-Type")

    func collectBody(_ request: Request, _ context: ServerContext) async throws -> [UInt8] {
        let limit = context.maxUploadSize, timeout = configuration.bodyTimeout
        return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                do {
                    return Array(buffer: try await request.body.collect(upTo: limit))
                } catch let error as any HTTPResponseError {
                    throw error  // too large
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    // The connection closed (or timed out) before the body was complete.
                    throw APIError.malformed("the request body ended before it was complete")
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let bytes = first else {
                throw APIError(.requestTimeout, "request_timeout", "the request body did not arrive within \(timeout.components.seconds) s")
            }
            return bytes
        }
    }

    /// The zone's current date and seconds after midnight.
    func today() -> (date: ServiceDate, seconds: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone.file.timeZone) ?? TimeZone(identifier: "Asia/Tokyo")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: configuration.now())
        return (ServiceDate(year: c.year!, month: c.month!, day: c.day!)!, c.hour! * 3600 + c.minute! * 60 + c.second!)
    }

    // MARK: Bookings

    /// The request's `Idempotency-Key` header, if any: visible ASCII and spaces only (it is
    /// stored as text: no NUL or other control characters), 1 to 200 of them, not all spaces.
    static func idempotencyKey(_ request: Request) throws -> String? {
        guard let header = request.headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard (1...200).contains(header.utf8.count), header.utf8.allSatisfy({ (0x20...0x7E).contains($0) }),
              header.utf8.contains(where: { $0 != 0x20 }) else {
            throw APIError.invalid("Idempotency-Key", "the Idempotency-Key header must be 1 to 200 visible ASCII characters")
        }
        return header
    }

    func createBooking(_ request: Request, _ context: ServerContext) async throws -> Response {
        let key = try context.requireKey()
        guard key.role == .booking || key.role == .operator || key.role == .admin else {
            throw APIError.forbidden("a \(key.role.rawValue) key cannot create bookings")
        }
        let body = try await readBody(request, context)
        var idempotency: IdempotencyRecord?
        if let header = try Self.idempotencyKey(request) {
            let hash = sha256Hex(Self.canonical(body))
            if let first = try await store.idempotentAnswer(keyID: key.id, key: header) {
                guard first.requestHash == hash else { throw Self.idempotencyConflict }
                return JSONBody.response(bytes: first.responseBody, status: HTTPResponse.Status(code: first.statusCode))
            }
            idempotency = IdempotencyRecord(keyID: key.id, key: header, requestHash: hash, statusCode: 201, responseBody: [])
        }
        let today = today()
        let input = try BookingRequest.parse(body, key: key, zone: zone, today: today)
        let outcome = try await book(input, key: key, idempotency: idempotency, today: today, logger: context.logger)
        switch outcome.write {
        case .created:
            return JSONBody.response(bytes: outcome.responseBody, status: .created)
        case let .replayed(status, first):
            return JSONBody.response(bytes: first, status: HTTPResponse.Status(code: status))
        case .conflict:
            throw Self.idempotencyConflict
        case .stale:
            throw APIError(.serviceUnavailable, "busy", "try again", retryAfter: 1)
        }
    }

    /// Books a parsed request as `key` (the one path of `POST /v1/bookings` and the console's phone
    /// desk): the booking rules (horizon, closing and service days, cut-off, notice, operator-only:
    /// 422 booking_rule, nothing stored), the desk's immediate answer, the store, the metrics.
    func book(_ input: BookingRequest, key: APIKey, idempotency: IdempotencyRecord?, today: (date: ServiceDate, seconds: Int),
              logger: Logger) async throws -> BookingOffice.Outcome {
        let metrics = configuration.metrics
        let outcome: BookingOffice.Outcome
        do {
            outcome = try await office.book(input, createdBy: key.id, idempotency: idempotency, caller: BookingRulesCheck.Caller(role: key.role),
                                            now: BookingRulesCheck.Moment(date: today.date, seconds: today.seconds), logger: logger)
        } catch let error as APIError where error.rule != nil {
            metrics.increment("dispatch_booking_rule_refusals_total", ["rule": error.rule!])
            throw error
        }
        switch outcome.write {
        case .created:
            metrics.increment("dispatch_booking_writes_total", ["result": "created"])
            metrics.increment("dispatch_bookings_total", ["outcome": outcome.record.status.rawValue,
                                                          "reason": outcome.record.reason.flatMap { BookingReason.reason($0)?.rawValue } ?? "none"])
        case .replayed: metrics.increment("dispatch_booking_writes_total", ["result": "replayed"])
        case .conflict: metrics.increment("dispatch_booking_writes_total", ["result": "conflict"])
        case .stale: metrics.increment("dispatch_booking_writes_total", ["result": "stale"])
        }
        return outcome
    }

    /// The body with object keys sorted, so that the same JSON sent with another key order or
    /// spacing counts as the same request (raw bytes when it is not JSON).
    static func canonical(_ body: [UInt8]) -> [UInt8] {
        var parser = JSONParser(body)
        return parser.document()?.bytes ?? body
    }

    static let idempotencyConflict = APIError(.conflict, "idempotency_conflict",
                                              "this Idempotency-Key was used with a different request body", field: "Idempotency-Key")

    /// Whether `key` may see this booking (others' residents are "not found", not "forbidden").
    func visible(_ booking: BookingRecord, to key: APIKey) -> Bool {
        switch key.role {
        case .booking: booking.createdBy == key.id
        case .operator: booking.municipality == key.municipality
        case .dispatcher, .admin: true
        case .driver: false
        }
    }

    func listBookings(_ request: Request, _ context: ServerContext) async throws -> Response {
        let key = try context.requireKey()
        try Self.refuseDriver(key, "bookings")
        guard let text = request.uri.queryParameters["date"].map(String.init) else {
            throw APIError.invalid("date", "the query parameter 'date' (YYYY-MM-DD) is required")
        }
        guard let date = ServiceDate(parsing: text) else { throw APIError.invalid("date", "'date' must be a date YYYY-MM-DD, not '\(echo(text))'") }
        let records = try await store.bookings(serviceDate: date.description,
                                               municipality: key.role == .operator ? key.municipality : nil,
                                               createdBy: key.role == .booking ? key.id : nil)
        return JSONBody.response(["date": .string(date.description), "bookings": .array(records.map { .object(Self.bookingJSON($0)) })])
    }

    func booking(_ context: ServerContext, for key: APIKey) async throws -> BookingRecord {
        try Self.refuseDriver(key, "bookings")
        let id = context.parameters.get("id") ?? ""
        guard id.count <= 64, let booking = try await store.booking(id: id), visible(booking, to: key) else { throw APIError.notFound("booking \(id)") }
        return booking
    }

    func getBooking(_ context: ServerContext) async throws -> Response {
        let key = try context.requireKey()
        let booking = try await booking(context, for: key)
        var json = Self.bookingJSON(booking)
        let events = try await store.history(bookingID: booking.id)
        var roles: [String: String] = [:]
        for actor in Set(events.map(\.actor)) { roles[actor] = try await store.apiKey(id: actor)?.role.rawValue ?? "system" }
        json["history"] = .array(events.map { event in
            var entry: [String: JSONValue] = ["at": .string(TimeText.timestamp(milliseconds: event.at)), "status": .string(event.status.rawValue),
                                              "actor": .string(roles[event.actor] ?? "system"), "detail": .string(event.detail)]
            // Who did it by key id only for admins (they manage keys) and for the caller's own key.
            if key.role == .admin || event.actor == key.id { entry["actor_key_id"] = .string(event.actor) }
            return .object(entry)
        })
        return JSONBody.response(.object(json))
    }

    func cancelBooking(_ context: ServerContext) async throws -> Response {
        let key = try context.requireKey()
        let booking = try await booking(context, for: key)
        return JSONBody.response(.object(Self.bookingJSON(try await cancel(booking, by: key, through: "the API"))))
    }

    /// Cancels a booking `key` may see (409 invalid_transition when its status does not allow it)
    /// and takes it out of the day's tentative plan.
    func cancel(_ booking: BookingRecord, by key: APIKey, through channel: String) async throws -> BookingRecord {
        guard booking.status.successors.contains(.cancelled) else {
            throw APIError(.conflict, "invalid_transition", "booking \(booking.id) is \(booking.status.rawValue) and cannot be cancelled")
        }
        let cancelled = try await store.transition(bookingID: booking.id, to: .cancelled, actor: key.id, detail: "cancelled through \(channel)")
        if let date = ServiceDate(parsing: booking.serviceDate) { await office.cancelled(booking.id, date: date) }
        return cancelled
    }

    static func bookingJSON(_ b: BookingRecord) -> [String: JSONValue] {
        func place(_ p: BookingPlace) -> JSONValue {
            if let stop = p.stopID { return ["stop_id": .string(stop)] }
            return ["lat": .number(p.latitude ?? 0), "lon": .number(p.longitude ?? 0)]
        }
        var json: [String: JSONValue] = [
            "id": .string(b.id), "status": .string(b.status.rawValue), "date": .string(b.serviceDate), "municipality": .string(b.municipality),
            "passenger_ref": .string(b.passengerRef), "pickup": place(b.pickup), "dropoff": place(b.dropoff), "party_size": .int(b.partySize),
            "wheelchairs": .int(b.wheelchairs), "notes": .string(b.notes),
            "created_at": .string(TimeText.timestamp(milliseconds: b.createdAt)), "updated_at": .string(TimeText.timestamp(milliseconds: b.updatedAt)),
            "concession": .optional(b.concession?.rawValue), "channel": .string(b.channel.rawValue),
        ]
        json[b.timeKind == .pickup ? "pickup_time" : "arrive_by"] = .string(TimeText.clock(b.requestedTime))
        if let a = b.promisedEarliest, let z = b.promisedLatest {
            json["promised_pickup"] = ["from": .string(TimeText.clock(a)), "to": .string(TimeText.clock(z))]
        } else {
            json["promised_pickup"] = .null
        }
        if let stored = b.reason, let reason = BookingReason.reason(stored) {
            json["reason"] = ["code": .string(reason.rawValue), "message": .string(BookingReason.message(stored))]
        } else {
            json["reason"] = .null
        }
        return json
    }

    // MARK: Plans

    func requirePlanner(_ context: ServerContext) throws -> APIKey {
        let key = try context.requireKey()
        guard key.role == .dispatcher || key.role == .admin else { throw APIError.forbidden("plans are for dispatcher keys") }
        return key
    }

    func date(_ context: ServerContext) throws -> ServiceDate {
        let text = context.parameters.get("date") ?? ""
        guard let date = ServiceDate(parsing: text) else { throw APIError.invalid("date", "the date in the path must be YYYY-MM-DD, not '\(echo(text))'") }
        return date
    }

    func getPlan(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try requirePlanner(context)
        let date = try date(context)
        let record: PlanRecord?
        if let text = request.uri.queryParameters["version"] {
            guard let version = Int(text), version >= 1 else { throw APIError.invalid("version", "'version' must be a positive whole number") }
            record = try await store.plan(serviceDate: date.description, version: version)
        } else {
            record = try await store.latestPlan(serviceDate: date.description)
        }
        guard let record else { throw APIError.notFound("a plan for \(date)") }
        // The stored document is written before its version is known; the version is the record's.
        guard var document = try? DayPlanDocument.decode(record.payload) else {
            return JSONBody.response(bytes: record.payload)
        }
        document.version = record.version
        return JSONBody.response(bytes: try encodeJSONBytes(document))
    }

    func runPlan(_ request: Request, _ context: ServerContext) async throws -> Response {
        let key = try requirePlanner(context)
        let date = try date(context)
        let options = try planRunOptions(try await readBody(request, context, optional: true))
        let outcome = try await plan(date, by: key, options: options)
        return JSONBody.response(bytes: try encodeJSONBytes(outcome.document), status: .created)
    }

    /// The options of a plan run: the server's defaults, or those of `POST /v1/plans/{date}`'s
    /// JSON body (`time_limit`, `solver`, `seed`, `now`, `pin`).
    func planRunOptions(_ bytes: [UInt8]) throws -> PlanRunOptions {
        var options = PlanRunOptions(timeLimit: configuration.planTimeLimit)
        guard !bytes.isEmpty else { return options }
        let body = FieldReader(try JSONValue.object(from: bytes))
        try body.rejectUnknown(allowed: ["time_limit", "solver", "seed", "now", "pin"])
        // A re-plan of the rest of the day from `now` (HH:MM[:SS], zone time), from what the
        // vehicles reported; `pin` keeps bookings on the vehicles they were announced on.
        if let text = try body.string("now", required: false, maxLength: 8) {
            guard let now = TimeText.seconds(ofClock: text) else { throw APIError.invalid("now", "'now' must be a time of day HH:MM or HH:MM:SS") }
            options.replan = Replanning.Options(now: now, pin: try body.bool("pin", default: false))
        } else if body.has("pin") {
            throw APIError.invalid("pin", "'pin' applies to a re-plan: give 'now' too")
        }
        if body.has("time_limit") { options.timeLimit = try body.number("time_limit", in: 0.1...configuration.maxPlanTimeLimit) }
        if let text = try body.string("solver", required: false, maxLength: 16) {
            guard let c = SolveStrategy.Choice(rawValue: text) else { throw APIError.invalid("solver", "'solver' must be auto, heuristic or exact") }
            options.choice = c
        }
        options.seed = UInt64(try body.integer("seed", default: 1, in: 0...Int(Int32.max)))
        return options
    }

    /// One plan run of `date` by `key` (the API's `POST /v1/plans/{date}`, the console's re-plan):
    /// refused with 503 while the server shuts down, counted in the metrics, saved as a new version.
    func plan(_ date: ServiceDate, by key: APIKey, options: PlanRunOptions,
              progress: (@Sendable (SolveProgress) -> Void)? = nil) async throws -> PlanRun.Outcome {
        guard let stop = configuration.planRuns.begin() else {
            throw APIError(.serviceUnavailable, "shutting_down", "the server is shutting down; run the plan again when it is back")
        }
        defer { configuration.planRuns.end(stop) }
        let limits = SolveLimits(timeLimit: .milliseconds(Int64(options.timeLimit * 1000)), seed: options.seed, stop: stop)
        let metrics = configuration.metrics
        let started = ContinuousClock.now
        // Starts from the date's routes in the store (every promised booking is in them); a
        // booking accepted meanwhile is carried into the plan before it is saved.
        let outcome: PlanRun.Outcome
        do {
            outcome = try await PlanRun.run(store: store, zone: zone, date: date, strategy: SolveStrategy(options.choice), limits: limits,
                                            holder: key.id, lockTimeout: 5, replan: options.replan, progress: progress)
        } catch {
            metrics.increment("dispatch_plan_runs_total", ["outcome": "failed"])
            throw error
        }
        let elapsed = ContinuousClock.now - started
        metrics.increment("dispatch_plan_runs_total", ["outcome": "saved"])
        metrics.observe("dispatch_plan_run_duration_seconds", [:], elapsed.seconds)
        metrics.increment("dispatch_broken_promises_total", by: Double(outcome.document.brokenPromises?.count ?? 0))
        await office.planned(date)
        return outcome
    }

    // MARK: Vehicles and keys

    func vehicles(_ context: ServerContext) throws -> Response {
        _ = try context.requireKey()
        return JSONBody.response(["vehicles": .array(zone.file.vehicles.map { v in
            ["id": .string(v.id), "municipality": .string(v.municipality), "depot": .string(v.depot), "seats": .int(v.seats),
             "wheelchair_places": .int(v.wheelchairPlaces), "shift": ["start": .string(v.shift.start), "end": .string(v.shift.end)],
             "serves": .array(v.serves.map(JSONValue.string))]
        })])
    }

    func createKey(_ request: Request, _ context: ServerContext) async throws -> Response {
        let key = try context.requireKey()
        guard key.role == .admin else { throw APIError.forbidden("only admin keys create keys") }
        let body = FieldReader(try JSONValue.object(from: try await readBody(request, context)))
        try body.rejectUnknown(allowed: ["role", "municipality", "vehicle", "label"])
        let roleText = try body.string("role", required: true, maxLength: 16)!
        guard let role = Role(rawValue: roleText) else { throw APIError.invalid("role", "'role' must be booking, operator, dispatcher, admin or driver") }
        let municipality = try body.string("municipality", required: role == .operator, maxLength: 64)
        if let municipality, zone.municipalityIndex[municipality] == nil { throw APIError.invalid("municipality", "'municipality' is not a municipality of the zone") }
        if role != .operator, municipality != nil { throw APIError.invalid("municipality", "only operator keys belong to a municipality") }
        let vehicle = try body.string("vehicle", required: role == .driver, maxLength: 64)
        if let vehicle, !zone.file.vehicles.contains(where: { $0.id == vehicle }) { throw APIError.invalid("vehicle", "'vehicle' is not a vehicle of the zone") }
        if role != .driver, vehicle != nil { throw APIError.invalid("vehicle", "only driver keys belong to a vehicle") }
        let label = try body.string("label", required: false, maxLength: 100) ?? ""
        let (created, secret) = try await store.createAPIKey(role: role, municipality: municipality, vehicle: vehicle, label: label, actor: key.id)
        return JSONBody.response(["id": .string(created.id), "role": .string(role.rawValue), "label": .string(label), "secret": .string(secret),
                                  "municipality": .optional(municipality), "vehicle": .optional(vehicle)], status: .created)
    }

    /// Revokes a key; its next request is refused (401), on every server instance of the store.
    func revokeKey(_ context: ServerContext) async throws -> Response {
        let key = try context.requireKey()
        guard key.role == .admin else { throw APIError.forbidden("only admin keys revoke keys") }
        let id = context.parameters.get("id") ?? ""
        guard id.utf8.count <= 64, let target = try await store.apiKey(id: id) else { throw APIError.notFound("API key \(id)") }
        _ = try await store.revokeAPIKey(id: target.id, actor: key.id)
        return JSONBody.response(["id": .string(target.id), "role": .string(target.role.rawValue), "revoked": true])
    }
}

/// How a plan run solves: the solver's time limit (seconds), strategy and seed, and for a re-plan
/// of the rest of the day its time and pins.
struct PlanRunOptions: Sendable {
    var timeLimit: Double
    var choice = SolveStrategy.Choice.auto
    var seed: UInt64 = 1
    var replan: Replanning.Options?
}
