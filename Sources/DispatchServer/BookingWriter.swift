import RideRequestStore

/// Group commit: booking inserts that arrive while a commit is under way wait and go together in
/// the next transaction (one fsync for many bookings). Each caller still gets its answer only
/// after its own insert is committed, so a 201 always means "on disk".
actor BookingWriter {
    let store: any RideRequestStore
    /// Largest number of inserts in one transaction.
    let maxBatch: Int
    private var pending: [(insert: BookingInsert, reply: CheckedContinuation<BookingWrite, any Error>)] = []
    private var flushing = false
    /// Batches committed and inserts in them (for tests and logs).
    private(set) var batches = 0
    private(set) var inserts = 0

    init(store: any RideRequestStore, maxBatch: Int = 256) {
        self.store = store
        self.maxBatch = maxBatch
    }

    func write(_ insert: BookingInsert) async throws -> BookingWrite {
        try await withCheckedThrowingContinuation { reply in
            pending.append((insert, reply))
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            do {
                let results = try await store.insertBookings(batch.map(\.insert))
                batches += 1
                inserts += batch.count
                for (item, result) in zip(batch, results) { item.reply.resume(returning: result) }
            } catch {
                for item in batch { item.reply.resume(throwing: error) }
            }
        }
        flushing = false
    }
}
