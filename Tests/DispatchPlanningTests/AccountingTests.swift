import DispatchPlanning
import DispatchWire
import RideRequestStore
import Testing

@Suite struct AccountingTests {
    static func record(party: Int = 1, concession: Concession? = nil, channel: BookingChannel = .app) -> BookingRecord {
        BookingRecord(id: "b", serviceDate: "2099-07-01", municipality: "m", passengerRef: "p", pickup: BookingPlace(stopID: "a"),
                      dropoff: BookingPlace(stopID: "b"), timeKind: .pickup, requestedTime: 36_000, partySize: party, wheelchairs: 0, notes: "",
                      status: .scheduled, createdBy: "k", createdAt: 0, updatedAt: 0, concession: concession, channel: channel)
    }

    @Test func faresFollowTheFlatOrBandRuleWithConcessionsPerPassengerAndAPhoneSurchargePerBooking() {
        let bands = ZoneFile.Fare(bands: [.init(upToKm: 5, yen: 300), .init(upToKm: 15, yen: 500), .init(upToKm: nil, yen: 800)],
                                  elderlyDiscount: 0.5, disabledDiscount: 1, phoneSurchargeYen: 100)
        #expect(Accounting.fare(Self.record(), directKilometres: 4.9, rule: bands) == 300)
        #expect(Accounting.fare(Self.record(), directKilometres: 5.1, rule: bands) == 500)
        #expect(Accounting.fare(Self.record(), directKilometres: 40, rule: bands) == 800)
        #expect(Accounting.fare(Self.record(party: 2, concession: .elderly), directKilometres: 10, rule: bands) == 500)
        #expect(Accounting.fare(Self.record(concession: .disabled, channel: .phone), directKilometres: 10, rule: bands) == 100)
        let flat = ZoneFile.Fare(flatYen: 400)
        #expect(Accounting.fare(Self.record(party: 3), directKilometres: 30, rule: flat) == 1_200)
        #expect(Accounting.fare(Self.record(), directKilometres: 3, rule: nil) == 0)
    }

    @Test func accountsAddUp() {
        let a = MunicipalityAccount(municipality: "m", requests: 2, served: 1, passengers: 1, passengerKilometres: 3, vehicleHours: 1, kilometres: 10,
                                    costYen: 4_300, faresYen: 300, netYen: 4_000)
        let sum = a + a
        #expect(sum.requests == 4 && sum.passengerKilometres == 6 && sum.netYen == 8_000 && sum.municipality == "m")
    }
}
