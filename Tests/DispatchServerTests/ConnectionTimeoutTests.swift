import DispatchServer
import Foundation
import RideRequestStore
import Testing

/// Clients that stop half-way: the server hangs up on them after the idle timeout instead of
/// holding the connection (and its memory) for ever.
@Suite struct ConnectionTimeoutTests {
    static func shortTimeouts(_ configuration: inout ServerConfiguration) {
        configuration.idleTimeout = .seconds(1)
        configuration.bodyTimeout = .seconds(1)
    }

    @Test func aConnectionThatStopsInTheMiddleOfItsHeadersIsClosedAfterTheIdleTimeout() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run(configure: Self.shortTimeouts) { client in
            let connection = try RawConnection(port: client.port)
            #expect(connection.write("POST /v1/bookings HTTP/1.1\r\nHost: localhost\r\nContent-Ty"))
            let result = await connection.readUntilClosed()
            #expect(result.closed, "the server kept the connection open")
            #expect(result.end >= .milliseconds(800) && result.end < .seconds(10), "\(result.end)")
        }
    }

    @Test func aConnectionThatSendsNothingAtAllIsClosedAfterTheIdleTimeout() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run(configure: Self.shortTimeouts) { client in
            let connection = try RawConnection(port: client.port)
            let result = await connection.readUntilClosed()
            #expect(result.closed && result.end < .seconds(10), "\(result)")
        }
    }

    @Test func aBodyThatStallsIsAnsweredOrClosedWithinTheTimeoutAndNothingIsStored() async throws {
        let harness = try await ServerHarness.make()
        let store = harness.store
        try await harness.run(configure: Self.shortTimeouts) { client in
            let connection = try RawConnection(port: client.port)
            let body = #"{"passenger_ref": "slow", "municipality": "okukawa-mura", "#
            #expect(connection.write("POST /v1/bookings HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(client.keys["booking"]!)\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: 400\r\n\r\n" + body))
            let result = await connection.readUntilClosed()
            #expect(result.closed, "the server kept the connection open")
            #expect(result.end < .seconds(10), "\(result.end)")
            if !result.bytes.isEmpty {
                #expect(String(decoding: result.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 408"), "\(String(decoding: result.bytes, as: UTF8.self))")
            }
        }
        #expect(try await store.bookings(serviceDate: ServerHarness.summer, municipality: nil, createdBy: nil).isEmpty)
    }

    @Test func aBodyThatTricklesInByteByByteIsRefusedWith408AfterTheBodyTimeout() async throws {
        let harness = try await ServerHarness.make()
        // The idle timeout well above the drip interval, so that a loaded machine delaying a drip
        // does not turn this into the idle case; the body timeout is what must answer.
        try await harness.run(configure: { $0.idleTimeout = .seconds(5); $0.bodyTimeout = .seconds(1) }) { client in
            let connection = try RawConnection(port: client.port, readTimeout: 15)
            #expect(connection.write("POST /v1/bookings HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(client.keys["booking"]!)\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"))
            // One byte every 300 ms: never idle for a whole second, but the body takes 30 s. On a
            // thread of its own: the test run's busy task pool must not hold the drip back (the
            // connection would then go idle, and the idle timeout would answer instead).
            final class StopFlag: @unchecked Sendable {
                private let lock = NSLock()
                private var value = false
                func set() { lock.withLock { value = true } }
                var isSet: Bool { lock.withLock { value } }
            }
            let stop = StopFlag()
            Thread.detachNewThread {
                for _ in 0..<20 {
                    usleep(300_000)
                    if stop.isSet || !connection.write(" ") { return }
                }
            }
            let result = await connection.readUntilClosed()
            stop.set()
            let text = String(decoding: result.bytes, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 408"), "\(text)")
            #expect(text.contains("request_timeout"))
            let first = try #require(result.firstAnswer)
            #expect(first >= .milliseconds(800) && first < .seconds(8), "\(first)")
        }
    }
}
