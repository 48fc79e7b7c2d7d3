import DispatchWire
import RoadNetwork
import Testing

@Suite struct FleetFileTests {
    @Test func aFleetReadsInTheOneCSVDialect() throws {
        let text = "\u{FEFF}id,municipality,seats,wheelchair_places,depot_lat,depot_lon,shift_start,shift_end\r\n"
            + "canillo-1,Canillo,4,1,42.5667,1.6000,07:30,18:30\r\n"
            + "# a comment\r\n\r\n"
            + "\"ordino, 2\",ordino,8,0,42.5560,1.5330,06:00:00,12:00\r\n"
        let fleet = try FleetFile.parse(text, path: "fleet.csv")
        #expect(fleet.vehicles.map(\.id) == ["canillo-1", "ordino, 2"])
        #expect(fleet.vehicles[0].municipality == "Canillo" && fleet.vehicles[0].seats == 4 && fleet.vehicles[0].wheelchairPlaces == 1)
        #expect(fleet.vehicles[0].shiftStart == "07:30:00" && fleet.vehicles[1].shiftEnd == "12:00:00")
        #expect(fleet.vehicles[1].line == 5)
        #expect(abs(fleet.vehicles[1].depot.latitude - 42.5560) < 1e-9)
    }

    @Test func eachBadLineIsNamedWithWhatIsWrong() {
        let header = "id,municipality,seats,wheelchair_places,depot_lat,depot_lon,shift_start,shift_end\n"
        let cases: [(String, String)] = [
            ("id,town,seats\n", "the first line must be the header"),
            (header, "lists no vehicles"),
            (header + "a,X,4,1,42.5,1.5,07:30\n", "line 2: expected 8 fields"),
            (header + "a,X,0,1,42.5,1.5,07:30,18:00\n", "seats must be"),
            (header + "a,X,4,-1,42.5,1.5,07:30,18:00\n", "wheelchair_places must be"),
            (header + "a,X,4,1,95,1.5,07:30,18:00\n", "depot latitude,longitude"),
            (header + "a,X,4,1,42.5,1.5,18:00,07:30\n", "the shift"),
            (header + "a,X,4,1,42.5,1.5,07:30,18:00\na,Y,4,1,42.5,1.5,07:30,18:00\n", "line 3: the id 'a' is used twice"),
            (header + ",X,4,1,42.5,1.5,07:30,18:00\n", "the id is empty"),
        ]
        for (text, message) in cases {
            do {
                _ = try FleetFile.parse(text, path: "fleet.csv")
                Issue.record("accepted: \(text)")
            } catch let error as ZoneFileError {
                #expect(error.description.contains(message), "\(error.description) should say \(message)")
                #expect(error.description.hasPrefix("fleet.csv: line "))
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
