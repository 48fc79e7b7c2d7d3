import Foundation
import HTTPTypes
import NIOCore

/// A browser's view of the console for tests: a cookie jar, form posts, and the CSRF token of the
/// last page read.
final class ConsoleSession: @unchecked Sendable {
    let client: ServerHarness.Client
    var cookies: [String: String] = [:]
    var language: String?

    init(_ client: ServerHarness.Client, language: String? = "en") {
        self.client = client
        self.language = language
    }

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var html: String
        var location: String? { headers[.location] }
        /// The value of the first hidden input `name`.
        func hidden(_ name: String) -> String? {
            guard let r = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(html[r.upperBound...].prefix { $0 != "\"" })
        }
        /// The text of the element with this id (up to the next tag).
        func text(id: String) -> String? {
            guard let r = html.range(of: "id=\"\(id)\"") else { return nil }
            guard let close = html[r.upperBound...].firstIndex(of: ">") else { return nil }
            return String(html[html.index(after: close)...].prefix { $0 != "<" })
        }
        func contains(_ s: String) -> Bool { html.contains(s) }
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, form: [(String, String)]? = nil, extraHeaders: HTTPFields = [:]) async throws -> Page {
        var headers = extraHeaders
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let language { headers[.acceptLanguage] = language }
        var body: ByteBuffer?
        if let form {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            body = ByteBuffer(string: form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&"))
            headers[.contentType] = "application/x-www-form-urlencoded"
        }
        let (status, responseHeaders, responseBody) = try await client.send(uri, method, headers, body)
        for value in responseHeaders[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]), v = pair.count > 1 ? String(pair[1]) : ""
            if v.isEmpty || value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = v }
        }
        return Page(status: status, headers: responseHeaders, html: String(decoding: responseBody.readableBytesView, as: UTF8.self))
    }

    func get(_ uri: String) async throws -> Page { try await send(.get, uri) }

    /// Posts a form with the CSRF token of `page` (or none when nil).
    func post(_ uri: String, _ fields: [(String, String)], csrfFrom page: Page?) async throws -> Page {
        var all = fields
        if let token = page?.hidden("csrf") { all.append(("csrf", token)) }
        return try await send(.post, uri, form: all)
    }

    /// Signs in with the harness key `who`; returns the page signed in to (after the redirect).
    @discardableResult
    func signIn(_ who: String) async throws -> Page {
        let form = try await get("/console/sign-in")
        let answer = try await post("/console/sign-in", [("key", client.keys[who] ?? who)], csrfFrom: form)
        guard answer.status == .seeOther, let location = answer.location else { return answer }
        return try await get(location)
    }
}
