import DispatchCore
import RoadNetwork

// Mountain networks of any size for the routing benchmarks: a grid of tiles, each a stretch of a
// long valley with two towns, side valleys with hamlets and hairpin stairs, and a pass road over
// the ridge to the next valley east.

extension MountainNetworkGenerator {
    /// Graph nodes a tile aims at before the towns are sized to hit the target exactly.
    static let nodesPerTile = 550.0
    static let tileWidth = 8_500.0
    static let tileHeight = 10_000.0

    /// A mountain network of about `targetNodes` graph nodes (way ends plus nodes shared by two ways
    /// or used twice by one; within a few per cent for targets of 10,000 and more), for the routing
    /// scaling benchmark. Valleys run north–south, one per tile column; each valley is a chain of
    /// tiles with towns, hamlets and hairpins; pass roads join neighbouring valleys in every tile row,
    /// so the network is connected. Passes above 1,450 m close in winter.
    /// - Throws: `RoadNetworkError.invalidGeneratorParameters` when `targetNodes` is below 100 or
    ///   above 20,000,000.
    /// - Complexity: O(targetNodes); about 5 s and 620 MB at the peak for a million graph nodes
    ///   (3.8 million geometry nodes) in a release build on this project's 2-core machine.
    public static func scalable(targetNodes: Int, seed: UInt64) throws -> GeneratedNetwork {
        guard targetNodes >= 100 else {
            throw RoadNetworkError.invalidGeneratorParameters("the target must be at least 100 nodes, not \(targetNodes)")
        }
        guard targetNodes <= 20_000_000 else {
            throw RoadNetworkError.invalidGeneratorParameters("the target must be at most 20,000,000 nodes, not \(targetNodes)")
        }
        var rng = SeededGenerator(seed: seed)
        let tiles = max(1, Int((Double(targetNodes) / nodesPerTile).rounded()))
        let columns = max(1, Int(Double(tiles).squareRoot().rounded(.up)))
        let rows = max(1, (tiles + columns - 1) / columns)
        let density = min(1, Double(targetNodes) / (nodesPerTile * Double(rows * columns)))
        let width = Double(columns) * tileWidth
        let height = Double(rows) * tileHeight

        // Valley axes, one per column, each passing through two towns per tile.
        var axisRNG = rng.fork()
        var axes: [ValleyAxis] = []
        var townSpecs: [[TownSpec]] = []
        let offsets = [150.0, 250, -150, -250]
        for c in 0..<columns {
            let xc = (Double(c) + 0.5) * tileWidth
            func floor(_ y: Double) -> Double {
                let period = 4 * tileHeight
                var phase = (y / period + Double(c) * 0.37).truncatingRemainder(dividingBy: 1)
                if phase < 0 { phase += 1 }
                return 450 + 420 * (1 - abs(2 * phase - 1)) + 40 * Double(c % 3)
            }
            var controls = [Point(xc + axisRNG.nextDouble(in: -300...300), -600)]
            var straight: [Bool] = []
            var halfWidths = [450.0]
            var specs: [TownSpec] = []
            func town(at y: Double, length: Double) {
                let x = xc + axisRNG.nextDouble(in: -0.07...0.07) * tileWidth
                controls.append(Point(x, y))
                straight.append(false)
                halfWidths.append(650)
                controls.append(Point(x + axisRNG.nextDouble(in: -120...120), y + length))
                straight.append(true)
                halfWidths.append(650)
                let offset = offsets[axisRNG.nextInt(below: offsets.count)]
                specs.append(TownSpec(name: "", localName: "", municipality: nil, offset: offset, columnSpacing: 100,
                                      rowSpacing: 100, maxRowsLeft: 12, maxRowsRight: 12, rowsLeft: 0, rowsRight: 0,
                                      mainStreet: TagClass([("highway", c % 2 == 0 ? "primary" : "secondary"),
                                                            ("ref", "\(101 + c)"), ("maxspeed", "40")])))
            }
            for r in 0..<rows {
                let base = Double(r) * tileHeight
                let scale = density < 0.5 ? 0.6 : 1
                town(at: base + tileHeight * axisRNG.nextDouble(in: 0.1...0.16), length: axisRNG.nextDouble(in: 1_200...1_700) * scale)
                controls.append(Point(xc + axisRNG.nextDouble(in: -0.1...0.1) * tileWidth, base + tileHeight * 0.42))
                straight.append(false)
                halfWidths.append(450)
                town(at: base + tileHeight * axisRNG.nextDouble(in: 0.5...0.56), length: axisRNG.nextDouble(in: 1_100...1_600) * scale)
                controls.append(Point(xc + axisRNG.nextDouble(in: -0.1...0.1) * tileWidth, base + tileHeight * 0.86))
                straight.append(false)
                halfWidths.append(450)
            }
            controls.append(Point(xc + axisRNG.nextDouble(in: -300...300), height + 600))
            straight.append(false)
            halfWidths.append(450)
            axes.append(Builder.buildAxis(ValleySpec(controls: controls, floors: controls.map { floor($0.y) },
                                                     halfWidths: halfWidths, straight: straight,
                                                     meanderAmplitude: 170, meanderWavelength: 3_300, wallScale: 2_300),
                                          rng: &axisRNG))
            townSpecs.append(specs)
        }
        var b = Builder(axes: axes, bounds: (-5_000, -5_000, width + 5_000, height + 5_000), rng: rng.fork())

        // Trunk roads.
        var trunkOf: [Int] = []
        for c in 0..<columns {
            let tags = TagClass([("highway", c % 2 == 0 ? "primary" : "secondary"), ("ref", "\(101 + c)"),
                                 ("maxspeed", c % 2 == 0 ? "60" : "50"), ("surface", "asphalt")])
            let tunnelAt = axes[c].length * b.rng.nextDouble(in: 0.2...0.8)
            let t = b.buildTrunk(axis: c, startNode: nil, townSpecs: townSpecs[c], meanderAmplitude: 150,
                                 meanderWavelength: 3_500, rural: tags,
                                 tunnel: (tunnelAt - 250, tunnelAt + 250, tags.adding([("tunnel", "yes"), ("layer", "-1")])))
            trunkOf.append(t)
        }
        b.reserveTownLand()

        // Pass roads between neighbouring valleys, one per tile row.
        let passOpen = TagClass([("highway", "secondary"), ("maxspeed", "40"), ("surface", "asphalt")])
        let passClosed = TagClass([("highway", "secondary"), ("maxspeed", "30"), ("surface", "asphalt"),
                                   ("motor_vehicle:conditional", winterClosureValue)])
        var passPlaces: [(Int32, Int)] = []
        if columns > 1 {
            for c in 0..<(columns - 1) {
                var built = 0
                for r in 0..<rows {
                    if let pass = b.buildScalablePass(c: c, r: r, trunks: trunkOf, check: true, open: passOpen, closed: passClosed) {
                        built += 1
                        passPlaces.append((pass.saddle, r * columns + c))
                    }
                }
                if built == 0, let pass = b.buildScalablePass(c: c, r: 0, trunks: trunkOf, check: false,
                                                              open: passOpen, closed: passClosed) {
                    passPlaces.append((pass.saddle, c))
                }
            }
        }

        // Side valleys with hamlets, then roadside driveways.
        let hamletsPerTile = Int((6 * density).rounded())
        for c in 0..<columns {
            let t = trunkOf[c]
            let band = [Point(Double(c) * tileWidth + 300, -3_000), Point(Double(c + 1) * tileWidth - 300, -3_000),
                        Point(Double(c + 1) * tileWidth - 300, height + 3_000), Point(Double(c) * tileWidth + 300, height + 3_000)]
            for r in 0..<rows where hamletsPerTile > 0 {
                let y0 = Double(r) * tileHeight
                let y1 = y0 + tileHeight
                let nodes = b.trunks[t].nodes
                guard let first = nodes.firstIndex(where: { b.sketch.ys[Int($0)] >= y0 }),
                      let last = nodes.lastIndex(where: { b.sketch.ys[Int($0)] < y1 }), last > first + 2 else { continue }
                var names = hamletNames
                let rotation = (r * columns + c) % names.count
                names = Array(names[rotation...] + names[..<rotation])
                b.placeHamlets(trunk: t, count: hamletsPerTile, along: b.trunks[t].along[first]...b.trunks[t].along[last],
                               lengths: 1_100...2_600, stairProbability: 0.35, names: &names, rings: [band],
                               track: (r + c) % 5 == 0 ? 1 : 0)
            }
            b.decorateTrunk(t, spacing: (130 / density)...(320 / density), region: { _ in band })
        }

        // The terrain; extras that would be too steep on it go.
        let projection = Projection(originLatitude: 36.2 - height / 2 / 111_132.954,
                                    originLongitude: 138.0 - width / 2 / (111_319.49 * Trig.cos(36.2 * Trig.pi / 180)),
                                    referenceLatitude: 36.2)
        let terrain = b.buildTerrain(projection: projection, ridgeBase: 2_300, riverStep: 4)
        b.pruneSteepLeaves(terrain: terrain, maxGrade: 0.25)

        // Town grids: rows are added round-robin until the node count reaches the target.
        var remaining = Double(targetNodes - b.sketch.graphNodeCount)
        var growing = true
        while remaining > 0 && growing {
            growing = false
            for t in b.towns.indices where remaining > 0 {
                let spec = b.towns[t].spec
                var side = spec.rowsLeft <= spec.rowsRight ? 1 : -1
                if side == 1 && spec.rowsLeft >= spec.maxRowsLeft { side = -1 }
                if side == -1 && spec.rowsRight >= spec.maxRowsRight {
                    guard spec.rowsLeft < spec.maxRowsLeft else { continue }
                    side = 1
                }
                let j = side == 1 ? spec.rowsLeft + 1 : -(spec.rowsRight + 1)
                if side == 1 { b.towns[t].spec.rowsLeft += 1 } else { b.towns[t].spec.rowsRight += 1 }
                let (lo, hi) = b.towns[t].columnRange(row: j)
                var gain = 1.0 * Double(hi - lo + 1)
                if spec.rowsLeft + spec.rowsRight == 0 { gain += 1.1 * Double(b.towns[t].columns) }
                remaining -= gain
                growing = true
            }
        }

        // Names, places and municipalities (one per tile).
        var drafts: [MunicipalityDraft] = []
        for r in 0..<rows {
            for c in 0..<columns {
                let k = r * columns + c
                let name = municipalityName(k)
                let x0 = c == 0 ? -5_000 : Double(c) * tileWidth
                let x1 = c == columns - 1 ? width + 5_000 : Double(c + 1) * tileWidth
                let y0 = r == 0 ? -5_000 : Double(r) * tileHeight
                let y1 = r == rows - 1 ? height + 5_000 : Double(r + 1) * tileHeight
                drafts.append(MunicipalityDraft(name: name.0, localName: name.1,
                                                ring: [Point(x0, y0), Point(x1, y0), Point(x1, y1), Point(x0, y1)],
                                                centre: Point((x0 + x1) / 2, (y0 + y1) / 2)))
            }
        }
        var townsIn = [Int](repeating: 0, count: drafts.count)
        for t in b.towns.indices {
            b.buildTownGrid(t)
            let centre = b.towns[t].row0[b.towns[t].columns / 2]
            let p = b.sketch.point(centre)
            let c = min(columns - 1, max(0, Int(p.x / tileWidth)))
            let r = min(rows - 1, max(0, Int(p.y / tileHeight)))
            let k = r * columns + c
            // The first town of a tile is its municipality's centre; the second its upper town.
            let first = townsIn[k] == 0
            townsIn[k] += 1
            if first { drafts[k].centre = p }
            b.places.append(PlaceDraft(name: first ? drafts[k].name : "Kami-\(drafts[k].name)",
                                       localName: first ? drafts[k].localName : "上\(drafts[k].localName)",
                                       kind: .townCentre, node: centre, municipality: k))
        }
        for (node, k) in passPlaces {
            b.places.append(PlaceDraft(name: "\(drafts[k].name) Pass", localName: "\(drafts[k].localName.dropLast())峠",
                                       kind: .pass, node: node, municipality: nil))
        }
        return b.finish(projection: projection, terrain: terrain, municipalities: drafts, assignMunicipalities: true,
                        source: "generated mountain network (target \(targetNodes) nodes, seed \(seed))")
    }

