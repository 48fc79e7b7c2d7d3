import DispatchCore
import DispatchWire
import Foundation
import RideRequestStore

/// A municipality's figures in one plan (or summed over a period by `dispatch report`).
public struct MunicipalityAccount: Codable, Sendable, Equatable {
    public var municipality: String
    public var requests: Int
    public var served: Int
    public var passengers: Int
    /// Passengers × direct road kilometres of their trips.
    public var passengerKilometres: Double
    /// Attributed to its residents (see `WideAreaComparison.attribution`).
    public var vehicleHours: Double
    public var kilometres: Double
    public var costYen: Double
    public var faresYen: Double
    /// Cost minus fares: what the municipality pays.
    public var netYen: Double

    public init(municipality: String, requests: Int, served: Int, passengers: Int, passengerKilometres: Double, vehicleHours: Double,
                kilometres: Double, costYen: Double, faresYen: Double, netYen: Double) {
        self.municipality = municipality
        self.requests = requests
        self.served = served
        self.passengers = passengers
        self.passengerKilometres = passengerKilometres
        self.vehicleHours = vehicleHours
        self.kilometres = kilometres
        self.costYen = costYen
        self.faresYen = faresYen
        self.netYen = netYen
    }

    enum CodingKeys: String, CodingKey {
        case municipality, requests, served, passengers, passengerKilometres = "passenger_km", vehicleHours = "vehicle_hours", kilometres
        case costYen = "cost_yen", faresYen = "fares_yen", netYen = "net_yen"
    }

    public static func + (a: MunicipalityAccount, b: MunicipalityAccount) -> MunicipalityAccount {
        MunicipalityAccount(municipality: a.municipality, requests: a.requests + b.requests, served: a.served + b.served,
                            passengers: a.passengers + b.passengers, passengerKilometres: a.passengerKilometres + b.passengerKilometres,
                            vehicleHours: a.vehicleHours + b.vehicleHours, kilometres: a.kilometres + b.kilometres, costYen: a.costYen + b.costYen,
                            faresYen: a.faresYen + b.faresYen, netYen: a.netYen + b.netYen)
    }
}

public enum Accounting {
    /// The fare of a served booking under its resident municipality's rule (0 without one).
    public static func fare(_ record: BookingRecord, directKilometres: Double, rule: ZoneFile.Fare?) -> Double {
        guard let rule else { return 0 }
        var perPassenger = rule.flatYen ?? 0
        if let bands = rule.bands, !bands.isEmpty {
            perPassenger = (bands.first { directKilometres <= ($0.upToKm ?? .infinity) } ?? bands.last!).yen
        }
        let discount: Double = switch record.concession {
        case .elderly?: rule.elderlyDiscount ?? 0
        case .disabled?: rule.disabledDiscount ?? 0
        case nil: 0
        }
        let surcharge = record.channel == .phone ? (rule.phoneSurchargeYen ?? 0) : 0
        return (perPassenger * (1 - discount) * Double(record.partySize)).rounded() + surcharge
    }

    /// Per municipality of the zone: the plan's requests, riders, attributed driving and cost, fares.
    public static func accounts(plan: Plan, loaded: DayLoading.LoadedDay, zone: ServiceZone) -> [MunicipalityAccount] {
        let costs = zone.file.costs ?? .assumed
        let day = loaded.day, instance = day.instance, network = loaded.network
        let attributed = WideAreaComparison.attribution(plan: plan, day: day, network: network, zone: zone)
        var accounts = zone.file.municipalities.enumerated().map { m, municipality in
            MunicipalityAccount(municipality: municipality.id, requests: 0, served: 0, passengers: 0, passengerKilometres: 0,
                                vehicleHours: attributed[m].seconds / 3600, kilometres: attributed[m].metres / 1000,
                                costYen: attributed[m].seconds / 3600 * costs.vehicleHourYen + attributed[m].metres / 1000 * costs.kilometreYen,
                                faresYen: 0, netYen: 0)
        }
        let records = Dictionary(uniqueKeysWithValues: loaded.records.map { ($0.id, $0) })
        for record in loaded.records where record.status != .cancelled {
            if let m = zone.municipalityIndex[record.municipality] { accounts[m].requests += 1 }
        }
        for ride in PlanReport(plan: plan, instance: instance).rides {
            guard let record = records[day.bookingIDs[ride.request]], let m = zone.municipalityIndex[record.municipality] else { continue }
            let from = day.locations[Int(instance.location[instance.pickup(ride.request)])]
            let to = day.locations[Int(instance.location[instance.dropoff(ride.request)])]
            let km = Double(network.metres(from, to) ?? 0) / 1000
            accounts[m].served += 1
            accounts[m].passengers += record.partySize
            accounts[m].passengerKilometres += km * Double(record.partySize)
            accounts[m].faresYen += fare(record, directKilometres: km, rule: zone.file.fares?[record.municipality])
        }
        for m in accounts.indices { accounts[m].netYen = accounts[m].costYen - accounts[m].faresYen }
        return accounts
    }
}
