import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import RideRequestStore

/// The web console under `/console/`: phone booking for operators, the day board for
/// dispatchers. Server-rendered pages (`Markup`), one stylesheet and small scripts served from
/// here (no CDN: it works on a closed municipal network). Every action goes through the same
/// code as the API (`Handlers`): the booking desk, cancellation, plan runs, manifests.
struct Console: Sendable {
    let api: Handlers
    var zone: ServiceZone { api.zone }
    var store: any RideRequestStore { api.store }

    init(_ api: Handlers) { self.api = api }

    func register(on router: Router<ServerContext>) {
        router.get("/console") { request, context in await home(request, context) }
        for asset in ConsoleAssets.all {
            router.get("/console/static/\(asset.name)") { _, _ in asset.response() }
        }
        router.get("/console/sign-in") { request, context in await signInPage(request, context) }
        router.post("/console/sign-in") { request, context in await signIn(request, context) }
        router.post("/console/sign-out") { request, context in
            await guarded(request, context, roles: nil) { page, _ in
                if let token = ConsoleHTTP.cookie(ConsoleHTTP.sessionCookie, in: request) { try await store.deleteConsoleSession(token: token) }
                return ConsoleHTTP.redirect("/console/sign-in", cookies: [ConsoleHTTP.setCookie(ConsoleHTTP.sessionCookie, "", maxAge: 0, request: request)])
            }
        }
        registerBooking(on: router)
        registerStanding(on: router)
        registerBoard(on: router)
    }

    /// The roles that book by phone and see residents' trips.
    static let bookingRoles: Set<Role> = [.operator, .admin]
    /// The roles that see the day board, plans and manifests.
    static let boardRoles: Set<Role> = [.dispatcher, .admin]
    /// The roles that may sign in at all.
    static let consoleRoles: Set<Role> = [.operator, .dispatcher, .admin]

    static func homePath(_ role: Role) -> String { bookingRoles.contains(role) ? "/console/book" : "/console/board" }

    func home(_ request: Request, _ context: ServerContext) async -> Response {
        guard let session = context.console else { return ConsoleHTTP.redirect("/console/sign-in") }
        return ConsoleHTTP.redirect(Self.homePath(session.key.role))
    }

    // MARK: Pages, sessions and CSRF

    /// Runs a page's handler: signs-in required (redirect to the sign-in page for a GET, 403 for
    /// a POST), the role checked, a POST's form read and its CSRF token checked (403 and nothing
    /// done otherwise); errors become pages (the API's status and message, the field named).
    func guarded(_ request: Request, _ context: ServerContext, roles: Set<Role>?,
                 _ body: (ConsolePage, [String: String]) async throws -> Response) async -> Response {
        let page = ConsolePage(request: request, session: context.console, zone: zone)
        let t = page.locale.t
        guard let session = context.console else {
            if request.method == .get { return ConsoleHTTP.redirect("/console/sign-in") }
            return page.error(.forbidden, t("Sign in first.", "先にサインインしてください。"))
        }
        if let roles, !roles.contains(session.key.role) {
            return page.error(.forbidden, t("This page is not for a \(session.key.role.rawValue) key.", "このページは \(session.key.role.rawValue) の鍵では使えません。"))
        }
        do {
            var form: [String: String] = [:]
            if request.method == .post {
                form = try await readForm(request, context)
                guard session.acceptsCSRF(form["csrf"]) else {
                    return page.error(.forbidden, t("The form's CSRF token is missing or wrong: nothing was changed. Reload the page and try again.",
                                                    "フォームの CSRF トークンがないか正しくありません。何も変更していません。ページを再読み込みしてください。"))
                }
            }
            return try await body(page, form)
        } catch {
            return page.error(error)
        }
    }

    /// A form body (`application/x-www-form-urlencoded`, at most the server's upload limit).
    func readForm(_ request: Request, _ context: ServerContext) async throws -> [String: String] {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/x-www-form-urlencoded" else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the form as application/x-www-form-urlencoded", field: "Content-Type")
        }
        return ConsoleHTTP.form(try await api.collectBody(request, context))
    }

    func signInPage(_ request: Request, _ context: ServerContext, error: String? = nil, status: HTTPResponse.Status = .ok) async -> Response {
        if error == nil, let session = context.console { return ConsoleHTTP.redirect(Self.homePath(session.key.role)) }
        let page = ConsolePage(request: request, session: nil, zone: zone)
        let t = page.locale.t
        // Before sign-in there is no session: the form's token is compared with a cookie (double submit).
        let token = ConsoleHTTP.cookie(ConsoleHTTP.csrfCookie, in: request).flatMap { $0.count == 32 ? $0 : nil } ?? RandomToken.make(32)
        let body: Markup = """
            <h1>\(t("Sign in", "サインイン"))</h1>
            <p>\(t("Sign in with the API key your administrator gave you (operator, dispatcher or admin).",
                   "管理者から受け取った API キー(オペレーター・配車担当・管理者)でサインインします。"))</p>
            \(error.map { message -> Markup in "<p class=\"error\" role=\"alert\">\(message)</p>" } ?? "")
            <form id="sign-in" method="post" action="/console/sign-in" class="card narrow">
              <input type="hidden" name="csrf" value="\(token)">
              <label for="key">\(t("API key", "API キー"))</label>
              <input id="key" name="key" type="password" autocomplete="current-password" required autofocus spellcheck="false">
              <button id="sign-in-submit" type="submit">\(t("Sign in", "サインイン"))</button>
            </form>
            """
        return page.render(title: t("Sign in", "サインイン"), body: body, status: status,
                           cookies: [ConsoleHTTP.setCookie(ConsoleHTTP.csrfCookie, token, maxAge: 3600, request: request)])
    }

    func signIn(_ request: Request, _ context: ServerContext) async -> Response {
        let page = ConsolePage(request: request, session: nil, zone: zone)
        let t = page.locale.t
        do {
            let form = try await readForm(request, context)
            guard let cookie = ConsoleHTTP.cookie(ConsoleHTTP.csrfCookie, in: request), cookie.count == 32, form["csrf"] == cookie else {
                return page.error(.forbidden, t("The form's CSRF token is missing or wrong. Reload the sign-in page and try again.",
                                                "フォームの CSRF トークンがないか正しくありません。サインインページを再読み込みしてください。"))
            }
            let secret = (form["key"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard let key = try await KeyLookup(store: store).key(secret: secret) else {
                return await signInPage(request, context, error: t("That API key is not valid (or has been revoked).", "この API キーは無効です(または失効しています)。"),
                                        status: .unauthorized)
            }
            guard Self.consoleRoles.contains(key.role) else {
                return await signInPage(request, context, error: t("The console is for operator, dispatcher and admin keys, not \(key.role.rawValue) keys.",
                                                                   "コンソールはオペレーター・配車担当・管理者の鍵専用です(\(key.role.rawValue) の鍵は使えません)。"),
                                        status: .forbidden)
            }
            let (token, _) = try await store.createConsoleSession(keyID: key.id, lifetime: ConsoleHTTP.sessionLifetime)
            return ConsoleHTTP.redirect(Self.homePath(key.role), cookies: [
                ConsoleHTTP.setCookie(ConsoleHTTP.sessionCookie, token, maxAge: ConsoleHTTP.sessionLifetime, request: request),
                ConsoleHTTP.setCookie(ConsoleHTTP.csrfCookie, "", maxAge: 0, request: request),
            ])
        } catch {
            return page.error(error)
        }
    }
}
