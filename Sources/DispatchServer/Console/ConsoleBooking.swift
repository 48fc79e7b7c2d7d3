import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import RideRequestStore
import RoadNetwork

/// Phone booking: find the caller by passenger reference (recent and upcoming trips, rebook in
/// one click, cancel), type the stops as kanji, kana or romaji, and book; the answer is the
/// booking desk's, through the same code as `POST /v1/bookings` (`Handlers.book`).
extension Console {
    func registerBooking(on router: Router<ServerContext>) {
        let finder = StopFinder(zone: zone)
        router.get("/console/book") { request, context in
            await guarded(request, context, roles: Console.bookingRoles) { page, _ in
                var form = BookingForm(defaultDate: api.today().date.adding(days: 1).description)
                let passenger = page.query("passenger")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                form.passenger = passenger
                if let id = page.query("rebook"), id.count <= 64, let b = try await store.booking(id: id), visible(b, page) {
                    form = BookingForm(rebooking: b, zone: zone, date: form.date)
                }
                return try await bookingPage(page, form: form, passenger: form.passenger.isEmpty ? passenger : form.passenger)
            }
        }
        router.post("/console/book") { request, context in
            await guarded(request, context, roles: Console.bookingRoles) { page, fields in
                try await submitBooking(page, BookingForm(fields: fields), finder: finder, logger: context.logger)
            }
        }
        router.post("/console/bookings/{id}/cancel") { request, context in
            await guarded(request, context, roles: Console.bookingRoles) { page, fields in
                let id = context.parameters.get("id") ?? ""
                guard id.count <= 64, let booking = try await store.booking(id: id), visible(booking, page) else {
                    return page.error(.notFound, page.t("There is no booking \(id) you may see.", "予約 \(id) は見つかりません。"))
                }
                let key = page.session!.key
                _ = try await api.cancel(booking, by: key, through: "the console")
                return ConsoleHTTP.redirect("/console/book?passenger=\(ConsolePage.percent(booking.passengerRef))&cancelled=\(ConsolePage.percent(booking.id))")
            }
        }
        // The zone's map with its stops, for choosing a place by clicking (loaded when opened).
        let mapPlaces = zone.file.stops.map { s in
            PlanDrawing.Place(id: s.id, position: Coordinate(latitude: s.position.count == 2 ? s.position[1] : 0, longitude: s.position.first ?? 0),
                              title: "\(s.localName) (\(s.name))")
        }
        let stopMap = PlanDrawing(routes: []).map(zone: zone, id: "stop-map", label: "map", places: mapPlaces)
        router.get("/console/book/map") { request, context in
            await guarded(request, context, roles: Console.bookingRoles) { page, _ in
                let svg = stopMap.replacingOccurrences(of: "aria-label=\"map\"",
                                                        with: "aria-label=\"\(page.t("Map of the zone's stops", "停留所の地図"))\"")
                return Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "private, max-age=3600"],
                                body: .init(byteBuffer: ByteBuffer(string: svg)))
            }
        }
        router.get("/console/stops") { request, context in
            await guarded(request, context, roles: Console.consoleRoles) { page, _ in
                let q = String((page.query("q") ?? "").prefix(64))
                let preferred = page.session?.key.municipality ?? page.query("municipality").flatMap { $0.isEmpty ? nil : $0 }
                let names = Dictionary(zone.file.municipalities.map { ($0.id, $0.localName) }, uniquingKeysWith: { a, _ in a })
                let stops: [JSONValue] = finder.find(q, preferring: preferred).map {
                    ["id": .string($0.id), "name": .string($0.name), "local_name": .string($0.localName),
                     "municipality": .string($0.municipality), "municipality_name": .string(names[$0.municipality] ?? $0.municipality)]
                }
                return JSONBody.response(["stops": .array(stops)])
            }
        }
    }

    /// Whether the signed-in key may see this booking (an operator: its municipality's residents).
    func visible(_ booking: BookingRecord, _ page: ConsolePage) -> Bool {
        guard let key = page.session?.key else { return false }
        return api.visible(booking, to: key)
    }

    func submitBooking(_ page: ConsolePage, _ form: BookingForm, finder: StopFinder, logger: Logger) async throws -> Response {
        let key = page.session!.key
        var form = form
        var problems: [String: String] = [:]
        let municipality = key.role == .operator ? key.municipality : (form.municipality.isEmpty ? nil : form.municipality)
        if key.role != .operator && municipality == nil { problems["municipality"] = page.t("Choose the resident's municipality.", "お住まいの市町村を選んでください。") }
        let pickup = resolvePlace("pickup", text: form.pickupText, stop: form.pickupStop, municipality: municipality, finder: finder, page: page, problems: &problems)
        let dropoff = resolvePlace("dropoff", text: form.dropoffText, stop: form.dropoffStop, municipality: municipality, finder: finder, page: page,
                                   problems: &problems)
        var json: [String: JSONValue] = ["passenger_ref": .string(form.passenger), "date": .string(form.date),
                                         form.timeKind == "arrival" ? "arrive_by" : "pickup_time": .string(form.time)]
        if let municipality { json["municipality"] = .string(municipality) }
        if let pickup { json["pickup"] = pickup }
        if let dropoff { json["dropoff"] = dropoff }
        for (field, text) in [("party_size", form.party), ("wheelchairs", form.wheelchairs)] {
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else {
                problems[field] = page.t("Give a whole number.", "整数で入力してください。")
                continue
            }
            json[field] = .int(n)
        }
        if !form.notes.isEmpty { json["notes"] = .string(form.notes) }
        if !form.concession.isEmpty { json["concession"] = .string(form.concession) }
        guard problems.isEmpty, pickup != nil, dropoff != nil else {
            return try await bookingPage(page, form: form, passenger: form.passenger, problems: problems, status: .unprocessableContent)
        }
        let body = JSONValue.object(json).bytes
        let today = api.today()
        var answerBytes: [UInt8]
        do {
            let input = try BookingRequest.parse(body, key: key, zone: zone, today: today)
            // The form's one-time token makes a double submit (or a reload) replay the first answer.
            var idempotency: IdempotencyRecord?
            if RandomToken.isWellFormed(form.token, count: 32) {
                let hash = sha256Hex(Handlers.canonical(body)), name = "console:" + form.token
                if let first = try await store.idempotentAnswer(keyID: key.id, key: name) {
                    guard first.requestHash == hash else {
                        return page.error(.conflict, page.t("This form was already sent with other values; the first booking stands. Start a new booking.",
                                                            "このフォームは別の内容で送信済みです(最初の予約が有効です)。新しく予約してください。"))
                    }
                    return try await bookingPage(page, form: BookingForm(defaultDate: form.date, passenger: form.passenger), passenger: form.passenger,
                                                 answer: first.responseBody)
                }
                idempotency = IdempotencyRecord(keyID: key.id, key: name, requestHash: hash, statusCode: 201, responseBody: [])
            }
            let outcome = try await api.book(input, key: key, idempotency: idempotency, today: today, logger: logger)
            switch outcome.write {
            case .created: answerBytes = outcome.responseBody
            case let .replayed(_, first): answerBytes = first
            case .conflict, .stale: throw APIError(.serviceUnavailable, "busy", page.t("The day changed while booking; send the form again.", "予約中に運行計画が変わりました。もう一度送信してください。"))
            }
        } catch let error as APIError where error.field != nil || error.rule != nil {
            var message = error.message
            if let phone = error.details["phone"], case .string(let p) = phone { message += " (☎ \(p))" }
            problems[BookingForm.formField(ofAPIField: error.field ?? "date")] = message
            return try await bookingPage(page, form: form, passenger: form.passenger, problems: problems, status: error.status)
        }
        // A fresh form for the same caller: after an accepted ride the way back (stops swapped,
        // often the next call's request); after a refusal the same trip, to try another time.
        var next = BookingForm(defaultDate: form.date, passenger: form.passenger)
        let accepted = Self.isAccepted(answerBytes)
        next.pickupText = accepted ? form.dropoffText : form.pickupText; next.pickupStop = accepted ? form.dropoffStop : form.pickupStop
        next.dropoffText = accepted ? form.pickupText : form.dropoffText; next.dropoffStop = accepted ? form.pickupStop : form.dropoffStop
        next.municipality = form.municipality
        if !accepted { next.timeKind = form.timeKind; next.party = form.party; next.wheelchairs = form.wheelchairs; next.concession = form.concession; next.notes = form.notes }
        return try await bookingPage(page, form: next, passenger: form.passenger, answer: answerBytes, answered: form)
    }

    /// The API's place for what was typed: the chosen suggestion's stop, "lat, lon", or the one
    /// stop the text names (else a problem for the field: no stop, or the stops it could be).
    func resolvePlace(_ field: String, text: String, stop: String, municipality: String?, finder: StopFinder, page: ConsolePage,
                      problems: inout [String: String]) -> JSONValue? {
        if !stop.isEmpty, zone.stopIndex[stop] != nil { return ["stop_id": .string(stop)] }
        let typed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if typed.isEmpty { problems[field] = page.t("Type a stop name.", "停留所名を入力してください。"); return nil }
        // "lat, lon" (a point from a map).
        let parts = typed.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "、" }).compactMap { Double($0) }
        if parts.count == 2, typed.contains(",") || typed.contains("、") { return ["lat": .number(parts[0]), "lon": .number(parts[1])] }
        let exact = finder.exact(typed)
        if exact.count == 1 { return ["stop_id": .string(exact[0].id)] }
        let found = finder.find(typed, preferring: municipality, limit: 6)
        if found.count == 1 { return ["stop_id": .string(found[0].id)] }
        if found.isEmpty {
            problems[field] = page.t("No stop is called “\(typed)”.", "「\(typed)」という停留所はありません。")
        } else {
            problems[field] = page.t("Several stops match: ", "複数の停留所が該当します:") + found.map { "\($0.localName) (\($0.name))" }.joined(separator: ", ")
        }
        return nil
    }

    /// Whether a booking answer (the API's JSON) accepted the booking.
    static func isAccepted(_ answer: [UInt8]) -> Bool {
        var parser = JSONParser(answer)
        guard case .object(let fields)? = parser.document() else { return false }
        return fields["status"] == .string("accepted")
    }

    // MARK: The page

    func bookingPage(_ page: ConsolePage, form: BookingForm, passenger: String, problems: [String: String] = [:],
                     answer: [UInt8]? = nil, answered: BookingForm? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = page.t
        let key = page.session!.key
        var sections: [Markup] = []
        sections.append("""
            <h1>\(t("Phone booking", "電話予約"))</h1>
            <form id="passenger-search" method="get" action="/console/book" class="inline card" role="search">
              <div><label for="passenger">\(t("Passenger reference", "利用者番号"))</label>
              <input id="passenger" name="passenger" value="\(passenger)" autocomplete="off" spellcheck="false"\(passenger.isEmpty ? " autofocus" : "")></div>
              <button id="passenger-search-submit" type="submit" class="secondary">\(t("Find trips", "利用履歴を表示"))</button>
            </form>
            """)
        if let answer { sections.append(answerSection(page, answer, answered: answered)) }
        if !passenger.isEmpty { sections.append(try await tripsSection(page, passenger: passenger)) }
        sections.append(formSection(page, form, problems: problems, key: key, focusFirst: !passenger.isEmpty))
        return page.render(title: t("Phone booking", "電話予約"), body: sections.joined(), status: status)
    }

    func stopLabel(_ place: BookingPlace) -> String {
        if let id = place.stopID, let i = zone.stopIndex[id] {
            let s = zone.points[i]
            return "\(s.localName) (\(s.name))"
        }
        return String(format: "%.5f, %.5f", place.latitude ?? 0, place.longitude ?? 0)
    }

    func tripsSection(_ page: ConsolePage, passenger: String) async throws -> Markup {
        let t = page.t, key = page.session!.key
        let today = api.today().date
        let records = try await store.passengerBookings(passengerRef: passenger, municipality: key.role == .operator ? key.municipality : nil,
                                                        from: today.adding(days: -90).description,
                                                        until: today.adding(days: max(api.configuration.bookingHorizonDays, api.office.bookingRules.longestHorizonDays)).description,
                                                        limit: 30)
        guard !records.isEmpty else {
            return """
                <section id="passenger-trips" class="card" aria-labelledby="trips-title"><h2 id="trips-title">\(t("Trips of", "利用履歴:")) \(passenger)</h2>
                <p class="none">\(t("No trips found for this passenger.", "この利用者の予約はありません。"))</p></section>
                """
        }
        let rows: [Markup] = records.map { b in
            let time = TimeText.clockMinutes(b.requestedTime)
            let when: String = b.timeKind == .pickup ? t("pickup \(time)", "\(time) 乗車") : t("arrive by \(time)", "\(time) までに到着")
            let window = b.promisedEarliest.flatMap { a in b.promisedLatest.map { "\(TimeText.clockMinutes(a))–\(TimeText.clockMinutes($0))" } } ?? "—"
            let upcoming = b.serviceDate >= today.description
            let cancel: Markup = upcoming && b.status.successors.contains(.cancelled) ? """
                <form class="cancel" method="post" action="/console/bookings/\(b.id)/cancel">\(page.csrfField)<button class="cancel secondary" type="submit" aria-label="\(t("Cancel booking", "予約を取り消す")) \(b.serviceDate) \(time)">\(t("Cancel", "取消"))</button></form>
                """ : ""
            return """
                <tr class="trip" data-booking="\(b.id)" data-status="\(b.status.rawValue)">
                <td>\(b.serviceDate)</td><td>\(when)</td><td>\(stopLabel(b.pickup))</td><td>\(stopLabel(b.dropoff))</td>
                <td><span class="status">\(ConsoleWords.status(b.status.rawValue, page.locale))</span></td><td>\(window)</td>
                <td class="actions">
                <form class="rebook" method="get" action="/console/book"><input type="hidden" name="passenger" value="\(b.passengerRef)"><input type="hidden" name="rebook" value="\(b.id)"><button class="rebook secondary" type="submit" aria-label="\(t("Book this trip again", "この行程で再予約")) \(b.serviceDate) \(time)">\(t("Book again", "再予約"))</button></form>
                \(cancel)</td></tr>
                """
        }
        return """
            <section id="passenger-trips" class="card" aria-labelledby="trips-title"><h2 id="trips-title">\(t("Trips of", "利用履歴:")) \(passenger)</h2>
            <table><thead><tr><th scope="col">\(t("Date", "日付"))</th><th scope="col">\(t("Time", "時刻"))</th><th scope="col">\(t("From", "乗車地"))</th>
            <th scope="col">\(t("To", "降車地"))</th><th scope="col">\(t("Status", "状態"))</th><th scope="col">\(t("Promised pickup", "お迎え時間帯"))</th>
            <th scope="col">\(t("Actions", "操作"))</th></tr></thead><tbody>\(rows)</tbody></table></section>
            """
    }

    func answerSection(_ page: ConsolePage, _ bytes: [UInt8], answered: BookingForm?) -> Markup {
        let t = page.t
        var parser = JSONParser(bytes)
        guard case .object(let answer)? = parser.document() else { return "" }
        func string(_ v: JSONValue?) -> String { if case .string(let s)? = v { return s } else { return "" } }
        let id = string(answer["id"]), date = string(answer["date"])
        if string(answer["status"]) == "accepted", case .object(let window)? = answer["promised_pickup"] {
            let from = String(string(window["from"]).prefix(5)), to = String(string(window["to"]).prefix(5))
            return """
                <section id="answer" data-outcome="accepted" class="card" role="status" aria-live="polite">
                <h2>\(t("Accepted", "予約を受け付けました"))</h2>
                <p>\(t("Tell the caller: pickup on \(date) between", "お客様へ:\(date) のお迎えは")) <span id="promised-window">\(from)–\(to)</span>\(t(".", " の間です。"))</p>
                <p>\(t("Booking", "予約番号")) <code id="booking-id">\(id)</code></p></section>
                """
        }
        var reasonText = t("The booking was not accepted.", "予約をお受けできませんでした。")
        if case .object(let reason)? = answer["reason"] {
            reasonText = ConsoleWords.reason(string(reason["code"]), fallback: string(reason["message"]), page.locale)
        }
        var alternatives: [Markup] = []
        if case .array(let items)? = answer["alternatives"], let answered {
            for item in items {
                guard case .object(let alt) = item else { continue }
                let kind = alt["arrive_by"] != nil ? "arrival" : "pickup"
                let time = String(string(alt["arrive_by"] ?? alt["pickup_time"]).prefix(5))
                let label = kind == "arrival" ? t("Arrive by \(time)", "\(time) までに到着") : t("Pickup at \(time)", "\(time) に乗車")
                var fields = answered
                fields.time = time
                fields.timeKind = kind
                fields.token = RandomToken.make(32)
                alternatives.append("""
                    <li><form class="alternative" method="post" action="/console/book">\(page.csrfField)\(fields.hiddenFields())
                    <button class="take-alternative" type="submit">\(t("Book", "予約する")): \(label)</button></form></li>
                    """)
            }
        }
        let alternativesList: Markup = alternatives.isEmpty
            ? "<p>\(t("No nearby time fits either.", "近い時刻にも空きがありません。"))</p>"
            : "<p>\(t("These times fit now (one click books):", "次の時刻なら予約できます(クリックで予約):"))</p><ul id=\"alternatives\" class=\"plain\">\(alternatives)</ul>"
        return """
            <section id="answer" data-outcome="rejected" class="card" role="status" aria-live="polite">
            <h2>\(t("Not accepted", "お受けできません"))</h2>
            <p id="reason">\(reasonText)</p>
            \(alternativesList)</section>
            """
    }

    func formSection(_ page: ConsolePage, _ form: BookingForm, problems: [String: String], key: APIKey, focusFirst: Bool) -> Markup {
        let t = page.t
        let fields = FormFields(page: page, problems: problems)
        let error = fields.error, described = fields.described
        let municipalityField = key.role == .operator ? "" : fields.municipality(chosen: form.municipality, zone: zone)
        func stopField(_ name: String, _ label: String, text: String, stop: String, next: String) -> Markup {
            fields.stop(name, label, text: text, stop: stop, next: next, preferring: key.municipality)
        }
        let concessions: [Markup] = [("", t("none", "なし")), ("elderly", t("elderly", "高齢者")), ("disabled", t("disability", "障がい者"))].map { value, label in
            "<option value=\"\(value)\"\(form.concession == value ? " selected" : "")>\(label)</option>"
        }
        return """
            <section class="card" aria-labelledby="booking-title"><h2 id="booking-title">\(t("New booking", "新規予約"))</h2>
            <form id="booking" method="post" action="/console/book" novalidate>
            \(page.csrfField)<input type="hidden" name="form_token" value="\(RandomToken.make(32))">
            <div class="grid">
            <div><label for="booking-passenger">\(t("Passenger reference", "利用者番号"))</label>
            <input id="booking-passenger" name="passenger_ref" value="\(form.passenger)" required autocomplete="off" spellcheck="false"\(described("passenger_ref"))\(focusFirst && form.passenger.isEmpty ? " autofocus" : "")>\(error("passenger_ref"))</div>
            \(municipalityField)
            \(stopField("pickup", t("Pickup stop", "乗車地"), text: form.pickupText, stop: form.pickupStop, next: "dropoff"))
            \(stopField("dropoff", t("Drop-off stop", "降車地"), text: form.dropoffText, stop: form.dropoffStop, next: "date"))
            <div><label for="date">\(t("Date", "日付"))</label><input id="date" name="date" type="date" value="\(form.date)" required\(described("date"))>\(error("date"))</div>
            <fieldset><legend>\(t("The time is", "時刻の種類"))</legend>
            <input type="radio" id="time-kind-pickup" name="time_kind" value="pickup"\(form.timeKind != "arrival" ? " checked" : "")><label for="time-kind-pickup">\(t("pickup time", "乗車時刻"))</label>
            <input type="radio" id="time-kind-arrival" name="time_kind" value="arrival"\(form.timeKind == "arrival" ? " checked" : "")><label for="time-kind-arrival">\(t("arrive by", "到着時刻"))</label>
            </fieldset>
            <div><label for="time">\(t("Time", "時刻"))</label><input id="time" name="time" type="time" value="\(form.time)" required\(described("time"))>\(error("time"))</div>
            <div><label for="party">\(t("Passengers", "人数"))</label><input id="party" name="party_size" type="number" min="1" max="8" value="\(form.party)"\(described("party_size"))>\(error("party_size"))</div>
            <div><label for="wheelchairs">\(t("Wheelchairs", "車いす"))</label><input id="wheelchairs" name="wheelchairs" type="number" min="0" max="2" value="\(form.wheelchairs)"\(described("wheelchairs"))>\(error("wheelchairs"))</div>
            <div><label for="concession">\(t("Concession", "割引"))</label><select id="concession" name="concession"\(described("concession"))>\(concessions)</select>\(error("concession"))</div>
            </div>
            <details id="map-picker" class="no-print"><summary>\(t("Choose on the map", "地図で選ぶ"))</summary>
            <fieldset><legend>\(t("A click sets", "クリックで設定"))</legend>
            <input type="radio" id="map-sets-pickup" name="map_sets" value="pickup" checked><label for="map-sets-pickup">\(t("the pickup", "乗車地"))</label>
            <input type="radio" id="map-sets-dropoff" name="map_sets" value="dropoff"><label for="map-sets-dropoff">\(t("the drop-off", "降車地"))</label>
            </fieldset>
            <p class="hint">\(t("Click a stop (a dot), or any point near a road; typing the name above does the same.", "停留所(点)か、道路近くの地点をクリックします。上の欄に名前を入力しても同じです。"))</p>
            <div id="map-holder" class="map-wrap" data-src="/console/book/map"></div>
            </details>
            <label for="notes">\(t("Notes for the driver", "運転手への連絡事項"))</label>
            <textarea id="notes" name="notes" rows="2" cols="60"\(described("notes"))>\(form.notes)</textarea>\(error("notes"))
            <p><button id="booking-submit" type="submit">\(t("Book", "予約する"))</button></p>
            </form></section>
            """
    }
}

