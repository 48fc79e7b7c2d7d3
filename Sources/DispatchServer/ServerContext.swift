import Foundation
import HTTPTypes
import Hummingbird
import RideRequestStore

/// The request context: Hummingbird's core plus the caller's API key once authenticated.
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var key: APIKey?

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
    let keys: KeyCache
    static let publicPaths: Set<String> = ["/healthz", "/readyz", "/openapi.json"]

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard !Self.publicPaths.contains(request.uri.path) else { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { throw APIError.unauthorized }
        let secret = String(header.dropFirst("Bearer ".count).drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        guard !secret.isEmpty, secret.count <= 200, let key = try await keys.key(secret: secret) else {
            throw APIError(.unauthorized, "unauthorized", "the API key is not valid", field: "Authorization")
        }
        var context = context
        context.key = key
        return try await next(request, context)
    }
}

/// Keys by secret, cached for a minute (a key lookup per request would be a store read each).
actor KeyCache {
    let store: any RideRequestStore
    private var cache: [String: (key: APIKey?, at: ContinuousClock.Instant)] = [:]

    init(store: any RideRequestStore) { self.store = store }

    func key(secret: String) async throws -> APIKey? {
        if let hit = cache[secret], ContinuousClock.now - hit.at < .seconds(60) { return hit.key }
        let key = try await store.apiKey(secret: secret)
        if cache.count > 10_000 { cache.removeAll() }
        cache[secret] = (key, ContinuousClock.now)
        return key
    }
}
