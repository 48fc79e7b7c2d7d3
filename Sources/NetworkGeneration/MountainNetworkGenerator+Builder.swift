import DispatchCore
import RoadNetwork

// The pieces a mountain network is made of, shared by the embedded zone and the scalable networks:
// valley axes (rivers), trunk roads along them with towns on the valley floor, side valleys with
// dead-end hamlets and hairpin stairs, pass roads between valleys, and roadside driveways.

extension MountainNetworkGenerator {
    /// A valley drawn through control points; segments flagged `straight` hold a town.
    struct ValleySpec {
        var controls: [Point]
        /// Floor elevation (m) at each control point.
        var floors: [Double]
        /// Floor half-width (m) at each control point.
        var halfWidths: [Double]
        /// Per control segment: whether it is a straight town stretch.
        var straight: [Bool]
        /// River meanders outside towns.
        var meanderAmplitude: Double
        var meanderWavelength: Double
        /// Distance over which the valley walls rise to the ridges.
        var wallScale: Double
    }

    /// A valley's centre line (its river) sampled about every 20 m, with the floor at each sample.
    struct ValleyAxis {
        var points: [Point]
        var along: [Double]
        /// Unit normals pointing to the left of the downstream-to-upstream direction of drawing.
        var normals: [Point]
        var floors: [Double]
        var halfWidths: [Double]
        var controlIndex: [Int]
        /// Sample ranges of the straight town stretches.
        var townPieces: [(start: Int, end: Int)]
        var wallScale: Double

        var length: Double { along[along.count - 1] }

        /// The sample nearest to arc length `s`.
        func sample(nearAlong s: Double) -> Int {
            var lo = 0
            var hi = along.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if along[mid] < s { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }

    /// How a town's grid is laid out; the trunk road is its row 0 (main street).
    struct TownSpec {
        var name: String
        var localName: String
        var municipality: Int?
        /// Lateral position of the main street relative to the river (along the axis normal).
        var offset: Double
        var columnSpacing: Double
        var rowSpacing: Double
        /// Most rows either side of the main street (land reserved for the town).
        var maxRowsLeft: Int
        var maxRowsRight: Int
        /// Rows actually built (may be decided later, up to the maxima).
        var rowsLeft: Int
        var rowsRight: Int
        var mainStreet: TagClass
        var roundaboutColumn: Int? = nil
        /// Rows tagged oneway=yes: true for the direction of drawing, false against it.
        var oneWayRows: [Int: Bool] = [:]
        /// Columns with their own tags (kept whole, e.g. a road leaving town).
        var columnTags: [Int: TagClass] = [:]
    }

    /// A town grid on a valley floor.
    struct Town {
        var spec: TownSpec
        var origin: Point
        var direction: Point
        var normal: Point
        var columns: Int
        var spacing: Double
        var row0: [Int32]
        /// Roundabout nodes, clockwise from the direction of drawing (12 nodes, 30° apart).
        var ring: [Int32] = []
        var seed: UInt64
        /// Grid nodes by `key(i, j)`, −1 until created.
        var nodes: [Int32] = []
        var axis: Int
        var axisRange: (start: Int, end: Int)
        var built = false
        /// Nodes where facility stubs end, by purpose.
        var stubs: [(purpose: String, node: Int32)] = []

        func key(_ i: Int, _ j: Int) -> Int { (j + spec.maxRowsRight) * columns + i }

        /// Grid node (i, j) if it has been created.
        func existingNode(_ i: Int, _ j: Int) -> Int32? {
            let k = key(i, j)
            return k >= 0 && k < nodes.count && nodes[k] >= 0 ? nodes[k] : nil
        }

        func position(_ i: Int, _ j: Int) -> Point {
            if j == 0 { return origin + direction * (Double(i) * spacing) }
            let h = hash(seed, i, j)
            let jitterAlong = signedUnit(h) * 7
            let jitterAcross = signedUnit(h >> 7 | h << 57) * 6
            return origin + direction * (Double(i) * spacing + jitterAlong)
                + normal * (Double(j) * spec.rowSpacing + jitterAcross)
        }

        /// First and last column of row `j`: the grid narrows away from the main street (never
        /// widening again, so each row's ends sit on cross streets of the row inside it).
        func columnRange(row j: Int) -> (Int, Int) {
            if j == 0 { return (0, columns - 1) }
            let m = Double(j > 0 ? spec.maxRowsLeft : spec.maxRowsRight)
            var lo = 0
            var hi = columns - 1
            for k in 1...abs(j) {
                let f = Double(k) / max(1, m)
                let shrink = Int(Double(columns) * 0.3 * f * f)
                let ragged = k > 1 ? Int(hash(seed, 7_777, k) % 2) : 0
                let ragged2 = k > 1 ? Int(hash(seed, 8_888, k) % 2) : 0
                lo = max(lo, min(shrink + ragged, columns / 2 - 1))
                hi = min(hi, max(columns - 1 - shrink - ragged2, columns / 2))
            }
            return (max(0, lo), min(columns - 1, hi))
        }

        /// Land reserved for the town, as a ring, `margin` metres beyond the outermost possible rows.
        func reservedRing(margin: Double) -> [Point] {
            let l = Double(columns - 1) * spacing
            let left = Double(spec.maxRowsLeft) * spec.rowSpacing + margin
            let right = Double(spec.maxRowsRight) * spec.rowSpacing + margin
            return [origin - direction * margin + normal * left,
                    origin + direction * (l + margin) + normal * left,
                    origin + direction * (l + margin) - normal * right,
                    origin - direction * margin - normal * right]
        }
    }

    /// A trunk road along a valley: its nodes in drawing order and where they lie on the valley.
    struct Trunk {
        var nodes: [Int32] = []
        var axisIndex: [Int] = []
        var offsets: [Double] = []
        var along: [Double] = []
        /// Whether a side road may start at the node (not in a town, tunnel or at an existing junction).
        var usable: [Bool] = []
        var axis: Int = 0

        /// The usable node nearest to arc length `s`, searching up to `window` metres either way.
        /// - Complexity: O(log n + nodes within the window).
        func node(nearAlong s: Double, window: Double = 400) -> Int? {
            var lo = 0
            var hi = along.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if along[mid] < s - window { lo = mid + 1 } else { hi = mid }
            }
            var best: Int?
            var bestDistance = window
            var i = lo
            while i < nodes.count && along[i] <= s + window {
                let d = abs(along[i] - s)
                if usable[i] && d <= bestDistance { best = i; bestDistance = d }
                i += 1
            }
            return best
        }
    }

    struct PlaceDraft {
        var name: String
        var localName: String
        var kind: GeneratedPlace.Kind
        var node: Int32
        var municipality: Int?
    }

    /// Shared tag classes; every way of a class holds the same arrays.
    struct TagBook {
        let residential = TagClass([("highway", "residential")])
        let residentialOneway = TagClass([("highway", "residential"), ("oneway", "yes")])
        let residentialSlow = TagClass([("highway", "residential"), ("maxspeed", "30")])
        let tertiary = TagClass([("highway", "tertiary"), ("maxspeed", "40"), ("surface", "asphalt")])
        let narrow = TagClass([("highway", "unclassified"), ("width", "3"), ("surface", "asphalt")])
        let farmRoad = TagClass([("highway", "unclassified"), ("surface", "asphalt")])
        let oldRoad = TagClass([("highway", "unclassified"), ("surface", "asphalt"), ("name", "旧道")])
        let driveway = TagClass([("highway", "service"), ("service", "driveway")])
        let privateDriveway = TagClass([("highway", "service"), ("service", "driveway"), ("access", "private")])
        let service = TagClass([("highway", "service")])
        let parkingAisle = TagClass([("highway", "service"), ("service", "parking_aisle")])
        let track = TagClass([("highway", "track"), ("tracktype", "grade3"), ("surface", "gravel")])
        let gatedTrack = TagClass([("highway", "track"), ("tracktype", "grade4"), ("surface", "gravel"),
                                   ("motor_vehicle", "no")])
    }