/// The booking form's fields, as typed (re-shown with the problems when the form is refused).
struct BookingForm: Sendable {
    var passenger = "", municipality = "", pickupText = "", pickupStop = "", dropoffText = "", dropoffStop = ""
    var date = "", timeKind = "pickup", time = "", party = "1", wheelchairs = "0", concession = "", notes = "", token = ""

    init(defaultDate: String, passenger: String = "") {
        date = defaultDate
        self.passenger = passenger
    }

    init(fields f: [String: String]) {
        passenger = f["passenger_ref", default: ""].trimmingCharacters(in: .whitespacesAndNewlines)
        municipality = f["municipality", default: ""]
        pickupText = f["pickup_text", default: ""]; pickupStop = f["pickup_stop", default: ""]
        dropoffText = f["dropoff_text", default: ""]; dropoffStop = f["dropoff_stop", default: ""]
        date = f["date", default: ""]; timeKind = f["time_kind"] == "arrival" ? "arrival" : "pickup"; time = f["time", default: ""]
        party = f["party_size", default: "1"]; wheelchairs = f["wheelchairs", default: "0"]
        concession = f["concession", default: ""]; notes = f["notes", default: ""]; token = f["form_token", default: ""]
    }

    /// The form of an earlier trip (same places, time, party), on `date`.
    init(rebooking b: BookingRecord, zone: ServiceZone, date: String) {
        passenger = b.passengerRef
        municipality = b.municipality
        func text(_ p: BookingPlace) -> (String, String) {
            if let id = p.stopID, let i = zone.stopIndex[id] { return ("\(zone.points[i].localName) (\(zone.points[i].name))", id) }
            return (String(format: "%.6f, %.6f", p.latitude ?? 0, p.longitude ?? 0), "")
        }
        (pickupText, pickupStop) = text(b.pickup)
        (dropoffText, dropoffStop) = text(b.dropoff)
        self.date = date
        timeKind = b.timeKind == .pickup ? "pickup" : "arrival"
        time = TimeText.clockMinutes(b.requestedTime)
        party = String(b.partySize); wheelchairs = String(b.wheelchairs)
        concession = b.concession?.rawValue ?? ""
        notes = b.notes
    }

