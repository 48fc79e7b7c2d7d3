import DispatchPlanning
@testable import DispatchServer
import DispatchWire
import Foundation
import HTTPTypes
import RideRequestStore
import RoadNetwork
import StoreTestSupport
import Testing

/// What a long-running server keeps in memory stays bounded, whatever dates and addresses
/// clients send.
@Suite struct BoundedMemoryTests {
    @Test func bookingsBeyondTheZonesHorizonAreRefusedNamingTheDate() async throws {
        let harness = try await ServerHarness.make()
        // 2099-06-20 12:00 in Japan.
        let noon = Date(timeIntervalSince1970: Double(ServiceDate(parsing: "2099-06-20")!.dayNumber) * 86_400 + 3 * 3_600)
        try await harness.run(configure: { $0.now = { noon }; $0.bookingHorizonDays = ServerHarness.zone.bookingHorizonDays }) { client in
            #expect(ServerHarness.zone.bookingHorizonDays == 90)
            let last = try await client.book(date: "2099-09-18")
            #expect(last.status == .created, "\(last.json)")
            let beyond = try await client.book(date: "2099-09-19")
            #expect(beyond.status == .unprocessableContent)
            #expect((beyond["error"] as? [String: Any])?["field"] as? String == "date")
            #expect(((beyond["error"] as? [String: Any])?["message"] as? String)?.contains("2099-09-18") == true)
        }
    }

    @Test func theBookingDeskKeepsOnlyItsMostRecentDates() async throws {
        let store = try TestStore.sqlite()
        let zone = ServerHarness.zone
        try await store.replaceZone(with: zone.file, actor: "test")
        let office = BookingOffice(zone: zone, store: store, horizonDays: 30)
        // The hub town: service every day, Sundays and holidays included.
        let m = zone.municipalityIndex["hanaoka-shi"]!
        func ride(_ passenger: String, on date: ServiceDate) -> BookingRequest {
            BookingRequest(passengerRef: passenger, municipality: m, municipalityID: "hanaoka-shi",
                           pickup: BookingPlace(stopID: "hanaoka-station-station"),
                           dropoff: BookingPlace(stopID: "hanaoka-prefectural-hospital-hospital"), date: date,
                           timeKind: .pickup, requestedTime: 10 * 3_600, partySize: 1, wheelchairs: 0, notes: "")
        }
        for day in 0..<40 {
            let date = ServiceDate(dayNumber: ServiceDate(parsing: "2099-07-01")!.dayNumber + day)
            let outcome = try await office.book(ride("P-\(day)", on: date), createdBy: "test")
            #expect(outcome.record.status == .accepted)
        }
        #expect(await office.desk.daysInMemory == office.desk.maxDays)
        // A date dropped from memory is loaded again from the store with its bookings in place.
        let first = ServiceDate(parsing: "2099-07-01")!
        let again = try await office.book(ride("P-again", on: first), createdBy: "test")
        #expect(again.record.status == .accepted)
        let routes = try await store.dayRoutes(serviceDate: first.description)
        #expect(routes.flatMap(\.stops).filter(\.pickup).count == 2)
    }

    @Test func theZoneKeepsTheNetworksOfRecentOrHeldDatesOnly() throws {
        let zone = try ServiceZone(file: ServerHarness.zone.file, graph: ServerHarness.zone.graph, hierarchy: nil)
        let held = zone.network(on: ServiceDate(parsing: "2099-01-01")!)
        for day in 1...(3 * ServiceZone.cachedDates) { _ = zone.network(on: ServiceDate(dayNumber: held.date.dayNumber + day)) }
        #expect(zone.datesInMemory == ServiceZone.cachedDates + 1)
        // The date someone holds is still the same network object (its locations stay valid).
        #expect(zone.network(on: held.date) === held)
    }

    @Test func aDateTakesABoundedNumberOfDoorToDoorAddresses() throws {
        let zone = try ServiceZone(file: ServerHarness.zone.file, graph: ServerHarness.zone.graph, hierarchy: nil)
        let network = zone.network(on: ServiceDate(parsing: "2099-07-01")!)
        let stop = ServerHarness.zone.file.stops[0].position
        for i in 0..<ServiceZone.maxAddressesPerDate {
            _ = try network.location(of: Coordinate(latitude: stop[1] + Double(i) * 1e-6, longitude: stop[0]))
        }
        // Known addresses still resolve; a new one is refused with a sentence.
        _ = try network.location(of: Coordinate(latitude: stop[1], longitude: stop[0]))
        #expect(throws: DayNetworkError.tooManyAddresses(date: network.date, limit: ServiceZone.maxAddressesPerDate)) {
            try network.location(of: Coordinate(latitude: stop[1] - 1e-5, longitude: stop[0]))
        }
    }
}
