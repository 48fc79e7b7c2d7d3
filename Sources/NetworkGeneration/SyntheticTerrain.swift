import DispatchCore
import RoadNetwork

/// The analytic height field that goes with a generated mountain network, so that grades on its
/// roads are realistic: valley floors are low and nearly flat across, walls rise to ridges of
/// 2,000–2,700 m, and the roads that climb (pass roads, hairpin stairs) sit on engineered grades.
///
/// The surface is the lower envelope of the valleys: for each valley segment, the floor elevation
/// (interpolated along the valley) within the floor's half-width, then a smoothstep wall that reaches
/// the ridge height a wall-scale distance further out; the elevation is the minimum over all valleys
/// nearby, and the ridge height where no valley reaches. Along hairpin stairs a road corridor
/// (within about 30 m of the centre line) replaces the surface by the road's design elevation, like
/// cut and fill on a real mountain road.
///
/// Heights are in metres above sea level. Points outside the generated area get ridge heights.
public struct SyntheticTerrain: Sendable {
    /// A valley given by its centre line, with per-vertex floor elevation and floor half-width.
    struct Valley: Sendable {
        var xs: [Double]
        var ys: [Double]
        var floors: [Double]
        var halfWidths: [Double]
        /// Horizontal distance over which a wall rises from the floor's edge to the ridge.
        var wallScale: Double
    }

    /// A road centre line with design elevations at its vertices.
    struct Corridor: Sendable {
        var xs: [Double]
        var ys: [Double]
        var elevations: [Double]
    }

    /// Stored in single precision (centimetres over a few hundred kilometres) to halve the memory of
    /// large networks; arithmetic is done in double precision.
    struct ValleySegment: Sendable {
        var x0: Float, y0: Float, x1: Float, y1: Float
        var floor0: Float, floor1: Float
        var halfWidth0: Float, halfWidth1: Float
        var wallScale: Float
        /// Index of the valley the segment belongs to.
        var valley: Int32
        /// Whether the segment starts or ends its valley: beyond such an end the floor narrows to nothing
        /// over one half-width, so that a valley ends in a rounded head rather than a flat disc.
        var isFirst: Bool
        var isLast: Bool
    }

    struct CorridorSegment: Sendable {
        var x0: Float, y0: Float, x1: Float, y1: Float
        var elevation0: Float, elevation1: Float
    }

    /// A uniform grid over the plane whose cells list the items that may matter there (CSR layout).
    struct CellIndex: Sendable {
        var minX: Double
        var minY: Double
        var cellSize: Double
        var columns: Int
        var rows: Int
        var cellStart: [Int32]
        var items: [Int32]

        /// Builds the index; item `i` is listed in every cell its box (`boxes[i]`) overlaps.
        init(boxes: [(minX: Double, minY: Double, maxX: Double, maxY: Double)], cellSize: Double) {
            self.cellSize = cellSize
            var bx0 = Double.infinity, by0 = Double.infinity, bx1 = -Double.infinity, by1 = -Double.infinity
            for b in boxes {
                bx0 = min(bx0, b.minX); by0 = min(by0, b.minY)
                bx1 = max(bx1, b.maxX); by1 = max(by1, b.maxY)
            }
            if boxes.isEmpty { bx0 = 0; by0 = 0; bx1 = 0; by1 = 0 }
            minX = bx0
            minY = by0
            columns = max(1, Int(((bx1 - bx0) / cellSize).rounded(.up)) + 1)
            rows = max(1, Int(((by1 - by0) / cellSize).rounded(.up)) + 1)
            var counts = [Int32](repeating: 0, count: columns * rows + 1)
            func range(_ b: (minX: Double, minY: Double, maxX: Double, maxY: Double),
                       _ minX: Double, _ minY: Double, _ cellSize: Double, _ columns: Int, _ rows: Int)
                -> (Int, Int, Int, Int) {
                let c0 = max(0, min(columns - 1, Int((b.minX - minX) / cellSize)))
                let c1 = max(0, min(columns - 1, Int((b.maxX - minX) / cellSize)))
                let r0 = max(0, min(rows - 1, Int((b.minY - minY) / cellSize)))
                let r1 = max(0, min(rows - 1, Int((b.maxY - minY) / cellSize)))
                return (c0, c1, r0, r1)
            }
            for b in boxes {
                let (c0, c1, r0, r1) = range(b, minX, minY, cellSize, columns, rows)
                for r in r0...r1 { for c in c0...c1 { counts[r * columns + c + 1] += 1 } }
            }
            for i in 1..<counts.count { counts[i] += counts[i - 1] }
            var fill = counts
            var items = [Int32](repeating: 0, count: Int(counts[counts.count - 1]))
            for (i, b) in boxes.enumerated() {
                let (c0, c1, r0, r1) = range(b, minX, minY, cellSize, columns, rows)
                for r in r0...r1 {
                    for c in c0...c1 {
                        let cell = r * columns + c
                        items[Int(fill[cell])] = Int32(i)
                        fill[cell] += 1
                    }
                }
            }
            cellStart = counts
            self.items = items
        }

