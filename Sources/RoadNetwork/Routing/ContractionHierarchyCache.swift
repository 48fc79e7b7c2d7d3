/// Contraction hierarchies per closure state of a graph. Closures change the graph (arcs vanish),
/// so a date with closures gets its own hierarchy, built by re-contracting without the closed arcs;
/// dates with the same closed arcs share it. Re-contraction was chosen over a customizable CH
/// because it is cheap on a zone (tens of milliseconds for the Andorra and Liechtenstein extracts,
/// see Benchmarks/README.md) and keeps one query code path; a CCH pays off once networks are large
/// enough that contraction takes seconds and closures change often.
///
/// Not thread-safe: one cache per thread or behind an actor.
public final class ContractionHierarchyCache {
    public let graph: RoadGraph
    public let builder: ContractionHierarchyBuilder
    let base: ContractionHierarchy
    var byMask: [ArcMask: ContractionHierarchy] = [:]
    /// How many hierarchies were built for closures (for tests and reports).
    public private(set) var contractions = 0

    /// - Parameter base: the hierarchy without closures, e.g. from the network file; built when nil.
    public init(graph: RoadGraph, base: ContractionHierarchy? = nil, builder: ContractionHierarchyBuilder = ContractionHierarchyBuilder()) {
        self.graph = graph
        self.builder = builder
        self.base = base ?? builder.build(graph)
    }

    /// The hierarchy of the graph without the arcs in `closed`.
    public func hierarchy(closed: ArcMask?) -> ContractionHierarchy {
        guard let closed, !closed.isEmpty else { return base }
        if let known = byMask[closed] { return known }
        let ch = builder.build(graph, closed: closed)
        contractions += 1
        byMask[closed] = ch
        return ch
    }

    /// The hierarchy for the network as it is on `date` (its own closures plus `extra`).
    public func hierarchy(on date: ServiceDate?, extra: [EdgeClosure] = []) -> ContractionHierarchy {
        hierarchy(closed: graph.closedArcs(on: date, extra: extra))
    }
}
