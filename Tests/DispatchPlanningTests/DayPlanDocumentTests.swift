import DispatchPlanning
import Foundation
import Testing

@Suite struct DayPlanDocumentTests {
    @Test func aDocumentStoredBeforeTheOneVocabularyReadsWithTodaysCodes() throws {
        let stored = #"""
            {"date":"2026-12-01","created_at":"2026-11-30T02:12:42Z","solver":"exact","solver_reason":"r","status":"timeLimit","seconds":1,
             "vehicles":[],"summary":{"bookings":4,"served":0,"vehicles_used":0,"driving_hours":0},
             "unserved":[{"booking_id":"a","reason":"noOpenRoad","message":"m"},{"booking_id":"b","reason":"no-show","message":"m"},
                         {"booking_id":"c","reason":"unplaceable","message":"m"},{"booking_id":"d","reason":"rejected_at_booking","message":"m"}],
             "broken_promises":[{"booking_id":"a","passenger_ref":"P","promised_earliest":"08:00:00","promised_latest":"08:20:00",
                                 "reason":"no_room","change":"c"}]}
            """#
        let document = try DayPlanDocument.decode(Array(stored.utf8))
        #expect(document.unserved.map(\.reason) == ["road_closed", "no_show", "place_unreachable", "rejected_at_booking"])
        #expect(document.brokenPromises?.map(\.reason) == ["no_vehicle_free"])
        #expect(document.status == "time_limit")
        for reason in document.unserved.map(\.reason) { #expect(ReasonCodes.planUnserved.contains(reason)) }
    }

    @Test func theReadmesTableOfReasonsHasEveryCodeAndNoOther() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "### Reasons").dropFirst().first?.components(separatedBy: "\n#").first)
        // The codes are the backticked words of each row's first cell.
        var inTable: Set<String> = []
        for row in section.split(separator: "\n") where row.hasPrefix("| `") {
            let cell = row.split(separator: "|")[0]
            for part in cell.split(separator: "`").enumerated() where part.offset % 2 == 1 { inTable.insert(String(part.element)) }
        }
        let codes = Set(ReasonCodes.planUnserved + ReasonCodes.brokenPromise)
        #expect(inTable == codes, "only in the README: \(inTable.subtracting(codes)), missing there: \(codes.subtracting(inTable))")
    }
}
