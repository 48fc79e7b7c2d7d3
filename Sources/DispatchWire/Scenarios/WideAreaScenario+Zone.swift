import DispatchCore
import NetworkGeneration
import RoadNetwork

extension WideAreaScenario {
    /// The generated zone as the scenario sees it: every stop and depot that can be reached from the
    /// hospital and driven back from, and the travel times between all of them on one date. Make it
    /// once and pass it to `generate(requests:vehicles:seed:zone:)` for several days of demand.
    public struct Zone: Sendable {
        /// Seed of the generated network (1 is the committed default zone).
        public let networkSeed: UInt64
        /// The service date whose road closures apply (nil: none).
        public let date: ServiceDate?
        let municipalities: [GeneratedMunicipality]
        /// Candidate locations: one per road node that carries a stop, facility or depot.
        let locations: [Location]
        /// Deciseconds and metres between the candidates (square, row-major).
        let table: TravelTimeTable
        /// The same in seconds, rounded up, exactly as the instance will see them.
        let travel: TravelMatrix
        /// The municipality with the hospital.
        let hub: Int

        /// Which kind a location takes when several places share its road node (the town office and
        /// its "Yakuba-mae" stop, the hospital and "Kenritsu Byōin-mae", a hamlet and its kōminkan).
        static let kindPriority: [GeneratedPlace.Kind] = [.depot, .hospital, .station, .supermarket, .school,
                                                          .townCentre, .hamlet, .meetingPoint]

        /// Generates the zone, snaps its stops and depots, contracts the graph without the arcs
        /// closed on `date` and computes the many-to-many table.
        /// - Parameters:
        ///   - networkSeed: seed of the generated zone; 1 is the committed default zone.
        ///   - date: closures of this date apply (in winter the pass is closed, and stops cut off by
        ///     it are left out); nil for none.
        /// - Complexity: about 0.1 s in a release build (graph build and contraction dominate).
        public init(networkSeed: UInt64 = 1, date: ServiceDate? = nil) throws {
            let network = MountainNetworkGenerator.embeddedZone(seed: networkSeed)
            let graph = try EmbeddedZone.graph(of: network).graph
            let mask = graph.closedArcs(on: date)
            let closed: ArcMask? = mask.isEmpty ? nil : mask

            // One candidate per road node, named after its most important place.
            var candidates: [GeneratedPlace] = []
            var slot: [Int64: Int] = [:]
            for place in network.places {
                guard place.municipality != nil, let rank = Self.kindPriority.firstIndex(of: place.kind) else { continue }
                if let i = slot[place.nodeID] {
                    if rank < Self.kindPriority.firstIndex(of: candidates[i].kind)! { candidates[i] = place }
                } else {
                    slot[place.nodeID] = candidates.count
                    candidates.append(place)
                }
            }
            guard let hospital = candidates.firstIndex(where: { $0.kind == .hospital }) else {
                throw WideAreaScenarioError(reason: "the generated zone has no hospital")
            }

            let index = SnapIndex(graph: graph)
            let snapped = try candidates.map { try index.snap($0.coordinate, in: graph, closed: closed, maxDistanceMetres: 50) }
            let hierarchy = ContractionHierarchyBuilder().build(graph, closed: closed)
            let full = ManyToMany.table(graph: graph, hierarchy: hierarchy, points: snapped, closed: closed)

            // Through the hospital every kept candidate reaches every other one.
            let kept = candidates.indices.filter { full.time($0, hospital) != nil && full.time(hospital, $0) != nil }
            // A town centre is called after its stop, the town office ("… Yakuba-mae"), not the municipality.
            var stopNames: [Int64: (String, String)] = [:]
            for place in network.places where place.kind == .meetingPoint && stopNames[place.nodeID] == nil {
                stopNames[place.nodeID] = (place.name, place.localName)
            }
            self.networkSeed = networkSeed
            self.date = date
            municipalities = network.municipalities
            locations = kept.map { i in
                let p = candidates[i]
                let names = p.kind == .townCentre ? stopNames[p.nodeID] ?? (p.name, p.localName) : (p.name, p.localName)
                return Location(name: names.0, localName: names.1, kind: p.kind, municipality: p.municipality!,
                                coordinate: p.coordinate)
            }
            table = full.restricted(to: kept)
            travel = TravelMatrix(table: table, scale: .seconds)
            hub = candidates[hospital].municipality!
        }

        /// Location indices of `kind`, in generation order.
        func indices(of kind: GeneratedPlace.Kind) -> [Int] {
            locations.indices.filter { locations[$0].kind == kind }
        }

        /// The location of `options` nearest to `from` by travel time (the first on ties).
        func nearest(_ options: [Int], from: Int) -> Int? {
            options.min { (travel[from, $0], $0) < (travel[from, $1], $1) }
        }
    }
}