    /// The fields as hidden inputs (an alternative's one-click form).
    func hiddenFields() -> Markup {
        let pairs = [("passenger_ref", passenger), ("municipality", municipality), ("pickup_text", pickupText), ("pickup_stop", pickupStop),
                     ("dropoff_text", dropoffText), ("dropoff_stop", dropoffStop), ("date", date), ("time_kind", timeKind), ("time", time),
                     ("party_size", party), ("wheelchairs", wheelchairs), ("concession", concession), ("notes", notes), ("form_token", token)]
        return pairs.map { "<input type=\"hidden\" name=\"\($0.0)\" value=\"\($0.1)\">" as Markup }.joined()
    }

    /// The form field an API error's field belongs to.
    static func formField(ofAPIField field: String) -> String {
        if field.hasPrefix("pickup_time") || field.hasPrefix("arrive_by") { return "time" }
        if field.hasPrefix("pickup") { return "pickup" }
        if field.hasPrefix("dropoff") { return "dropoff" }
        return field
    }
}

/// Pieces of the console's forms: a field's error line and its ARIA link, a stop combobox.
struct FormFields {
    let page: ConsolePage
    let problems: [String: String]

    func error(_ field: String) -> Markup {
        guard let message = problems[field] else { return "" }
        return "<p class=\"field-error\" id=\"\(field)-error\" data-field=\"\(field)\">\(message)</p>"
    }

