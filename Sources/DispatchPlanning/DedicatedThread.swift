import Foundation

/// Runs long solves on a thread of their own and resumes the caller when done.
///
/// Why: a GLPK problem belongs to the thread that created it (create, solve and delete it on one
/// OS thread, or GLPK aborts), so a solve must not hop threads across an `await`; and a solve of
/// seconds must not block one of the few threads of Swift's cooperative pool (2 on this machine),
/// which would stall the server's request handling. Debian's GLPK keeps its environment per thread,
/// so two solves may run at once on two such threads (tested in `DedicatedThreadTests`).
public enum DedicatedThread {
    /// Stack size for solver threads: GLPK's branch and bound and the event graph recurse little,
    /// but the default 512 KiB of secondary threads is tight for large C stack frames.
    public static let stackSize = 16 << 20

    public static func run<T: Sendable>(name: String = "dispatch-solver", _ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: work())
            }
            thread.name = name
            thread.stackSize = stackSize
            thread.start()
        }
    }
}
