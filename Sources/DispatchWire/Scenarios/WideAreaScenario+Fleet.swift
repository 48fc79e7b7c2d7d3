import DispatchCore
import NetworkGeneration

extension WideAreaScenario {
    /// A vehicle before the locations are renumbered.
    struct FleetVehicle {
        var input: VehicleInput
        var model: VehicleDetail.Model
        var municipality: Int
    }

    /// Seconds after midnight.
    static func clock(_ hours: Int, _ minutes: Int = 0) -> Int { (hours * 60 + minutes) * 60 }

    /// Models by position at a depot: the first vehicle of every depot takes a wheelchair.
    static let modelCycle: [VehicleDetail.Model] = [.convertibleVan, .sedan, .welfareVan, .sedan]
}

extension WideAreaScenario.Zone {
    /// Relative population per municipality by its rank: a city (市) 3, a town (町) 2, a village (村) 1.
    var municipalityWeights: [Double] {
        municipalities.map { m in
            switch m.localName.last {
            case "市": 3
            case "町": 2
            default: 1
            }
        }
    }

    /// `count` vehicles over the municipal depots in proportion to demand (at least one per depot
    /// while there are enough), models cycling sedan / welfare van / convertible van, shifts
    /// 7:00–19:00 except every third vehicle 8:00–17:00 and the hub's first 6:30–19:30.
    /// - Complexity: O(count + depots).
    func fleet(count: Int) -> [WideAreaScenario.FleetVehicle] {
        let depots = indices(of: .depot)
        precondition(!depots.isEmpty, "the generated zone has depots")
        let weights = depots.map { municipalityWeights[locations[$0].municipality] }
        let perDepot = Self.apportion(count, weights: weights, atLeastOne: count >= depots.count)
        let slugs = EmbeddedZone.uniqueSlugs(municipalities.map(\.name))
        var vehicles: [WideAreaScenario.FleetVehicle] = []
        for (d, depot) in depots.enumerated() {
            let m = locations[depot].municipality
            for j in 0..<perDepot[d] {
                let model = WideAreaScenario.modelCycle[j % WideAreaScenario.modelCycle.count]
                let shift: TimeWindow
                if m == hub && j == 0 {
                    shift = TimeWindow(earliest: WideAreaScenario.clock(6, 30), latest: WideAreaScenario.clock(19, 30))
                } else if j % 3 == 2 {
                    shift = TimeWindow(earliest: WideAreaScenario.clock(8), latest: WideAreaScenario.clock(17))
                } else {
                    shift = TimeWindow(earliest: WideAreaScenario.clock(7), latest: WideAreaScenario.clock(19))
                }
                vehicles.append(.init(input: VehicleInput(id: "\(slugs[m])-\(j + 1)", startLocation: depot, endLocation: depot,
                                                          shift: shift, capacity: model.capacity, homeMunicipality: m),
                                      model: model, municipality: m))
            }
        }
        return vehicles
    }

    /// Largest-remainder apportionment of `total` over `weights` (ties to the lower index); with
    /// `atLeastOne`, every weight first gets one.
    static func apportion(_ total: Int, weights: [Double], atLeastOne: Bool) -> [Int] {
        var shares = [Int](repeating: atLeastOne ? 1 : 0, count: weights.count)
        let rest = total - shares.reduce(0, +)
        let sum = weights.reduce(0, +)
        guard rest > 0, sum > 0 else { return shares }
        let exact = weights.map { Double(rest) * $0 / sum }
        for i in shares.indices { shares[i] += Int(exact[i].rounded(.down)) }
        let remainders = shares.indices.sorted { a, b in
            let ra = exact[a] - exact[a].rounded(.down), rb = exact[b] - exact[b].rounded(.down)
            return ra != rb ? ra > rb : a < b
        }
        var left = total - shares.reduce(0, +)
        for i in remainders where left > 0 {
            shares[i] += 1
            left -= 1
        }
        return shares
    }
}
