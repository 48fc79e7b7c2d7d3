import DispatchCore
import DispatchPlanning
import Foundation
import RoadNetwork
import Testing

@Suite struct DayModelTests {
    static let zone: ServiceZone = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try! ServiceZone.load(zonePath: root.appendingPathComponent("Networks/default-zone.zone.json").path)
    }()

    func booking(_ id: String, from: String, to: String, at time: Int = 10 * 3600, seats: Int = 1, wheelchairs: Int = 0) -> DayBooking {
        let zone = Self.zone
        return DayBooking(id: id, municipality: zone.points[zone.stopIndex[from]!].municipality, pickup: zone.stopIndex[from]!,
                          dropoff: zone.stopIndex[to]!, timeKind: .pickup, requestedTime: time, load: Load(seats: seats, wheelchairs: wheelchairs))
    }

    @Test func bookingsNoPlanCanServeAreLeftOutWithTheirReasonAndTheRestKept() throws {
        let zone = Self.zone
        let winter = zone.network(on: ServiceDate(year: 2099, month: 12, day: 15)!)
        let bookings = [booking("fine", from: "tanohara-hamlet", to: "kitazawa-yakuba-mae-meetingpoint"),
                        booking("pass", from: "tanohara-hamlet", to: "kumoi-onsen-hamlet"),
                        booking("crowd", from: "okukawa-yakuba-mae-meetingpoint", to: "hanaoka-station-station", seats: 7)]
        let day = try DayModel.build(name: "winter", zone: zone, day: winter, bookings: bookings)
        #expect(day.bookingIDs == ["fine"])
        #expect(day.excluded.map(\.id) == ["pass", "crowd"])
        #expect(day.excluded.map(\.reason) == [.noOpenRoad, .noVehicleWithCapacity])
        // In summer the pass is open.
        let summer = zone.network(on: ServiceDate(year: 2099, month: 7, day: 1)!)
        let open = try DayModel.build(name: "summer", zone: zone, day: summer, bookings: Array(bookings.prefix(2)))
        #expect(open.bookingIDs == ["fine", "pass"] && open.excluded.isEmpty)
        // Only the places in use (depots and stops of the bookings) are in the instance.
        #expect(open.instance.travel.count == Set(open.locations).count && open.locations.count < zone.points.count)
    }

    @Test func thePromisedWindowContainsThePlannedPickupAndKeepsItsWidthInsideTheAskedWindow() {
        let policy = BookingPolicy()
        let window = TimeWindow(earliest: 35_400, latest: 37_200)
        for s in stride(from: window.earliest, through: window.latest, by: 60) {
            let promise = policy.promise(plannedPickup: s, within: window)
            #expect(promise.earliest <= s && s <= promise.latest)
            #expect(promise.earliest >= window.earliest && promise.latest <= window.latest)
            #expect(promise.latest - promise.earliest == policy.promiseWidth)
        }
        let narrow = TimeWindow(earliest: 100, latest: 400)
        #expect(policy.promise(plannedPickup: 250, within: narrow) == narrow)
    }
}