    /// The winter closure tag the embedded zone's pass carries, exactly as written in OSM.
    static let winterClosureValue = "no @ (Dec 1-Apr 15)"

    /// Everything under construction for one network.
    struct Builder {
        var sketch: Sketch
        var rng: SeededGenerator
        var axes: [ValleyAxis] = []
        var towns: [Town] = []
        var trunks: [Trunk] = []
        /// Side valleys and pass valleys, for the terrain.
        var valleys: [SyntheticTerrain.Valley] = []
        var corridors: [SyntheticTerrain.Corridor] = []
        var places: [PlaceDraft] = []
        /// Meeting-point candidates: (node, romaji, local name, priority; lower first).
        var stopCandidates: [(node: Int32, name: String, localName: String, priority: Int)] = []
        let tags = TagBook()
        /// While set, lanes, driveways and tracks must not come down onto this valley's floor (they
        /// start on a road that has climbed above it).
        var keepOffFloor = false
        /// Tracks built so far.
        var tracksBuilt = 0
        var floorCells: SyntheticTerrain.CellIndex?
        var floorSamples: [(axis: Int32, sample: Int32)] = []

        init(axes: [ValleyAxis], bounds: (minX: Double, minY: Double, maxX: Double, maxY: Double),
             rng: SeededGenerator) {
            self.axes = axes
            self.rng = rng
            sketch = Sketch(minX: bounds.minX, minY: bounds.minY, maxX: bounds.maxX, maxY: bounds.maxY,
                            rivers: Builder.riverLines(axes))
        }

        /// The rivers of `axes`, leaving out their ends, where branches meet at a shared junction.
        static func riverLines(_ axes: [ValleyAxis], margin: Double = 250) -> [[Point]] {
            var rivers: [[Point]] = []
            for axis in axes {
                let first = axis.sample(nearAlong: margin)
                let last = axis.sample(nearAlong: axis.length - margin)
                guard last > first + 1 else { continue }
                var river: [Point] = []
                var i = first
                while i < last { river.append(axis.points[i]); i += 3 }
                river.append(axis.points[last])
                rivers.append(river)
            }
            return rivers
        }

        /// Adds a valley axis after construction (its river then makes bridges too).
        mutating func addAxis(_ axis: ValleyAxis) -> Int {
            axes.append(axis)
            sketch.rivers = RiverIndex(rivers: Builder.riverLines(axes))
            return axes.count - 1
        }

        // MARK: Valley axes

        /// Samples a valley's centre line: Hermite curves between control points (straight through
        /// towns), plus river meanders that fade out near towns and the ends.
        static func buildAxis(_ spec: ValleySpec, rng: inout SeededGenerator) -> ValleyAxis {
            let c = spec.controls
            let k = c.count
            precondition(k >= 2 && spec.straight.count == k - 1 && spec.floors.count == k && spec.halfWidths.count == k)
            var tangents: [Point] = []
            for i in 0..<k {
                if i > 0 && spec.straight[i - 1] { tangents.append((c[i] - c[i - 1]).normalized); continue }
                if i < k - 1 && spec.straight[i] { tangents.append((c[i + 1] - c[i]).normalized); continue }
                if i == 0 { tangents.append((c[1] - c[0]).normalized); continue }
                if i == k - 1 { tangents.append((c[k - 1] - c[k - 2]).normalized); continue }
                tangents.append((c[i + 1] - c[i - 1]).normalized)
            }
            var points: [Point] = [c[0]]
            var controlIndex = [0]
            for i in 0..<(k - 1) {
                let chord = c[i].distance(to: c[i + 1])
                let segments = max(2, Int((chord * 1.05 / 20).rounded(.up)))
                let piece: [Point]
                if spec.straight[i] {
                    piece = (0...segments).map { Point.lerp(c[i], c[i + 1], Double($0) / Double(segments)) }
                } else {
                    piece = hermite(c[i], tangents[i] * chord, c[i + 1], tangents[i + 1] * chord, segments: segments)
                }
                points.append(contentsOf: piece.dropFirst())
                controlIndex.append(points.count - 1)
            }
            let n = points.count
            var along = cumulativeLengths(points)
            // Distance to the nearest sample where meanders must vanish.
            var pinned = [Bool](repeating: false, count: n)
            pinned[0] = true
            pinned[n - 1] = true
            var townPieces: [(start: Int, end: Int)] = []
            for i in 0..<(k - 1) where spec.straight[i] {
                townPieces.append((controlIndex[i], controlIndex[i + 1]))
                for j in controlIndex[i]...controlIndex[i + 1] { pinned[j] = true }
            }
            var distance = [Double](repeating: .infinity, count: n)
            var last = -Double.infinity
            for i in 0..<n {
                if pinned[i] { last = along[i] }
                distance[i] = along[i] - last
            }
            last = Double.infinity
            for i in stride(from: n - 1, through: 0, by: -1) {
                if pinned[i] { last = along[i] }
                distance[i] = min(distance[i], last - along[i])
            }
            let meander = Meander(amplitude: spec.meanderAmplitude, wavelength: spec.meanderWavelength, rng: &rng)
            let baseNormals = normalsOf(points)
            for i in 0..<n where !pinned[i] {
                let envelope = smoothstep(distance[i] / 600)
                points[i] = points[i] + baseNormals[i] * (envelope * meander.offset(at: along[i]))
            }
            along = cumulativeLengths(points)
            let normals = normalsOf(points)
            var floors = [Double](repeating: 0, count: n)
            var halfWidths = [Double](repeating: 0, count: n)
            for i in 0..<(k - 1) {
                let a = controlIndex[i]
                let b = controlIndex[i + 1]
                for j in a...b {
                    let t = along[b] > along[a] ? (along[j] - along[a]) / (along[b] - along[a]) : 0
                    floors[j] = spec.floors[i] + t * (spec.floors[i + 1] - spec.floors[i])
                    halfWidths[j] = spec.halfWidths[i] + t * (spec.halfWidths[i + 1] - spec.halfWidths[i])
                }
            }
            return ValleyAxis(points: points, along: along, normals: normals, floors: floors, halfWidths: halfWidths,
                              controlIndex: controlIndex, townPieces: townPieces, wallScale: spec.wallScale)
        }

        static func normalsOf(_ points: [Point]) -> [Point] {
            let n = points.count
            return (0..<n).map { i in
                let a = points[max(0, i - 1)]
                let b = points[min(n - 1, i + 1)]
                return (b - a).normalized.left
            }
        }

        // MARK: Trunk roads and towns

        enum StretchKind: Equatable { case rural, upper, town(Int), tunnel }

