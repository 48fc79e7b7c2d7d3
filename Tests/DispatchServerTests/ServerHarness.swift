import DispatchPlanning
import DispatchServer
import DispatchWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RideRequestStore
import StoreTestSupport
import Testing

/// A live server on a free port over a fresh SQLite store and the embedded zone, with one key per role.
struct ServerHarness: Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let zone: ServiceZone = try! ServiceZone.load(zonePath: root.appendingPathComponent("Networks/default-zone.zone.json").path)

    /// Future dates (the server refuses past ones): summer and winter (the pass is closed Dec 1 – Apr 15).
    static let summer = "2099-07-01"
    static let winter = "2099-12-15"

    let store: any RideRequestStore
    var keys: [String: String] = [:]

    typealias Backend = TestStore
    static let backends = TestStore.available

    static func make(_ backend: Backend = .sqlite) async throws -> ServerHarness {
        let store = try await backend.open()
        try await store.replaceZone(municipalities: zone.file.municipalities.map { MunicipalityRow(id: $0.id, name: $0.name, localName: $0.localName) },
                                    vehicles: [], actor: "test")
        var harness = ServerHarness(store: store)
        for (name, role, municipality) in [("booking", Role.booking, nil), ("booking2", .booking, nil), ("okukawa", .operator, "okukawa-mura"),
                                           ("kitazawa", .operator, "kitazawa-mura"), ("dispatcher", .dispatcher, nil), ("admin", .admin, nil)] {
            harness.keys[name] = try await store.createAPIKey(role: role, municipality: municipality, label: name, actor: "test").secret
        }
        return harness
    }

    /// The embedded zone with cross-border rules added.
    static func zone(with rules: ZoneFile.Rules) throws -> ServiceZone {
        var file = zone.file
        file.rules = rules
        return try ServiceZone(file: file, graph: zone.graph, hierarchy: nil)
    }

    func run<Value: Sendable>(zone: ServiceZone = ServerHarness.zone, configure: (inout ServerConfiguration) -> Void = { _ in },
                              _ test: @Sendable (Client) async throws -> Value) async throws -> Value {
        var configuration = ServerConfiguration(zone: zone, store: store)
        configuration.port = 0
        configuration.planTimeLimit = 1
        // The tests book far ahead (2099) on the real clock.
        configuration.bookingHorizonDays = 36_600
        // A test's first connection may sit idle while others work on a loaded machine; the
        // timeout tests set their own.
        configuration.idleTimeout = .seconds(600)
        configure(&configuration)
        let app = DispatchAPI.application(configuration)
        return try await app.test(.live) { client in
            try await test(Client(port: client.port!, keys: keys) { uri, method, headers, body in
                let r = try await client.execute(uri: uri, method: method, headers: headers, body: body)
                return (r.status, r.headers, r.body)
            })
        }
    }

    struct Client: Sendable {
        typealias Send = @Sendable (String, HTTPRequest.Method, HTTPFields, ByteBuffer?) async throws -> (HTTPResponse.Status, HTTPFields, ByteBuffer)
        let port: Int
        let keys: [String: String]
        let send: Send

        init(port: Int, keys: [String: String], send: @escaping Send) {
            self.port = port
            self.keys = keys
            self.send = send
        }

        /// Another connection to the same server.
        func newConnection() -> Client {
            let extra = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(60)))
            extra.connect()
            return Client(port: port, keys: keys) { uri, method, headers, body in
                let r = try await extra.execute(.init(uri, method: method, headers: headers, body: body))
                return (r.status, r.headers, r.body ?? ByteBuffer())
            }
        }

        struct Answer: @unchecked Sendable {
            var status: HTTPResponse.Status
            var headers: HTTPFields
            var json: [String: Any]
            var bytes: [UInt8]
            var error: [String: Any]? { json["error"] as? [String: Any] }
            var field: String? { error?["field"] as? String }
            subscript(key: String) -> Any? { json[key] }
        }

        /// Sends a request as `as` (a key name of the harness, or nil for none) with a JSON or raw body.
        func call(_ method: HTTPRequest.Method, _ uri: String, as who: String?, json: [String: Any]? = nil, raw: String? = nil,
                  headers extra: HTTPFields = [:]) async throws -> Answer {
            var headers = extra
            if let who { headers[.authorization] = "Bearer \(keys[who] ?? who)" }
            var body: ByteBuffer?
            if let json { body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)) }
            if let raw { body = ByteBuffer(string: raw) }
            if body != nil { headers[.contentType] = "application/json" }
            let (status, responseHeaders, responseBody) = try await send(uri, method, headers, body)
            let bytes = Array(responseBody.readableBytesView)
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
            return Answer(status: status, headers: responseHeaders, json: object, bytes: bytes)
        }

        func book(_ who: String = "booking", from: String = "okukawa-yakuba-mae-meetingpoint", to: String = "hanaoka-prefectural-hospital-hospital",
                  municipality: String? = "okukawa-mura", date: String = ServerHarness.summer, pickupTime: String? = "10:00",
                  arriveBy: String? = nil, party: Int = 1, wheelchairs: Int = 0, passenger: String = "P-1",
                  idempotencyKey: String? = nil) async throws -> Answer {
            var body: [String: Any] = ["passenger_ref": passenger, "pickup": ["stop_id": from], "dropoff": ["stop_id": to], "date": date,
                                       "party_size": party, "wheelchairs": wheelchairs]
            if let municipality { body["municipality"] = municipality }
            if let pickupTime, arriveBy == nil { body["pickup_time"] = pickupTime }
            if let arriveBy { body["arrive_by"] = arriveBy }
            var headers: HTTPFields = [:]
            if let idempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
            return try await call(.post, "/v1/bookings", as: who, json: body, headers: headers)
        }
    }
}

/// "HH:MM" → minutes.
func minutes(_ text: Any?) -> Int {
    guard let s = text as? String else { return -1 }
    let p = s.split(separator: ":")
    return Int(p[0])! * 60 + Int(p[1])!
}
