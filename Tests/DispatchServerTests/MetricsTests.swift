import DispatchServer
import Foundation
import HTTPTypes
import Testing

/// `GET /metrics`: Prometheus text with bookings by outcome and reason, latency histograms, plan
/// runs, open connections; no personal data.
@Suite struct MetricsTests {
    /// Sample lines "name{labels} value" → value.
    static func samples(_ text: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            out[String(line[..<space])] = value
        }
        return out
    }

    @Test func metricsCountBookingsByOutcomeAndReasonAndTimeEveryRoute() async throws {
        let harness = try await ServerHarness.make()
        try await harness.run { client in
            for i in 0..<3 { #expect(try await client.book(pickupTime: "1\(i):00", passenger: "SECRET-PASSENGER-\(i)").status == .created) }
            // Winter: the pass is closed, this trip is rejected with its reason.
            let closed = try await client.book(from: "tanohara-hamlet", to: "kumoi-onsen-hamlet", municipality: "kitazawa-mura",
                                               date: ServerHarness.winter, passenger: "SECRET-PASSENGER-X")
            #expect(closed["status"] as? String == "rejected")
            let reason = try #require((closed["reason"] as? [String: Any])?["code"] as? String)
            let malformed = try await client.call(.post, "/v1/bookings", as: "booking", raw: "{")
            // Answers name their request, errors too, each its own.
            let first = try #require(malformed.headers[HTTPField.Name("X-Request-Id")!])
            #expect(!first.isEmpty && closed.headers[HTTPField.Name("X-Request-Id")!] != first)
            let plan = try await client.call(.post, "/v1/plans/\(ServerHarness.summer)", as: "dispatcher", json: ["time_limit": 0.2])
            #expect(plan.status == .created)

            let answer = try await client.call(.get, "/metrics", as: nil)
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(decoding: answer.bytes, as: UTF8.self)
            let s = Self.samples(text)
            #expect(s[#"dispatch_bookings_total{outcome="accepted",reason="none"}"#] == 3)
            #expect(s["dispatch_bookings_total{outcome=\"rejected\",reason=\"\(reason)\"}"] == 1)
            #expect(s[#"dispatch_http_requests_total{method="POST",route="/v1/bookings",status="201"}"#] == 4)
            #expect(s[#"dispatch_http_requests_total{method="POST",route="/v1/bookings",status="400"}"#] == 1)
            #expect(s[#"dispatch_http_request_duration_seconds_count{method="POST",route="/v1/bookings"}"#] == 5)
            #expect(s[#"dispatch_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/v1/bookings"}"#] == 5)
            #expect(s[#"dispatch_plan_runs_total{outcome="saved"}"#] == 1)
            #expect(s["dispatch_plan_run_duration_seconds_count"] == 1)
            #expect(s["dispatch_broken_promises_total"] ?? 0 == 0)
            #expect((s["dispatch_http_connections_open"] ?? 0) >= 1)
            #expect(s["dispatch_plan_runs_in_progress"] == 0)
            // Every histogram's buckets are cumulative.
            let buckets = s.filter { $0.key.hasPrefix("dispatch_http_request_duration_seconds_bucket{") && $0.key.contains("route=\"/v1/bookings\"") }
            #expect(buckets.count == ServerMetrics.latencyBuckets.count + 1)
            // Nothing personal: passenger refs and key secrets never appear.
            #expect(!text.contains("SECRET-PASSENGER"))
            #expect(!harness.keys.values.contains { text.contains($0) })
        }
    }

    @Test func labelValuesAreEscapedAndNumbersPrintedPlainly() {
        let metrics = ServerMetrics()
        metrics.increment("dispatch_store_errors_total", ["kind": "a\"b\\c\nd"], by: 2)
        let text = metrics.render()
        #expect(text.contains(#"dispatch_store_errors_total{kind="a\"b\\c\nd"} 2"#))
        #expect(text.contains("# TYPE dispatch_store_errors_total counter"))
    }
}
