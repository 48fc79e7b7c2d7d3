import DispatchCore
import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RideRequestStore
import RoadNetwork

extension Console {
    /// The day board (dispatchers): bookings, the plan's map and timeline, re-plans, manifests.
    func registerBoard(on router: Router<ServerContext>) {
        let replans = BoardReplans()
        router.get("/console/board") { request, context in
            await guarded(request, context, roles: Console.boardRoles) { page, _ in try await board(page) }
        }
        router.post("/console/board/replan") { request, context in
            await guarded(request, context, roles: Console.boardRoles) { page, form in try await replan(page, form, runs: replans) }
        }
        router.get("/console/board/replan/{run}/events") { request, context in
            await guarded(request, context, roles: Console.boardRoles) { page, _ in
                let run = context.parameters.get("run") ?? ""
                guard let session = page.session, let stream = await replans.follow(run, owner: session.key.id) else {
                    return page.error(.notFound, page.t("There is no such re-plan for this key.", "この鍵の再計画にそのような実行はありません。"))
                }
                return BoardReplans.response(stream)
            }
        }
        router.get("/console/manifest") { request, context in
            await guarded(request, context, roles: Console.boardRoles) { page, _ in try await manifest(page) }
        }
    }

    /// The `date` query parameter (default: today in the zone); 422 naming `date` when it is not YYYY-MM-DD.
    func boardDate(_ text: String?) throws -> ServiceDate {
        guard let text, !text.isEmpty else { return api.today().date }
        guard let date = ServiceDate(parsing: text) else { throw APIError.invalid("date", "'date' must be a date YYYY-MM-DD, not '\(echo(text))'") }
        return date
    }

    /// A place of a booking or a plan: a stop's Japanese name with its romanized name beside, or coordinates.
    func placeMarkup(stopID: String?, latitude: Double?, longitude: Double?) -> Markup {
        if let id = stopID, let i = zone.stopIndex[id] {
            let p = zone.points[i]
            let romaji: Markup = p.name == p.localName ? "" : " <span class=\"romaji\" lang=\"en\">\(p.name)</span>"
            return "<span class=\"local\" lang=\"ja\">\(p.localName)</span>\(romaji)"
        }
        if let id = stopID { return "\(id)" }
        return "\(String(format: "%.5f, %.5f", latitude ?? 0, longitude ?? 0))"
    }

    /// The stop's searchable words: id, Japanese and romanized names.
    func placeWords(_ place: BookingPlace) -> String {
        guard let id = place.stopID else { return "" }
        guard let i = zone.stopIndex[id] else { return id }
        return "\(id) \(zone.points[i].localName) \(zone.points[i].name)"
    }

    /// The latest plan of the date and its version, if any (a document that cannot be read is a 500 page).
    func latestPlan(_ date: ServiceDate) async throws -> (document: DayPlanDocument, record: PlanRecord)? {
        guard let record = try await store.latestPlan(serviceDate: date.description) else { return nil }
        guard var document = try? DayPlanDocument.decode(record.payload) else {
            throw APIError(.internalServerError, "internal", "the stored plan for \(date) v\(record.version) cannot be read; re-plan the date")
        }
        document.version = record.version
        return (document, record)
    }

