import DispatchPlanning
import DispatchWire
import Foundation
import RoadNetwork
import Testing

@Suite struct ZoneRulesTests {
    static func zone(_ rules: ZoneFile.Rules?) throws -> ZoneFile {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var file = try ZoneFile.load(path: root.appendingPathComponent("Networks/default-zone.zone.json").path)
        file.rules = rules
        return file
    }

    static let rules = ZoneFile.Rules(outsideDestinations: ["kitazawa-mura": ["hanaoka-prefectural-hospital-hospital"]],
                                      agreements: [ZoneFile.Agreement(name: "Minamidani–Hanaoka", between: ["minamidani-machi", "hanaoka-shi"])])

    @Test func tripsInsideTheMunicipalityToPermittedDestinationsOrUnderAnAgreementAreAllowedAndOthersNameTheRule() throws {
        let rules = ZoneRules(zone: try Self.zone(Self.rules))
        #expect(rules.violation(resident: "kitazawa-mura", from: "kitazawa-mura", to: "kitazawa-mura", fromStop: "kitazawa-yakuba-mae-meetingpoint", toStop: nil) == nil)
        #expect(rules.violation(resident: "kitazawa-mura", from: "kitazawa-mura", to: "hanaoka-shi", fromStop: "kitazawa-yakuba-mae-meetingpoint",
                                toStop: "hanaoka-prefectural-hospital-hospital") == nil)
        let station = rules.violation(resident: "kitazawa-mura", from: "kitazawa-mura", to: "hanaoka-shi", fromStop: "kitazawa-yakuba-mae-meetingpoint",
                                      toStop: "hanaoka-station-station")
        #expect(station?.contains("Kitazawa-mura") == true && station?.contains("hanaoka-prefectural-hospital-hospital") == true)
        #expect(rules.violation(resident: "minamidani-machi", from: "minamidani-machi", to: "hanaoka-shi", fromStop: nil, toStop: nil) == nil)
        #expect(rules.violation(resident: "hanaoka-shi", from: "hanaoka-shi", to: "minamidani-machi", fromStop: nil, toStop: nil) == nil)
        #expect(rules.violation(resident: "okukawa-mura", from: "minamidani-machi", to: "hanaoka-shi", fromStop: nil, toStop: nil) != nil)
        // Without rules in the zone file every trip may be booked.
        #expect(ZoneRules(zone: try Self.zone(nil)).violation(resident: "okukawa-mura", from: "kitazawa-mura", to: "hanaoka-shi",
                                                               fromStop: nil, toStop: nil) == nil)
    }

    @Test func rulesThatNameUnknownMunicipalitiesOrStopsAreRefusedWhereTheyAre() throws {
        var file = try Self.zone(ZoneFile.Rules(outsideDestinations: ["kitazawa-mura": ["nowhere"]]))
        #expect(throws: ZoneFileError.self) { try file.validate(path: "z.json") }
        file.rules = ZoneFile.Rules(agreements: [ZoneFile.Agreement(name: "x", between: ["kitazawa-mura"])])
        do { try file.validate(path: "z.json"); Issue.record("accepted") } catch let error as ZoneFileError {
            #expect(error.field == "rules.agreements[0].between")
        }
    }
}

@Suite struct MunicipalityBoundaryTests {
    @Test func aBoundaryOfSeveralRingsHasHolesAndExclavesByTheEvenOddRule() throws {
        var file = try ZoneRulesTests.zone(nil)
        func square(_ lon: Double, _ lat: Double, _ half: Double) -> [[Double]] {
            [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]]
        }
        // Far from the other municipalities: an outer square with a hole in its middle, and an exclave beside it.
        file.municipalities[0].boundary = [square(140.0, 40.0, 0.1), square(140.0, 40.0, 0.02), square(140.5, 40.0, 0.05)]
        try file.validate(path: "z.json")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let graph = try NetworkFile.load(path: root.appendingPathComponent("Networks/default-zone.dnet").path)
        let zone = try ServiceZone(file: file, graph: graph, hierarchy: nil)
        #expect(zone.municipality(containing: Coordinate(latitude: 40.05, longitude: 140.05)) == 0, "inside the outer ring")
        #expect(zone.municipality(containing: Coordinate(latitude: 40.0, longitude: 140.0)) == nil, "in the hole")
        #expect(zone.municipality(containing: Coordinate(latitude: 40.0, longitude: 140.5)) == 0, "in the exclave")
        #expect(zone.municipality(containing: Coordinate(latitude: 40.0, longitude: 140.3)) == nil, "between them")
    }
}
