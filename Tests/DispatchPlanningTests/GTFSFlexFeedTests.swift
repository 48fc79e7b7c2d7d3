import DispatchPlanning
import DispatchWire
import Foundation
import RoadNetwork
import Testing

/// A feed's tables read back as a consumer would (RFC 4180, header row).
struct GTFSTables {
    let files: [String: [UInt8]]

    func rows(_ name: String) -> [[String: String]] {
        guard let bytes = files[name] else { return [] }
        let lines = Self.parse(String(decoding: bytes, as: UTF8.self))
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0 + Array(repeating: "", count: max(0, header.count - $0.count)))) }
    }

    func header(_ name: String) -> [String] { files[name].map { Self.parse(String(decoding: $0, as: UTF8.self)).first ?? [] } ?? [] }

    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false, wasQuoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { cell.unicodeScalars.append(c); chars.removeFirst() } else { quoted = false }
                } else { cell.unicodeScalars.append(c) }
            } else if c == "\"" && cell.isEmpty && !wasQuoted {
                quoted = true
                wasQuoted = true
            } else if c == "," {
                row.append(cell); cell = ""; wasQuoted = false
            } else if c == "\n" {
                row.append(cell); rows.append(row); row = []; cell = ""; wasQuoted = false
            } else if c != "\r" {
                cell.unicodeScalars.append(c)
            }
        }
        if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
        return rows
    }

    /// The features of locations.geojson.
    func features() throws -> [[String: Any]] {
        let bytes = try #require(files["locations.geojson"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(json["type"] as? String == "FeatureCollection")
        return try #require(json["features"] as? [[String: Any]])
    }
}

