import DispatchCore
import RoadNetwork

// The project's default zone: five fictional municipalities in the Japanese Alps (about 35.87–36.2 N,
// 137.68–137.98 E) that pool their demand taxis.
//
//   Kitazawa-mura 北沢村 ── Kumoi-tōge 雲居峠 (1,800 m, closed Dec 1–Apr 15) ── Higashiyama-mura 東山村
//        │ valley A (Kitazawa-gawa)                         valley B (Higashi-gawa) │
//   Minamidani-machi 南谷町                                                        │
//        └──────────────── Hanaoka-shi 花岡市 (hospital, station hub) ─────────────┘
//                                   └── valley C ── Okukawa-mura 奥川村
//
// Valleys A and B meet at the hub town; the pass road joins their upper ends over a 1,800 m saddle,
// so in winter the way between Kitazawa and Higashiyama is the long detour through Hanaoka.
// Kumoi Onsen, a hamlet at the saddle, can only be reached over the closed section.

extension MountainNetworkGenerator {
    /// Plausible hamlet names of the region (romaji, Japanese).
    static let hamletNames: [(String, String)] = [
        ("Ōdaira", "大平"), ("Ono", "小野"), ("Kamimura", "上村"), ("Nakamura", "中村"), ("Shimodaira", "下平"),
        ("Tochikubo", "栃窪"), ("Yokokawa", "横川"), ("Miyanokoshi", "宮ノ越"), ("Hinata", "日向"), ("Hikage", "日影"),
        ("Kuwabara", "桑原"), ("Yanagisawa", "柳沢"), ("Ashizawa", "芦沢"), ("Akabane", "赤羽"), ("Sugano", "菅野"),
        ("Sugishima", "杉島"), ("Takenouchi", "竹之内"), ("Arai", "荒井"), ("Ichinose", "市野瀬"), ("Ōkubo", "大久保"),
        ("Kurogōchi", "黒河内"), ("Mizoguchi", "溝口"), ("Katakura", "片倉"), ("Fujisawa", "藤沢"), ("Hase", "長谷"),
        ("Tokusa", "戸草"), ("Narao", "奈良尾"), ("Nashinoki", "梨ノ木"), ("Kashio", "鹿塩"), ("Irinoya", "入野谷"),
        ("Yoshida", "吉田"), ("Kuribayashi", "栗林"), ("Warabidaira", "蕨平"), ("Tarusawa", "樽沢"), ("Yuzawa", "湯沢"),
        ("Terasawa", "寺沢"), ("Neba", "根羽"), ("Hiraiwa", "平岩"), ("Shirasawa", "白沢"), ("Takizawa", "滝沢"),
        ("Ōshima", "大島"), ("Kobayashi", "小林"), ("Sakashita", "坂下"), ("Kamiyashiki", "上屋敷"), ("Nakanoda", "中ノ田"),
        ("Tsuchiya", "土屋"), ("Ōtaki", "大滝"), ("Iwakura", "岩倉"), ("Nagane", "長根"), ("Nakahara", "中原"),
        ("Miyashita", "宮下"), ("Kamisawa", "上沢"), ("Hagiwara", "萩原"), ("Kurihara", "栗原"), ("Ishida", "石田"),
        ("Momose", "百瀬"), ("Ōno", "大野"), ("Hirano", "平野"), ("Koshiba", "小柴"), ("Tanohara", "田ノ原"),
    ]

    /// Town block names used for meeting points (romaji, Japanese).
    static let blockNames: [(String, String)] = [
        ("Honmachi", "本町"), ("Nakamachi", "中町"), ("Shinmachi", "新町"), ("Sakaemachi", "栄町"), ("Motomachi", "元町"),
        ("Kamimachi", "上町"), ("Shimomachi", "下町"), ("Asahimachi", "旭町"), ("Midorichō", "緑町"), ("Kotobukichō", "寿町"),
    ]

