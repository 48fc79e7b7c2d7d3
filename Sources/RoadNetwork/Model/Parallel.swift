import Dispatch

/// Slots that parallel workers write by index; each index is written by exactly one worker.
package final class ParallelSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    package init(count: Int) { storage = Array(repeating: nil, count: count) }
    package func set(_ i: Int, _ value: T) { storage.withUnsafeMutableBufferPointer { $0[i] = value } }
    package func take() -> [T] { storage.map { $0! } }
}

/// Maps `0..<count` in parallel over the machine's cores (libdispatch `concurrentPerform`),
/// keeping the order of the results. `body` must be safe to run concurrently.
package func parallelMap<T>(count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = ParallelSlots<T>(count: count)
    if count == 1 {
        slots.set(0, body(0))
    } else if count > 1 {
        DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, body(i)) }
    }
    return slots.take()
}
