import Foundation

/// A dial-a-ride benchmark instance in Cordeau's (2006) format, exactly as the file states it.
///
/// The file's first line is `K n T Q L` (vehicles, requests, maximum route duration, vehicle
/// capacity, maximum ride time); then 2n + 2 lines `id x y service load earliest latest`: the start
/// depot (id 0), the n pickups (1…n), the n deliveries (n+1…2n, delivery of pickup i is n+i), and
/// the end depot (2n+1). Travel times and costs are the unrounded Euclidean distances.
/// Mapping this onto the optimizer's instance model belongs to the optimizer issue; this type only
/// reads and checks the file.
public struct CordeauInstance: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        public var id: Int
        public var x: Double
        public var y: Double
        public var serviceTime: Double
        /// +q at a pickup, −q at its delivery, 0 at the depots.
        public var load: Int
        public var earliest: Double
        public var latest: Double
    }

    public var name: String
    public var vehicleCount: Int
    public var requestCount: Int
    public var maxRouteDuration: Double
    public var vehicleCapacity: Int
    public var maxRideTime: Double
    /// 2n + 2 nodes in file order.
    public var nodes: [Node]

    /// Euclidean distance between nodes `i` and `j` (the instance's travel time and cost).
    public func travelTime(_ i: Int, _ j: Int) -> Double {
        let dx = nodes[i].x - nodes[j].x, dy = nodes[i].y - nodes[j].y
        return (dx * dx + dy * dy).squareRoot()
    }

    public func pickup(ofRequest r: Int) -> Node { nodes[1 + r] }
    public func delivery(ofRequest r: Int) -> Node { nodes[1 + requestCount + r] }
}

/// A benchmark instance file that cannot be read, with the line that is wrong.
public struct InstanceFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var reason: String
    public var description: String { "\(path), line \(line): \(reason)." }
}

extension CordeauInstance {
    public static func load(path: String) throws -> CordeauInstance {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InstanceFileError(path: path, line: 0, reason: "the file cannot be read")
        }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try parse(String(decoding: data, as: UTF8.self), name: name, source: path)
    }

    public static func parse(_ text: String, name: String, source: String) throws -> CordeauInstance {
        var lines: [(number: Int, fields: [Substring])] = []
        for (offset, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let fields = raw.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if !fields.isEmpty { lines.append((offset + 1, fields)) }
        }
        func fail(_ line: Int, _ reason: String) -> InstanceFileError { InstanceFileError(path: source, line: line, reason: reason) }
        guard let header = lines.first else { throw fail(1, "the file is empty") }
        guard header.fields.count == 5, let k = Int(header.fields[0]), let n = Int(header.fields[1]),
              let t = Double(header.fields[2]), let q = Int(header.fields[3]), let l = Double(header.fields[4]) else {
            throw fail(header.number, "the first line must be `K n T Q L` (vehicles, requests, route duration, capacity, ride time)")
        }
        guard k >= 1, n >= 1, q >= 1, t > 0, l > 0, t.isFinite, l.isFinite else {
            throw fail(header.number, "K, n and Q must be at least 1, T and L positive")
        }
        // The optimizer keeps a dense (2n + 2)² travel matrix: 5,000 requests make 400 MB.
        guard n <= 5_000 else { throw fail(header.number, "n = \(n) requests is more than this reader accepts (at most 5,000)") }
        let expected = 2 * n + 2
        guard lines.count - 1 == expected else {
            throw fail(lines.last!.number, "expected \(expected) node lines for n = \(n), found \(lines.count - 1)")
        }
        var nodes: [Node] = []
        for (index, line) in lines.dropFirst().enumerated() {
            let f = line.fields
            guard f.count == 7, let id = Int(f[0]), let x = Double(f[1]), let y = Double(f[2]), let s = Double(f[3]),
                  let load = Int(f[4]), let e = Double(f[5]), let lt = Double(f[6]),
                  [x, y, s, e, lt].allSatisfy(\.isFinite) else {
                throw fail(line.number, "a node line must be `id x y service load earliest latest`")
            }
            guard id == index else { throw fail(line.number, "node id \(id) where \(index) was expected") }
            guard s >= 0 else { throw fail(line.number, "service time \(f[3]) is negative") }
            guard e <= lt else { throw fail(line.number, "time window \(f[5])–\(f[6]) ends before it starts") }
            nodes.append(Node(id: id, x: x, y: y, serviceTime: s, load: load, earliest: e, latest: lt))
        }
        for (i, node) in nodes.enumerated() {
            let line = lines[i + 1].number
            if i == 0 || i == expected - 1 {
                guard node.load == 0 else { throw fail(line, "a depot must have load 0, not \(node.load)") }
            } else if i <= n {
                guard node.load > 0, node.load <= q else {
                    throw fail(line, "pickup \(i) has load \(node.load); it must lie in 1…\(q) (the capacity)")
                }
                guard nodes[i + n].load == -node.load else {
                    throw fail(lines[i + n + 1].number, "delivery \(i + n) has load \(nodes[i + n].load); it must be \(-node.load), minus its pickup's")
                }
            }
        }
        return CordeauInstance(name: name, vehicleCount: k, requestCount: n, maxRouteDuration: t,
                               vehicleCapacity: q, maxRideTime: l, nodes: nodes)
    }
}
