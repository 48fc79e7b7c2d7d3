import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RideRequestStore

/// An error answer: HTTP status and `{"error": {"code", "message", "field"}}`, plus, for a broken
/// booking rule (`booking_rule`), `rule`, `book_from`, `earliest_service` and `phone`.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    /// The booking rule broken (`code` `booking_rule`), e.g. `cutoff`.
    public var rule: String?
    /// More members of the error object (snake_case keys).
    public var details: [String: JSONValue] = [:]
    /// Seconds for the `Retry-After` header; every 503 carries one.
    public var retryAfter: Int?
    /// The `Allow` header of a 405: the methods the path takes.
    public var allow: String?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field.map { echo($0) }
        self.retryAfter = retryAfter ?? (status == .serviceUnavailable ? Self.defaultRetryAfter : nil)
    }

    /// Seconds a client should wait before trying again after a 503 (store or shutdown).
    static let defaultRetryAfter = 5

    static func storeUnavailable(_ error: StoreError) -> APIError {
        APIError(.serviceUnavailable, "store_unavailable", "the booking store is unavailable, try again shortly (\(error.message))")
    }

    static func invalid(_ field: String, _ message: String) -> APIError { APIError(.unprocessableContent, "invalid_field", message, field: field) }
    static func malformed(_ message: String, field: String? = nil) -> APIError { APIError(.badRequest, "malformed_request", message, field: field) }
    static func notFound(_ what: String) -> APIError { APIError(.notFound, "not_found", "\(what) was not found") }
    static let unauthorized = APIError(.unauthorized, "unauthorized", "send an API key as 'Authorization: Bearer KEY'", field: "Authorization")
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }

    /// 422 `booking_rule`: the booking breaks a booking rule of the resident's municipality (or the
    /// zone's calendar); `book_from` and `earliest_service` are timestamps with the zone's offset, or null.
    public static func bookingRule(_ violation: BookingRulesCheck.Violation, timeZone: TimeZone) -> APIError {
        var error = APIError(.unprocessableContent, "booking_rule", violation.message, field: violation.field)
        error.rule = violation.rule.rawValue
        error.details = ["rule": .string(violation.rule.rawValue), "book_from": .optional(violation.bookFrom?.timestamp(in: timeZone)),
                         "earliest_service": .optional(violation.earliestService?.timestamp(in: timeZone)), "phone": .optional(violation.phone)]
        return error
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var error: [String: JSONValue] = details
        error["code"] = .string(code)
        error["message"] = .string(message)
        error["field"] = .optional(field)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if let allow { headers[.allow] = allow }
        headers[HTTPField.Name("X-Request-Id")!] = context.id
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONValue.object(["error": .object(error)]).bytes)))
    }
}

/// Turns every error into a JSON error answer: our own as they are, Hummingbird's (unknown route,
/// body too large) with a code, store errors by kind, and anything else as a 500 that is logged.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as any HTTPResponseError {
            // Hummingbird's own (unknown route, body too large, …).
            switch error.status {
            case .notFound:
                // A known path with another method is 405 naming the methods it takes.
                if let allowed = Routes.methods[Routes.template(request.uri.path)], !allowed.contains(request.method.rawValue) {
                    var error = APIError(.methodNotAllowed, "method_not_allowed",
                                         "\(request.method) is not allowed on \(echo(request.uri.path)); use \(allowed.joined(separator: " or "))")
                    error.allow = allowed.joined(separator: ", ")
                    throw error
                }
                throw APIError(.notFound, "not_found", "no such endpoint: \(request.method) \(echo(request.uri.path))")
            case .contentTooLarge: throw APIError(.contentTooLarge, "body_too_large", "the request body is larger than \(context.maxUploadSize) bytes")
            case .methodNotAllowed: throw APIError(.methodNotAllowed, "method_not_allowed", "\(request.method) is not allowed on \(echo(request.uri.path))")
            default: throw APIError(error.status, "http_error", (error as? HTTPError)?.body ?? error.status.reasonPhrase)
            }
        } catch let error as StoreError {
            switch error.kind {
            case .notFound: throw APIError(.notFound, "not_found", error.message)
            case .invalidTransition: throw APIError(.conflict, "invalid_transition", error.message)
            case .lockTimeout: throw APIError(.conflict, "plan_running", error.message)
            case .invalidLocation: throw APIError(.unprocessableContent, "unknown_place", error.message)
            case .unavailable, .badAddress:
                context.logger.error("store unavailable on \(request.method) \(request.uri.path): \(error.message)")
                throw APIError.storeUnavailable(error)
            }
        } catch is CancellationError {
            throw APIError(.serviceUnavailable, "cancelled", "the server is shutting down")
        } catch {
            // A backend's own error (GRDB, postgres-nio): the store failed, not the request.
            if let storeError = StoreError(classifying: error) {
                context.logger.error("store failure on \(request.method) \(request.uri.path): \(storeError.message)")
                throw APIError.storeUnavailable(storeError)
            }
            // The type and a bounded description: an unknown error's text could quote request data.
            context.logger.error("internal error on \(request.method) \(echo(request.uri.path)): \(type(of: error)): \(echo(String(describing: error), limit: 200))")
            throw APIError(.internalServerError, "internal", "internal error; it has been logged")
        }
    }
}

enum JSONBody {
    static func buffer(_ value: JSONValue) -> ByteBuffer { ByteBuffer(bytes: value.bytes) }

    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        response(bytes: value.bytes, status: status)
    }

    static func response(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
