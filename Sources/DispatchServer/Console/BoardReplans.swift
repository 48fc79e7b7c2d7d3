import DispatchWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RideRequestStore

/// The console's re-plans in progress and just finished, by a random run id: each run's events
/// (`started`, `progress`, then `done` or `failed`) for its key's sessions to follow as
/// server-sent events. Finished runs are forgotten after `keep` seconds (and beyond `limit` runs,
/// the oldest finished first).
actor BoardReplans {
    struct Event: Sendable {
        var name: String
        var data: JSONValue

        var isFinal: Bool { name == "done" || name == "failed" }

        /// The event as `text/event-stream` lines.
        var text: String { "event: \(name)\ndata: \(String(decoding: data.bytes, as: UTF8.self))\n\n" }
    }

    private struct Run {
        var owner: String
        var events: [Event] = []
        var waiters: [Int: AsyncStream<Event>.Continuation] = [:]
        var finishedAt: ContinuousClock.Instant?
    }

    private var runs: [String: Run] = [:]
    private var nextWaiter = 0
    let keep: Duration
    let limit: Int

    init(keep: Duration = .seconds(600), limit: Int = 200) {
        self.keep = keep
        self.limit = limit
    }

    /// A new run of the key `owner`; its id.
    func start(owner: String) -> String {
        prune()
        let id = RandomToken.make(24)
        runs[id] = Run(owner: owner)
        return id
    }

    /// Adds an event to the run and hands it to its followers; a final one ends their streams.
    func post(_ id: String, _ event: Event) {
        guard var run = runs[id], run.finishedAt == nil else { return }
        run.events.append(event)
        for waiter in run.waiters.values {
            waiter.yield(event)
            if event.isFinal { waiter.finish() }
        }
        if event.isFinal {
            run.waiters = [:]
            run.finishedAt = .now
        }
        runs[id] = run
    }

    /// The run's events so far and then as they come, ending after `done` or `failed`; nil for
    /// an unknown run or another key's.
    func follow(_ id: String, owner: String) -> AsyncStream<Event>? {
        guard var run = runs[id], run.owner == owner else { return nil }
        let (stream, continuation) = AsyncStream<Event>.makeStream()
        for event in run.events { continuation.yield(event) }
        if run.finishedAt != nil {
            continuation.finish()
            return stream
        }
        let token = nextWaiter
        nextWaiter += 1
        run.waiters[token] = continuation
        runs[id] = run
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unfollow(id, token) }
        }
        return stream
    }

    private func unfollow(_ id: String, _ token: Int) {
        runs[id]?.waiters[token] = nil
    }

    private func prune() {
        let now = ContinuousClock.now
        runs = runs.filter { _, run in run.finishedAt.map { now - $0 < keep } ?? true }
        if runs.count >= limit {
            let finished = runs.filter { $0.value.finishedAt != nil }.sorted { $0.value.finishedAt! < $1.value.finishedAt! }
            for (id, _) in finished.prefix(runs.count - limit + 1) { runs[id] = nil }
        }
    }

    /// A `text/event-stream` answer that sends the stream's events and ends with it.
    static func response(_ stream: AsyncStream<Event>) -> Response {
        var headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // Tells EventSource to wait long before reconnecting to a stream that has ended.
            try await writer.write(ByteBuffer(string: "retry: 600000\n\n"))
            for await event in stream {
                try await writer.write(ByteBuffer(string: event.text))
            }
            try await writer.finish(nil)
        })
    }
}

/// The latest solver progress of a run, written by the solver's thread and read by the ticker.
final class LatestProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var served: Int?
    private var iteration: Int?

    func set(served: Int, iteration: Int) {
        lock.lock()
        self.served = served
        self.iteration = iteration
        lock.unlock()
    }

    var value: (served: Int?, iteration: Int?) {
        lock.lock()
        defer { lock.unlock() }
        return (served, iteration)
    }
}
