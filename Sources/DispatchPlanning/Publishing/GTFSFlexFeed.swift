import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

/// The zone's demand service as a GTFS feed with the Flex extension, for trip planners
/// (OpenTripPlanner and others): file name → bytes.
///
/// Follows the GTFS Schedule Reference (gtfs.org/documentation/schedule/reference, revised
/// 2025-07-09; Flex adopted in 2024: `locations.geojson`, `location_groups.txt`,
/// `location_group_stops.txt`, `booking_rules.txt` and the `stop_times.txt` fields
/// `location_id`, `location_group_id`, `start_pickup_drop_off_window`,
/// `end_pickup_drop_off_window`, `pickup_booking_rule_id`, `drop_off_booking_rule_id`).
///
/// How the zone maps onto it:
/// - One route per municipality (its residents' demand service), `route_type` 3 (bus): the only
///   value of the reference for road vehicles; the extended type 715 ("demand and response bus")
///   is Google's extension, which several consumers mis-read or reject, and the Flex files already
///   say that the service is on demand.
/// - The municipality's areas are `locations.geojson` features (its boundary rings, even-odd,
///   turned into valid Polygons / MultiPolygons). Bookings may be made for any point in an area
///   (the booking desk takes coordinates), so areas, not groups of stops, are the true picture;
///   stops appear (`stops.txt`, a location group) only as the permitted outside destinations of
///   the zone's cross-border rules (otherwise `stops.txt` holds its header only).
/// - Trips say where a resident may travel: without cross-border rules, between any two points of
///   the zone; with rules, one trip for the own area and the permitted outside stops (`endsOK` of
///   `ZoneRules`) and one per agreement that covers the residents. Each trip lists every place
///   first as pickup-only, then as drop-off-only (`pickup_type`/`drop_off_type` 2: book with the
///   agency), so any pickup precedes any drop-off and no two records overlap in place, window and
///   type (the spec's zone-overlap constraint). OpenTripPlanner reads such trips of more than two
///   stop times as unscheduled flex trips since its 2.5 release.
/// - Windows are the municipality's `service_hours` (the times a booking may ask for). A cut-off
///   for trips before a time splits the day into two trips with their own booking rules.
/// - Names and generated messages follow the agency's `language`: local names for `ja`, else the
///   romanized names (`feed_lang` `en` when the agency gives none).
/// - The calendar is exactly `ZoneCalendar.hasService`: weekly flags from `service_days`, and
///   for every date in the range where that differs from the flag, a `calendar_dates.txt`
///   exception (holidays, closing days).
public enum GTFSFlexFeed {
    /// Minutes of notice a municipality without booking rules asks for: none (the booking desk
    /// takes a booking any time before the trip).
    public static let defaultNoticeMinutes = 0
    /// Every file a feed may hold (a folder written before may hold ones this feed has not).
    public static let fileNames = ["agency.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt", "calendar_dates.txt", "booking_rules.txt",
                                   "locations.geojson", "stops.txt", "location_groups.txt", "location_group_stops.txt", "feed_info.txt"]
    /// Longest range a feed covers.
    public static let maxDays = 3_660

    /// The default range: `today` to `today` + the longest booking horizon of the zone.
    public static func defaultRange(zone: ZoneFile, today: ServiceDate) -> (from: ServiceDate, until: ServiceDate) {
        let horizon = zone.municipalities.map { horizonDays(zone, $0) }.max() ?? horizonDays(zone, nil)
        return (today, ServiceDate(dayNumber: today.dayNumber + horizon))
    }

    static func horizonDays(_ zone: ZoneFile, _ m: ZoneFile.Municipality?) -> Int {
        m?.booking?.horizonDays ?? zone.bookingHorizonDays ?? ZoneFile.defaultBookingHorizonDays
    }

