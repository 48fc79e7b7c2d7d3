import Foundation
import PostgresNIO

extension PostgresStore {
    public func recordVehicleEvent(_ event: VehicleEventRecord, requestHash: String) async throws -> VehicleEventWrite {
        try await transaction { conn in
            // Serializes events with the same id (a concurrent twin waits here, then sees the first).
            try await conn.query("SELECT pg_advisory_xact_lock(hashtext(\("vehicle-event\u{1F}" + event.eventID)))", logger: self.logger)
            if let first = try await self.rows("SELECT * FROM vehicle_events WHERE event_id = \(event.eventID)", on: conn).first {
                let stored = try Self.vehicleEvent(first)
                return try first["request_hash"].decode(String.self) == requestHash ? .replayed(stored) : .conflict(stored)
            }
            var event = event
            if let bookingID = event.bookingID, let change = event.type.bookingChange {
                guard let row = try await self.rows("SELECT status, service_date FROM bookings WHERE id = \(bookingID) FOR UPDATE", on: conn).first else {
                    throw StoreError(.notFound, "no booking \(bookingID)")
                }
                let status = try row["status"].decode(String.self), date = try row["service_date"].decode(String.self)
                guard status == change.from.rawValue else {
                    throw StoreError(.invalidTransition, "booking \(bookingID) is \(status) and cannot become \(change.to.rawValue)")
                }
                let now = storeNow(), detail = "\(event.type.rawValue) reported by vehicle \(event.vehicleID) (event \(event.eventID))"
                let to = change.to.rawValue
                try await conn.query("UPDATE bookings SET status = \(to), updated_at = \(now) WHERE id = \(bookingID)", logger: self.logger)
                try await conn.query("INSERT INTO day_revisions (service_date, revision) VALUES (\(date), 0) ON CONFLICT (service_date) DO NOTHING",
                                     logger: self.logger)
                try await conn.query("UPDATE day_revisions SET revision = revision + 1 WHERE service_date = \(date)", logger: self.logger)
                try await conn.query("""
                    INSERT INTO booking_events (booking_id, at, status, actor, detail) VALUES (\(bookingID), \(now), \(to), \(event.recordedBy), \(detail))
                    """, logger: self.logger)
                try await self.audit(conn, actor: event.recordedBy, action: "booking.\(to)", subject: bookingID, detail: detail)
                event.bookingStatus = change.to
            }
            let e = event, type = e.type.rawValue, bookingStatus = e.bookingStatus?.rawValue
            try await conn.query("""
                INSERT INTO vehicle_events (event_id, vehicle_id, service_date, at_ms, local_seconds, type, booking_id, stop_id, lat, lon,
                    booking_status, request_hash, recorded_by, recorded_at)
                VALUES (\(e.eventID), \(e.vehicleID), \(e.serviceDate), \(e.at), \(e.localSeconds), \(type), \(e.bookingID), \(e.stopID),
                    \(e.latitude), \(e.longitude), \(bookingStatus), \(requestHash), \(e.recordedBy), \(e.recordedAt))
                """, logger: self.logger)
            return .recorded(event)
        }
    }

    public func vehicleEvent(eventID: String, requestHash: String) async throws -> VehicleEventWrite? {
        guard let row = try await rows("SELECT * FROM vehicle_events WHERE event_id = \(eventID)").first else { return nil }
        let stored = try Self.vehicleEvent(row)
        return try row["request_hash"].decode(String.self) == requestHash ? .replayed(stored) : .conflict(stored)
    }

    public func vehicleEvents(serviceDate: String, vehicleID: String?) async throws -> [VehicleEventRecord] {
        try await rows("""
            SELECT * FROM vehicle_events WHERE service_date = \(serviceDate) AND (\(vehicleID)::TEXT IS NULL OR vehicle_id = \(vehicleID))
            ORDER BY at_ms, seq
            """).map(Self.vehicleEvent)
    }

    static func vehicleEvent(_ row: PostgresRandomAccessRow) throws -> VehicleEventRecord {
        VehicleEventRecord(eventID: try row["event_id"].decode(String.self), vehicleID: try row["vehicle_id"].decode(String.self),
                           serviceDate: try row["service_date"].decode(String.self), at: try row["at_ms"].decode(Int64.self),
                           localSeconds: try row["local_seconds"].decode(Int.self),
                           type: VehicleEventType(rawValue: try row["type"].decode(String.self)) ?? .position,
                           bookingID: try row["booking_id"].decode(String?.self), stopID: try row["stop_id"].decode(String?.self),
                           latitude: try row["lat"].decode(Double?.self), longitude: try row["lon"].decode(Double?.self),
                           bookingStatus: try row["booking_status"].decode(String?.self).flatMap(BookingStatus.init(rawValue:)),
                           recordedBy: try row["recorded_by"].decode(String.self), recordedAt: try row["recorded_at"].decode(Int64.self))
    }
}