        /// Builds the trunk road of valley `axisIndex` with its towns' main streets and returns the
        /// trunk's index. The road keeps to the valley floor at a winding offset from the river, which
        /// it crosses on bridges; it starts at `startNode` when given (a junction with another valley).
        mutating func buildTrunk(axis axisIndex: Int, startNode: Int32?, townSpecs: [TownSpec],
                                 meanderAmplitude: Double, meanderWavelength: Double,
                                 rural: TagClass, upper: TagClass? = nil, upperFromControl: Int? = nil,
                                 tunnel: (from: Double, to: Double, tags: TagClass)? = nil) -> Int {
            let axis = axes[axisIndex]
            let n = axis.points.count
            precondition(townSpecs.count == axis.townPieces.count, "one town spec per straight stretch")
            // Offset anchors: start, towns, end.
            var anchorStart: [Double] = [0]
            var anchorEnd: [Double] = [0]
            var anchorValue: [Double] = [0]
            for (k, piece) in axis.townPieces.enumerated() {
                anchorStart.append(axis.along[piece.start])
                anchorEnd.append(axis.along[piece.end])
                anchorValue.append(townSpecs[k].offset)
            }
            anchorStart.append(axis.length)
            anchorEnd.append(axis.length)
            anchorValue.append(0)
            let meander = Meander(amplitude: meanderAmplitude, wavelength: meanderWavelength, rng: &rng)
            var offsets = [Double](repeating: 0, count: n)
            var k = 0
            for i in 0..<n {
                let s = axis.along[i]
                while k + 1 < anchorStart.count && s > anchorStart[k + 1] { k += 1 }
                if s <= anchorEnd[k] {
                    offsets[i] = anchorValue[k]
                } else if k + 1 < anchorStart.count {
                    let e = anchorEnd[k]
                    let b = anchorStart[k + 1]
                    let t = b > e ? (s - e) / (b - e) : 0
                    let base = anchorValue[k] + (anchorValue[k + 1] - anchorValue[k]) * smoothstep(t)
                    let w = smoothstep(min(s - e, b - s) / 700)
                    let limit = max(0, axis.halfWidths[i] - 70)
                    offsets[i] = max(-limit, min(limit, base + w * meander.offset(at: s)))
                } else {
                    offsets[i] = anchorValue[k]
                }
            }

            // Road points: every second river sample in the country, the town columns in towns.
            var points: [Point] = []
            var axisOf: [Int] = []
            var offsetOf: [Double] = []
            var kinds: [StretchKind] = []
            var columnOf: [Int] = []
            var townIndexOfPiece: [Int] = []
            let upperStart = upperFromControl.map { axis.controlIndex[$0] } ?? Int.max
            var i = 0
            var piece = 0
            while i < n {
                if piece < axis.townPieces.count && axis.townPieces[piece].start == i {
                    let range = axis.townPieces[piece]
                    let spec = townSpecs[piece]
                    let a = axis.points[range.start]
                    let b = axis.points[range.end]
                    let d = (b - a).normalized
                    let normal = d.left
                    let length = a.distance(to: b)
                    let columns = max(2, Int((length / spec.columnSpacing).rounded()) + 1)
                    let spacing = length / Double(columns - 1)
                    let town = Town(spec: spec, origin: a + normal * spec.offset, direction: d, normal: normal,
                                    columns: columns, spacing: spacing, row0: [], seed: rng.next(),
                                    axis: axisIndex, axisRange: range)
                    townIndexOfPiece.append(towns.count)
                    for c in 0..<columns {
                        points.append(town.position(c, 0))
                        axisOf.append(range.start + (range.end - range.start) * c / (columns - 1))
                        offsetOf.append(spec.offset)
                        kinds.append(.town(towns.count))
                        columnOf.append(c)
                    }
                    towns.append(town)
                    i = range.end + 1
                    piece += 1
                    continue
                }
                let nextIsTown = piece < axis.townPieces.count && axis.townPieces[piece].start == i + 1
                if i == 0 || i == n - 1 || i % 2 == 0 || nextIsTown {
                    points.append(axis.points[i] + axis.normals[i] * offsets[i])
                    axisOf.append(i)
                    offsetOf.append(offsets[i])
                    kinds.append(i >= upperStart && upper != nil ? .upper : .rural)
                    columnOf.append(-1)
                }
                i += 1
            }

            // A tunnel cuts straight through a spur.
            if let tunnel {
                let inRange = (0..<points.count).filter {
                    kinds[$0] == .rural && axis.along[axisOf[$0]] >= tunnel.from && axis.along[axisOf[$0]] <= tunnel.to
                }
                if let f = inRange.first, let l = inRange.last, l > f + 1 {
                    let chord = straight(from: points[f], to: points[l], spacing: 60)
                    let inner = Array(chord.dropFirst().dropLast())
                    let count = inner.count
                    let axisInner = (0..<count).map { axisOf[f] + (axisOf[l] - axisOf[f]) * ($0 + 1) / (count + 1) }
                    points.replaceSubrange((f + 1)..<l, with: inner)
                    axisOf.replaceSubrange((f + 1)..<l, with: axisInner)
                    offsetOf.replaceSubrange((f + 1)..<l, with: [Double](repeating: offsetOf[f], count: count))
                    kinds.replaceSubrange((f + 1)..<l, with: [StretchKind](repeating: .tunnel, count: count))
                    columnOf.replaceSubrange((f + 1)..<l, with: [Int](repeating: -1, count: count))
                    // The portals stay rural nodes; the tunnel way runs portal to portal.
                }
            }

            // Nodes.
            var nodes: [Int32] = []
            nodes.reserveCapacity(points.count)
            for (q, p) in points.enumerated() {
                if q == 0, let startNode {
                    nodes.append(startNode)
                } else {
                    nodes.append(sketch.addNode(p))
                }
                if case let .town(t) = kinds[q] { towns[t].row0.append(nodes[q]) }
            }
            // The valley floor widens around towns to hold their largest grids.
            for t in townIndexOfPiece {
                let town = towns[t]
                let rows = max(town.spec.maxRowsLeft, town.spec.maxRowsRight, 1)
                let needed = abs(town.spec.offset) + Double(rows) * town.spec.rowSpacing + 160
                let s0 = axis.along[town.axisRange.start] - 400
                let s1 = axis.along[town.axisRange.end] + 400
                for i in 0..<n where axis.along[i] > s0 && axis.along[i] < s1 {
                    let ramp = min(1, min(axis.along[i] - s0, s1 - axis.along[i]) / 400)
                    let current = axes[axisIndex].halfWidths[i]
                    axes[axisIndex].halfWidths[i] = max(current, current + (needed - current) * ramp)
                }
            }
            // Roundabouts: a ring of 12 nodes around the column node, clockwise (left-hand traffic).
            for t in townIndexOfPiece {
                guard let column = towns[t].spec.roundaboutColumn else { continue }
                let centre = sketch.point(towns[t].row0[column])
                let radius = 18.0
                towns[t].ring = (0..<12).map { m in
                    sketch.addNode(centre + towns[t].direction.rotated(by: -Double(m) * Trig.pi / 6) * radius)
                }
            }

            // Ways: split where the kind of stretch changes; tunnels run portal to portal.
            var current: [Int32] = [nodes[0]]
            var currentKind = kinds.count > 1 ? segmentKind(kinds[0], kinds[1]) : kinds[0]
            func tagsFor(_ kind: StretchKind) -> TagClass {
                switch kind {
                case .rural: rural
                case .upper: upper ?? rural
                case .town(let t): towns[t].spec.mainStreet
                case .tunnel: tunnel?.tags ?? rural
                }
            }
            for q in 1..<nodes.count {
                let kind = segmentKind(kinds[q - 1], kinds[q])
                if kind != currentKind {
                    if current.count >= 2 { sketch.addWay(current, tagsFor(currentKind), bridges: currentKind != .tunnel) }
                    current = [nodes[q - 1]]
                    currentKind = kind
                }
                if case let .town(t) = kinds[q], let column = towns[t].spec.roundaboutColumn, columnOf[q] == column {
                    // Enter the ring at 180°, leave at 0°.
                    let ring = towns[t].ring
                    current.append(ring[6])
                    sketch.addWay(current, tagsFor(currentKind))
                    sketch.addWay(ring + [ring[0]], towns[t].spec.mainStreet.adding([("junction", "roundabout")]), bridges: false)
                    current = [ring[0]]
                    nodes[q] = ring[0]
                    towns[t].row0[column] = ring[0]
                    continue
                }
                current.append(nodes[q])
            }
            if current.count >= 2 { sketch.addWay(current, tagsFor(currentKind), bridges: currentKind != .tunnel) }

            var trunk = Trunk()
            trunk.nodes = nodes
            trunk.axisIndex = axisOf
            trunk.offsets = offsetOf
            trunk.axis = axisIndex
            trunk.along = cumulativeLengths(points)
            trunk.usable = (0..<nodes.count).map { q in
                q > 0 && q < nodes.count - 1 && (kinds[q] == .rural || kinds[q] == .upper)
                    && kinds[q - 1] != .tunnel && kinds[q + 1] != .tunnel
            }
            // Keep side roads away from town ends.
            for q in 0..<nodes.count {
                if case .town = kinds[q] {
                    for r in 0..<nodes.count where abs(trunk.along[r] - trunk.along[q]) < 250 { trunk.usable[r] = false }
                }
            }
            trunks.append(trunk)
            return trunks.count - 1
        }

