import Foundation
import DispatchCore
import HTTPTypes
import Hummingbird
import NIOCore

/// The server's counters, gauges and histograms, served by `GET /metrics` in the Prometheus text
/// exposition format 0.0.4. Label values are the server's own codes (outcomes, reasons, routes,
/// store error kinds), never personal data or client input. Thread-safe.
public final class ServerMetrics: @unchecked Sendable {
    enum Kind: String { case counter, gauge, histogram }

    struct Family {
        var kind: Kind
        var help: String
        /// Histogram bucket upper bounds (seconds).
        var buckets: [Double] = []
        var values: [[String: String]: Double] = [:]
        var histograms: [[String: String]: (counts: [Int], sum: Double, count: Int)] = [:]
    }

    private let lock = NSLock()
    private var families: [String: Family] = [:]
    private var gauges: [String: (help: String, read: @Sendable () -> Double)] = [:]

    /// Latency buckets, seconds: 1 ms to 10 s.
    public static let latencyBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]
    /// Plan-run buckets, seconds.
    public static let planBuckets: [Double] = [0.5, 1, 2, 5, 10, 30, 60, 120, 300]

    public init() {
        declare("dispatch_bookings_total", .counter, "Bookings answered, by outcome (accepted, rejected) and reason code.")
        declare("dispatch_booking_rule_refusals_total", .counter, "Bookings refused (422, not stored) by the booking rule they break.")
        declare("dispatch_booking_writes_total", .counter, "Booking inserts by what the store did (created, replayed, conflict, stale).")
        declare("dispatch_http_requests_total", .counter, "HTTP requests by route, method and status.")
        declare("dispatch_http_request_duration_seconds", .histogram, "HTTP request latency by route and method.", buckets: Self.latencyBuckets)
        declare("dispatch_plan_runs_total", .counter, "Plan runs by outcome (saved, failed).")
        declare("dispatch_plan_run_duration_seconds", .histogram, "Duration of plan runs.", buckets: Self.planBuckets)
        declare("dispatch_broken_promises_total", .counter, "Promised bookings that saved plans could not keep.")
        declare("dispatch_store_errors_total", .counter, "Store failures answered 503, by kind.")
    }

    private func declare(_ name: String, _ kind: Kind, _ help: String, buckets: [Double] = []) {
        families[name] = Family(kind: kind, help: help, buckets: buckets)
    }

    /// A gauge read when the metrics are rendered.
    public func gauge(_ name: String, help: String, _ read: @escaping @Sendable () -> Double) {
        lock.lock()
        defer { lock.unlock() }
        gauges[name] = (help, read)
    }

    public func increment(_ name: String, _ labels: [String: String] = [:], by amount: Double = 1) {
        lock.lock()
        defer { lock.unlock() }
        precondition(families[name]?.kind == .counter, "unknown counter \(name)")
        families[name]!.values[labels, default: 0] += amount
    }

    public func observe(_ name: String, _ labels: [String: String] = [:], _ value: Double) {
        lock.lock()
        defer { lock.unlock() }
        precondition(families[name]?.kind == .histogram, "unknown histogram \(name)")
        let buckets = families[name]!.buckets
        var h = families[name]!.histograms[labels] ?? (Array(repeating: 0, count: buckets.count), 0, 0)
        for (i, bound) in buckets.enumerated() where value <= bound { h.counts[i] += 1 }
        h.sum += value
        h.count += 1
        families[name]!.histograms[labels] = h
    }

    /// The current value of a counter (tests).
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        lock.lock()
        defer { lock.unlock() }
        return families[name]?.values[labels] ?? 0
    }

    /// The exposition text.
    public func render() -> String {
        lock.lock()
        let families = self.families
        let gauges = self.gauges
        lock.unlock()
        var out = ""
        for name in families.keys.sorted() {
            let f = families[name]!
            out += "# HELP \(name) \(f.help)\n# TYPE \(name) \(f.kind.rawValue)\n"
            switch f.kind {
            case .counter, .gauge:
                for (labels, value) in f.values.sorted(by: { Self.labelText($0.key) < Self.labelText($1.key) }) {
                    out += "\(name)\(Self.labelText(labels)) \(Self.number(value))\n"
                }
            case .histogram:
                for (labels, h) in f.histograms.sorted(by: { Self.labelText($0.key) < Self.labelText($1.key) }) {
                    for (i, bound) in f.buckets.enumerated() {
                        out += "\(name)_bucket\(Self.labelText(labels.merging(["le": Self.number(bound)]) { a, _ in a })) \(h.counts[i])\n"
                    }
                    out += "\(name)_bucket\(Self.labelText(labels.merging(["le": "+Inf"]) { a, _ in a })) \(h.count)\n"
                    out += "\(name)_sum\(Self.labelText(labels)) \(Self.number(h.sum))\n"
                    out += "\(name)_count\(Self.labelText(labels)) \(h.count)\n"
                }
            }
        }
        for name in gauges.keys.sorted() {
            let g = gauges[name]!
            out += "# HELP \(name) \(g.help)\n# TYPE \(name) gauge\n\(name) \(Self.number(g.read()))\n"
        }
        return out
    }

    static func labelText(_ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(escape($0.value))\"" }.joined(separator: ",") + "}"
    }

    /// Label values escape backslash, double quote and line feed (exposition format 0.0.4).
    static func escape(_ value: String) -> String {
        var out = ""
        for c in value {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// Counts open connections: added to each connection's pipeline, removed with it.
final class ConnectionCounter: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = NIOAny
    let open: LockedCounter

    init(_ open: LockedCounter) { self.open = open }

    func handlerAdded(context: ChannelHandlerContext) { open.add(1) }
    func handlerRemoved(context: ChannelHandlerContext) { open.add(-1) }
}

/// A lock-protected integer (connection counts change rarely compared with the work per request).
public final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    public init() {}
    public func add(_ delta: Int) { lock.lock(); value += delta; lock.unlock() }
    public var current: Int { lock.lock(); defer { lock.unlock() }; return value }
}

