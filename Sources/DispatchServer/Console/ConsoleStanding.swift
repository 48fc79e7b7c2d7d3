import DispatchCore
import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RideRequestStore
import RoadNetwork

/// Standing bookings (a resident's weekly trips): the list, a new pattern (each date booked at
/// once through the same desk as `POST /v1/standing-bookings`), cancel.
extension Console {
    func registerStanding(on router: Router<ServerContext>) {
        let finder = StopFinder(zone: zone)
        router.get("/console/standing") { request, context in
            await guarded(request, context, roles: Console.bookingRoles) { page, _ in
                try await standingPage(page, form: [:], problems: [:])
            }
        }
        router.post("/console/standing") { request, context in
            await guarded(request, context, roles: Console.bookingRoles) { page, form in
                try await createStanding(page, form, finder: finder, logger: context.logger)
            }
        }
        router.post("/console/standing/{id}/cancel") { request, context in
            await guarded(request, context, roles: Console.bookingRoles) { page, _ in
                let key = page.session!.key, id = context.parameters.get("id") ?? ""
                guard id.count <= 64, let standing = try await store.standingBooking(id: id), api.visible(standing, to: key) else {
                    return page.error(.notFound, page.t("There is no standing booking \(id) you may see.", "定期予約 \(id) は見つかりません。"))
                }
                if standing.status == .active { _ = try await api.standingDesk.cancel(standing, actor: key.id, today: api.today()) }
                return ConsoleHTTP.redirect("/console/standing")
            }
        }
    }

    static let weekdayNames: [(String, String, String)] = [("mon", "Mon", "月"), ("tue", "Tue", "火"), ("wed", "Wed", "水"), ("thu", "Thu", "木"),
                                                           ("fri", "Fri", "金"), ("sat", "Sat", "土"), ("sun", "Sun", "日")]

    func createStanding(_ page: ConsolePage, _ form: [String: String], finder: StopFinder, logger: Logger) async throws -> Response {
        let key = page.session!.key
        var problems: [String: String] = [:]
        let municipality = key.role == .operator ? key.municipality : form["municipality"].flatMap { $0.isEmpty ? nil : $0 }
        let pickup = resolvePlace("pickup", text: form["pickup_text"] ?? "", stop: form["pickup_stop"] ?? "", municipality: municipality,
                                  finder: finder, page: page, problems: &problems)
        let dropoff = resolvePlace("dropoff", text: form["dropoff_text"] ?? "", stop: form["dropoff_stop"] ?? "", municipality: municipality,
                                   finder: finder, page: page, problems: &problems)
        var json: [String: JSONValue] = ["passenger_ref": .string(form["passenger_ref", default: ""].trimmingCharacters(in: .whitespaces)),
                                         "from": .string(form["from", default: ""]),
                                         form["time_kind"] == "arrival" ? "arrive_by" : "pickup_time": .string(form["time", default: ""]),
                                         "weekdays": .array(Self.weekdayNames.map(\.0).filter { form["weekday_\($0)"] != nil }.map(JSONValue.string)),
                                         "skip_holidays": .bool(form["skip_holidays"] != nil)]
        if let municipality { json["municipality"] = .string(municipality) }
        if let until = form["until"], !until.isEmpty { json["until"] = .string(until) }
        if let pickup { json["pickup"] = pickup }
        if let dropoff { json["dropoff"] = dropoff }
        for field in ["party_size", "wheelchairs"] {
            guard let n = Int(form[field, default: field == "party_size" ? "1" : "0"].trimmingCharacters(in: .whitespaces)) else {
                problems[field] = page.t("Give a whole number.", "整数で入力してください。")
                continue
            }
            json[field] = .int(n)
        }
        if let notes = form["notes"], !notes.isEmpty { json["notes"] = .string(notes) }
        if let c = form["concession"], !c.isEmpty { json["concession"] = .string(c) }
        guard problems.isEmpty else { return try await standingPage(page, form: form, problems: problems, status: .unprocessableContent) }
        let today = api.today()
        do {
            let standing = try StandingRequest.parse(JSONValue.object(json).bytes, key: key, zone: zone, today: today)
            let (_, outcomes) = try await api.createStanding(standing, idempotency: nil, today: today, logger: logger)
            return try await standingPage(page, form: [:], problems: [:], created: (standing, outcomes))
        } catch let error as APIError where error.field != nil {
            let field = error.field!.hasPrefix("weekdays") ? "weekdays" : BookingForm.formField(ofAPIField: error.field!)
            problems[field] = error.message
            return try await standingPage(page, form: form, problems: problems, status: error.status)
        }
    }