        /// The kind of the segment between two consecutive trunk points.
        private func segmentKind(_ a: StretchKind, _ b: StretchKind) -> StretchKind {
            if a == .tunnel || b == .tunnel { return .tunnel }
            if case .town = a, case .town = b { return a }
            if a == .upper || b == .upper { return a == .upper && b == .upper ? .upper : (a == .upper ? b : a) }
            return .rural
        }

        /// Marks trunk nodes within `radius` metres (along the road) of node `i` as taken.
        mutating func reserve(trunk t: Int, around i: Int, radius: Double) {
            let s = trunks[t].along[i]
            var q = i
            while q >= 0 && s - trunks[t].along[q] < radius { trunks[t].usable[q] = false; q -= 1 }
            q = i
            while q < trunks[t].nodes.count && trunks[t].along[q] - s < radius { trunks[t].usable[q] = false; q += 1 }
        }

        /// Reserves every town's land in the collision index so that side roads keep out of it.
        mutating func reserveTownLand() {
            for t in towns.indices { sketch.addObstacle(towns[t].reservedRing(margin: 45)) }
            buildFloorIndex()
        }

        /// Grid node (i, j) of town `t`, created on first use.
        mutating func townNode(_ t: Int, _ i: Int, _ j: Int, fromSide side: Int = 0) -> Int32 {
            if j == 0 {
                if let column = towns[t].spec.roundaboutColumn, column == i, !towns[t].ring.isEmpty {
                    return side > 0 ? towns[t].ring[9] : (side < 0 ? towns[t].ring[3] : towns[t].ring[0])
                }
                return towns[t].row0[i]
            }
            if towns[t].nodes.isEmpty {
                towns[t].nodes = [Int32](repeating: -1, count: towns[t].columns * (towns[t].spec.maxRowsLeft + towns[t].spec.maxRowsRight + 1))
            }
            let key = towns[t].key(i, j)
            if towns[t].nodes[key] >= 0 { return towns[t].nodes[key] }
            let node = sketch.addNode(towns[t].position(i, j))
            towns[t].nodes[key] = node
            return node
        }

        /// The outermost built row on `side` (+1 left, −1 right) that reaches column `i`.
        func outerRow(_ t: Int, column i: Int, side: Int) -> Int {
            let rows = side > 0 ? towns[t].spec.rowsLeft : towns[t].spec.rowsRight
            var j = rows
            while j > 0 {
                let (lo, hi) = towns[t].columnRange(row: side * j)
                if i >= lo && i <= hi { return side * j }
                j -= 1
            }
            return 0
        }

        /// Builds town `t`'s streets: rows parallel to the main street, cross streets between them
        /// (a few dropped, and only some carried over the river on bridges), and facility stubs.
        mutating func buildTownGrid(_ t: Int, facilities: [(purpose: String, column: Int, side: Int, tags: TagClass)] = []) {
            guard !towns[t].built else { return }
            towns[t].built = true
            let spec = towns[t].spec
            let columns = towns[t].columns
            // Rows.
            for side in [1, -1] {
                let rows = side > 0 ? spec.rowsLeft : spec.rowsRight
                guard rows > 0 else { continue }
                for r in 1...rows {
                    let j = side * r
                    let (lo, hi) = towns[t].columnRange(row: j)
                    guard hi > lo else { continue }
                    var nodes: [Int32] = []
                    for i in lo...hi { nodes.append(townNode(t, i, j)) }
                    var tags = (r % 3 == 0) ? tags.residentialSlow : tags.residential
                    if let forward = spec.oneWayRows[j] {
                        tags = self.tags.residentialOneway
                        if !forward { nodes.reverse() }
                    }
                    sketch.addWay(nodes, tags)
                }
            }
            // Cross streets.
            for i in 0..<columns {
                let special = spec.columnTags[i]
                let keepAll = special != nil || i % 4 == 0 || i == columns - 1
                var run: [Int32] = []
                let tagsHere = special ?? tags.residential
                func flush(_ run: inout [Int32]) {
                    if run.count >= 2 { sketch.addWay(run, tagsHere) }
                    run.removeAll()
                }
                let top = spec.rowsLeft
                let bottom = -spec.rowsRight
                guard top > bottom else { continue }
                var j = bottom
                while j < top {
                    let lower = j
                    let upper = j + 1
                    let (loA, hiA) = towns[t].columnRange(row: lower)
                    let (loB, hiB) = towns[t].columnRange(row: upper)
                    let exists = i >= loA && i <= hiA && i >= loB && i <= hiB
                    let outer = abs(lower) > abs(upper) ? lower : upper
                    let (loO, hiO) = towns[t].columnRange(row: outer)
                    let edge = i == loO || i == hiO
                    var keep = exists
                    if keep {
                        let pa = lower == 0 ? sketch.point(townNode(t, i, 0, fromSide: 1)) : towns[t].position(i, lower)
                        let pb = upper == 0 ? sketch.point(townNode(t, i, 0, fromSide: -1)) : towns[t].position(i, upper)
                        if sketch.crossesRiver(pa, pb) {
                            keep = keepAll || (edge && i % 2 == 0)
                        } else if !keepAll && !edge {
                            keep = hash(towns[t].seed, i, j + 1_000) % 100 >= 9
                        }
                    }
                    if keep {
                        // At a roundabout the column meets the ring on two different nodes.
                        let a = townNode(t, i, lower, fromSide: -1)
                        let b = townNode(t, i, upper, fromSide: 1)
                        if run.isEmpty {
                            run = [a, b]
                        } else if run.last == a {
                            run.append(b)
                        } else {
                            flush(&run)
                            run = [a, b]
                        }
                    } else {
                        flush(&run)
                    }
                    j += 1
                }
                flush(&run)
            }
            // Facilities: a short service road leaving the outermost row.
            for f in facilities {
                let j = outerRow(t, column: f.column, side: f.side)
                let from = townNode(t, f.column, j, fromSide: f.side)
                let p = sketch.point(from)
                let outward = towns[t].normal * Double(f.side)
                let along = towns[t].direction * (towns[t].spacing * 0.15)
                let points = [p, p + outward * 40 + along, p + outward * 75 + along * 1.5]
                let nodes = [from] + sketch.addNodes(points.dropFirst())
                sketch.addWay(nodes, f.tags)
                towns[t].stubs.append((f.purpose, nodes[nodes.count - 1]))
            }
        }

        // MARK: Side valleys and hamlets

        /// A dead-end road up a side valley from trunk `t`'s node `i` on `side` (+1 left, −1 right of
        /// the valley's drawing direction), optionally with a hairpin stair, ending in a hamlet with a
        /// few lanes and driveways. Returns the hamlet's end node, or nil when the road would leave
        /// `region` or come too close to another road.
        mutating func addSideValley(trunk t: Int, at i: Int, side: Double, length: Double, stair: Bool,
                                    region: [Point]?, hamlet: (name: String, localName: String)?,
                                    municipality: Int?, track: Int = 0, lanes: Int = 2) -> Int32? {
            let trunk = trunks[t]
            let axis = axes[trunk.axis]
            let ai = trunk.axisIndex[i]
            let start = trunk.nodes[i]
            let beta = rng.nextDouble(in: 0.15...0.55)
            let direction = (axis.normals[ai] * side).rotated(by: -side * beta)
            guard let end = addBranch(from: start, direction: direction, length: length, baseElevation: axis.floors[ai],
                                      fromValleyFloor: true, stair: stair, grades: 0.05...0.085, region: region,
                                      hamlet: hamlet, municipality: municipality, track: track, lanes: lanes)
            else { return nil }
            reserve(trunk: t, around: i, radius: 180)
            return end
        }