    /// The feed's files for service from `from` to `until` (inclusive).
    /// - Throws: `ZoneFileError` (at `path`) when the zone lacks what GTFS requires (the agency).
    /// - Complexity: O(days × municipalities + boundary points²) (ring nesting is pairwise).
    public static func files(zone: ZoneFile, path: String, from: ServiceDate, until: ServiceDate) throws -> [String: [UInt8]] {
        precondition(from <= until, "the range starts after it ends")
        guard let agency = zone.agency else {
            throw ZoneFileError(path: path, field: "agency",
                                reason: "is missing: a GTFS feed names its operator; add \"agency\": {\"name\": …, \"url\": \"https://…\"} to the zone file")
        }
        guard agency.url.hasPrefix("https://") || agency.url.hasPrefix("http://"), agency.url.count > 8 else {
            throw ZoneFileError(path: path, field: "agency.url", reason: "'\(agency.url)' is not a web address (http:// or https://…)")
        }
        guard !agency.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ZoneFileError(path: path, field: "agency.name", reason: "is empty")
        }
        let japanese = (agency.language ?? "").lowercased().hasPrefix("ja")
        let language = agency.language ?? "en"
        func name(_ m: ZoneFile.Municipality) -> String { japanese ? m.localName : m.name }
        let calendar = ZoneCalendar(file: zone)
        let stopsByID = Dictionary(zone.stops.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let municipalityByID = Dictionary(zone.municipalities.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })

        var files: [String: [UInt8]] = [:]
        func csv(_ name: String, _ rows: [[String]]) { files[name] = Array(CSV.plainDocument(rows).utf8) }

        csv("agency.txt", [["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang", "agency_phone"],
                           [agencyID, agency.name, agency.url, zone.timeZone, agency.language ?? "", agency.phone ?? ""]])

        // Booking rules first: trips and stop times refer to them.
        var ruleRows: [[String]] = [["booking_rule_id", "booking_type", "prior_notice_duration_min", "prior_notice_last_day", "prior_notice_last_time",
                                     "prior_notice_start_day", "prior_notice_start_time", "message", "phone_number", "info_url"]]
        var routes: [[String]] = [["route_id", "agency_id", "route_short_name", "route_long_name", "route_desc", "route_type"]]
        var trips: [[String]] = [["route_id", "service_id", "trip_id"]]
        var stopTimes: [[String]] = [["trip_id", "location_group_id", "location_id", "stop_sequence", "start_pickup_drop_off_window",
                                      "end_pickup_drop_off_window", "pickup_type", "drop_off_type", "pickup_booking_rule_id", "drop_off_booking_rule_id"]]
        var usedGroups: [(id: String, name: String, stops: [String])] = []

