import RoadNetwork

/// Japanese national holidays (国民の祝日に関する法律) from 1980 to 2099: the fixed and Happy
/// Monday days as the law stood each year, the equinoxes by the usual approximation of the
/// National Astronomical Observatory's calculation (valid 1980–2099), 振替休日 (a holiday on a
/// Sunday moves to the next Monday, from 2007 to the next day that is not a holiday), 国民の休日
/// (a weekday between two holidays, from 1988), and the one-off days of imperial events and the
/// 2020/2021 Olympic moves. Tested against an independent list (../shared/data/jp-holidays.csv).
public enum JapaneseHolidays {
    /// The years the rules here cover.
    public static let years = 1980...2099

    /// The holiday's name on `date`, or nil (also nil outside `years`).
    public static func name(of date: ServiceDate) -> String? {
        guard years.contains(date.year) else { return nil }
        return holidays(in: date.year)[date]
    }

    /// Whether `date` is a national holiday.
    public static func isHoliday(_ date: ServiceDate) -> Bool { name(of: date) != nil }

    /// Day of the week, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    public static func weekday(_ date: ServiceDate) -> Int { ((date.dayNumber % 7) + 11) % 7 }

    /// Every holiday of `year` with its name.
    public static func holidays(in year: Int) -> [ServiceDate: String] {
        var days: [ServiceDate: String] = [:]
        func day(_ month: Int, _ d: Int, _ name: String) { if let date = ServiceDate(year: year, month: month, day: d) { days[date] = name } }
        /// The n-th Monday of `month`.
        func monday(_ month: Int, _ n: Int, _ name: String) {
            let first = ServiceDate(year: year, month: month, day: 1)!
            let offset = (8 - weekday(first)) % 7
            day(month, 1 + offset + 7 * (n - 1), name)
        }
        let y = Double(year - 1980), leapShift = Double((year - 1980) / 4)

        day(1, 1, "元日")
        if year >= 2000 { monday(1, 2, "成人の日") } else { day(1, 15, "成人の日") }
        day(2, 11, "建国記念の日")
        if year >= 2020 { day(2, 23, "天皇誕生日") }
        day(3, Int((20.8431 + 0.242194 * y - leapShift).rounded(.down)), "春分の日")
        if year >= 2007 { day(4, 29, "昭和の日") } else if year >= 1989 { day(4, 29, "みどりの日") } else { day(4, 29, "天皇誕生日") }
        day(5, 3, "憲法記念日")
        if year >= 2007 { day(5, 4, "みどりの日") }
        day(5, 5, "こどもの日")
        switch year {
        case 2020: day(7, 23, "海の日")
        case 2021: day(7, 22, "海の日")
        case 2003...: monday(7, 3, "海の日")
        case 1996...: day(7, 20, "海の日")
        default: break
        }
        switch year {
        case 2020: day(8, 10, "山の日")
        case 2021: day(8, 8, "山の日")
        case 2016...: day(8, 11, "山の日")
        default: break
        }
        if year >= 2003 { monday(9, 3, "敬老の日") } else { day(9, 15, "敬老の日") }
        day(9, Int((23.2488 + 0.242194 * y - leapShift).rounded(.down)), "秋分の日")
        switch year {
        case 2020: day(7, 24, "スポーツの日")
        case 2021: day(7, 23, "スポーツの日")
        case 2022...: monday(10, 2, "スポーツの日")
        case 2000...: monday(10, 2, "体育の日")
        default: day(10, 10, "体育の日")
        }
        day(11, 3, "文化の日")
        day(11, 23, "勤労感謝の日")
        if (1989...2018).contains(year) { day(12, 23, "天皇誕生日") }
        // One-off days (each by its own law).
        switch year {
        case 1989: day(2, 24, "昭和天皇の大喪の礼")
        case 1990: day(11, 12, "即位礼正殿の儀")
        case 1993: day(6, 9, "皇太子徳仁親王の結婚の儀")
        case 2019: day(5, 1, "天皇の即位の日"); day(10, 22, "即位礼正殿の儀")
        default: break
        }

        // 振替休日 first (a day that is one is not also a 国民の休日): a holiday on a Sunday gives the next
        // day that is not a holiday (before 2007: the Monday).
        for date in days.keys.sorted() where weekday(date) == 0 && !(days[date] ?? "").isEmpty {
            var substitute = ServiceDate(dayNumber: date.dayNumber + 1)
            if year >= 2007 {
                while days[substitute] != nil { substitute = ServiceDate(dayNumber: substitute.dayNumber + 1) }
            } else if days[substitute] != nil {
                continue
            }
            if substitute.year == year { days[substitute] = "振替休日" }
        }
        // 国民の休日 (from 1988): a day between two holidays that is not itself one (nor a Sunday).
        if year >= 1988 {
            for date in days.keys.sorted() {
                let next = ServiceDate(dayNumber: date.dayNumber + 1), after = ServiceDate(dayNumber: date.dayNumber + 2)
                if days[next] == nil, days[after] != nil, weekday(next) != 0 { days[next] = "国民の休日" }
            }
        }
        return days
    }
}