    /// The embedded default zone: five municipalities along three valleys, joined by a hub town
    /// and a winter-closed pass. See the file header for the layout; `seed` varies the meanders,
    /// hamlets and driveways but not the layout, names or the closure.
    /// About 2,700 graph nodes (2,460 once tracks and private driveways are left out), 9,300
    /// geometry nodes and 1,200 ways, spanning 36 km north–south.
    /// - Complexity: about 0.03 s in a release build.
    public static func embeddedZone(seed: UInt64 = 1) -> GeneratedNetwork {
        var rng = SeededGenerator(seed: seed)
        var axisRNG = rng.fork()
        let f = false
        let t = true
        // Valley axes (metres east/north of 35.87 N, 137.58 E). Straight stretches hold towns.
        let main = Builder.buildAxis(ValleySpec(
            controls: [Point(17400, -1500), Point(17100, 2000), Point(17000, 3600), Point(17000, 7000), Point(17000, 8600)],
            floors: [560, 590, 610, 640, 650], halfWidths: [450, 600, 1000, 1000, 650],
            straight: [f, f, t, f], meanderAmplitude: 200, meanderWavelength: 3_200, wallScale: 2_400), rng: &axisRNG)
        let valleyA = Builder.buildAxis(ValleySpec(
            controls: [Point(17000, 8600), Point(15400, 12400), Point(14300, 15000), Point(13900, 16800), Point(13300, 19500),
                       Point(12900, 22500), Point(13300, 25000), Point(13650, 26300), Point(13800, 27500), Point(13950, 30500),
                       Point(13700, 34500)],
            floors: [650, 700, 750, 775, 860, 960, 1060, 1090, 1110, 1180, 1350],
            halfWidths: [600, 450, 700, 700, 400, 300, 400, 550, 550, 350, 200],
            straight: [f, f, t, f, f, f, f, t, f, f], meanderAmplitude: 180, meanderWavelength: 2_800, wallScale: 2_200),
            rng: &axisRNG)
        let valleyB = Builder.buildAxis(ValleySpec(
            controls: [Point(17000, 8600), Point(18700, 12300), Point(20300, 16500), Point(21300, 20500), Point(20950, 23800),
                       Point(20650, 25000), Point(20500, 26400), Point(20350, 29500), Point(20750, 34000)],
            floors: [650, 705, 840, 940, 1040, 1075, 1095, 1170, 1350],
            halfWidths: [600, 450, 400, 400, 450, 550, 550, 350, 200],
            straight: [f, f, f, f, f, t, f, f], meanderAmplitude: 180, meanderWavelength: 3_000, wallScale: 2_200),
            rng: &axisRNG)

        var b = Builder(axes: [main, valleyA, valleyB], bounds: (0, -5_000, 40_000, 40_000), rng: rng.fork())

        // Municipal boundaries: ridges between the valleys, drawn as shared polylines.
        let x0 = 7_000.0, x1 = 37_000.0, y0 = -3_000.0, y1 = 37_000.0
        let divide = [Point(17000, 10200), Point(17200, 16500), Point(17200, 22300), Point(17300, 29700), Point(17250, y1)]
        let rings: [[Point]] = [
            [Point(x0, y0), Point(22500, y0), Point(22500, 10200), Point(17000, 10200), Point(x0, 10200)],
            [Point(x0, 10200), divide[0], divide[1], divide[2], Point(x0, 22300)],
            [Point(x0, 22300), divide[2], divide[3], divide[4], Point(x0, y1)],
            [divide[0], Point(22500, 10200), Point(26000, 12500), Point(x1, 13500), Point(x1, y1), divide[4], divide[3],
             divide[2], divide[1]],
            [Point(22500, y0), Point(x1, y0), Point(x1, 13500), Point(26000, 12500), Point(22500, 10200)],
        ]
        let names: [(String, String, String)] = [
            ("Hanaoka-shi", "花岡市", "Hanaoka"), ("Minamidani-machi", "南谷町", "Minamidani"),
            ("Kitazawa-mura", "北沢村", "Kitazawa"), ("Higashiyama-mura", "東山村", "Higashiyama"),
            ("Okukawa-mura", "奥川村", "Okukawa"),
        ]
        func ring(at p: Point) -> [Point]? { rings.first { contains($0, p) } }

        // Road classes.
        func road(_ highway: String, _ name: String, _ maxspeed: String) -> TagClass {
            TagClass([("highway", highway), ("name", name), ("maxspeed", maxspeed), ("surface", "asphalt")])
        }
        let hanaokaRoad = road("primary", "花岡街道", "60")
        let kitazawaRoad = road("primary", "北沢街道", "50")
        let higashiRoad = road("secondary", "東山街道", "50")
        let okukawaRoad = road("secondary", "奥川線", "50")

        // Towns on the valley floors; each trunk road is its town's main street.
        var hanaoka = TownSpec(name: "Hanaoka-shi", localName: "花岡市", municipality: 0, offset: 280, columnSpacing: 90,
                               rowSpacing: 80, maxRowsLeft: 10, maxRowsRight: 10, rowsLeft: 10, rowsRight: 10,
                               mainStreet: road("primary", "花岡街道", "40"))
        hanaoka.roundaboutColumn = 18
        hanaoka.oneWayRows = [1: true, 2: false]
        hanaoka.columnTags = [18: road("secondary", "奥川線", "40")]
        var minamidani = TownSpec(name: "Minamidani-machi", localName: "南谷町", municipality: 1, offset: -225,
                                  columnSpacing: 95, rowSpacing: 90, maxRowsLeft: 6, maxRowsRight: 7, rowsLeft: 6,
                                  rowsRight: 7, mainStreet: road("primary", "北沢街道", "40"))
        minamidani.oneWayRows = [1: true]
        let kitazawa = TownSpec(name: "Kitazawa-mura", localName: "北沢村", municipality: 2, offset: 135, columnSpacing: 90,
                                rowSpacing: 90, maxRowsLeft: 5, maxRowsRight: 5, rowsLeft: 5, rowsRight: 5,
                                mainStreet: road("primary", "北沢街道", "40"))
        let higashiyama = TownSpec(name: "Higashiyama-mura", localName: "東山村", municipality: 3, offset: -135,
                                   columnSpacing: 90, rowSpacing: 90, maxRowsLeft: 5, maxRowsRight: 5, rowsLeft: 5,
                                   rowsRight: 5, mainStreet: road("secondary", "東山街道", "40"))
        let okukawa = TownSpec(name: "Okukawa-mura", localName: "奥川村", municipality: 4, offset: 135, columnSpacing: 90,
                               rowSpacing: 90, maxRowsLeft: 5, maxRowsRight: 5, rowsLeft: 5, rowsRight: 5,
                               mainStreet: road("secondary", "奥川線", "40"))

        // Trunk roads: the main valley to the confluence, then valleys A and B from there.
        let trunkH = b.buildTrunk(axis: 0, startNode: nil, townSpecs: [hanaoka], meanderAmplitude: 170,
                                  meanderWavelength: 4_200, rural: hanaokaRoad)
        let confluence = b.trunks[trunkH].nodes[b.trunks[trunkH].nodes.count - 1]
        let tunnelAt = valleyA.along[valleyA.controlIndex[5]]
        let trunkA = b.buildTrunk(axis: 1, startNode: confluence, townSpecs: [minamidani, kitazawa], meanderAmplitude: 150,
                                  meanderWavelength: 3_600, rural: kitazawaRoad,
                                  upper: road("tertiary", "北沢奥線", "40"), upperFromControl: 9,
                                  tunnel: (tunnelAt - 350, tunnelAt + 350,
                                           kitazawaRoad.adding([("tunnel", "yes"), ("layer", "-1"), ("tunnel:name", "北沢トンネル")])))
        let trunkB = b.buildTrunk(axis: 2, startNode: confluence, townSpecs: [higashiyama], meanderAmplitude: 150,
                                  meanderWavelength: 3_400, rural: higashiRoad,
                                  upper: road("tertiary", "東山奥線", "40"), upperFromControl: 7)
        // Valley C leaves Hanaoka by the roundabout's cross street, over the river to the east.
        let cStart = b.townNode(0, 18, -10)
        let valleyC = Builder.buildAxis(ValleySpec(
            controls: [b.sketch.point(cStart), Point(18400, 5650), Point(20000, 5900), Point(23500, 6500), Point(25200, 6900),
                       Point(26400, 7300), Point(29500, 8200), Point(34500, 9300)],
            floors: [628, 629, 650, 720, 780, 800, 900, 1150], halfWidths: [300, 300, 400, 400, 500, 500, 350, 200],
            straight: [f, f, f, f, t, f, f], meanderAmplitude: 160, meanderWavelength: 2_900, wallScale: 2_000), rng: &axisRNG)
        let cAxis = b.addAxis(valleyC)
        let trunkC = b.buildTrunk(axis: cAxis, startNode: cStart, townSpecs: [okukawa], meanderAmplitude: 130,
                                  meanderWavelength: 3_000, rural: okukawaRoad,
                                  upper: road("tertiary", "奥川林道線", "40"), upperFromControl: 6)
        b.reserveTownLand()

        // The pass road between the upper valleys, closed in winter above the hairpin stairs' feet.
        let footA = b.nearestUsable(trunk: trunkA, to: Point(13870, 28600))
        let footB = b.nearestUsable(trunk: trunkB, to: Point(20430, 27700))
        let passOpen = TagClass([("highway", "secondary"), ("name", "県道雲居峠線"), ("maxspeed", "40"), ("surface", "asphalt")])
        let passClosed = TagClass([("highway", "secondary"), ("name", "雲居峠"), ("maxspeed", "40"), ("surface", "asphalt"),
                                   ("motor_vehicle:conditional", winterClosureValue)])
        let pass = b.addPass(from: (trunkA, footA), to: (trunkB, footB), saddle: Point(17150, 29700), saddleElevation: 1_800,
                             halfWidth: 200, openTags: passOpen, closedTags: passClosed, check: false)!
        b.places.append(PlaceDraft(name: "Kumoi-tōge", localName: "雲居峠", kind: .pass, node: pass.saddle, municipality: 2))
        b.stopCandidates.append((b.trunks[trunkA].nodes[footA], "Kumoi-tōge Iriguchi", "雲居峠入口", 3))
        b.stopCandidates.append((b.trunks[trunkB].nodes[footB], "Higashi-Kumoi Iriguchi", "東雲居入口", 3))
        // Kumoi Onsen: a hamlet on the saddle, reachable only over the closed section.
        let saddlePoint = b.sketch.point(pass.saddle)
        let kumoiDirection = (b.sketch.point(b.trunks[trunkB].nodes[footB]) - b.sketch.point(b.trunks[trunkA].nodes[footA]))
            .normalized.rotated(by: 1.85)
        var kumoi: Int32?
        for attempt in 0..<6 where kumoi == nil {
            kumoi = b.addBranch(from: pass.saddle, direction: kumoiDirection.rotated(by: Double(attempt) * 0.15),
                                length: 1_100 - Double(attempt) * 100, baseElevation: 1_800, fromValleyFloor: false, stair: false,
                                grades: -0.045 ... -0.025, region: ring(at: saddlePoint - Point(200, 0)),
                                hamlet: ("Kumoi Onsen", "雲居温泉"), municipality: 2, track: 0, lanes: 1)
        }
        precondition(kumoi != nil, "Kumoi Onsen could not be placed")

        // Hamlets up side valleys.
        var hamlets = hamletNames
        shuffle(&hamlets, rng: &b.rng)
        let aLength = valleyA.length
        let bLength = valleyB.length
        let cLength = valleyC.length
        b.placeHamlets(trunk: trunkH, count: 6, along: 300...(main.length - 900), lengths: 1_300...2_600,
                       stairProbability: 0.3, names: &hamlets, rings: rings, track: 0)
        b.placeHamlets(trunk: trunkA, count: 14, along: 700...(aLength - 600), lengths: 1_200...2_800,
                       stairProbability: 0.4, names: &hamlets, rings: rings, track: 0)
        b.placeHamlets(trunk: trunkB, count: 13, along: 700...(bLength - 600), lengths: 1_200...2_800,
                       stairProbability: 0.4, names: &hamlets, rings: rings, track: 2)
        b.placeHamlets(trunk: trunkC, count: 9, along: 700...(cLength - 600), lengths: 1_200...2_600,
                       stairProbability: 0.4, names: &hamlets, rings: rings, track: 1)
        // Hamlets at the valley heads, where the trunk roads end.
        for trunk in [trunkA, trunkB, trunkC, trunkH] {
            let nodes = b.trunks[trunk].nodes
            let head = trunk == trunkH ? 0 : nodes.count - 1
            let name = hamlets.removeFirst()
            b.places.append(PlaceDraft(name: name.0, localName: name.1, kind: .hamlet, node: nodes[head], municipality: nil))
            b.stopCandidates.append((nodes[head], "\(name.0) Kōminkan-mae", "\(name.1)公民館前", 2))
            let tail = trunk == trunkH ? Array(nodes[0..<14].reversed()) : Array(nodes[(nodes.count - 14)...])
            b.addCluster(road: tail, region: ring(at: b.sketch.point(nodes[head])))
        }

        // Roadside driveways, farm roads and old roads.
        for trunk in [trunkH, trunkA, trunkB, trunkC] {
            b.decorateTrunk(trunk, spacing: 70...180, region: ring(at:))
        }

        // The terrain; extras that would be too steep on it go.
        let projection = Projection(originLatitude: 35.87, originLongitude: 137.58, referenceLatitude: 36.0)
        let terrain = b.buildTerrain(projection: projection, ridgeBase: 2_350, riverStep: 2)
        b.pruneSteepLeaves(terrain: terrain, maxGrade: 0.25)

        // Town grids with their facilities.
        let service = b.tags.service
        b.buildTownGrid(0, facilities: [("hospital", 26, 1, service), ("station", 16, -1, service),
                                        ("supermarket", 10, 1, b.tags.parkingAisle), ("school", 6, -1, service),
                                        ("depot", 30, -1, service)])
        b.buildTownGrid(1, facilities: [("school", 4, 1, service), ("supermarket", 10, -1, b.tags.parkingAisle),
                                        ("depot", 14, 1, service)])
        b.buildTownGrid(2, facilities: [("school", 3, -1, service), ("depot", 9, 1, service)])
        b.buildTownGrid(3, facilities: [("school", 4, 1, service), ("depot", 10, -1, service)])
        b.buildTownGrid(4, facilities: [("school", 3, 1, service), ("depot", 9, -1, service)])

        // Places and meeting-point candidates in the towns.
        var centres: [Point] = []
        for (index, name) in names.enumerated() {
            let town = b.towns[index]
            let centreNode = town.row0[town.columns / 2]
            centres.append(b.sketch.point(centreNode))
            b.places.append(PlaceDraft(name: name.0, localName: name.1, kind: .townCentre, node: centreNode, municipality: index))
            b.stopCandidates.append((centreNode, "\(name.2) Yakuba-mae", "\(name.1.dropLast())役場前", 0))
            for stub in town.stubs {
                switch stub.purpose {
                case "hospital":
                    b.places.append(PlaceDraft(name: "Hanaoka Prefectural Hospital", localName: "県立花岡病院", kind: .hospital,
                                               node: stub.node, municipality: index))
                    b.stopCandidates.append((stub.node, "Kenritsu Byōin-mae", "県立病院前", 0))
                case "station":
                    b.places.append(PlaceDraft(name: "Hanaoka Station", localName: "花岡駅", kind: .station,
                                               node: stub.node, municipality: index))
                    b.stopCandidates.append((stub.node, "Hanaoka Eki-mae", "花岡駅前", 0))
                case "supermarket":
                    b.places.append(PlaceDraft(name: "Super \(name.2)", localName: "スーパー\(name.1.dropLast())",
                                               kind: .supermarket, node: stub.node, municipality: index))
                    b.stopCandidates.append((stub.node, "Super \(name.2)-mae", "スーパー\(name.1.dropLast())前", 1))
                case "school":
                    b.places.append(PlaceDraft(name: "\(name.2) Elementary School", localName: "\(name.1.dropLast())小学校",
                                               kind: .school, node: stub.node, municipality: index))
                    b.stopCandidates.append((stub.node, "\(name.2) Shōgakkō-mae", "\(name.1.dropLast())小学校前", 1))
                default:
                    b.places.append(PlaceDraft(name: "\(name.0) Demand Taxi Depot", localName: "\(name.1)デマンドタクシー車庫",
                                               kind: .depot, node: stub.node, municipality: index))
                }
            }
            var block = (index * 3) % blockNames.count
            var column = 1
            while column < town.columns - 1 {
                if column != town.columns / 2 && town.spec.roundaboutColumn != column {
                    let blockName = blockNames[block % blockNames.count]
                    b.stopCandidates.append((town.row0[column], "\(name.2) \(blockName.0)", "\(name.1.dropLast())\(blockName.1)", 1))
                    for j in [2, -2] where town.columnRange(row: j).0 <= column && town.columnRange(row: j).1 >= column {
                        if let node = town.existingNode(column, j) {
                            let chome = j > 0 ? ("2-chōme", "二丁目") : ("3-chōme", "三丁目")
                            b.stopCandidates.append((node, "\(blockName.0) \(chome.0)", "\(blockName.1)\(chome.1)", 4))
                        }
                    }
                    block += 1
                }
                column += max(2, town.columns / 6)
            }
        }
        let drafts = (0..<names.count).map { MunicipalityDraft(name: names[$0].0, localName: names[$0].1, ring: rings[$0], centre: centres[$0]) }
        b.chooseMeetingPoints(municipalities: drafts, minimum: 8, maximum: 16)

        return b.finish(projection: projection, terrain: terrain, municipalities: drafts, assignMunicipalities: true,
                        source: "generated embedded zone (seed \(seed))")
    }

