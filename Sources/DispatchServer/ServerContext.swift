import Foundation
import HTTPTypes
import Hummingbird
import RideRequestStore

/// The request context: Hummingbird's core plus the caller's API key once authenticated.
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var key: APIKey?
    /// The web console's signed-in session (on `/console` paths).
    public var console: ConsoleSession?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Request bodies are small JSON documents; anything larger is refused with 413.
    public var maxUploadSize: Int { 64 * 1024 }

    func requireKey() throws -> APIKey {
        guard let key else { throw APIError.unauthorized }
        return key
    }
}

/// Checks `Authorization: Bearer KEY` on every path but the public ones.
struct AuthMiddleware: RouterMiddleware {
    let keys: KeyLookup
    static let publicPaths: Set<String> = ["/healthz", "/readyz", "/openapi.json", "/metrics"]
    static func isConsole(_ path: String) -> Bool { path == "/console" || path.hasPrefix("/console/") }

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        // The console signs in with a session cookie of its own (ConsoleSessionMiddleware).
        guard !Self.publicPaths.contains(request.uri.path), !Self.isConsole(request.uri.path) else { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { throw APIError.unauthorized }
        let secret = String(header.dropFirst("Bearer ".count).drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        guard let key = try await keys.key(secret: secret) else {
            throw APIError(.unauthorized, "unauthorized", "the API key is not valid", field: "Authorization")
        }
        var context = context
        context.key = key
        return try await next(request, context)
    }
}

/// Keys by secret, looked up in the store on every request, so that a key revoked anywhere (by
/// `DELETE /v1/keys/{id}` on any instance, or `dispatch keys revoke`) fails on its next request.
/// Nothing is cached: a flood of unknown tokens holds no memory and cannot push valid keys out of
/// anything; tokens that do not have the shape of a secret are refused without a store read.
struct KeyLookup: Sendable {
    let store: any RideRequestStore

    func key(secret: String) async throws -> APIKey? {
        guard APIKey.isWellFormedSecret(secret) else { return nil }
        return try await store.apiKey(secret: secret)
    }
}
