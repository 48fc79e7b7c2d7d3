import Foundation
import RideRequestStore

/// `/readyz`: whether the store answers a small read within a deadline. One probe at a time: while
/// a probe is under way (a store that hangs), later checks wait for the same probe instead of
/// piling up more store calls, and every check gives up at its own deadline.
actor Readiness {
    let store: any RideRequestStore
    private var probe: Task<Void, any Error>?

    init(store: any RideRequestStore) { self.store = store }

    /// Throws `StoreError(.unavailable)` when the store fails or does not answer within `timeout`.
    func check(timeout: Duration) async throws {
        let probe: Task<Void, any Error>
        if let running = self.probe {
            probe = running
        } else {
            let store = self.store
            probe = Task { _ = try await store.municipalities() }
            self.probe = probe
            Task { _ = await probe.result; self.finished(probe) }
        }
        try await Self.value(of: probe, within: timeout)
    }

    private func finished(_ done: Task<Void, any Error>) {
        if probe == done { probe = nil }
    }

    /// The task's value, or `StoreError(.unavailable)` after `timeout` (the task keeps running:
    /// a store call blocked in the backend cannot always be interrupted).
    static func value(of task: Task<Void, any Error>, within timeout: Duration) async throws {
        let once = Once()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let timer = Task {
                try? await Task.sleep(for: timeout)
                if once.claim() {
                    continuation.resume(throwing: StoreError(.unavailable, "the store did not answer within \(timeout.components.seconds) s"))
                }
            }
            Task {
                let result = await task.result
                if once.claim() {
                    timer.cancel()
                    continuation.resume(with: result.mapError { error -> any Error in
                        if let storeError = StoreError(classifying: error) { return storeError }
                        return error
                    })
                }
            }
        }
    }

    /// Lets exactly one of two racers resume a continuation.
    final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false

        func claim() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if done { return false }
            done = true
            return true
        }
    }
}
