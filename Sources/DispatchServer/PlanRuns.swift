import DispatchCore
import Foundation

/// The plan runs in progress, so that a server shutting down gives them a bounded grace period:
/// after `shutDown(grace:)` new runs are refused (503) and, once the grace has passed, running
/// ones are told to stop and save the best plan they have.
public final class PlanRuns: @unchecked Sendable {
    private let lock = NSLock()
    private var running: [ObjectIdentifier: StopSignal] = [:]
    private var closing = false

    public init() {}

    /// A stop signal for a new run, or nil when the server is shutting down.
    func begin() -> StopSignal? {
        lock.lock()
        defer { lock.unlock() }
        guard !closing else { return nil }
        let signal = StopSignal()
        running[ObjectIdentifier(signal)] = signal
        return signal
    }

    func end(_ signal: StopSignal) {
        lock.lock()
        running[ObjectIdentifier(signal)] = nil
        lock.unlock()
    }

    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return running.count
    }

    /// Refuses new runs now and stops the running ones after `grace` seconds.
    public func shutDown(grace: Double) {
        lock.lock()
        closing = true
        lock.unlock()
        Thread.detachNewThread { [self] in
            Thread.sleep(forTimeInterval: max(0, grace))
            lock.lock()
            let signals = Array(running.values)
            lock.unlock()
            for signal in signals { signal.raise() }
        }
    }
}