    /// A fictional municipality name for tile `k` (romaji, Japanese).
    static func municipalityName(_ k: Int) -> (String, String) {
        let prefixes: [(String, String)] = [
            ("Kami", "上"), ("Shimo", "下"), ("Naka", "中"), ("Higashi", "東"), ("Nishi", "西"), ("Minami", "南"),
            ("Kita", "北"), ("Ō", "大"), ("Ko", "小"), ("Shin", "新"), ("Hon", "本"), ("Taka", "高"),
        ]
        let elements: [(String, String)] = [
            ("kawa", "川"), ("zawa", "沢"), ("dani", "谷"), ("hara", "原"), ("no", "野"), ("da", "田"), ("yama", "山"),
            ("oka", "岡"), ("daira", "平"), ("jima", "島"), ("se", "瀬"), ("kura", "倉"), ("mori", "森"), ("ki", "木"),
            ("ishi", "石"), ("mine", "峰"),
        ]
        let p = prefixes[k % prefixes.count]
        let e = elements[(k / prefixes.count) % elements.count]
        let village = (k / (prefixes.count * elements.count)) % 2 == 0
        let round = k / (prefixes.count * elements.count * 2)
        let number = round > 0 ? " \(round + 1)" : ""
        let localNumber = round > 0 ? "第\(round + 1)" : ""
        return ("\(p.0)\(e.0)-\(village ? "mura" : "machi")\(number)", "\(localNumber)\(p.1)\(e.1)\(village ? "村" : "町")")
    }
}