    func standingPage(_ page: ConsolePage, form: [String: String], problems: [String: String],
                      created: (StandingBookingRecord, [StandingDesk.Outcome])? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = page.t, key = page.session!.key
        let fields = FormFields(page: page, problems: problems)
        var sections: [Markup] = ["<h1>\(t("Standing bookings", "定期予約"))</h1>"]
        if let (standing, outcomes) = created {
            let rows: [Markup] = outcomes.map { o in
                let window = o.booking.flatMap { b in b.promisedEarliest.flatMap { a in b.promisedLatest.map { "\(TimeText.clockMinutes(a))–\(TimeText.clockMinutes($0))" } } }
                let state: String = o.booking.map { ConsoleWords.status($0.status.rawValue, page.locale) } ?? t("refused", "お断り")
                let why = o.booking?.reason.flatMap { BookingReason.reason($0) }.map { ConsoleWords.reason($0.rawValue, fallback: $0.explanation, page.locale) }
                    ?? o.refusal?.message ?? ""
                return "<tr><td>\(o.date)</td><td>\(state)</td><td>\(window ?? "—")</td><td>\(why)</td></tr>"
            }
            sections.append("""
                <section id="standing-created" class="card" role="status" aria-live="polite"><h2>\(t("Created", "登録しました")) \(standing.id)</h2>
                <table><thead><tr><th scope="col">\(t("Date", "日付"))</th><th scope="col">\(t("Status", "状態"))</th><th scope="col">\(t("Promised pickup", "お迎え時間帯"))</th><th scope="col">\(t("Reason", "理由"))</th></tr></thead>
                <tbody>\(rows)</tbody></table></section>
                """)
        }
        let records = try await store.standingBookings(municipality: key.role == .operator ? key.municipality : nil, createdBy: nil, status: nil)
        let rows: [Markup] = records.map { s in
            let days = s.weekdays.compactMap { d in Self.weekdayNames.first { $0.0 == d }.map { t($0.1, $0.2) } }.joined(separator: " ")
            let time = TimeText.clockMinutes(s.requestedTime)
            let cancel: Markup = s.status == .active ? """
                <form class="cancel" method="post" action="/console/standing/\(s.id)/cancel">\(page.csrfField)<button class="cancel secondary" type="submit" aria-label="\(t("Cancel standing booking", "定期予約を取り消す")) \(s.id)">\(t("Cancel", "取消"))</button></form>
                """ : ""
            return """
                <tr data-standing="\(s.id)" data-status="\(s.status.rawValue)"><td>\(s.passengerRef)</td><td>\(days)</td>
                <td>\(s.timeKind == .pickup ? t("pickup \(time)", "\(time) 乗車") : t("arrive by \(time)", "\(time) までに到着"))</td>
                <td>\(stopLabel(s.pickup)) → \(stopLabel(s.dropoff))</td><td>\(s.from) – \(s.until ?? "")</td>
                <td>\(s.status == .active ? t("active", "有効") : t("cancelled", "取消済み"))</td><td>\(cancel)</td></tr>
                """
        }
        sections.append("""
            <section class="card" aria-labelledby="standing-title"><h2 id="standing-title">\(t("Patterns", "登録済みの定期予約"))</h2>
            \(records.isEmpty ? "<p>\(t("No standing bookings yet.", "定期予約はまだありません。"))</p>" as Markup : """
            <table id="standing"><thead><tr><th scope="col">\(t("Passenger", "利用者"))</th><th scope="col">\(t("Days", "曜日"))</th><th scope="col">\(t("Time", "時刻"))</th>
            <th scope="col">\(t("Trip", "行程"))</th><th scope="col">\(t("Period", "期間"))</th><th scope="col">\(t("Status", "状態"))</th><th scope="col">\(t("Actions", "操作"))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """)</section>
            """)
        let weekdays: [Markup] = Self.weekdayNames.map { d in
            "<input type=\"checkbox\" id=\"weekday-\(d.0)\" name=\"weekday_\(d.0)\"\(form["weekday_\(d.0)"] != nil ? " checked" : "")><label for=\"weekday-\(d.0)\">\(t(d.1, d.2))</label>"
        }
        let municipalityField = key.role == .operator ? "" : fields.municipality(chosen: form["municipality"], zone: zone)
        let from = form["from"] ?? api.today().date.adding(days: 1).description
        sections.append("""
            <section class="card" aria-labelledby="standing-new"><h2 id="standing-new">\(t("New standing booking", "定期予約の登録"))</h2>
            <form id="standing-create" method="post" action="/console/standing" novalidate>\(page.csrfField)
            <div class="grid">
            <div><label for="standing-passenger">\(t("Passenger reference", "利用者番号"))</label><input id="standing-passenger" name="passenger_ref" value="\(form["passenger_ref"] ?? "")" autocomplete="off"\(fields.described("passenger_ref"))>\(fields.error("passenger_ref"))</div>
            \(municipalityField)
            \(fields.stop("pickup", t("Pickup stop", "乗車地"), text: form["pickup_text"] ?? "", stop: form["pickup_stop"] ?? "", next: "dropoff", preferring: key.municipality))
            \(fields.stop("dropoff", t("Drop-off stop", "降車地"), text: form["dropoff_text"] ?? "", stop: form["dropoff_stop"] ?? "", next: "weekday-mon", preferring: key.municipality))
            </div>
            <fieldset\(fields.described("weekdays"))><legend>\(t("Weekdays", "曜日"))</legend>\(weekdays)</fieldset>\(fields.error("weekdays"))
            <div class="grid">
            <div><label for="standing-from">\(t("From", "開始日"))</label><input id="standing-from" name="from" type="date" value="\(from)"\(fields.described("from"))>\(fields.error("from"))</div>
            <div><label for="standing-until">\(t("Until (optional)", "終了日(任意)"))</label><input id="standing-until" name="until" type="date" value="\(form["until"] ?? "")"\(fields.described("until"))>\(fields.error("until"))</div>
            <fieldset><legend>\(t("The time is", "時刻の種類"))</legend>
            <input type="radio" id="standing-kind-pickup" name="time_kind" value="pickup"\(form["time_kind"] != "arrival" ? " checked" : "")><label for="standing-kind-pickup">\(t("pickup time", "乗車時刻"))</label>
            <input type="radio" id="standing-kind-arrival" name="time_kind" value="arrival"\(form["time_kind"] == "arrival" ? " checked" : "")><label for="standing-kind-arrival">\(t("arrive by", "到着時刻"))</label></fieldset>
            <div><label for="standing-time">\(t("Time", "時刻"))</label><input id="standing-time" name="time" type="time" value="\(form["time"] ?? "")"\(fields.described("time"))>\(fields.error("time"))</div>
            <div><label for="standing-party">\(t("Passengers", "人数"))</label><input id="standing-party" name="party_size" type="number" min="1" max="8" value="\(form["party_size"] ?? "1")"\(fields.described("party_size"))>\(fields.error("party_size"))</div>
            <div><label for="standing-wheelchairs">\(t("Wheelchairs", "車いす"))</label><input id="standing-wheelchairs" name="wheelchairs" type="number" min="0" max="2" value="\(form["wheelchairs"] ?? "0")"\(fields.described("wheelchairs"))>\(fields.error("wheelchairs"))</div>
            <div><input type="checkbox" id="skip-holidays" name="skip_holidays"\(form.isEmpty || form["skip_holidays"] != nil ? " checked" : "")><label for="skip-holidays">\(t("Skip public holidays", "祝日は運休"))</label></div>
            </div>
            <p><button id="standing-submit" type="submit">\(t("Create and book", "登録して予約"))</button></p>
            </form></section>
            """)
        return page.render(title: t("Standing bookings", "定期予約"), body: sections.joined(), status: status)
    }
}
