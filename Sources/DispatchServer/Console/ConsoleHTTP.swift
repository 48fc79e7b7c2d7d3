import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RideRequestStore

/// The console's HTTP pieces: form bodies, cookies, HTML answers and redirects.
enum ConsoleHTTP {
    static let sessionCookie = "dispatch_session"
    static let csrfCookie = "dispatch_csrf"
    static let languageCookie = "dispatch_lang"
    /// How long a sign-in lasts (seconds).
    static let sessionLifetime: Int64 = 12 * 3600

    /// Fields of an `application/x-www-form-urlencoded` body (the last of a repeated name wins).
    static func form(_ bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), !name.isEmpty else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return fields
    }

    /// Percent-decoding with `+` as a space; nil when the bytes are not UTF-8.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        while i < bytes.endIndex {
            let c = bytes[i]
            if c == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if c == UInt8(ascii: "%"), i + 2 < bytes.endIndex,
                      let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 2
            } else {
                out.append(c)
            }
            i += 1
        }
        return String(validating: out, as: UTF8.self)
    }

    /// A cookie's value from the request's `Cookie` headers.
    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let kv = part.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces) == name {
                    return kv[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// Whether the request came over TLS (directly or, per `X-Forwarded-Proto`, through a proxy).
    static func isSecure(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/console, Secure over TLS.
    static func setCookie(_ name: String, _ value: String, maxAge: Int64, request: Request, httpOnly: Bool = true) -> String {
        var c = "\(name)=\(value); Path=/console; Max-Age=\(maxAge); SameSite=Strict"
        if httpOnly { c += "; HttpOnly" }
        if isSecure(request) { c += "; Secure" }
        return c
    }

    static func html(_ markup: Markup, status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        for c in cookies { headers.append(HTTPField(name: .setCookie, value: c)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: markup.text)))
    }

    /// 303 See Other to `location` (after a form POST, or to the sign-in page).
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for c in cookies { headers.append(HTTPField(name: .setCookie, value: c)) }
        return Response(status: .seeOther, headers: headers)
    }
}

/// Loads the console session named by the `dispatch_session` cookie (on `/console` paths only).
struct ConsoleSessionMiddleware: RouterMiddleware {
    let store: any RideRequestStore

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/console") else { return try await next(request, context) }
        var context = context
        if let token = ConsoleHTTP.cookie(ConsoleHTTP.sessionCookie, in: request), RandomToken.isWellFormed(token, count: 40) {
            context.console = try await store.consoleSession(token: token)
        }
        return try await next(request, context)
    }
}