extension MountainNetworkGenerator.Builder {
    /// The pass road of tile row `r` from valley `c` to valley `c + 1`.
    mutating func buildScalablePass(c: Int, r: Int, trunks trunkOf: [Int], check: Bool,
                                    open: MountainNetworkGenerator.TagClass,
                                    closed: MountainNetworkGenerator.TagClass) -> Pass? {
        typealias Point = MountainNetworkGenerator.Point
        let tileWidth = MountainNetworkGenerator.tileWidth
        let tileHeight = MountainNetworkGenerator.tileHeight
        let y = Double(r) * tileHeight + tileHeight * rng.nextDouble(in: 0.8...0.88)
        let footA = nearestUsable(trunk: trunkOf[c], to: Point((Double(c) + 0.5) * tileWidth, y))
        let footB = nearestUsable(trunk: trunkOf[c + 1], to: Point((Double(c) + 1.5) * tileWidth, y + rng.nextDouble(in: -400...400)))
        let pa = sketch.point(trunks[trunkOf[c]].nodes[footA])
        let pb = sketch.point(trunks[trunkOf[c + 1]].nodes[footB])
        let saddle = Point.lerp(pa, pb, rng.nextDouble(in: 0.45...0.55)) + Point(0, rng.nextDouble(in: -600...600))
        let floorA = axes[trunks[trunkOf[c]].axis].floors[trunks[trunkOf[c]].axisIndex[footA]]
        let floorB = axes[trunks[trunkOf[c + 1]].axis].floors[trunks[trunkOf[c + 1]].axisIndex[footB]]
        let elevation = min(1_800, max(floorA, floorB) + rng.nextDouble(in: 480...720))
        return addPass(from: (trunkOf[c], footA), to: (trunkOf[c + 1], footB), saddle: saddle, saddleElevation: elevation,
                       halfWidth: rng.nextDouble(in: 150...210), openTags: open,
                       closedTags: elevation >= 1_450 ? closed : open, check: check)
    }
}