/// Counts every request by route (the template, so that ids never become labels), method and
/// status, and times it.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    /// Every answer names its request, as the server's log lines do (`hb.request.id`).
    static var requestID: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let route = Routes.template(request.uri.path), method = request.method.rawValue
        func record(_ status: Int) {
            let d = ContinuousClock.now - started
            metrics.increment("dispatch_http_requests_total", ["route": route, "method": method, "status": String(status)])
            metrics.observe("dispatch_http_request_duration_seconds", ["route": route, "method": method], d.seconds)
        }
        do {
            var response = try await next(request, context)
            record(response.status.code)
            response.headers[Self.requestID] = context.id
            return response
        } catch let error as any HTTPResponseError {
            record(error.status.code)
            if let api = error as? APIError, api.code == "store_unavailable" { metrics.increment("dispatch_store_errors_total", ["kind": "unavailable"]) }
            throw error
        } catch {
            record(500)
            throw error
        }
    }
}

/// The API's route templates: bounded metric labels, and the methods each path takes.
enum Routes {
    /// The methods each route template answers (405 with `Allow` for the others).
    static let methods: [String: [String]] = [
        "/healthz": ["GET"], "/readyz": ["GET"], "/metrics": ["GET"], "/openapi.json": ["GET"],
        "/v1/bookings": ["GET", "POST"], "/v1/bookings/{id}": ["DELETE", "GET"], "/v1/plans/{date}": ["GET", "POST"],
        "/v1/vehicles": ["GET"], "/v1/keys": ["POST"], "/v1/keys/{id}": ["DELETE"],
        "/v1/standing-bookings": ["GET", "POST"], "/v1/standing-bookings/{id}": ["DELETE", "GET"],
        "/v1/vehicles/{id}/events": ["GET", "POST"],
    ]

    /// The route template of a path; unknown paths are "other" (bounded label values).
    static func template(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        switch parts.count {
        case 1 where ["healthz", "readyz", "metrics", "openapi.json"].contains(parts[0]): return "/" + parts[0]
        case 2 where parts[0] == "v1" && ["bookings", "vehicles", "keys", "standing-bookings"].contains(parts[1]): return "/v1/" + parts[1]
        case 3 where parts[0] == "v1" && parts[1] == "bookings": return "/v1/bookings/{id}"
        case 3 where parts[0] == "v1" && parts[1] == "plans": return "/v1/plans/{date}"
        case 3 where parts[0] == "v1" && parts[1] == "keys": return "/v1/keys/{id}"
        case 3 where parts[0] == "v1" && parts[1] == "standing-bookings": return "/v1/standing-bookings/{id}"
        case 4 where parts[0] == "v1" && parts[1] == "vehicles" && parts[3] == "events": return "/v1/vehicles/{id}/events"
        default: return "other"
        }
    }
}