        /// The item range of the cell holding (x, y), or an empty range outside the grid.
        @inline(__always)
        func cellRange(x: Double, y: Double) -> Range<Int> {
            let c = Int(((x - minX) / cellSize).rounded(.down))
            let r = Int(((y - minY) / cellSize).rounded(.down))
            guard c >= 0, c < columns, r >= 0, r < rows else { return 0..<0 }
            let cell = r * columns + c
            return Int(cellStart[cell])..<Int(cellStart[cell + 1])
        }
    }

    let originLatitude: Double
    let originLongitude: Double
    let metresPerDegreeLatitude: Double
    let metresPerDegreeLongitude: Double
    let ridgeBase: Double
    let ridgePhases: [Double]
    let valleySegments: [ValleySegment]
    let valleyIndex: CellIndex
    let corridorSegments: [CorridorSegment]
    let corridorIndex: CellIndex

    /// Distance from a corridor centre line within which the design elevation applies fully, and
    /// beyond which the natural surface does.
    static let corridorCore = 10.0
    static let corridorReach = 35.0

    init(originLatitude: Double, originLongitude: Double,
         metresPerDegreeLatitude: Double, metresPerDegreeLongitude: Double,
         ridgeBase: Double, rng: inout SeededGenerator,
         valleys: [Valley], corridors: [Corridor]) {
        self.originLatitude = originLatitude
        self.originLongitude = originLongitude
        self.metresPerDegreeLatitude = metresPerDegreeLatitude
        self.metresPerDegreeLongitude = metresPerDegreeLongitude
        self.ridgeBase = ridgeBase
        ridgePhases = (0..<4).map { _ in rng.nextDouble() * 6.283_185_307_179_586 }

        var segments: [ValleySegment] = []
        var boxes: [(minX: Double, minY: Double, maxX: Double, maxY: Double)] = []
        for (index, v) in valleys.enumerated() where v.xs.count >= 2 {
            for i in 0..<(v.xs.count - 1) {
                let s = ValleySegment(x0: Float(v.xs[i]), y0: Float(v.ys[i]), x1: Float(v.xs[i + 1]), y1: Float(v.ys[i + 1]),
                                      floor0: Float(v.floors[i]), floor1: Float(v.floors[i + 1]),
                                      halfWidth0: Float(v.halfWidths[i]), halfWidth1: Float(v.halfWidths[i + 1]),
                                      wallScale: Float(v.wallScale), valley: Int32(index),
                                      isFirst: i == 0, isLast: i == v.xs.count - 2)
                let reach = max(v.halfWidths[i], v.halfWidths[i + 1]) + v.wallScale
                segments.append(s)
                boxes.append((min(v.xs[i], v.xs[i + 1]) - reach, min(v.ys[i], v.ys[i + 1]) - reach,
                              max(v.xs[i], v.xs[i + 1]) + reach, max(v.ys[i], v.ys[i + 1]) + reach))
            }
        }
        valleySegments = segments
        valleyIndex = CellIndex(boxes: boxes, cellSize: 1_000)

        var corridorSegments: [CorridorSegment] = []
        var corridorBoxes: [(minX: Double, minY: Double, maxX: Double, maxY: Double)] = []
        let reach = SyntheticTerrain.corridorReach
        for c in corridors where c.xs.count >= 2 {
            for i in 0..<(c.xs.count - 1) {
                let s = CorridorSegment(x0: Float(c.xs[i]), y0: Float(c.ys[i]), x1: Float(c.xs[i + 1]), y1: Float(c.ys[i + 1]),
                                        elevation0: Float(c.elevations[i]), elevation1: Float(c.elevations[i + 1]))
                corridorSegments.append(s)
                corridorBoxes.append((min(c.xs[i], c.xs[i + 1]) - reach, min(c.ys[i], c.ys[i + 1]) - reach,
                                      max(c.xs[i], c.xs[i + 1]) + reach, max(c.ys[i], c.ys[i + 1]) + reach))
            }
        }
        self.corridorSegments = corridorSegments
        corridorIndex = CellIndex(boxes: corridorBoxes, cellSize: 250)
    }