        /// A branch road from `start` along `direction` ending in a hamlet (see `addSideValley`).
        mutating func addBranch(from start: Int32, direction: Point, length: Double, baseElevation: Double,
                                fromValleyFloor: Bool, stair: Bool, grades: ClosedRange<Double>, region: [Point]?,
                                hamlet: (name: String, localName: String)?, municipality: Int?,
                                track: Int, lanes: Int) -> Int32? {
            let p0 = sketch.point(start)
            var points: [Point]
            var stairData: HairpinStair?
            var stairRange = 0..<0
            let wiggle = Meander(amplitude: rng.nextDouble(in: 18...35), wavelength: rng.nextDouble(in: 260...420), rng: &rng)
            if stair {
                let l1 = length * rng.nextDouble(in: 0.3...0.45)
                let base = p0 + direction * l1
                let up = direction.rotated(by: rng.nextDouble(in: -0.3...0.3))
                let halfWidth = rng.nextDouble(in: 70...105)
                let hairpins = 2 + rng.nextInt(below: 3)
                let widths = (0..<hairpins).map { _ in rng.nextDouble(in: 0.8...1.15) }
                let s = hairpinStair(base: base, up: up, halfWidth: halfWidth, spacing: halfWidth * rng.nextDouble(in: 0.24...0.3),
                                     hairpins: hairpins, radius: rng.nextDouble(in: 9...12.5),
                                     firstSide: rng.nextBool(probability: 0.5) ? 1 : -1, legSpacing: 25, arcStep: Trig.pi / 8,
                                     widthFactors: widths)
                let part1 = windingPath(from: p0, direction: direction, to: base, direction: s.entryDirection,
                                        meander: wiggle, spacing: 30)
                let rest = max(250, length - l1 - s.rise)
                let end = s.top + up.rotated(by: rng.nextDouble(in: -0.35...0.35)) * rest
                let part2 = windingPath(from: s.top, direction: s.exitDirection, to: end, direction: nil,
                                        meander: wiggle, spacing: 30)
                points = part1
                stairRange = (points.count - 1)..<(points.count - 1 + s.points.count)
                points.append(contentsOf: s.points.dropFirst())
                points.append(contentsOf: part2.dropFirst())
                stairData = s
            } else {
                let end = p0 + direction * length
                points = windingPath(from: p0, direction: direction, to: end,
                                     direction: direction.rotated(by: rng.nextDouble(in: -0.4...0.4)),
                                     meander: wiggle, spacing: 30)
            }
            if let region, !points.allSatisfy({ contains(region, $0) }) { return nil }
            if sketch.collides(points, attachedTo: start, clearance: 45, separation: 280, separationFrom: 300) { return nil }

            var headLength = 0.0
            // Design elevations: flat across the main valley floor, then climbing.
            let along = cumulativeLengths(points)
            let g1 = rng.nextDouble(in: grades)
            let g2 = rng.nextDouble(in: grades)
            let stairGrade = rng.nextDouble(in: 0.09...0.11)
            var design = [Double](repeating: baseElevation, count: points.count)
            let stairStart = stairRange.isEmpty ? points.count : stairRange.lowerBound
            // The road climbs only where it has left the main valley's floor; the side valley's own
            // floor begins there.
            let offFloor = fromValleyFloor ? lengthOffFloor(points) : along
            for q in 0..<min(points.count, stairStart + 1) {
                design[q] = baseElevation + g1 * offFloor[q]
            }
            var firstOffFloor = 0
            while firstOffFloor < min(stairStart, points.count - 2) && offFloor[firstOffFloor + 1] == 0 { firstOffFloor += 1 }
            // A road that has climbed off the floor must not come back down onto it (a scarp).
            if fromValleyFloor, let climbed = offFloor.firstIndex(where: { $0 > 150 }),
               points[climbed...].contains(where: { onFloor($0, margin: 100) }) {
                return nil
            }
            if let s = stairData {
                let first = stairRange.lowerBound
                let last = stairRange.upperBound - 1
                let e0 = design[first]
                let stairLength = along[last] - along[first]
                let e1 = e0 + stairGrade * stairLength
                for a in 0..<(s.anchors.count - 1) {
                    let ia = first + s.anchors[a].index
                    let ib = first + s.anchors[a + 1].index
                    let ea = e0 + (e1 - e0) * s.anchors[a].along / s.rise
                    let eb = e0 + (e1 - e0) * s.anchors[a + 1].along / s.rise
                    for q in ia...ib {
                        let f = along[ib] > along[ia] ? (along[q] - along[ia]) / (along[ib] - along[ia]) : 0
                        design[q] = ea + (eb - ea) * f
                    }
                }
                for q in (last + 1)..<points.count { design[q] = e1 + g2 * (along[q] - along[last]) }
                // The valley: the road outside the stair, the stair's fall line inside it.
                var v = SyntheticTerrain.Valley(xs: [], ys: [], floors: [], halfWidths: [], wallScale: 1_000)
                func add(_ p: Point, _ e: Double, _ w: Double) {
                    v.xs.append(p.x); v.ys.append(p.y); v.floors.append(e); v.halfWidths.append(w)
                }
                var q = firstOffFloor
                while q < first { add(points[q], design[q], 40); q += 3 }
                let across = (s.top - s.points[0]).normalized.right
                let reach = s.points.map { abs(($0 - s.points[0]).dot(across)) }.max() ?? 100
                add(points[first], design[first], reach + 30)
                add(s.top, e1, reach + 30)
                q = last + 3
                while q < points.count - 1 { add(points[q], design[q], 40); q += 3 }
                add(points[points.count - 1], design[points.count - 1], 140)
                headLength = extendHead(&v, points: points, elevation: design[points.count - 1])
                valleys.append(v)
            } else {
                var v = SyntheticTerrain.Valley(xs: [], ys: [], floors: [], halfWidths: [], wallScale: 1_000)
                var q = firstOffFloor
                while q < points.count - 1 {
                    v.xs.append(points[q].x); v.ys.append(points[q].y); v.floors.append(design[q])
                    v.halfWidths.append(along[points.count - 1] - along[q] < 200 ? 140 : 40)
                    q += 3
                }
                v.xs.append(points[points.count - 1].x); v.ys.append(points[points.count - 1].y)
                v.floors.append(design[points.count - 1]); v.halfWidths.append(140)
                headLength = extendHead(&v, points: points, elevation: design[points.count - 1])
                valleys.append(v)
            }
            // The road itself sits on its design grade.
            corridors.append(SyntheticTerrain.Corridor(xs: points.map(\.x), ys: points.map(\.y), elevations: design))
            sketch.elevatedMode = true
            defer { sketch.elevatedMode = false }

            // Ways: a tertiary road for the first part of long branches, then a narrow lane.
            var nodes: [Int32] = [start]
            nodes.append(contentsOf: sketch.addNodes(points.dropFirst()))
            if along[along.count - 1] > 2_200 && lanes == 2 {
                let split = points.count * 2 / 5
                sketch.addWay(Array(nodes[0...split]), tags.tertiary)
                sketch.addWay(Array(nodes[split...]), tags.narrow)
            } else {
                sketch.addWay(nodes, tags.narrow)
            }
            let end = nodes[nodes.count - 1]
            if let hamlet {
                places.append(PlaceDraft(name: hamlet.name, localName: hamlet.localName, kind: .hamlet,
                                         node: end, municipality: municipality))
                stopCandidates.append((end, "\(hamlet.name) Kōminkan-mae", "\(hamlet.localName)公民館前", 2))
            }
            keepOffFloor = fromValleyFloor && offFloor[offFloor.count - 1] > 50
            defer { keepOffFloor = false }
            sketch.leafMode = true
            defer { sketch.leafMode = false }
            addCluster(road: nodes, region: region)
            if track > 0 && headLength >= 600 {
                // Up the valley head, on its floor.
                let last = points[points.count - 1]
                let heading = (last - points[max(0, points.count - 4)]).normalized
                let trackEnd = last + heading.rotated(by: rng.nextDouble(in: -0.12...0.12)) * (headLength - rng.nextDouble(in: 100...250))
                let trackPoints = windingPath(from: last, direction: heading, to: trackEnd, direction: nil,
                                              meander: Meander(amplitude: 20, wavelength: 200, rng: &rng), spacing: 35)
                if !sketch.collides(trackPoints, attachedTo: end, clearance: 20), !touchesForbiddenFloor(trackPoints),
                   region.map({ r in trackPoints.allSatisfy { contains(r, $0) } }) ?? true {
                    let trackNodes = [end] + sketch.addNodes(trackPoints.dropFirst())
                    sketch.addWay(trackNodes, track == 2 ? tags.gatedTrack : tags.track)
                    tracksBuilt += 1
                }
            }
            return end
        }

