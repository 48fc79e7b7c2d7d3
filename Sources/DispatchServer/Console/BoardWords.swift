import DispatchPlanning
import Foundation
import RideRequestStore

/// The words the day board shows for the project's codes (README "Reasons", booking statuses,
/// call list kinds), in English and Japanese; an unknown code is shown as it is.
enum BoardWords {
    /// A reason code of the one vocabulary (rejections, unserved bookings, broken promises): the
    /// console's Japanese words (`ConsoleWords`) where it has them.
    static func reason(_ code: String, _ l: ConsoleLocale) -> String {
        if l == .ja, let words = ConsoleWords.japaneseReasons[code] { return words }
        return switch code {
        case "not_served_here": l.t("No vehicle may serve the resident's municipality", "居住自治体を運行できる車両がありません")
        case "no_vehicle_with_capacity": l.t("No vehicle serving the area has room for the party (e.g. wheelchairs)",
                                             "この人数・車いすを乗せられる車両がありません")
        case "window_unreachable": l.t("No vehicle can reach pickup and drop-off within their time windows and its shift",
                                       "どの車両も時間内に乗車地と降車地に行けません")
        case "ride_too_long": l.t("The time windows force a ride longer than the maximum ride time", "乗車時間が上限を超えてしまいます")
        case "no_vehicle_free": l.t("No vehicle has room left at that time", "その時間は空いている車両がありません")
        case "road_closed": l.t("No open road connects the places on that date (road closed)", "その日は通行止めで行けません")
        case "not_allowed_by_rules": l.t("A cross-border rule of the zone does not allow the trip", "市町村をまたぐこの移動は広域運行のルールで認められていません")
        case ReasonCodes.placeUnreachable: l.t("The place is off every road open that date, or no longer a stop of the zone",
                                               "乗車地または降車地に車両が行けません")
        case "rejected_at_booking": l.t("Rejected when booked", "予約時にお断りしました")
        case "cancelled": l.t("Cancelled", "取り消し済み")
        case "completed": l.t("Completed", "完了")
        case "no_show": l.t("The passenger did not show", "乗車されませんでした")
        case "vehicle_withdrawn": l.t("The promised vehicle is no longer in the fleet", "約束した車両が運行から外れました")
        case "route_no_longer_fits": l.t("The promised route no longer fits the date's roads or shifts, and no other vehicle can take it",
                                         "約束したルートがその日の道路・勤務に合わず、他の車両でも運べません")
        case "outside_window": l.t("Served, but outside the promised window", "運行しますが、約束した時間枠の外です")
        default: code
        }
    }

    /// A booking status in the console's words (`ConsoleWords`).
    static func status(_ status: BookingStatus, _ l: ConsoleLocale) -> String {
        ConsoleWords.status(status.rawValue, l)
    }

    static func change(_ kind: PlanChanges.Entry.Kind, _ l: ConsoleLocale) -> String {
        switch kind {
        case .brokenPromise: l.t("Promise broken", "約束が守れません")
        case .newlyUnserved: l.t("No longer served", "運行できなくなりました")
        case .movedVehicle: l.t("Another vehicle", "車両が変わりました")
        case .pickupMoved: l.t("Pickup time moved", "迎えの時刻が変わりました")
        case .newlyServed: l.t("Now served", "運行できるようになりました")
        }
    }

    static func action(_ action: String, _ l: ConsoleLocale) -> String {
        action == "pickup" ? l.t("pickup", "乗車") : l.t("drop-off", "降車")
    }

    /// A store timestamp (milliseconds since 1970) as "2026-12-01 18:30" in the zone's time zone.
    static func localTime(milliseconds: Int64, timeZone: String) -> String {
        let out = DateFormatter()
        out.locale = Locale(identifier: "en_US_POSIX")
        out.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Tokyo")
        out.dateFormat = "yyyy-MM-dd HH:mm"
        return out.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
