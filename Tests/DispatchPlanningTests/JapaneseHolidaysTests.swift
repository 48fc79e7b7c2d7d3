import DispatchPlanning
import Foundation
import RoadNetwork
import Testing

@Suite struct JapaneseHolidaysTests {
    static let list: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/data/jp-holidays.csv").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            print("note: \(path) is absent; the holiday calculator is not compared with the independent list")
            return nil
        }
        return text
    }()

    @Test(.enabled(if: list != nil, "needs ../shared/data/jp-holidays.csv"))
    func everyHolidayFrom1980To2050IsTheIndependentListsWithItsName() throws {
        var expected: [ServiceDate: String] = [:]
        for line in Self.list!.split(whereSeparator: \.isNewline).dropFirst() {
            let parts = line.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, let date = ServiceDate(parsing: parts[0]), (1980...2050).contains(date.year) else { continue }
            expected[date] = String(parts[1])
        }
        #expect(expected.count > 1_000)
        var computed: [ServiceDate: String] = [:]
        for year in 1980...2050 { computed.merge(JapaneseHolidays.holidays(in: year)) { a, _ in a } }
        let missing = expected.keys.filter { computed[$0] == nil }.sorted()
        let extra = computed.keys.filter { expected[$0] == nil }.sorted()
        #expect(missing.isEmpty, "not computed: \(missing.prefix(10).map { "\($0) \(expected[$0]!)" })")
        #expect(extra.isEmpty, "not in the list: \(extra.prefix(10).map { "\($0) \(computed[$0]!)" })")
        // The list spells substitute days "元日 振替休日" and days between holidays (and the 2019
        // imperial one-offs) "休日"; the other names are the law's.
        func agrees(_ list: String, _ ours: String) -> Bool {
            if list.hasSuffix("振替休日") { return ours == "振替休日" }
            if list.hasPrefix("休日") { return ours == "国民の休日" || ours == "天皇の即位の日" || ours == "即位礼正殿の儀" }
            return list == ours || list.hasPrefix(ours + "（") || ["大喪の礼", "結婚の儀", "即位礼正殿の儀"].contains { list == $0 && ours.hasSuffix($0) }
        }
        let renamed = expected.keys.filter { computed[$0] != nil && !agrees(expected[$0]!, computed[$0]!) }.sorted()
        #expect(renamed.isEmpty, "other names: \(renamed.prefix(10).map { "\($0) \(expected[$0]!) ≠ \(computed[$0]!)" })")
    }

    @Test func weekdaysAndAFewKnownDays() {
        #expect(JapaneseHolidays.weekday(ServiceDate(year: 1970, month: 1, day: 1)!) == 4)
        #expect(JapaneseHolidays.weekday(ServiceDate(year: 2026, month: 12, day: 7)!) == 1)
        #expect(JapaneseHolidays.name(of: ServiceDate(year: 2026, month: 9, day: 22)!) == "国民の休日")   // between 敬老の日 and 秋分の日
        #expect(JapaneseHolidays.name(of: ServiceDate(year: 2026, month: 12, day: 7)!) == nil)
        #expect(JapaneseHolidays.name(of: ServiceDate(year: 2100, month: 1, day: 1)!) == nil, "outside the years the rules cover")
    }
}