        /// Indexes the valley floors (every second river sample, with its half-width); call after the
        /// trunks are built, when towns have widened the floors.
        mutating func buildFloorIndex() {
            var boxes: [(minX: Double, minY: Double, maxX: Double, maxY: Double)] = []
            var samples: [(axis: Int32, sample: Int32)] = []
            for (a, axis) in axes.enumerated() {
                var i = 0
                while i < axis.points.count {
                    let p = axis.points[i]
                    let r = axis.halfWidths[i] + 160
                    boxes.append((p.x - r, p.y - r, p.x + r, p.y + r))
                    samples.append((Int32(a), Int32(i)))
                    i += 2
                }
            }
            floorCells = SyntheticTerrain.CellIndex(boxes: boxes, cellSize: 500)
            floorSamples = samples
        }

        /// Whether `p` lies on a valley floor, or within `margin` metres of one (negative: well inside).
        func onFloor(_ p: Point, margin: Double) -> Bool {
            guard let cells = floorCells else { return false }
            for k in cells.cellRange(x: p.x, y: p.y) {
                let s = floorSamples[Int(cells.items[k])]
                let axis = axes[Int(s.axis)]
                let i = Int(s.sample)
                let r = axis.halfWidths[i] + margin
                if r > 0 && p.distance(to: axis.points[i]) < r { return true }
            }
            return false
        }

        /// For each point of a road, the length of road so far that lies off every valley floor.
        func lengthOffFloor(_ points: [Point]) -> [Double] {
            var result = [Double](repeating: 0, count: points.count)
            for q in 1..<max(1, points.count) {
                let off = !onFloor(points[q], margin: -10)
                result[q] = result[q - 1] + (off ? points[q].distance(to: points[q - 1]) : 0)
            }
            return result
        }

        /// Whether `points` come onto a valley floor while `keepOffFloor` is set.
        func touchesForbiddenFloor(_ points: [Point]) -> Bool {
            keepOffFloor && points.contains { onFloor($0, margin: 60) }
        }

        /// Continues a side valley up to 900 m beyond the hamlet, climbing at 12 % to the valley head,
        /// so that lanes and tracks beyond the last house stay on the valley floor; shorter where the
        /// head would come near another valley's road or floor. Returns the length used.
        @discardableResult
        func extendHead(_ v: inout SyntheticTerrain.Valley, points: [Point], elevation: Double) -> Double {
            let count = points.count
            guard count >= 2 else { return 0 }
            let heading = (points[count - 1] - points[max(0, count - 4)]).normalized
            var steps = 3
            while steps > 0 {
                let head = (0...steps).map { points[count - 1] + heading * (300 * Double($0)) }
                if !sketch.collides(head, attachedTo: nil, clearance: 1, separation: 320, separationFrom: 0)
                    && !head.dropFirst().contains(where: { onFloor($0, margin: 250) }) { break }
                steps -= 1
            }
            guard steps > 0 else { return 0 }
            for k in 1...steps {
                let p = points[count - 1] + heading * (300 * Double(k))
                v.xs.append(p.x); v.ys.append(p.y)
                v.floors.append(elevation + 0.12 * 300 * Double(k))
                v.halfWidths.append(140 - 30 * Double(k))
            }
            return 300 * Double(steps)
        }

        /// A hamlet's lanes and driveways around the last part of its access road.
        mutating func addCluster(road: [Int32], region: [Point]?) {
            let count = road.count
            guard count >= 4 else { return }
            let lanes = 2 + rng.nextInt(below: 3)
            for k in 0..<lanes {
                let index = count - 2 - 3 * k
                guard index >= 1 else { break }
                let node = road[index]
                let p = sketch.point(node)
                let heading = (sketch.point(road[index + 1]) - sketch.point(road[index - 1])).normalized
                let turn = (rng.nextBool(probability: 0.5) ? 1.0 : -1.0) * rng.nextDouble(in: 1.1...1.9)
                let length = rng.nextDouble(in: 60...160)
                let end = p + heading.rotated(by: turn) * length
                let lane = windingPath(from: p, direction: nil, to: end, direction: nil,
                                       meander: Meander(amplitude: 6, wavelength: 120, rng: &rng), spacing: 30)
                guard region.map({ r in lane.allSatisfy { contains(r, $0) } }) ?? true,
                      !sketch.collides(lane, attachedTo: node, clearance: 18), !touchesForbiddenFloor(lane) else { continue }
                let laneNodes = [node] + sketch.addNodes(lane.dropFirst())
                sketch.addWay(laneNodes, tags.residential)
                addDriveway(from: laneNodes[laneNodes.count - 1],
                            heading: (lane[lane.count - 1] - lane[lane.count - 2]).normalized, region: region)
            }
            let driveways = 3 + rng.nextInt(below: 5)
            for _ in 0..<driveways {
                let index = count - 1 - rng.nextInt(below: min(count - 1, 14))
                guard index >= 1 && index < count - 1 else { continue }
                let heading = (sketch.point(road[index + 1]) - sketch.point(road[index - 1])).normalized
                addDriveway(from: road[index], heading: heading.rotated(by: (rng.nextBool(probability: 0.5) ? 1 : -1) * 1.45),
                            region: region)
            }
        }

        /// A 20–70 m driveway from `node` roughly along `heading`; private in about a third of cases.
        mutating func addDriveway(from node: Int32, heading: Point, region: [Point]?) {
            let wasLeaf = sketch.leafMode
            sketch.leafMode = true
            defer { sketch.leafMode = wasLeaf }
            let p = sketch.point(node)
            let length = rng.nextDouble(in: 20...70)
            let bend = heading.rotated(by: rng.nextDouble(in: -0.35...0.35))
            let points = length > 40 ? [p, p + bend * (length * 0.5), p + bend.rotated(by: rng.nextDouble(in: -0.4...0.4)) * (length * 0.5) + bend * (length * 0.5)]
                                     : [p, p + bend * length]
            guard region.map({ r in points.allSatisfy { contains(r, $0) } }) ?? true,
                  !sketch.collides(points, attachedTo: node, clearance: 12), !touchesForbiddenFloor(points) else { return }
            let nodes = [node] + sketch.addNodes(points.dropFirst())
            sketch.addWay(nodes, rng.nextBool(probability: 0.33) ? tags.privateDriveway : tags.driveway)
        }

        // MARK: Roadside

