import DispatchWire
import Foundation
import Testing

@Suite struct CSVTests {
    @Test func cellsThatASpreadsheetWouldEvaluateStartWithAQuote() {
        #expect(CSV.text("=HYPERLINK(\"http://evil\",\"x\")") == "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")
        #expect(CSV.text("+81 90 1234") == "'+81 90 1234")
        #expect(CSV.text("-2+3") == "'-2+3")
        #expect(CSV.text("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSV.text("\tcmd") == "'\tcmd")
        #expect(CSV.text("\r=1") == "\"'\r=1\"")
        #expect(CSV.text("＝1+1") == "'＝1+1")
        // Ordinary text is left alone; separators, quotes and line breaks are quoted.
        #expect(CSV.text("okukawa-mura") == "okukawa-mura")
        #expect(CSV.text("奥川村 役場前") == "奥川村 役場前")
        #expect(CSV.text("a=b") == "a=b")
        #expect(CSV.text("") == "")
        #expect(CSV.text("Smith, J.") == "\"Smith, J.\"")
        #expect(CSV.text("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.text("two\r\nlines") == "\"two\r\nlines\"")
    }

    @Test func theTravelTimeTableQuotesItsIdsButKeepsFiguresAsNumbers() throws {
        let json = #"{"ids": ["=1+1", "-stop", "hall"], "travel_time_seconds": [[0, 60, null], [60, 0, 30], [null, 30, 0]],"#
            + #" "distance_metres": [[0, 900, null], [900, 0, 400], [null, 400, 0]]}"#
        let table = try JSONDecoder().decode(TravelTimeTableDocument.self, from: Data(json.utf8))
        #expect(table.csv.hasPrefix("\u{FEFF}") && table.csv.hasSuffix("\r\n"), "one dialect: BOM, CRLF")
        let rows = table.csv.dropFirst().split(separator: "\r\n").map(String.init)
        #expect(rows[0] == "from,to,travel_time_s,distance_m,reachable")
        #expect(rows.contains("'=1+1,'-stop,60.0,900,true"), "\(rows)")
        #expect(rows.contains("'-stop,hall,30.0,400,true"), "\(rows)")
        #expect(rows.dropFirst().allSatisfy { !$0.hasPrefix("=") && !$0.hasPrefix("-") && !$0.contains(",=") && !$0.contains(",-") })
    }
}
