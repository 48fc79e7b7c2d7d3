/// A binary min-heap of (key, node) pairs packed into one UInt64 (key in the high 32 bits), with
/// lazy deletion: a node may be pushed again with a smaller key and stale entries are skipped by
/// the caller. Packing keeps comparisons to one integer compare; the storage is a raw buffer owned
/// by the heap (no bounds or uniqueness checks in the sift loops), reused across queries.
/// - Complexity: push and pop O(log size).
final class MinHeap {
    private var items: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        self.capacity = max(16, capacity)
        items = .allocate(capacity: self.capacity)
    }

    deinit { items.deallocate() }

    var isEmpty: Bool { count == 0 }
    var minKey: Int32? { count > 0 ? Int32(truncatingIfNeeded: items[0] >> 32) : nil }

    func removeAll() { count = 0 }

    private func grow() {
        let bigger = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity * 2)
        bigger.update(from: items, count: count)
        items.deallocate()
        items = bigger
        capacity *= 2
    }

    @inline(__always)
    func push(key: Int32, node: Int32) {
        if count == capacity { grow() }
        let item = UInt64(UInt32(bitPattern: key)) << 32 | UInt64(UInt32(bitPattern: node))
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            let p = items[parent]
            if p <= item { break }
            items[i] = p
            i = parent
        }
        items[i] = item
    }

    @inline(__always)
    func pop() -> (key: Int32, node: Int32) {
        precondition(count > 0, "pop from an empty heap")
        let top = items[0]
        count -= 1
        let n = count
        if n > 0 {
            let last = items[n]
            var i = 0
            while true {
                var child = 2 * i + 1
                if child >= n { break }
                if child + 1 < n && items[child + 1] < items[child] { child += 1 }
                let c = items[child]
                if last <= c { break }
                items[i] = c
                i = child
            }
            items[i] = last
        }
        return (Int32(truncatingIfNeeded: top >> 32), Int32(truncatingIfNeeded: top & 0xffff_ffff))
    }
}