        /// Driveways, farm roads and old-road loops along trunk `t`, about every `spacing` metres, on
        /// the side away from the river.
        mutating func decorateTrunk(_ t: Int, spacing: ClosedRange<Double>, region: (Point) -> [Point]?) {
            var next = trunks[t].along[0] + rng.nextDouble(in: spacing)
            var i = 1
            while i < trunks[t].nodes.count - 1 {
                let trunk = trunks[t]
                guard trunk.along[i] >= next, trunk.usable[i] else { i += 1; continue }
                next = trunk.along[i] + rng.nextDouble(in: spacing)
                let offset = trunk.offsets[i]
                guard abs(offset) >= 35 else { i += 1; continue }
                let side: Double = offset > 0 ? 1 : -1
                let normal = axes[trunk.axis].normals[trunk.axisIndex[i]] * side
                let node = trunk.nodes[i]
                let p = sketch.point(node)
                let area = region(p)
                let roll = rng.nextDouble()
                if roll < 0.12 {
                    // An old road: a loop parallel to the trunk, rejoining it 300–600 m on.
                    var j = i + 1
                    while j < trunk.nodes.count - 1 && trunk.along[j] - trunk.along[i] < 300 && trunk.usable[j] { j += 1 }
                    let target = rng.nextDouble(in: 300...600)
                    while j < trunk.nodes.count - 1 && trunk.along[j] - trunk.along[i] < target && trunk.usable[j] { j += 1 }
                    if trunk.usable[j] && trunk.along[j] - trunk.along[i] >= 300 {
                        let lateral = rng.nextDouble(in: 45...70)
                        var inner: [Point] = []
                        for q in (i + 1)..<j {
                            let nq = axes[trunk.axis].normals[trunk.axisIndex[q]] * side
                            inner.append(sketch.point(trunk.nodes[q]) + nq * lateral)
                        }
                        let innerPoints = resample(inner, spacing: 35)
                        if innerPoints.count >= 2, !sketch.collides(innerPoints, attachedTo: nil, clearance: 15),
                           area.map({ r in innerPoints.allSatisfy { contains(r, $0) } }) ?? true {
                            let nodes = [node] + sketch.addNodes(innerPoints) + [trunk.nodes[j]]
                            sketch.addWay(nodes, tags.oldRoad)
                            for q in i...j { trunks[t].usable[q] = false }
                            i = j + 1
                            continue
                        }
                    }
                }
                if roll < 0.32 {
                    let length = rng.nextDouble(in: 150...350)
                    let end = p + normal.rotated(by: rng.nextDouble(in: -0.4...0.4)) * length
                    let lane = windingPath(from: p, direction: normal, to: end, direction: nil,
                                           meander: Meander(amplitude: 8, wavelength: 150, rng: &rng), spacing: 35)
                    if !sketch.collides(lane, attachedTo: node, clearance: 15),
                       area.map({ r in lane.allSatisfy { contains(r, $0) } }) ?? true {
                        let nodes = [node] + sketch.addNodes(lane.dropFirst())
                        sketch.leafMode = true
                        sketch.addWay(nodes, tags.farmRoad)
                        sketch.leafMode = false
                        addDriveway(from: nodes[nodes.count - 1], heading: (lane[lane.count - 1] - lane[lane.count - 2]).normalized,
                                    region: area)
                        reserve(trunk: t, around: i, radius: 40)
                    }
                } else {
                    addDriveway(from: node, heading: normal, region: area)
                    reserve(trunk: t, around: i, radius: 40)
                }
                i += 1
            }
        }

        // MARK: Pass roads

        /// One side of a pass road, from the valley to the saddle.
        struct PassSide {
            var points: [Point]
            var design: [Double]
            /// Index in `points` of the foot of the hairpin stair (the winter gate).
            var gate: Int
            var valley: SyntheticTerrain.Valley
            var corridor: SyntheticTerrain.Corridor
            var hairpins: Int
        }

        /// Lays out one side of a pass: a winding approach up a side valley at about 6 %, a hairpin
        /// stair at about 9 % up the steep head wall, and a short climb at about 4.5 % to the saddle.
        mutating func passSide(foot: Point, leaving: Point, footElevation: Double, flatStart: Double,
                               saddle: Point, saddleElevation: Double, arrival: Point, halfWidth: Double) -> PassSide {
            let toSaddle = saddle - foot
            let distance = toSaddle.length
            let u = toSaddle.normalized
            let radius = rng.nextDouble(in: 10...14)
            let plateau = min(600, distance * 0.15)
            let approachGrade = 0.06
            let stairGrade = 0.09
            let period = 2 * halfWidth + 0.9 * Trig.pi * radius
            var spacing = halfWidth * 0.3
            var hairpins = 8
            var approach = distance - plateau - Double(hairpins) * spacing
            let top = saddleElevation - 0.045 * plateau * 1.1
            for _ in 0..<4 {
                let gate = footElevation + approachGrade * 1.08 * max(0, approach - flatStart)
                hairpins = max(2, Int(((top - gate) / (stairGrade * period)).rounded()))
                approach = distance - plateau - Double(hairpins) * spacing
                if approach < 500 {
                    approach = 500
                    spacing = max(2.6 * radius, (distance - plateau - approach) / Double(hairpins))
                    if spacing * Double(hairpins) > distance - plateau - approach {
                        hairpins = max(2, Int((distance - plateau - approach) / spacing))
                    }
                }
            }
            let gatePoint = foot + u * approach
            let widths = (0..<hairpins).map { _ in rng.nextDouble(in: 0.85...1.15) }
            let stair = hairpinStair(base: gatePoint, up: u, halfWidth: halfWidth, spacing: spacing, hairpins: hairpins,
                                     radius: radius, firstSide: rng.nextBool(probability: 0.5) ? 1 : -1,
                                     legSpacing: 30, arcStep: Trig.pi / 8, widthFactors: widths)
            let approachPoints = windingPath(from: foot, direction: leaving, to: gatePoint, direction: stair.entryDirection,
                                             meander: Meander(amplitude: 45, wavelength: 560, rng: &rng), spacing: 30)
            let plateauPoints = windingPath(from: stair.top, direction: stair.exitDirection, to: saddle, direction: arrival,
                                            meander: Meander(amplitude: 25, wavelength: 380, rng: &rng), spacing: 30)
            var points = approachPoints
            let gate = points.count - 1
            points.append(contentsOf: stair.points.dropFirst())
            let topIndex = points.count - 1
            points.append(contentsOf: plateauPoints.dropFirst())
            let along = cumulativeLengths(points)
            var design = [Double](repeating: footElevation, count: points.count)
            let offFloor = lengthOffFloor(Array(points[0...gate]))
            let gateElevation = footElevation + approachGrade * offFloor[gate]
            for q in 0...gate {
                design[q] = footElevation + approachGrade * offFloor[q]
            }
            for a in 0..<(stair.anchors.count - 1) {
                let ia = gate + stair.anchors[a].index
                let ib = gate + stair.anchors[a + 1].index
                let ea = gateElevation + (top - gateElevation) * stair.anchors[a].along / stair.rise
                let eb = gateElevation + (top - gateElevation) * stair.anchors[a + 1].along / stair.rise
                for q in ia...ib {
                    let f = along[ib] > along[ia] ? (along[q] - along[ia]) / (along[ib] - along[ia]) : 0
                    design[q] = ea + (eb - ea) * f
                }
            }
            let plateauLength = along[points.count - 1] - along[topIndex]
            for q in topIndex..<points.count {
                design[q] = top + (saddleElevation - top) * (along[q] - along[topIndex]) / max(1, plateauLength)
            }
            var valley = SyntheticTerrain.Valley(xs: [], ys: [], floors: [], halfWidths: [], wallScale: 900)
            func add(_ p: Point, _ e: Double, _ w: Double) {
                valley.xs.append(p.x); valley.ys.append(p.y); valley.floors.append(e); valley.halfWidths.append(w)
            }
            var q = 0
            while q < gate - 1 && offFloor[q + 1] == 0 { q += 1 }
            while q < gate { add(points[q], design[q], 45); q += 3 }
            add(points[gate], gateElevation, halfWidth + radius + 40)
            add(points[topIndex], top, halfWidth + radius + 40)
            q = topIndex + 3
            while q < points.count - 1 { add(points[q], design[q], 60); q += 3 }
            add(points[points.count - 1], saddleElevation, 90)
            let corridor = SyntheticTerrain.Corridor(xs: points.map(\.x), ys: points.map(\.y), elevations: design)
            return PassSide(points: points, design: design, gate: gate, valley: valley, corridor: corridor, hairpins: hairpins)
        }