    func described(_ field: String) -> Markup { problems[field] == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(field)-error\"" }

    /// The resident's municipality (for keys not bound to one).
    func municipality(chosen: String?, zone: ServiceZone) -> Markup {
        let options: [Markup] = zone.file.municipalities.map {
            "<option value=\"\($0.id)\"\(chosen == $0.id ? " selected" : "")>\($0.localName) (\($0.name))</option>"
        }
        return """
            <div><label for="municipality">\(page.t("Resident's municipality", "お住まいの市町村"))</label>
            <select id="municipality" name="municipality"\(described("municipality"))><option value="">—</option>\(options)</select>\(error("municipality"))</div>
            """
    }

    /// A stop typed as kanji, kana or romaji (`NAME_text`), with the chosen suggestion's id (`NAME_stop`).
    func stop(_ name: String, _ label: String, text: String, stop: String, next: String, preferring municipality: String?) -> Markup {
        """
        <div class="combo"><label for="\(name)">\(label)</label>
        <input id="\(name)" name="\(name)_text" value="\(text)" data-stop-combo data-target="\(name)-stop" data-next="\(next)" data-municipality="\(municipality ?? "")"
          role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="\(name)-suggestions" autocomplete="off" spellcheck="false"\(described(name))>
        <input type="hidden" id="\(name)-stop" name="\(name)_stop" value="\(stop)">
        <ul id="\(name)-suggestions" class="suggestions" role="listbox" aria-label="\(label)"></ul>
        <p class="hint">\(page.t("Kanji, kana or romaji", "漢字・かな・ローマ字で入力"))</p>\(error(name))</div>
        """
    }
}
