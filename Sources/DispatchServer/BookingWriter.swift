import Foundation
import RideRequestStore

/// Group commit: booking inserts that arrive while a commit is under way wait and go together in
/// the next transaction (one fsync for many bookings). Each caller still gets its answer only
/// after its own insert is committed, so a 201 always means "on disk".
///
/// Inserts are committed in the order `enqueue` was called. The booking desk enqueues from inside
/// the step that claims a date's revision, so inserts reach the store in the order of their
/// revisions and none is refused as stale because another one of the same process overtook it.
final class BookingWriter: @unchecked Sendable {
    let store: any RideRequestStore
    /// Largest number of inserts in one transaction.
    let maxBatch: Int
    private let lock = NSLock()
    private var pending: [(insert: BookingInsert, promise: WritePromise)] = []
    private var flushing = false
    /// Batches committed and inserts in them (for tests and logs).
    private var counts = (batches: 0, inserts: 0)
    var batches: Int { lock.withLock { counts.batches } }
    var inserts: Int { lock.withLock { counts.inserts } }

    init(store: any RideRequestStore, maxBatch: Int = 256) {
        self.store = store
        self.maxBatch = maxBatch
    }

    /// Queues an insert behind those queued before it; the promise is kept after its commit.
    func enqueue(_ insert: BookingInsert) -> WritePromise {
        let promise = WritePromise()
        let start: Bool = lock.withLock {
            pending.append((insert, promise))
            guard !flushing else { return false }
            flushing = true
            return true
        }
        if start { Task { await self.flush() } }
        return promise
    }

    func write(_ insert: BookingInsert) async throws -> BookingWrite {
        try await enqueue(insert).value
    }

    private func flush() async {
        while true {
            let batch: [(insert: BookingInsert, promise: WritePromise)] = lock.withLock {
                let batch = Array(pending.prefix(maxBatch))
                pending.removeFirst(batch.count)
                if batch.isEmpty { flushing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let results = try await store.insertBookings(batch.map(\.insert))
                lock.withLock { counts.batches += 1; counts.inserts += batch.count }
                for (item, result) in zip(batch, results) { item.promise.keep(.success(result)) }
            } catch {
                for item in batch { item.promise.keep(.failure(error)) }
            }
        }
    }
}

/// The answer to one queued insert, awaited by the request that queued it.
final class WritePromise: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<BookingWrite, any Error>?
    private var waiter: CheckedContinuation<BookingWrite, any Error>?

    func keep(_ outcome: Result<BookingWrite, any Error>) {
        lock.lock()
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.resume(with: outcome)
        } else {
            result = outcome
            lock.unlock()
        }
    }

    var value: BookingWrite {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                lock.lock()
                if let result {
                    lock.unlock()
                    continuation.resume(with: result)
                } else {
                    waiter = continuation
                    lock.unlock()
                }
            }
        }
    }
}