        for (i, m) in zone.municipalities.enumerated() {
            let field = "municipalities[\(i)]"
            guard let start = TimeText.seconds(ofClock: m.serviceHours.start), let end = TimeText.seconds(ofClock: m.serviceHours.end), start < end else {
                throw ZoneFileError(path: path, field: "\(field).service_hours", reason: "is not a range of HH:MM:SS times")
            }
            let booking = m.booking ?? ZoneFile.BookingRules()
            let horizon = horizonDays(zone, m)
            let notice = booking.minNoticeMinutes ?? defaultNoticeMinutes
            let phone = booking.phone ?? agency.phone ?? ""
            // The day's parts: (suffix, pickup window, drop-off window, rule).
            var parts: [(suffix: String, pickup: ClosedRange<Int>, dropOff: ClosedRange<Int>, rule: String)] = []
            let sameDayRule = m.id + "-same-day"
            // The zone file's message, or one made from the rules (with "by phone only" for
            // operator-only services: GTFS has no field for who may book).
            let phoneOnly = booking.operatorOnly == true
                ? (japanese ? "予約は電話でのみ受け付けます。" : " Bookings by phone only.") : ""
            func text(_ made: String) -> String { booking.message ?? (made + phoneOnly) }
            func addSameDay(_ message: String) {
                ruleRows.append([sameDayRule, "1", String(notice), "", "", String(horizon), "00:00:00", text(message), phone, agency.url])
            }
            if let cutoff = booking.cutoff, cutoff.daysBefore >= 1 {
                guard let bookBy = TimeText.seconds(ofClock: cutoff.bookBy) else {
                    throw ZoneFileError(path: path, field: "\(field).booking.cutoff.book_by", reason: "'\(cutoff.bookBy)' is not a time HH:MM:SS or HH:MM")
                }
                guard horizon >= cutoff.daysBefore else {
                    throw ZoneFileError(path: path, field: "\(field).booking.horizon_days",
                                        reason: "(\(horizon)) is shorter than cutoff.days_before (\(cutoff.daysBefore)): no trip could be booked")
                }
                let before = try cutoff.tripsBefore.map { text -> Int in
                    guard let t = TimeText.seconds(ofClock: text) else {
                        throw ZoneFileError(path: path, field: "\(field).booking.cutoff.trips_before", reason: "'\(text)' is not a time HH:MM:SS or HH:MM")
                    }
                    return t
                } ?? (end + 1)
                let priorRule = m.id + "-prior-day"
                let byText = TimeText.clock(bookBy)
                if before > start {
                    let scope = before > end ? (japanese ? "すべての便" : "every trip")
                        : (japanese ? "\(TimeText.clockMinutes(before))より前の便" : "trips before \(TimeText.clockMinutes(before))")
                    let message = japanese
                        ? "\(name(m))の住民の方の予約制デマンドタクシーです。\(scope)は\(cutoff.daysBefore)日前の\(TimeText.clockMinutes(bookBy))までに電話でご予約ください。"
                        : "Demand taxi for residents of \(name(m)): book \(scope) by \(TimeText.clockMinutes(bookBy)) \(cutoff.daysBefore == 1 ? "the day before" : "\(cutoff.daysBefore) days before")."
                    ruleRows.append([priorRule, "2", "", String(cutoff.daysBefore), byText, String(horizon), "00:00:00", text(message), phone, agency.url])
                    parts.append((before > end ? "" : "-before-\(compactClock(before))", start...min(before, end), start...end, priorRule))
                }
                if before <= end {
                    addSameDay(sameDayMessage(m: name(m), notice: notice, japanese: japanese))
                    let from = max(before, start)
                    parts.append((before > start ? "-from-\(compactClock(from))" : "", from...end, from...end, sameDayRule))
                }
            } else {
                var message = sameDayMessage(m: name(m), notice: notice, japanese: japanese)
                if let cutoff = booking.cutoff {
                    // A same-day cut-off (book by a time of the trip's own day) has no field in GTFS:
                    // the booking rule says it in words.
                    let scope = cutoff.tripsBefore.map { japanese ? "\($0.prefix(5))より前の便" : "trips before \($0.prefix(5))" }
                        ?? (japanese ? "すべての便" : "every trip")
                    message += japanese ? "\(scope)は当日\(cutoff.bookBy.prefix(5))までにご予約ください。" : " Book \(scope) by \(cutoff.bookBy.prefix(5)) the same day."
                }
                addSameDay(message)
                parts.append(("", start...end, start...end, sameDayRule))
            }

            routes.append([m.id, agencyID, "", japanese ? "\(name(m)) デマンドタクシー" : "\(name(m)) demand taxi",
                           japanese ? "\(name(m))の住民の方が予約して乗る乗合タクシー" : "Shared taxi booked in advance by residents of \(name(m))", "3"])

            // Where residents may travel (see ZoneRules): each set of places is one trip (per part).
            var placeSets: [(suffix: String, areas: [String], group: String?)] = []
            if let rules = zone.rules {
                let outside = (rules.outsideDestinations?[m.id] ?? []).filter { stopsByID[$0] != nil }
                var group: String?
                if !outside.isEmpty {
                    let id = "group:" + m.id + ":outside"
                    usedGroups.append((id, japanese ? "\(name(m))の住民が行ける町外の行き先" : "Destinations outside \(name(m)) open to its residents", outside))
                    group = id
                }
                placeSets.append(("-local", [m.id], group))
                for (k, agreement) in (rules.agreements ?? []).enumerated() {
                    let forResident = agreement.residentsOf.map { $0.contains(m.id) } ?? agreement.between.contains(m.id)
                    guard forResident, agreement.between.allSatisfy({ municipalityByID[$0] != nil }) else { continue }
                    var areas: [String] = []
                    for a in agreement.between where !areas.contains(a) { areas.append(a) }
                    placeSets.append(("-agreement-\(k + 1)", areas, nil))
                }
            } else {
                placeSets.append(("", [m.id] + zone.municipalities.map(\.id).filter { $0 != m.id }, nil))
            }
            for set in placeSets {
                for part in parts {
                    let trip = m.id + set.suffix + part.suffix
                    trips.append([m.id, serviceID(m), trip])
                    let places: [(group: String, location: String)] = set.areas.map { ("", locationID($0)) } + (set.group.map { [($0, "")] } ?? [])
                    var sequence = 0
                    for (pickup, window) in [(true, part.pickup), (false, part.dropOff)] {
                        for place in places {
                            sequence += 1
                            stopTimes.append([trip, place.group, place.location, String(sequence), TimeText.clock(window.lowerBound), TimeText.clock(window.upperBound),
                                              pickup ? "2" : "1", pickup ? "1" : "2", pickup ? part.rule : "", pickup ? "" : part.rule])
                        }
                    }
                }
            }
        }
        csv("routes.txt", routes)
        csv("trips.txt", trips)
        // The location_group_id column only when a trip uses a group.
        csv("stop_times.txt", usedGroups.isEmpty ? stopTimes.map { row in row.enumerated().filter { $0.offset != 1 }.map(\.element) } : stopTimes)
        csv("booking_rules.txt", ruleRows)

