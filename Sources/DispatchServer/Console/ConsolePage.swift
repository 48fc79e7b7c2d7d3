import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import Hummingbird
import RideRequestStore

/// One request's view of the console: language, session, and the layout every page shares
/// (skip link, navigation by role, language switch, sign-out form with its CSRF token).
struct ConsolePage: Sendable {
    let request: Request
    let session: ConsoleSession?
    let zone: ServiceZone
    let locale: ConsoleLocale
    /// Set when `?lang=` chose the language: kept in a cookie.
    let chosenLanguage: ConsoleLocale?

    init(request: Request, session: ConsoleSession?, zone: ServiceZone) {
        self.request = request
        self.session = session
        self.zone = zone
        let query = request.uri.queryParameters["lang"].map(String.init)
        chosenLanguage = query.flatMap(ConsoleLocale.init(rawValue:))
        locale = ConsoleLocale.from(query: query, cookie: ConsoleHTTP.cookie(ConsoleHTTP.languageCookie, in: request),
                                    acceptLanguage: request.headers[.acceptLanguage])
    }

    func t(_ en: String, _ ja: String) -> String { locale.t(en, ja) }

    /// The hidden CSRF field every form of a signed-in page carries.
    var csrfField: Markup { "<input type=\"hidden\" name=\"csrf\" value=\"\(session?.csrfToken ?? "")\">" }

    /// A query parameter (nil when absent).
    func query(_ name: String) -> String? { request.uri.queryParameters[Substring(name)].map(String.init) }

    /// This page's address in the other language (other query parameters kept).
    func languageLink(_ l: ConsoleLocale) -> String {
        var items = request.uri.queryParameters.filter { $0.key != Substring("lang") }.map { "\(Self.percent(String($0.key)))=\(Self.percent(String($0.value)))" }
        items.append("lang=\(l.rawValue)")
        return request.uri.path + "?" + items.joined(separator: "&")
    }

    static func percent(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }

    func render(title: String, body: Markup, status: HTTPResponse.Status = .ok, cookies: [String] = [], scripts: [String] = []) -> Response {
        var nav: [Markup] = []
        if let role = session?.key.role {
            let here = request.uri.path
            func link(_ id: String, _ path: String, _ label: String) -> Markup {
                let current: Markup = here == path ? " aria-current=\"page\"" : ""
                return "<a id=\"\(id)\" href=\"\(path)\"\(current)>\(label)</a>"
            }
            if Console.bookingRoles.contains(role) {
                nav.append(link("nav-book", "/console/book", t("Phone booking", "電話予約")))
                nav.append(link("nav-standing", "/console/standing", t("Standing bookings", "定期予約")))
            }
            if Console.boardRoles.contains(role) { nav.append(link("nav-board", "/console/board", t("Day board", "運行管理"))) }
        }
        var who: Markup = ""
        if let key = session?.key {
            let scope = key.municipality.flatMap { id in zone.file.municipalities.first { $0.id == id } }.map { " · \($0.localName)" } ?? ""
            who = """
                <span class="who">\(key.label.isEmpty ? key.role.rawValue : key.label) (\(key.role.rawValue)\(scope))</span>
                <form id="sign-out" method="post" action="/console/sign-out">\(csrfField)<button id="sign-out-submit" type="submit" class="link">\(t("Sign out", "サインアウト"))</button></form>
                """
        }
        let current: Markup = " aria-current=\"true\""
        let languages: Markup = """
            <span class="languages"><a id="lang-ja" href="\(languageLink(.ja))" lang="ja" hreflang="ja"\(locale == .ja ? current : "")>日本語</a>
            <a id="lang-en" href="\(languageLink(.en))" lang="en" hreflang="en"\(locale == .en ? current : "")>English</a></span>
            """
        let scriptTags: [Markup] = (["console.js"] + scripts).map { "<script src=\"/console/static/\($0)\" defer></script>" }
        let html: Markup = """
            <!DOCTYPE html>
            <html lang="\(locale.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) — dispatch \(zone.file.name)</title>
            <link rel="stylesheet" href="/console/static/console.css">
            \(scriptTags)
            </head>
            <body>
            <a class="skip" href="#main">\(t("Skip to content", "本文へ移動"))</a>
            <header class="top">
            <span class="brand">dispatch · \(zone.file.name)</span>
            <nav id="console-nav" aria-label="\(t("Console", "コンソール"))">\(nav)</nav>
            <div class="account">\(languages)\(who)</div>
            </header>
            <main id="main" tabindex="-1">
            \(body)
            </main>
            </body>
            </html>
            """
        var cookies = cookies
        if let chosen = chosenLanguage {
            cookies.append(ConsoleHTTP.setCookie(ConsoleHTTP.languageCookie, chosen.rawValue, maxAge: 365 * 86_400, request: request))
        }
        return ConsoleHTTP.html(html, status: status, cookies: cookies)
    }

    /// An error page with `p.error`.
    func error(_ status: HTTPResponse.Status, _ message: String, field: String? = nil) -> Response {
        let fieldAttribute: Markup = field.map { " data-field=\"\($0)\"" } ?? ""
        let body: Markup = """
            <h1>\(t("Not done", "処理できません")) (\(status.code))</h1>
            <p class="error" role="alert"\(fieldAttribute)>\(message)</p>
            <p><a href="/console/">\(t("Back to the console", "コンソールに戻る"))</a></p>
            """
        return render(title: t("Error", "エラー"), body: body, status: status)
    }

    /// An error page for a thrown error: the API's status and message; the store's 503.
    func error(_ error: any Error) -> Response {
        switch error {
        case let e as APIError: return self.error(e.status, e.message, field: e.field)
        case let e as StoreError where e.kind == .notFound: return self.error(.notFound, e.message)
        case let e as StoreError: return self.error(.serviceUnavailable, t("The booking store is unavailable; try again shortly.", "予約データベースに接続できません。しばらくして再度お試しください。") + " (\(e.message))")
        default: return self.error(.internalServerError, "\(error)")
        }
    }
}
