/// A binary min-heap of (key, node) pairs packed into one UInt64 (key in the high 32 bits), with
/// lazy deletion: a node may be pushed again with a smaller key and stale entries are skipped by
/// the caller. Packing keeps comparisons to one integer compare.
/// - Complexity: push and pop O(log size).
struct MinHeap {
    private(set) var items: [UInt64] = []

    var isEmpty: Bool { items.isEmpty }
    var minKey: Int32? { items.first.map { Int32(truncatingIfNeeded: $0 >> 32) } }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    @inline(__always)
    mutating func push(key: Int32, node: Int32) {
        var i = items.count
        let item = UInt64(UInt32(bitPattern: key)) << 32 | UInt64(UInt32(bitPattern: node))
        items.append(item)
        while i > 0 {
            let parent = (i - 1) >> 1
            if items[parent] <= item { break }
            items[i] = items[parent]
            i = parent
        }
        items[i] = item
    }

    @inline(__always)
    mutating func pop() -> (key: Int32, node: Int32) {
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            var i = 0
            let n = items.count
            while true {
                var child = 2 * i + 1
                if child >= n { break }
                if child + 1 < n && items[child + 1] < items[child] { child += 1 }
                if last <= items[child] { break }
                items[i] = items[child]
                i = child
            }
            items[i] = last
        }
        return (Int32(truncatingIfNeeded: top >> 32), Int32(truncatingIfNeeded: top & 0xffff_ffff))
    }
}