    /// Fisher–Yates shuffle with the generator's own integer draws (stable across Swift versions).
    static func shuffle<T>(_ items: inout [T], rng: inout SeededGenerator) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, rng.nextInt(below: i + 1))
        }
    }
}

extension MountainNetworkGenerator.Builder {
    /// The usable node of trunk `t` nearest to `p`.
    func nearestUsable(trunk t: Int, to p: MountainNetworkGenerator.Point) -> Int {
        var best = 1
        var bestDistance = Double.infinity
        for i in 0..<trunks[t].nodes.count where trunks[t].usable[i] {
            let d = sketch.point(trunks[t].nodes[i]).distance(to: p)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }

    /// Tries to place `count` hamlets up side valleys of trunk `t` between arc lengths `along`,
    /// each inside the municipality ring where it starts; names come off the front of `names`. When
    /// `track` is 1 (a track) or 2 (a track closed to motor vehicles), hamlets get one beyond them
    /// until one has been built on this valley.
    mutating func placeHamlets(trunk t: Int, count: Int, along: ClosedRange<Double>, lengths: ClosedRange<Double>,
                               stairProbability: Double, names: inout [(String, String)], rings: [[MountainNetworkGenerator.Point]],
                               track: Int) {
        var placed = 0
        var attempts = 0
        let tracksBefore = tracksBuilt
        while placed < count && attempts < count * 8 && !names.isEmpty {
            attempts += 1
            // Spread the tries along the valley: stratified draws.
            let slot = Double((placed + attempts) % max(1, count)) / Double(max(1, count))
            let s = along.lowerBound + (along.upperBound - along.lowerBound) * (slot + rng.nextDouble() / Double(max(1, count)))
            guard let i = trunks[t].node(nearAlong: s, window: 200) else { continue }
            let p = sketch.point(trunks[t].nodes[i])
            let region = rings.first { MountainNetworkGenerator.contains($0, p) }
            let side: Double = rng.nextBool(probability: 0.5) ? 1 : -1
            var length = rng.nextDouble(in: lengths)
            let stair = rng.nextBool(probability: stairProbability)
            let name = names[0]
            for _ in 0..<3 {
                if let _ = addSideValley(trunk: t, at: i, side: side, length: length, stair: stair, region: region,
                                         hamlet: (name.0, name.1), municipality: nil,
                                         track: tracksBuilt == tracksBefore ? track : 0) {
                    names.removeFirst()
                    placed += 1
                    stopCandidates.append((trunks[t].nodes[i], "\(name.0) Iriguchi", "\(name.1)入口", 3))
                    break
                }
                length *= 0.7
            }
        }
    }
}