        struct Pass {
            var saddle: Int32
            var gateA: Int32
            var gateB: Int32
            var hairpins: Int
        }

        /// A pass road from trunk node `a` over `saddle` to trunk node `b`. The stretch between the
        /// two gates (the feet of the hairpin stairs) gets `closedTags`, the rest `openTags`.
        /// Returns nil (and builds nothing) when `check` is on and the road would touch another.
        mutating func addPass(from a: (trunk: Int, index: Int), to b: (trunk: Int, index: Int), saddle: Point,
                              saddleElevation: Double, halfWidth: Double, openTags: TagClass, closedTags: TagClass,
                              check: Bool) -> Pass? {
            func footInfo(_ f: (trunk: Int, index: Int)) -> (Int32, Point, Double, Double, Point) {
                let trunk = trunks[f.trunk]
                let axis = axes[trunk.axis]
                let ai = trunk.axisIndex[f.index]
                let node = trunk.nodes[f.index]
                let p = sketch.point(node)
                let side: Double = (saddle - p).dot(axis.normals[ai]) >= 0 ? 1 : -1
                let flat = max(0, axis.halfWidths[ai] - side * trunk.offsets[f.index])
                return (node, p, axis.floors[ai], flat, axis.normals[ai] * side)
            }
            let (nodeA, pa, ea, flatA, leavingA) = footInfo(a)
            let (nodeB, pb, eb, flatB, leavingB) = footInfo(b)
            let arrival = ((saddle - pa).normalized - (saddle - pb).normalized).normalized
            let sideA = passSide(foot: pa, leaving: leavingA, footElevation: ea, flatStart: flatA, saddle: saddle,
                                 saddleElevation: saddleElevation, arrival: arrival, halfWidth: halfWidth)
            let sideB = passSide(foot: pb, leaving: leavingB, footElevation: eb, flatStart: flatB, saddle: saddle,
                                 saddleElevation: saddleElevation, arrival: -arrival, halfWidth: halfWidth)
            if check {
                if sketch.collides(sideA.points, attachedTo: nodeA, clearance: 40, separation: 280, separationFrom: 300)
                    || sketch.collides(sideB.points, attachedTo: nodeB, clearance: 40, separation: 280, separationFrom: 300) {
                    return nil
                }
            }
            sketch.elevatedMode = true
            defer { sketch.elevatedMode = false }
            valleys.append(sideA.valley)
            valleys.append(sideB.valley)
            corridors.append(sideA.corridor)
            corridors.append(sideB.corridor)
            let nodesA = [nodeA] + sketch.addNodes(sideA.points.dropFirst())
            let saddleNode = nodesA[nodesA.count - 1]
            var nodesB = [nodeB] + sketch.addNodes(sideB.points.dropFirst().dropLast())
            nodesB.append(saddleNode)
            sketch.addWay(Array(nodesA[0...sideA.gate]), openTags)
            sketch.addWay(Array(nodesA[sideA.gate...]), closedTags)
            nodesB.reverse()
            let gateB = nodesB.count - 1 - sideB.gate
            sketch.addWay(Array(nodesB[0...gateB]), closedTags)
            sketch.addWay(Array(nodesB[gateB...]), openTags)
            reserve(trunk: a.trunk, around: a.index, radius: 200)
            reserve(trunk: b.trunk, around: b.index, radius: 200)
            return Pass(saddle: saddleNode, gateA: nodesA[sideA.gate], gateB: nodesB[gateB],
                        hairpins: sideA.hairpins + sideB.hairpins)
        }

        // MARK: Terrain and output

        /// The terrain for everything built so far (towns' grids do not change it).
        /// `riverStep`: every how many river samples (20 m) the terrain's valley centre lines take a vertex.
        /// Call once no more roads need collision checks: the working indices are released first.
        mutating func buildTerrain(projection: Projection, ridgeBase: Double, riverStep: Int) -> SyntheticTerrain {
            sketch.collision = CollisionIndex(minX: 0, minY: 0, maxX: 0, maxY: 0, cellSize: 1)
            sketch.recordsCollisions = false
            floorCells = nil
            floorSamples = []
            var terrainRNG = rng.fork()
            return SyntheticTerrain(originLatitude: projection.originLatitude, originLongitude: projection.originLongitude,
                                    metresPerDegreeLatitude: projection.metresPerDegreeLatitude,
                                    metresPerDegreeLongitude: projection.metresPerDegreeLongitude,
                                    ridgeBase: ridgeBase, rng: &terrainRNG,
                                    valleys: mainValleys(step: riverStep) + valleys, corridors: corridors)
        }

        /// Drops dead-end extras (lanes, driveways, farm roads, tracks) that would be steeper than
        /// `maxGrade` anywhere on `terrain`, with whatever hangs off them. Returns how many went.
        @discardableResult
        mutating func pruneSteepLeaves(terrain: SyntheticTerrain, maxGrade: Double) -> Int {
            var alive = [Bool](repeating: false, count: sketch.xs.count)
            for (w, way) in sketch.ways.enumerated() where !sketch.prunable[w] {
                for id in way.nodeIDs { alive[Int(id - 1)] = true }
            }
            var height = [Double](repeating: .nan, count: sketch.xs.count)
            func h(_ i: Int) -> Double {
                if height[i].isNaN { height[i] = terrain.elevation(x: sketch.xs[i], y: sketch.ys[i]) }
                return height[i]
            }
            var keep = [Bool](repeating: true, count: sketch.ways.count)
            var dropped = 0
            for (w, way) in sketch.ways.enumerated() where sketch.prunable[w] {
                var ok = alive[Int(way.nodeIDs[0] - 1)]
                var k = 1
                while ok && k < way.nodeIDs.count {
                    let a = Int(way.nodeIDs[k - 1] - 1)
                    let b = Int(way.nodeIDs[k] - 1)
                    let d = sketch.point(Int32(a)).distance(to: sketch.point(Int32(b)))
                    if d > 5 && abs(h(b) - h(a)) > maxGrade * d { ok = false }
                    k += 1
                }
                if ok {
                    for id in way.nodeIDs { alive[Int(id - 1)] = true }
                } else {
                    keep[w] = false
                    dropped += 1
                }
            }
            if dropped > 0 { sketch.retainWays(keep) }
            return dropped
        }

        /// The terrain valleys of the main axes (already widened where towns stand).
        func mainValleys(step: Int) -> [SyntheticTerrain.Valley] {
            var result: [SyntheticTerrain.Valley] = []
            for axis in axes {
                let halfWidths = axis.halfWidths
                var v = SyntheticTerrain.Valley(xs: [], ys: [], floors: [], halfWidths: [], wallScale: axis.wallScale)
                var i = 0
                while true {
                    v.xs.append(axis.points[i].x); v.ys.append(axis.points[i].y)
                    v.floors.append(axis.floors[i]); v.halfWidths.append(halfWidths[i])
                    if i == axis.points.count - 1 { break }
                    i = min(axis.points.count - 1, i + step)
                }
                result.append(v)
            }
            return result
        }
    }
}