    /// Elevation in metres at `coordinate`.
    /// - Complexity: O(k) for the k valley and corridor segments listed in the point's grid cells
    ///   (tens to a few hundred).
    public func elevation(at coordinate: Coordinate) -> Double {
        let x = (coordinate.longitude - originLongitude) * metresPerDegreeLongitude
        let y = (coordinate.latitude - originLatitude) * metresPerDegreeLatitude
        return elevation(x: x, y: y)
    }

    /// The ridge height at a point: a smooth undulation around `ridgeBase`.
    /// (Deterministic sine, so that heights, and the generator's choices that depend on them, are
    /// the same on every platform.)
    func ridge(x: Double, y: Double) -> Double {
        typealias Trig = MountainNetworkGenerator.Trig
        return ridgeBase
            + 260 * Trig.sin(x / 5_300 + ridgePhases[0]) * Trig.sin(y / 6_100 + ridgePhases[1])
            + 120 * Trig.sin((x + y) / 2_300 + ridgePhases[2])
            + 60 * Trig.sin((x - y) / 900 + ridgePhases[3])
    }

    /// Elevation in metres at a point of the local plane (metres east and north of the origin).
    func elevation(x: Double, y: Double) -> Double {
        let ridgeHeight = ridge(x: x, y: y)
        var height = ridgeHeight
        // Per valley, the nearest point of its centre line decides; over valleys, the lowest wins.
        // A cell lists each valley's segments together, in order.
        var currentValley: Int32 = -1
        var nearest = Double.infinity
        var nearestSegment = 0
        var nearestT = 0.0
        func settle() {
            guard currentValley >= 0 else { return }
            let s = valleySegments[nearestSegment]
            let floor = Double(s.floor0) + nearestT * Double(s.floor1 - s.floor0)
            guard floor < height else { return }
            var halfWidth = Double(s.halfWidth0) + nearestT * Double(s.halfWidth1 - s.halfWidth0)
            if (nearestT == 0 && s.isFirst) || (nearestT == 1 && s.isLast) {
                // Past the end: how far along the axis, measured from the end point.
                let x0 = Double(s.x0), y0 = Double(s.y0), x1 = Double(s.x1), y1 = Double(s.y1)
                let dx = x1 - x0
                let dy = y1 - y0
                let l = (dx * dx + dy * dy).squareRoot()
                if l > 0 {
                    let past = nearestT == 0 ? -((x - x0) * dx + (y - y0) * dy) / l : ((x - x1) * dx + (y - y1) * dy) / l
                    halfWidth = max(0, halfWidth - max(0, past))
                }
            }
            let beyond = nearest.squareRoot() - halfWidth
            if beyond <= 0 {
                height = floor
                return
            }
            let u = beyond / Double(s.wallScale)
            if u >= 1 { return }
            let top = max(ridgeHeight, floor + 150)
            let h = floor + (top - floor) * u * u * (3 - 2 * u)
            if h < height { height = h }
        }
        for k in valleyIndex.cellRange(x: x, y: y) {
            let index = Int(valleyIndex.items[k])
            let s = valleySegments[index]
            if s.valley != currentValley {
                settle()
                currentValley = s.valley
                nearest = .infinity
            }
            let (t, d2) = segmentProjection(x: x, y: y, x0: Double(s.x0), y0: Double(s.y0), x1: Double(s.x1), y1: Double(s.y1))
            if d2 < nearest {
                nearest = d2
                nearestSegment = index
                nearestT = t
            }
        }
        settle()
        // Engineered roads: the nearest corridor's design elevation, blended out to the surface.
        var nearestCorridor = Double.infinity
        var design = 0.0
        for k in corridorIndex.cellRange(x: x, y: y) {
            let s = corridorSegments[Int(corridorIndex.items[k])]
            let (t, d2) = segmentProjection(x: x, y: y, x0: Double(s.x0), y0: Double(s.y0), x1: Double(s.x1), y1: Double(s.y1))
            if d2 < nearestCorridor {
                nearestCorridor = d2
                design = Double(s.elevation0) + t * Double(s.elevation1 - s.elevation0)
            }
        }
        if nearestCorridor < SyntheticTerrain.corridorReach * SyntheticTerrain.corridorReach {
            let d = nearestCorridor.squareRoot()
            let core = SyntheticTerrain.corridorCore
            let w = d <= core ? 1 : 1 - MountainNetworkGenerator.smoothstep((d - core) / (SyntheticTerrain.corridorReach - core))
            height = w * design + (1 - w) * height
        }
        return height
    }
}