        // Calendar: weekly flags from service_days, and the dates where ZoneCalendar says otherwise.
        var calendarRows: [[String]] = [["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "start_date", "end_date"]]
        var exceptionRows: [[String]] = [["service_id", "date", "exception_type"]]
        for (i, m) in zone.municipalities.enumerated() {
            let kinds = Set((m.serviceDays ?? ZoneFile.DayKind.allCases.map(\.rawValue)).compactMap(ZoneFile.DayKind.init(rawValue:)))
            // Index = JapaneseHolidays.weekday (0 Sunday … 6 Saturday).
            let weekly = (0...6).map { d in kinds.contains(d == 0 ? .sundayHoliday : d == 6 ? .saturday : .weekday) }
            calendarRows.append([serviceID(m)] + [1, 2, 3, 4, 5, 6, 0].map { weekly[$0] ? "1" : "0" } + [compactDate(from), compactDate(until)])
            for day in from.dayNumber...until.dayNumber {
                let date = ServiceDate(dayNumber: day)
                let flagged = weekly[JapaneseHolidays.weekday(date)], served = calendar.hasService(municipality: i, on: date)
                if flagged != served { exceptionRows.append([serviceID(m), compactDate(date), served ? "1" : "2"]) }
            }
        }
        csv("calendar.txt", calendarRows)
        if exceptionRows.count > 1 { csv("calendar_dates.txt", exceptionRows) }

        // Areas.
        var features: [JSONValue] = []
        for (i, m) in zone.municipalities.enumerated() {
            let polygons = self.polygons(rings: m.boundary)
            guard !polygons.isEmpty else { throw ZoneFileError(path: path, field: "municipalities[\(i)].boundary", reason: "has no closed ring") }
            func ring(_ r: [[Double]]) -> JSONValue { .array(r.map { .array($0.map(JSONValue.number)) }) }
            func polygon(_ p: [[[Double]]]) -> JSONValue { .array(p.map(ring)) }
            let geometry: JSONValue = polygons.count == 1
                ? ["type": "Polygon", "coordinates": polygon(polygons[0])]
                : ["type": "MultiPolygon", "coordinates": .array(polygons.map(polygon))]
            features.append(["type": "Feature", "id": .string(locationID(m.id)), "geometry": geometry,
                             "properties": ["stop_name": .string(name(m)),
                                            "stop_desc": .string(japanese ? "\(name(m))のデマンドタクシーの乗降区域（区域内のどこでも）" : "Demand taxi area of \(name(m)): any point inside")]])
        }
        files["locations.geojson"] = (["type": "FeatureCollection", "features": .array(features)] as JSONValue).bytes + [0x0A]

        // Stops only as members of the outside-destination groups. stops.txt is optional when
        // locations.geojson exists, but some readers still insist on it: without groups it is
        // written with its header only.
        var stopIDs: [String] = []
        for g in usedGroups { for s in g.stops where !stopIDs.contains(s) { stopIDs.append(s) } }
        csv("stops.txt", [["stop_id", "stop_name", "stop_lat", "stop_lon"]] + stopIDs.map { id in
            let s = stopsByID[id]!
            return [id, japanese ? s.localName : s.name, String(s.position[1]), String(s.position[0])]
        })
        if !usedGroups.isEmpty {
            csv("location_groups.txt", [["location_group_id", "location_group_name"]] + usedGroups.map { [$0.id, $0.name] })
            csv("location_group_stops.txt", [["location_group_id", "stop_id"]] + usedGroups.flatMap { g in g.stops.map { [g.id, $0] } })
        }

        let digest = sha256Hex(Array(((try? encodeJSON(zone, pretty: false)) ?? "").utf8)).prefix(8)
        csv("feed_info.txt", [["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date", "feed_end_date", "feed_version", "feed_contact_url"],
                              [agency.name, agency.url, language, compactDate(from), compactDate(until), "\(compactDate(from))-\(compactDate(until))-\(digest)",
                               agency.url]])
        return files
    }

    static let agencyID = "agency"
    static func serviceID(_ m: ZoneFile.Municipality) -> String { m.id }
    /// Ids of areas are prefixed: GTFS wants them unique across stops, areas and groups.
    static func locationID(_ municipality: String) -> String { "area:" + municipality }

    static func sameDayMessage(m: String, notice: Int, japanese: Bool) -> String {
        if japanese {
            return notice > 0 ? "\(m)の住民の方の予約制デマンドタクシーです。乗車の\(notice)分前までにご予約ください。"
                : "\(m)の住民の方の予約制デマンドタクシーです。乗車時刻の前までにご予約ください。"
        }
        return notice > 0 ? "Demand taxi for residents of \(m): book at least \(notice) minutes before the trip."
            : "Demand taxi for residents of \(m): book any time before the trip."
    }

    /// GTFS dates are `YYYYMMDD`.
    static func compactDate(_ d: ServiceDate) -> String { d.description.replacingOccurrences(of: "-", with: "") }
    static func compactClock(_ seconds: Int) -> String { TimeText.clockMinutes(seconds).replacingOccurrences(of: ":", with: "") }

    /// Rings with even-odd semantics (the zone file's boundaries) as polygons valid by the OGC
    /// Simple Features rules that `locations.geojson` asks for: a ring inside an even number of
    /// others is a shell, one inside an odd number a hole of the smallest ring around it. Shells
    /// run counterclockwise and holes clockwise (RFC 7946 §3.1.6). Rings must not cross (the zone
    /// file's boundaries do not); rings that are not closed or have fewer than 4 points are left out.
    /// - Complexity: O(r² · p) for r rings of p points.
    public static func polygons(rings input: [[[Double]]]) -> [[[[Double]]]] {
        let rings = input.filter { $0.count >= 4 && $0.first == $0.last && $0.allSatisfy { $0.count >= 2 } }
        guard !rings.isEmpty else { return [] }
        func area(_ r: [[Double]]) -> Double {
            var a = 0.0
            for (p, q) in zip(r, r.dropFirst()) { a += p[0] * q[1] - q[0] * p[1] }
            return a / 2
        }
        func contains(_ r: [[Double]], _ x: Double, _ y: Double) -> Bool {
            var inside = false
            var j = r.count - 1
            for i in r.indices {
                let (xi, yi, xj, yj) = (r[i][0], r[i][1], r[j][0], r[j][1])
                if (yi > y) != (yj > y), x < (xj - xi) * (y - yi) / (yj - yi) + xi { inside.toggle() }
                j = i
            }
            return inside
        }
        // a lies inside b when most of its points do (rings that touch share a few points).
        func inside(_ a: Int, _ b: Int) -> Bool {
            guard a != b else { return false }
            let points = rings[a].dropLast()
            return points.filter { contains(rings[b], $0[0], $0[1]) }.count * 2 > points.count
        }
        let containers = rings.indices.map { a in rings.indices.filter { inside(a, $0) } }
        var shells: [Int: [[[Double]]]] = [:]
        var order: [Int] = []
        func oriented(_ r: [[Double]], counterclockwise: Bool) -> [[Double]] { (area(r) > 0) == counterclockwise ? r : r.reversed() }
        for a in rings.indices where containers[a].count % 2 == 0 {
            shells[a] = [oriented(rings[a], counterclockwise: true)]
            order.append(a)
        }
        for a in rings.indices where containers[a].count % 2 == 1 {
            // The parent is the container with the most containers of its own (the innermost).
            let parent = containers[a].max { containers[$0].count < containers[$1].count }!
            shells[parent, default: []].append(oriented(rings[a], counterclockwise: false))
        }
        return order.map { shells[$0]! }
    }
}