    func board(_ page: ConsolePage) async throws -> Response {
        let t = page.t, l = page.locale
        let date = try boardDate(page.query("date"))
        let statusText = page.query("status") ?? ""
        var statusFilter: BookingStatus?
        if !statusText.isEmpty {
            guard let s = BookingStatus(rawValue: statusText) else {
                throw APIError.invalid("status", "'status' must be one of \(BookingStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            statusFilter = s
        }
        let q = String((page.query("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        let bookings = try await store.bookings(serviceDate: date.description, municipality: nil, createdBy: nil)
            .sorted { ($0.requestedTime, $0.id) < ($1.requestedTime, $1.id) }
        let latest = try await latestPlan(date)
        let document = latest?.document

        // Where each booking is in the plan: its duty and planned pickup.
        var planned: [String: (duty: String, pickup: String)] = [:]
        for route in document?.vehicles ?? [] {
            for stop in route.stops where stop.action == "pickup" { planned[stop.bookingId] = (route.id, stop.time) }
        }
        let municipalities = Dictionary(zone.file.municipalities.map { ($0.id, $0.localName) }, uniquingKeysWith: { a, _ in a })

        // Bookings, filtered on the server as the query asks (the script filters the same way).
        var rows: [Markup] = []
        for b in bookings {
            let words = "\(b.id) \(b.passengerRef) \(placeWords(b.pickup)) \(placeWords(b.dropoff)) \(municipalities[b.municipality] ?? b.municipality)".lowercased()
            if let statusFilter, b.status != statusFilter { continue }
            if !q.isEmpty, !words.contains(q.lowercased()) { continue }
            let plan = planned[b.id]
            let requested = "\(b.timeKind == .pickup ? t("pickup", "乗車") : t("arrive by", "到着")) \(TimeText.clockMinutes(b.requestedTime))"
            let promised = b.promisedEarliest.flatMap { e in b.promisedLatest.map { "\(TimeText.clockMinutes(e))–\(TimeText.clockMinutes($0))" } } ?? "–"
            let planCell: Markup = plan.map { p -> Markup in "\(p.duty) · \(String(p.pickup.prefix(5)))" } ?? "–"
            let vehicle: Markup = plan.map { p -> Markup in " data-vehicle=\"\(p.duty)\"" } ?? ""
            let wheelchairs: Markup = b.wheelchairs > 0 ? " ♿\(b.wheelchairs)" : ""
            rows.append("""
                <tr class="booking" data-booking="\(b.id)" data-status="\(b.status.rawValue)"\(vehicle) data-search="\(words)" tabindex="0" aria-selected="false">\
                <td class="id">\(b.id)</td><td><span class="status status-\(b.status.rawValue)">\(BoardWords.status(b.status, l))</span></td>\
                <td>\(b.passengerRef)<br><small>\(municipalities[b.municipality] ?? b.municipality)</small></td>\
                <td>\(placeMarkup(stopID: b.pickup.stopID, latitude: b.pickup.latitude, longitude: b.pickup.longitude))</td>\
                <td>\(placeMarkup(stopID: b.dropoff.stopID, latitude: b.dropoff.latitude, longitude: b.dropoff.longitude))</td>\
                <td>\(requested)</td><td>\(promised)</td><td>\(planCell)</td><td class="num">\(b.partySize)\(wheelchairs)</td></tr>
                """)
        }
        let statusOptions: [Markup] = BookingStatus.allCases.map { s in
            let selected: Markup = s == statusFilter ? " selected" : ""
            return "<option value=\"\(s.rawValue)\"\(selected)>\(BoardWords.status(s, l))</option>"
        }
        let bookingsSection: Markup = """
            <section id="bookings-section" aria-labelledby="bookings-heading">
            <h2 id="bookings-heading">\(t("Bookings", "予約")) (\(bookings.count))</h2>
            <form id="booking-filter" method="get" action="/console/board" class="inline">
              <input type="hidden" name="date" value="\(date.description)">
              <div><label for="status-filter">\(t("Status", "状態"))</label>
              <select id="status-filter" name="status"><option value="">\(t("All statuses", "すべて"))</option>\(statusOptions)</select></div>
              <div><label for="booking-search">\(t("Search (booking, passenger, stop)", "検索(予約・利用者・停留所)"))</label>
              <input id="booking-search" name="q" type="search" value="\(q)" autocomplete="off"></div>
              <button id="booking-filter-submit" type="submit">\(t("Filter", "絞り込み"))</button>
            </form>
            <p id="booking-count" aria-live="polite" data-template="\(t("{shown} of {total} bookings shown.", "{total} 件中 {shown} 件を表示。"))">\(t("\(rows.count) of \(bookings.count) bookings shown.", "\(bookings.count) 件中 \(rows.count) 件を表示。"))</p>
            <div class="table-wrap">
            <table id="bookings">
            <caption>\(t("Select a row (click, or Enter) to show its stops on the map.", "行を選ぶ(クリックまたは Enter)と、地図に乗降地点を表示します。"))</caption>
            <thead><tr><th scope="col">\(t("Booking", "予約番号"))</th><th scope="col">\(t("Status", "状態"))</th><th scope="col">\(t("Passenger", "利用者"))</th>\
            <th scope="col">\(t("Pickup", "乗車場所"))</th><th scope="col">\(t("Drop-off", "降車場所"))</th><th scope="col">\(t("Requested", "希望時刻"))</th>\
            <th scope="col">\(t("Promised pickup", "お迎え予定枠"))</th><th scope="col">\(t("Planned", "計画"))</th><th scope="col">\(t("Party", "人数"))</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table>
            </div>
            \(rows.isEmpty ? "<p class=\"empty\">\(t("No bookings match.", "該当する予約はありません。"))</p>" as Markup : "")
            </section>
            """

        let body: Markup = """
            <h1>\(t("Day board", "運行管理")) · \(date.description)</h1>
            \(replannedNotice(page))
            <form id="board-date" method="get" action="/console/board" class="inline">
              <div><label for="board-date-input">\(t("Service date", "運行日"))</label>
              <input id="board-date-input" name="date" type="date" value="\(date.description)" required></div>
              <button id="board-date-submit" type="submit">\(t("Show", "表示"))</button>
            </form>
            \(planSection(page, date: date, latest: latest))
            \(replanSection(page, date: date))
            \(bookingsSection)
            \(unservedSection(page, document: document, bookings: bookings))
            \(callListSection(page, document: document))
            <link rel="stylesheet" href="/console/static/board.css">
            """
        return page.render(title: t("Day board", "運行管理") + " " + date.description, body: body, scripts: ["board.js"])
    }

    func replannedNotice(_ page: ConsolePage) -> Markup {
        guard let text = page.query("replanned"), let version = Int(text), version > 0 else { return "" }
        return "<p class=\"notice\" role=\"status\">\(page.t("Plan version \(version) saved.", "計画の第 \(version) 版を保存しました。"))</p>"
    }

    func planSection(_ page: ConsolePage, date: ServiceDate, latest: (document: DayPlanDocument, record: PlanRecord)?) -> Markup {
        let t = page.t, l = page.locale
        guard let latest else {
            return """
                <section id="plan" aria-labelledby="plan-heading">
                <h2 id="plan-heading">\(t("Plan", "運行計画"))</h2>
                <p id="plan-summary">\(t("There is no plan for this date yet. Make one with Re-plan below.", "この日の計画はまだありません。下の「再計画」で作成してください。"))</p>
                <div id="timeline"></div>
                </section>
                """
        }
        let document = latest.document, record = latest.record
        let network = zone.network(on: date)
        let drawing = PlanDrawing(document: document, zone: zone, network: network) { stop, duty in
            let name = zone.stopIndex[stop.place].map { zone.points[$0].localName + " " + zone.points[$0].name } ?? stop.place
            return "\(String(stop.time.prefix(5))) \(BoardWords.action(stop.action, l)) \(stop.bookingId) (\(duty)) \(name)"
        }
        let summary = document.summary
        let made = BoardWords.localTime(milliseconds: record.createdAt, timeZone: zone.file.timeZone)
        let vehicles: [Markup] = drawing.routes.map { r in
            let route = document.vehicles.first { $0.id == r.id }
            let hours = "\(TimeText.clockMinutes(r.departure))–\(TimeText.clockMinutes(r.returnTime))"
            let stops = route?.stops.count ?? r.stops.count
            return """
                <li><button type="button" class="vehicle" data-vehicle="\(r.id)" aria-pressed="false">\
                <span class="swatch" style="background:\(r.colour)" aria-hidden="true"></span>\(r.id) \
                <small>\(hours) · \(t("\(stops) stops", "\(stops) 件の乗降"))</small></button></li>
                """
        }
        var seen = Set<String>()
        let manifests: [Markup] = document.vehicles.compactMap { route in
            let vehicle = ServiceZone.vehicleID(ofDuty: route.id)
            guard seen.insert(vehicle).inserted else { return nil }
            let href = "/console/manifest?date=\(date.description)&vehicle=\(ConsolePage.percent(vehicle))"
            return "<li><a class=\"manifest-link\" data-vehicle=\"\(vehicle)\" href=\"\(href)\">\(t("Manifest", "運行表")) \(vehicle)</a></li>"
        }
        let mapSVG = Markup(raw: drawing.map(zone: zone, id: "plan-map", label: t("Map of the routes of plan version \(record.version)", "計画第 \(record.version) 版のルート地図")))
        let timelineSVG = Markup(raw: drawing.timeline(label: t("Timeline of the duties", "勤務ごとのタイムライン")) { word in
            switch word {
            case "driving": t("driving", "走行")
            case "pickup": t("pickup", "乗車")
            case "drop-off": t("drop-off", "降車")
            case "driver's rest": t("driver's rest", "運転手の休憩")
            default: word
            }
        })
        let broken: Markup
        if let list = document.brokenPromises, !list.isEmpty {
            let rows: [Markup] = list.map { b in
                "<tr data-booking=\"\(b.bookingId)\"><td>\(b.bookingId)</td><td>\(b.passengerRef)</td><td>\(String(b.promisedEarliest.prefix(5)))–\(String(b.promisedLatest.prefix(5)))</td><td>\(BoardWords.reason(b.reason, l))</td><td>\(b.change)</td></tr>"
            }
            broken = """
                <section id="broken-promises" class="alert" role="alert">
                <h3>\(t("Broken promises", "守れない約束")) (\(list.count))</h3>
                <table><thead><tr><th scope="col">\(t("Booking", "予約番号"))</th><th scope="col">\(t("Passenger", "利用者"))</th>\
                <th scope="col">\(t("Promised pickup", "お迎え予定枠"))</th><th scope="col">\(t("Reason", "理由"))</th><th scope="col">\(t("What changed", "変更内容"))</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                </section>
                """
        } else {
            broken = ""
        }
        return """
            <section id="plan" aria-labelledby="plan-heading" data-version="\(record.version)">
            <h2 id="plan-heading">\(t("Plan", "運行計画")) · \(t("version", "第")) \(record.version)\(t("", " 版"))</h2>
            <p id="plan-summary">\(t("Made \(made) (\(document.solver)).", "\(made) 作成(\(document.solver))。")) \
            \(t("\(summary.served) of \(summary.bookings) bookings served, \(summary.vehiclesUsed) vehicles used.",
                "予約 \(summary.bookings) 件中 \(summary.served) 件を運行、使用車両 \(summary.vehiclesUsed) 台。"))</p>
            \(broken)
            <div class="board-map">
            <div class="vehicle-list">
            <h3 id="vehicles-heading">\(t("Vehicles", "車両"))</h3>
            <p class="hint">\(t("Choose a vehicle to show its route.", "車両を選ぶとルートを表示します。"))</p>
            <ul id="vehicles" aria-labelledby="vehicles-heading">\(vehicles)</ul>
            \(vehicles.isEmpty ? "<p>\(t("No vehicle has stops in this plan.", "この計画で乗降のある車両はありません。"))</p>" as Markup : "")
            <h3 id="manifests-heading">\(t("Manifests (printable)", "運行表(印刷用)"))</h3>
            <ul id="manifests" aria-labelledby="manifests-heading">\(manifests)</ul>
            </div>
            <div class="map-wrap">\(mapSVG)</div>
            </div>
            <h3>\(t("Timeline", "タイムライン"))</h3>
            <div id="timeline" class="timeline-wrap">\(timelineSVG)</div>
            </section>
            """
    }

    func unservedSection(_ page: ConsolePage, document: DayPlanDocument?, bookings: [BookingRecord]) -> Markup {
        let t = page.t, l = page.locale
        let unserved = document?.unserved ?? []
        let stored = Dictionary(bookings.map { ($0.id, $0.reason) }, uniquingKeysWith: { a, _ in a })
        let rows: [Markup] = unserved.map { u in
            // A booking rejected when booked: the reason it was given then, in words too.
            var words = BoardWords.reason(u.reason, l)
            if u.reason == "rejected_at_booking", let code = stored[u.bookingId]??.split(separator: ":").first.map(String.init) {
                words += l.t(": ", ":") + BoardWords.reason(code, l)
            }
            return "<tr data-booking=\"\(u.bookingId)\" data-reason=\"\(u.reason)\"><td>\(u.bookingId)</td><td>\(words)<br><small lang=\"en\">\(u.message)</small></td></tr>"
        }
        return """
            <section id="unserved-section" aria-labelledby="unserved-heading">
            <h2 id="unserved-heading">\(t("Not served", "運行できない予約")) (\(unserved.count))</h2>
            <table id="unserved">
            <thead><tr><th scope="col">\(t("Booking", "予約番号"))</th><th scope="col">\(t("Reason", "理由"))</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            \(document == nil ? "<p>\(t("No plan yet.", "計画はまだありません。"))</p>" as Markup : rows.isEmpty ? "<p>\(t("Every booking of the plan is served.", "計画のすべての予約を運行します。"))</p>" as Markup : "")
            </section>
            """
    }

    func callListSection(_ page: ConsolePage, document: DayPlanDocument?) -> Markup {
        let t = page.t, l = page.locale
        guard let document, let changes = document.changes else {
            let why = document == nil ? t("No plan yet.", "計画はまだありません。")
                : t("This is the first version of the plan: nobody needs a call.", "計画の最初の版です。連絡の必要な利用者はいません。")
            return "<section id=\"call-list\" aria-labelledby=\"call-list-heading\"><h2 id=\"call-list-heading\">\(t("Call list", "連絡リスト"))</h2><p>\(why)</p></section>"
        }
        let rows: [Markup] = changes.entries.map { e in
            let vehicles = "\(e.oldVehicle ?? "–") → \(e.newVehicle ?? "–")"
            let pickups = "\(e.oldPickup.map { String($0.prefix(5)) } ?? "–") → \(e.newPickup.map { String($0.prefix(5)) } ?? "–")"
            let reason: Markup = e.reason.map { "<br><small>\(BoardWords.reason($0, l))</small>" } ?? ""
            return """
                <tr data-booking="\(e.bookingId)" data-kind="\(e.kind.rawValue)"><td>\(e.bookingId)</td><td>\(e.passengerRef)</td>\
                <td>\(BoardWords.change(e.kind, l))\(reason)</td><td>\(vehicles)</td><td>\(pickups)</td><td lang="en">\(e.message)</td></tr>
                """
        }
        return """
            <section id="call-list" aria-labelledby="call-list-heading">
            <h2 id="call-list-heading">\(t("Call list", "連絡リスト")) · \(t("version \(changes.fromVersion) → \(document.version ?? 0)", "第 \(changes.fromVersion) 版 → 第 \(document.version ?? 0) 版"))</h2>
            \(rows.isEmpty ? "<p>\(t("Nobody needs a call: no passenger's ride changed.", "連絡の必要な利用者はいません(変更なし)。"))</p>" as Markup : """
            <table>
            <thead><tr><th scope="col">\(t("Booking", "予約番号"))</th><th scope="col">\(t("Passenger", "利用者"))</th><th scope="col">\(t("Change", "変更"))</th>\
            <th scope="col">\(t("Vehicle", "車両"))</th><th scope="col">\(t("Pickup", "お迎え"))</th><th scope="col">\(t("Message", "伝える内容"))</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            """)
            </section>
            """
    }

    func replanSection(_ page: ConsolePage, date: ServiceDate) -> Markup {
        let t = page.t
        let limits = api.configuration
        // On the service day itself: the rest of the day from now, from what the vehicles reported.
        let fromNow: Markup = date == api.today().date ? """
            <div><input type="checkbox" id="replan-from-now" name="from_now" checked><label for="replan-from-now">\(t("From now (the rest of the day, from what the vehicles reported)", "現在時刻から(車両の報告をもとに残りの運行を再計画)"))</label></div>
            <div><input type="checkbox" id="replan-pin" name="pin"><label for="replan-pin">\(t("Keep bookings on the vehicles announced", "案内済みの車両を変えない"))</label></div>
            """ : ""
        return """
            <section id="replan-section" aria-labelledby="replan-heading">
            <h2 id="replan-heading">\(t("Re-plan", "再計画"))</h2>
            <form id="replan" method="post" action="/console/board/replan" class="inline"
              data-sending="\(t("Starting the re-plan…", "再計画を開始しています…"))" data-started="\(t("Re-planning…", "再計画中…"))"
              data-progress="\(t("Re-planning… {s} s", "再計画中… {s} 秒"))" data-served="\(t("({n} bookings placed so far)", "(これまでに {n} 件を配置)"))"
              data-failed="\(t("The re-plan failed:", "再計画できませんでした:"))" data-lost="\(t("The connection to the server was lost; reload the board.", "サーバーとの接続が切れました。ページを再読み込みしてください。"))">
              \(page.csrfField)
              <input type="hidden" name="date" value="\(date.description)">
              <div><label for="replan-time-limit">\(t("Solver time (seconds)", "計算時間(秒)"))</label>
              <input id="replan-time-limit" name="time_limit" type="number" min="0.1" max="\(String(limits.maxPlanTimeLimit))" step="0.1" value="\(String(limits.planTimeLimit))" required></div>
              \(fromNow)
              <button id="replan-submit" type="submit">\(t("Re-plan \(date.description)", "\(date.description) を再計画"))</button>
            </form>
            <p id="replan-progress" role="status" aria-live="polite"></p>
            <p id="replan-result" aria-live="assertive"></p>
            </section>
            """
    }

    // MARK: Re-plans

    /// `POST /console/board/replan` (`date`, `time_limit`): starts the plan run `POST /v1/plans/{date}`
    /// makes, in the background. A script (`Accept: application/json`) gets 202 with the run's id and
    /// its events' address; a plain form waits for the run and is sent back to the board.
    func replan(_ page: ConsolePage, _ form: [String: String], runs: BoardReplans) async throws -> Response {
        guard let session = page.session else { throw APIError.unauthorized }
        guard let dateText = form["date"], let date = ServiceDate(parsing: dateText) else {
            throw APIError.invalid("date", "'date' must be a date YYYY-MM-DD")
        }
        var chosen = PlanRunOptions(timeLimit: api.configuration.planTimeLimit)
        if let text = form["time_limit"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let seconds = Double(text), seconds.isFinite, (0.1...api.configuration.maxPlanTimeLimit).contains(seconds) else {
                throw APIError.invalid("time_limit", "'time_limit' must be a number of seconds from 0.1 to \(api.configuration.maxPlanTimeLimit)")
            }
            chosen.timeLimit = seconds
        }
        if form["from_now"] != nil {
            let today = api.today()
            guard date == today.date else { throw APIError.invalid("from_now", "a re-plan from now is for today (\(today.date)), not \(date)") }
            chosen.replan = Replanning.Options(now: today.seconds, pin: form["pin"] != nil)
        } else if form["pin"] != nil {
            throw APIError.invalid("pin", "keeping the announced vehicles applies to a re-plan from now")
        }
        let options = chosen
        let id = await runs.start(owner: session.key.id)
        let api = self.api, key = session.key
        let locale = page.locale
        let doneText: @Sendable (Int, DayPlanDocument.Summary) -> String = { version, s in
            locale.t("Plan version \(version) saved: \(s.served) of \(s.bookings) bookings served, \(s.vehiclesUsed) vehicles used.",
              "計画第 \(version) 版を保存しました。予約 \(s.bookings) 件中 \(s.served) 件を運行、使用車両 \(s.vehiclesUsed) 台。")
        }
        let task = Task { () -> Result<PlanRun.Outcome, any Error> in
            await runs.post(id, .init(name: "started", data: ["run": .string(id), "date": .string(date.description), "time_limit": .number(options.timeLimit)]))
            let latest = LatestProgress()
            let started = ContinuousClock.now
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { break }
                    let p = latest.value
                    let elapsed = (ContinuousClock.now - started).components.seconds
                    await runs.post(id, .init(name: "progress", data: ["elapsed_s": .int(Int(elapsed)), "served": p.served.map { JSONValue.int($0) } ?? .null,
                                                                      "iteration": p.iteration.map { JSONValue.int($0) } ?? .null]))
                }
            }
            defer { ticker.cancel() }
            do {
                let outcome = try await api.plan(date, by: key, options: options) { latest.set(served: $0.served, iteration: $0.iteration) }
                ticker.cancel()
                let s = outcome.document.summary
                await runs.post(id, .init(name: "done", data: [
                    "version": .int(outcome.version), "bookings": .int(s.bookings), "served": .int(s.served),
                    "unserved": .int(outcome.document.unserved.count), "vehicles_used": .int(s.vehiclesUsed),
                    "summary": .string(doneText(outcome.version, s)),
                    "board": .string("/console/board?date=\(date.description)&replanned=\(outcome.version)"),
                ]))
                return .success(outcome)
            } catch {
                ticker.cancel()
                await runs.post(id, .init(name: "failed", data: ["message": .string(Self.message(of: error, page))]))
                return .failure(error)
            }
        }
        let accept = page.request.headers[.accept] ?? ""
        if accept.contains("application/json") {
            return JSONBody.response(["run": .string(id), "events": .string("/console/board/replan/\(id)/events")], status: .accepted)
        }
        switch await task.value {
        case .success(let outcome): return ConsoleHTTP.redirect("/console/board?date=\(date.description)&replanned=\(outcome.version)")
        case .failure(let error): return page.error(error)
        }
    }

    /// An error's message for people (as the error page says it).
    static func message(of error: any Error, _ page: ConsolePage) -> String {
        switch error {
        case let e as APIError: e.message
        case let e as StoreError: e.message
        default: "\(error)"
        }
    }

    // MARK: Manifests

    /// `GET /console/manifest?date=&vehicle=`: the vehicle's printable A4 manifest of the date's
    /// latest plan, the page `GET /v1/vehicles/{id}/manifest?format=html` answers.
    func manifest(_ page: ConsolePage) async throws -> Response {
        guard let session = page.session else { throw APIError.unauthorized }
        let date = try boardDate(page.query("date"))
        let vehicle = page.query("vehicle") ?? ""
        let manifest = try await api.vehicleManifest(vehicle: vehicle, date: date, key: session.key)
        return ConsoleHTTP.html(Markup(raw: manifest.html(zone: zone)))
    }
}

extension ConsoleAssets {
    /// The board's own files (script, styles).
    static let boardAssets: [ConsoleAsset] = [
        ConsoleAsset(name: "board.js", contentType: "text/javascript; charset=utf-8", text: boardScript),
        ConsoleAsset(name: "board.css", contentType: "text/css; charset=utf-8", text: boardStylesheet),
    ]
}
