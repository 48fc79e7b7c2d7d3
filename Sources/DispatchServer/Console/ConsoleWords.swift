/// Words the console shows for the API's codes, in both languages.
enum ConsoleWords {
    /// A reason code (README "Reasons") in words; the API's English sentence when the code is not known here.
    static func reason(_ code: String, fallback: String, _ locale: ConsoleLocale) -> String {
        guard locale == .ja else { return fallback }
        return japaneseReasons[code] ?? fallback
    }

    static let japaneseReasons: [String: String] = [
        "not_served_here": "この地域を運行できる車両がありません",
        "no_vehicle_with_capacity": "この人数・車いすを乗せられる車両がありません",
        "window_unreachable": "どの車両も時間内に乗車地と降車地に行けません",
        "ride_too_long": "乗車時間が上限を超えてしまいます",
        "no_vehicle_free": "その時間は空いている車両がありません",
        "road_closed": "その日は通行止めで行けません",
        "not_allowed_by_rules": "市町村をまたぐこの移動は広域運行のルールで認められていません",
        "place_unreachable": "乗車地または降車地に車両が行けません",
        "rejected_at_booking": "予約時にお断りしました",
        "cancelled": "取り消し済み",
        "completed": "完了",
        "no_show": "乗車されませんでした",
    ]

    /// A booking status in words.
    static func status(_ status: String, _ locale: ConsoleLocale) -> String {
        let words: [String: (String, String)] = [
            "requested": ("requested", "受付中"), "accepted": ("accepted", "予約済み"), "rejected": ("rejected", "お断り"),
            "scheduled": ("scheduled", "配車済み"), "on_board": ("on board", "乗車中"), "cancelled": ("cancelled", "取消"),
            "completed": ("completed", "完了"), "no_show": ("no show", "不乗車"),
        ]
        guard let w = words[status] else { return status }
        return locale.t(w.0, w.1)
    }
}

import RoadNetwork

extension ServiceDate {
    /// The date `days` days later (earlier when negative).
    func adding(days: Int) -> ServiceDate { ServiceDate(dayNumber: dayNumber + days) }
}