@Suite struct GTFSFlexFeedTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let agency = ZoneFile.Agency(name: "Valley Demand Taxi, Inc.", url: "https://valley.example/taxi", phone: "+81-261-00-0000", language: "en")

    static func zone(agency: ZoneFile.Agency? = agency) throws -> ZoneFile {
        var file = try ZoneFile.load(path: root.appendingPathComponent("Networks/default-zone.zone.json").path)
        file.agency = agency
        file.calendar = nil
        file.rules = nil
        for i in file.municipalities.indices {
            file.municipalities[i].serviceDays = nil
            file.municipalities[i].booking = nil
        }
        return file
    }

    static func date(_ text: String) -> ServiceDate { ServiceDate(parsing: text)! }

    static func feed(_ zone: ZoneFile, _ from: String = "2026-11-01", _ until: String = "2027-01-31") throws -> GTFSTables {
        GTFSTables(files: try GTFSFlexFeed.files(zone: zone, path: "test.zone.json", from: date(from), until: date(until)))
    }

    /// Every check a consumer makes of presence, form and references (GTFS Schedule Reference).
    static func checkStructure(_ feed: GTFSTables) throws {
        for name in ["agency.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt", "booking_rules.txt", "locations.geojson", "feed_info.txt"] {
            #expect(feed.files[name] != nil, "\(name) is missing")
        }
        for (name, bytes) in feed.files {
            #expect(Array(bytes.prefix(3)) != [0xEF, 0xBB, 0xBF], "\(name) starts with a byte-order mark")
            #expect(String(validating: bytes, as: UTF8.self) != nil, "\(name) is not UTF-8")
        }
        let required: [String: [String]] = [
            "agency.txt": ["agency_name", "agency_url", "agency_timezone"],
            "routes.txt": ["route_id", "route_type"],
            "trips.txt": ["route_id", "service_id", "trip_id"],
            "stop_times.txt": ["trip_id", "stop_sequence", "start_pickup_drop_off_window", "end_pickup_drop_off_window", "pickup_type", "drop_off_type"],
            "calendar.txt": ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "start_date", "end_date"],
            "calendar_dates.txt": ["service_id", "date", "exception_type"],
            "booking_rules.txt": ["booking_rule_id", "booking_type"],
            "feed_info.txt": ["feed_publisher_name", "feed_publisher_url", "feed_lang"],
            "stops.txt": ["stop_id", "stop_name", "stop_lat", "stop_lon"],
            "location_groups.txt": ["location_group_id"],
            "location_group_stops.txt": ["location_group_id", "stop_id"],
        ]
        for (name, fields) in required where feed.files[name] != nil {
            for row in feed.rows(name) { for f in fields { #expect(!(row[f] ?? "").isEmpty, "\(name): \(f) is empty in \(row)") } }
        }
        #expect(feed.rows("feed_info.txt").count == 1)
        let agencyIDs = Set(feed.rows("agency.txt").compactMap { $0["agency_id"] })
        let routeIDs = Set(feed.rows("routes.txt").map { $0["route_id"]! })
        let serviceIDs = Set(feed.rows("calendar.txt").map { $0["service_id"]! } + feed.rows("calendar_dates.txt").map { $0["service_id"]! })
        let tripIDs = Set(feed.rows("trips.txt").map { $0["trip_id"]! })
        let ruleIDs = Set(feed.rows("booking_rules.txt").map { $0["booking_rule_id"]! })
        let stopIDs = Set(feed.rows("stops.txt").map { $0["stop_id"]! })
        let groupIDs = Set(feed.rows("location_groups.txt").map { $0["location_group_id"]! })
        let locationIDs = try feed.features().map { try #require($0["id"] as? String) }
        #expect(Set(locationIDs).count == locationIDs.count, "locations.geojson ids repeat")
        #expect(Set(locationIDs).isDisjoint(with: stopIDs) && Set(locationIDs).isDisjoint(with: groupIDs) && stopIDs.isDisjoint(with: groupIDs))
        #expect(routeIDs.count == feed.rows("routes.txt").count && tripIDs.count == feed.rows("trips.txt").count)
        for r in feed.rows("routes.txt") {
            #expect(agencyIDs.contains(r["agency_id"]!))
            #expect(!(r["route_short_name"] ?? "").isEmpty || !(r["route_long_name"] ?? "").isEmpty)
        }
        for t in feed.rows("trips.txt") {
            #expect(routeIDs.contains(t["route_id"]!), "trip \(t["trip_id"]!): route \(t["route_id"]!)")
            #expect(serviceIDs.contains(t["service_id"]!), "trip \(t["trip_id"]!): service \(t["service_id"]!)")
        }
        let clock = #/^([01][0-9]|2[0-4]):[0-5][0-9]:[0-5][0-9]$/#
        var keys = Set<String>(), tripsWithTimes = Set<String>()
        for s in feed.rows("stop_times.txt") {
            let trip = s["trip_id"]!
            tripsWithTimes.insert(trip)
            #expect(tripIDs.contains(trip), "stop time of unknown trip \(trip)")
            #expect(keys.insert(trip + "#" + s["stop_sequence"]!).inserted, "trip \(trip) repeats stop_sequence \(s["stop_sequence"]!)")
            let location = s["location_id"] ?? "", group = s["location_group_id"] ?? "", stop = s["stop_id"] ?? ""
            #expect([location, group, stop].filter { !$0.isEmpty }.count == 1, "one of location_id, location_group_id, stop_id: \(s)")
            if !location.isEmpty { #expect(locationIDs.contains(location), "unknown location \(location)") }
            if !group.isEmpty { #expect(groupIDs.contains(group), "unknown location group \(group)") }
            let start = s["start_pickup_drop_off_window"]!, end = s["end_pickup_drop_off_window"]!
            #expect(start.wholeMatch(of: clock) != nil && end.wholeMatch(of: clock) != nil, "windows \(start)–\(end)")
            #expect(TimeText.seconds(ofClock: start)! < TimeText.seconds(ofClock: end)!)
            #expect((s["arrival_time"] ?? "").isEmpty && (s["departure_time"] ?? "").isEmpty, "times are forbidden with windows")
            #expect(["1", "2"].contains(s["pickup_type"]!) && ["1", "2"].contains(s["drop_off_type"]!), "types 0 and 3 are forbidden with windows")
            #expect(s["pickup_type"] == "2" || s["drop_off_type"] == "2", "a record that allows neither pickup nor drop-off")
            for (type, rule) in [("pickup_type", "pickup_booking_rule_id"), ("drop_off_type", "drop_off_booking_rule_id")] {
                let id = s[rule] ?? ""
                if s[type] == "2" { #expect(ruleIDs.contains(id), "\(rule) '\(id)' of \(trip)") } else { #expect(id.isEmpty) }
            }
        }
        #expect(tripsWithTimes == tripIDs, "trips without stop times")
        for g in feed.rows("location_group_stops.txt") { #expect(groupIDs.contains(g["location_group_id"]!) && stopIDs.contains(g["stop_id"]!)) }
        for r in feed.rows("booking_rules.txt") {
            switch r["booking_type"] {
            case "1":
                #expect(Int(r["prior_notice_duration_min"] ?? "") != nil && (r["prior_notice_last_day"] ?? "").isEmpty && (r["prior_notice_last_time"] ?? "").isEmpty)
            case "2":
                #expect((r["prior_notice_duration_min"] ?? "").isEmpty && Int(r["prior_notice_last_day"] ?? "") != nil)
                #expect(r["prior_notice_last_time"]!.wholeMatch(of: clock) != nil)
            default: Issue.record("booking_type \(r["booking_type"] ?? "") of \(r)")
            }
            #expect((r["prior_notice_start_day"] ?? "").isEmpty == (r["prior_notice_start_time"] ?? "").isEmpty)
        }
        let dates = #/^[0-9]{8}$/#
        for c in feed.rows("calendar.txt") {
            #expect(c["start_date"]!.wholeMatch(of: dates) != nil && c["start_date"]! <= c["end_date"]!)
            for day in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] { #expect(["0", "1"].contains(c[day]!)) }
        }
        var exceptionKeys = Set<String>()
        for e in feed.rows("calendar_dates.txt") {
            #expect(["1", "2"].contains(e["exception_type"]!) && e["date"]!.wholeMatch(of: dates) != nil)
            #expect(exceptionKeys.insert(e["service_id"]! + e["date"]!).inserted, "a date given twice for a service")
        }
        for f in try feed.features() {
            #expect(f["type"] as? String == "Feature")
            let properties = try #require(f["properties"] as? [String: Any])
            #expect(!((properties["stop_name"] as? String) ?? "").isEmpty)
            let geometry = try #require(f["geometry"] as? [String: Any])
            let polygons: [[[[Double]]]]
            switch geometry["type"] as? String {
            case "Polygon": polygons = [try #require(geometry["coordinates"] as? [[[Double]]])]
            case "MultiPolygon": polygons = try #require(geometry["coordinates"] as? [[[[Double]]]])
            default: Issue.record("geometry \(geometry["type"] ?? "none")"); continue
            }
            for polygon in polygons {
                #expect(!polygon.isEmpty)
                for ring in polygon {
                    #expect(ring.count >= 4 && ring.first == ring.last, "ring not closed")
                    #expect(ring.allSatisfy { $0.count == 2 && (-180...180).contains($0[0]) && (-90...90).contains($0[1]) })
                }
            }
        }
    }

    @Test func theFeedHasTheSpecsRequiredFilesAndFieldsAndEveryReferenceResolves() throws {
        let zone = try Self.zone()
        let feed = try Self.feed(zone)
        try Self.checkStructure(feed)
        #expect(feed.rows("routes.txt").map { $0["route_id"]! } == zone.municipalities.map(\.id))
        #expect(feed.rows("routes.txt").allSatisfy { $0["route_type"] == "3" })
        let agency = try #require(feed.rows("agency.txt").first)
        #expect(agency["agency_name"] == Self.agency.name && agency["agency_timezone"] == zone.timeZone && agency["agency_lang"] == "en")
        #expect(agency["agency_phone"] == "+81-261-00-0000", "a phone number is written as it is, not neutralized for spreadsheets")
        #expect(String(decoding: feed.files["agency.txt"]!, as: UTF8.self).contains("\"Valley Demand Taxi, Inc.\""))
        let info = try #require(feed.rows("feed_info.txt").first)
        #expect(info["feed_start_date"] == "20261101" && info["feed_end_date"] == "20270131" && info["feed_lang"] == "en")
        #expect(info["feed_publisher_name"] == Self.agency.name && !(info["feed_version"] ?? "").isEmpty)
        // The same zone and range make the same bytes.
        #expect(try Self.feed(zone).files == feed.files)
        // Without cross-border rules a resident may travel anywhere in the zone: each trip picks up
        // and sets down in every area, pickups first; windows are the resident's service hours.
        let areas = try feed.features().map { $0["id"] as! String }
        for (m, municipality) in zone.municipalities.enumerated() {
            let times = feed.rows("stop_times.txt").filter { $0["trip_id"] == municipality.id }
            #expect(times.count == 2 * zone.municipalities.count)
            let pickups = times.filter { $0["pickup_type"] == "2" }, dropOffs = times.filter { $0["drop_off_type"] == "2" }
            #expect(Set(pickups.map { $0["location_id"]! }) == Set(areas) && Set(dropOffs.map { $0["location_id"]! }) == Set(areas))
            #expect(pickups.map { Int($0["stop_sequence"]!)! }.max()! < dropOffs.map { Int($0["stop_sequence"]!)! }.min()!)
            let hours = zone.municipalities[m].serviceHours
            #expect(times.allSatisfy { TimeText.seconds(ofClock: $0["start_pickup_drop_off_window"]!) == TimeText.seconds(ofClock: hours.start)
                && TimeText.seconds(ofClock: $0["end_pickup_drop_off_window"]!) == TimeText.seconds(ofClock: hours.end) })
        }
    }

    @Test func holidaysAndClosingDaysAreCalendarExceptionsExactlyWhereTheZoneCalendarSays() throws {
        var zone = try Self.zone()
        zone.municipalities[0].serviceDays = ["weekday", "saturday"]
        zone.municipalities[1].serviceDays = ["sunday_holiday"]
        zone.calendar = .init(holidays: "japan", closingDays: [.init(from: "12-29", until: "01-03", name: "New Year")])
        let feed = try Self.feed(zone)
        try Self.checkStructure(feed)
        let a = zone.municipalities[0].id, b = zone.municipalities[1].id, c = zone.municipalities[2].id
        func exceptions(_ service: String) -> [String: String] {
            Dictionary(uniqueKeysWithValues: feed.rows("calendar_dates.txt").filter { $0["service_id"] == service }.map { ($0["date"]!, $0["exception_type"]!) })
        }
        let calendar = Dictionary(uniqueKeysWithValues: feed.rows("calendar.txt").map { ($0["service_id"]!, $0) })
        #expect(calendar[a]?["monday"] == "1" && calendar[a]?["saturday"] == "1" && calendar[a]?["sunday"] == "0")
        #expect(calendar[b]?["monday"] == "0" && calendar[b]?["saturday"] == "0" && calendar[b]?["sunday"] == "1")
        #expect(calendar[c]?["monday"] == "1" && calendar[c]?["sunday"] == "1")
        // Culture Day (Tue 2026-11-03), Labour Thanksgiving (Mon 2026-11-23), Coming of Age (Mon 2027-01-11).
        for holiday in ["20261103", "20261123", "20270111"] {
            #expect(exceptions(a)[holiday] == "2", "no weekday service on the holiday \(holiday)")
            #expect(exceptions(b)[holiday] == "1", "Sunday-and-holiday service on the holiday \(holiday)")
            #expect(exceptions(c)[holiday] == nil, "service every kind of day: the holiday changes nothing")
        }
        // The New Year closing: Tue 12-29 … Sat 01-02 removed where the week has service, Sun 01-03 too for b and c.
        for day in ["20261229", "20261230", "20261231", "20270102"] {
            #expect(exceptions(a)[day] == "2" && exceptions(c)[day] == "2" && exceptions(b)[day] == nil)
        }
        #expect(exceptions(a)["20270101"] == "2" && exceptions(b)["20270101"] == nil, "New Year's Day is a holiday inside the closing")
        #expect(exceptions(a)["20270103"] == nil && exceptions(b)["20270103"] == "2" && exceptions(c)["20270103"] == "2")
        #expect(exceptions(a)["20261201"] == nil && exceptions(b)["20261206"] == nil, "an ordinary Tuesday and Sunday need no exception")
        // Every date of the range: the weekly flag with its exception is what the booking desk's calendar says.
        let zoneCalendar = ZoneCalendar(file: zone)
        let columns = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
        for (i, m) in zone.municipalities.enumerated() {
            let ex = exceptions(m.id)
            for day in Self.date("2026-11-01").dayNumber...Self.date("2027-01-31").dayNumber {
                let date = ServiceDate(dayNumber: day), key = date.description.replacingOccurrences(of: "-", with: "")
                let weekly = calendar[m.id]![columns[JapaneseHolidays.weekday(date)]] == "1"
                let published = ex[key].map { $0 == "1" } ?? weekly
                #expect(published == zoneCalendar.hasService(municipality: i, on: date), "\(m.id) on \(date)")
            }
        }
    }

    @Test func aCutOffRuleGivesPriorDayBookingForTheEarlyTripsAndSameDayNoticeForTheRest() throws {
        var zone = try Self.zone()
        let cut = zone.municipalities[1].id, plain = zone.municipalities[2].id, all = zone.municipalities[3].id
        var rules = ZoneFile.BookingRules(horizonDays: 14, cutoff: .init(tripsBefore: "10:00", bookBy: "17:00", daysBefore: 1), minNoticeMinutes: 30,
                                          phone: "0261-00-1111", message: nil)
        zone.municipalities[1].booking = rules
        rules.cutoff = .init(tripsBefore: nil, bookBy: "16:30", daysBefore: 2)
        rules.message = "Call the desk, please."
        zone.municipalities[3].booking = rules
        zone.municipalities[4].booking = .init(operatorOnly: true)
        let feed = try Self.feed(zone)
        try Self.checkStructure(feed)
        let booking = Dictionary(uniqueKeysWithValues: feed.rows("booking_rules.txt").map { ($0["booking_rule_id"]!, $0) })
        func pickupRules(of trip: String) -> (pickup: Set<String>, windows: Set<String>) {
            let rows = feed.rows("stop_times.txt").filter { $0["trip_id"] == trip && $0["pickup_type"] == "2" }
            return (Set(rows.map { $0["pickup_booking_rule_id"]! }), Set(rows.map { $0["start_pickup_drop_off_window"]! + "-" + $0["end_pickup_drop_off_window"]! }))
        }
        let cutTrips = feed.rows("trips.txt").filter { $0["route_id"] == cut }.map { $0["trip_id"]! }
        #expect(cutTrips.count == 2, "the day splits at 10:00: \(cutTrips)")
        let hours = zone.municipalities[1].serviceHours
        var kinds: [String: String] = [:]
        for trip in cutTrips {
            let (ids, windows) = pickupRules(of: trip)
            #expect(ids.count == 1 && windows.count == 1)
            let rule = try #require(booking[ids.first!])
            kinds[rule["booking_type"]!] = windows.first!
            if rule["booking_type"] == "2" {
                #expect(rule["prior_notice_last_day"] == "1" && rule["prior_notice_last_time"] == "17:00:00")
                #expect(rule["prior_notice_start_day"] == "14" && rule["prior_notice_start_time"] == "00:00:00")
            } else {
                #expect(rule["booking_type"] == "1" && rule["prior_notice_duration_min"] == "30" && rule["prior_notice_start_day"] == "14")
            }
            #expect(rule["phone_number"] == "0261-00-1111" && rule["info_url"] == Self.agency.url && !(rule["message"] ?? "").isEmpty)
        }
        #expect(kinds["2"] == "\(TimeText.clock(TimeText.seconds(ofClock: hours.start)!))-10:00:00")
        #expect(kinds["1"] == "10:00:00-\(TimeText.clock(TimeText.seconds(ofClock: hours.end)!))")
        // A cut-off for every trip: one trip, prior days only, the zone file's own message.
        let allTrips = feed.rows("trips.txt").filter { $0["route_id"] == all }.map { $0["trip_id"]! }
        #expect(allTrips.count == 1)
        let allID = try #require(pickupRules(of: allTrips[0]).pickup.first)
        let allRule = try #require(booking[allID])
        #expect(allRule["booking_type"] == "2" && allRule["prior_notice_last_day"] == "2" && allRule["prior_notice_last_time"] == "16:30:00")
        #expect(allRule["message"] == "Call the desk, please.")
        // Operators only: GTFS has no field for it, the message says so.
        let phoneOnlyID = try #require(pickupRules(of: zone.municipalities[4].id).pickup.first)
        #expect(booking[phoneOnlyID]?["message"]?.contains("by phone only") == true)
        #expect(booking[plain + "-same-day"]?["message"]?.contains("phone only") == false)
        // No rules: same-day booking, no notice (the desk's rule), the zone's horizon, the agency's phone.
        let plainID = try #require(pickupRules(of: plain).pickup.first)
        let plainRule = try #require(booking[plainID])
        #expect(plainRule["booking_type"] == "1" && plainRule["prior_notice_duration_min"] == String(GTFSFlexFeed.defaultNoticeMinutes))
        #expect(plainRule["prior_notice_start_day"] == String(zone.bookingHorizonDays ?? ZoneFile.defaultBookingHorizonDays))
        #expect(plainRule["phone_number"] == Self.agency.phone)
    }

    @Test func withCrossBorderRulesEachResidentsTripsReachExactlyWhatZoneRulesAllow() throws {
        var zone = try Self.zone()
        let kitazawa = "kitazawa-mura", hospital = "hanaoka-prefectural-hospital-hospital"
        zone.rules = ZoneFile.Rules(outsideDestinations: [kitazawa: [hospital]],
                                    agreements: [ZoneFile.Agreement(name: "Minamidani–Hanaoka", between: ["minamidani-machi", "hanaoka-shi"])])
        let feed = try Self.feed(zone)
        try Self.checkStructure(feed)
        #expect(feed.rows("stops.txt").map { $0["stop_id"]! } == [hospital])
        #expect(feed.rows("location_group_stops.txt").map { $0["stop_id"]! } == [hospital])
        let municipalityOfArea = Dictionary(uniqueKeysWithValues: try feed.features().map { f in
            let id = f["id"] as! String
            return (id, zone.municipalities.first { "area:" + $0.id == id }!.id)
        })
        let stops = Dictionary(uniqueKeysWithValues: zone.stops.map { ($0.id, $0.municipality) })
        let groupStops = Dictionary(grouping: feed.rows("location_group_stops.txt"), by: { $0["location_group_id"]! }).mapValues { $0.map { $0["stop_id"]! } }
        // (resident, from municipality, to municipality, stop at the outside end or nil) the feed allows.
        var published = Set<[String]>()
        let tripRoute = Dictionary(uniqueKeysWithValues: feed.rows("trips.txt").map { ($0["trip_id"]!, $0["route_id"]!) })
        for (trip, rows) in Dictionary(grouping: feed.rows("stop_times.txt"), by: { $0["trip_id"]! }) {
            func places(_ type: String) -> [(Int, String, String?)] {
                rows.filter { $0[type] == "2" }.flatMap { r -> [(Int, String, String?)] in
                    let seq = Int(r["stop_sequence"]!)!
                    if let area = municipalityOfArea[r["location_id"] ?? ""] { return [(seq, area, nil)] }
                    return (groupStops[r["location_group_id"] ?? ""] ?? []).map { (seq, stops[$0]!, $0) }
                }
            }
            for p in places("pickup_type") { for d in places("drop_off_type") where p.0 < d.0 {
                published.insert([tripRoute[trip]!, p.1, d.1, p.2 ?? d.2 ?? ""])
            } }
        }
        let rules = ZoneRules(zone: zone)
        let ids = zone.municipalities.map(\.id)
        for resident in ids { for from in ids { for to in ids {
            // Between areas (points that are no stop).
            let allowed = rules.violation(resident: resident, from: from, to: to, fromStop: nil, toStop: nil) == nil
            #expect(published.contains([resident, from, to, ""]) == allowed, "\(resident): \(from) → \(to)")
        } } }
        #expect(published.contains([kitazawa, kitazawa, "hanaoka-shi", hospital]) && published.contains([kitazawa, "hanaoka-shi", kitazawa, hospital]))
        #expect(rules.violation(resident: kitazawa, from: kitazawa, to: "hanaoka-shi", fromStop: nil, toStop: hospital) == nil)
    }

    @Test func ringsWithHolesIslandsAndExclavesBecomeValidPolygons() throws {
        func square(_ x: Double, _ y: Double, _ size: Double, clockwise: Bool = false) -> [[Double]] {
            let r = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
            return clockwise ? r.reversed() : r
        }
        // Outer (given clockwise), a lake in it, an island in the lake, and an exclave apart.
        let polygons = GTFSFlexFeed.polygons(rings: [square(0, 0, 10, clockwise: true), square(2, 2, 6), square(4, 4, 2), square(20, 0, 3), [[0, 0], [1, 1]]])
        #expect(polygons.count == 3)
        func signedArea(_ r: [[Double]]) -> Double { zip(r, r.dropFirst()).reduce(0) { $0 + $1.0[0] * $1.1[1] - $1.1[0] * $1.0[1] } / 2 }
        let withHole = try #require(polygons.first { $0.count == 2 })
        #expect(signedArea(withHole[0]) == 100 && signedArea(withHole[1]) == -36, "shell counterclockwise, hole clockwise")
        #expect(polygons.filter { $0.count == 1 }.map { signedArea($0[0]) }.sorted() == [4, 9])
        for polygon in polygons { for ring in polygon { #expect(ring.first == ring.last && ring.count >= 4) } }

        var zone = try Self.zone()
        zone.municipalities[0].boundary = [square(137.8, 36.5, 0.2), square(137.85, 36.55, 0.05), square(138.1, 36.5, 0.05)]
        let feed = try Self.feed(zone)
        try Self.checkStructure(feed)
        let feature = try #require(try feed.features().first { $0["id"] as? String == "area:" + zone.municipalities[0].id })
        let geometry = try #require(feature["geometry"] as? [String: Any])
        #expect(geometry["type"] as? String == "MultiPolygon")
        #expect((geometry["coordinates"] as? [[[[Double]]]])?.map(\.count).sorted() == [1, 2])
    }

    @Test func aZoneWithoutAgencyOrWithAnAddressThatIsNoURLIsRefusedNamingTheField() throws {
        #expect(throws: ZoneFileError.self) { try Self.feed(try Self.zone(agency: nil)) }
        do {
            _ = try Self.feed(try Self.zone(agency: nil))
        } catch let error as ZoneFileError {
            #expect(error.field == "agency" && error.description.contains("\"agency\": {\"name\""))
        }
        do {
            _ = try Self.feed(try Self.zone(agency: .init(name: "X", url: "valley.example")))
            Issue.record("an agency URL without http(s):// was accepted")
        } catch let error as ZoneFileError {
            #expect(error.field == "agency.url")
        }
    }

    @Test func japaneseAgenciesPublishTheLocalNames() throws {
        let zone = try Self.zone(agency: .init(name: "谷タクシー", url: "https://valley.example", language: "ja"))
        let feed = try Self.feed(zone, "2026-12-01", "2026-12-07")
        try Self.checkStructure(feed)
        #expect(try feed.features().map { ($0["properties"] as! [String: Any])["stop_name"] as! String } == zone.municipalities.map(\.localName))
        #expect(feed.rows("feed_info.txt").first?["feed_lang"] == "ja")
        #expect(feed.files["calendar_dates.txt"] == nil, "a week without holidays or closing days has no exceptions")
    }
}
