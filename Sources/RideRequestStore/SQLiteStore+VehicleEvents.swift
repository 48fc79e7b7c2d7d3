import Foundation
import GRDB

extension SQLiteStore {
    public func recordVehicleEvent(_ event: VehicleEventRecord, requestHash: String) async throws -> VehicleEventWrite {
        try await pool.write { db in
            if let first = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM vehicle_events WHERE event_id = ?"), arguments: [event.eventID]) {
                let stored = Self.vehicleEvent(first)
                return (first["request_hash"] as String) == requestHash ? .replayed(stored) : .conflict(stored)
            }
            var event = event
            if let bookingID = event.bookingID, let change = event.type.bookingChange {
                guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, service_date FROM bookings WHERE id = ?"), arguments: [bookingID]) else {
                    throw StoreError(.notFound, "no booking \(bookingID)")
                }
                let status: String = row["status"], date: String = row["service_date"]
                guard status == change.from.rawValue else {
                    throw StoreError(.invalidTransition, "booking \(bookingID) is \(status) and cannot become \(change.to.rawValue)")
                }
                let now = storeNow(), detail = "\(event.type.rawValue) reported by vehicle \(event.vehicleID) (event \(event.eventID))"
                try db.cachedStatement(sql: "UPDATE bookings SET status = ?, updated_at = ? WHERE id = ?").execute(arguments: [change.to.rawValue, now, bookingID])
                try Self.bump(db, date, to: try Self.revision(db, date) + 1)
                try db.cachedStatement(sql: "INSERT INTO booking_events (booking_id, at, status, actor, detail) VALUES (?, ?, ?, ?, ?)")
                    .execute(arguments: [bookingID, now, change.to.rawValue, event.recordedBy, detail])
                try Self.audit(db, actor: event.recordedBy, action: "booking.\(change.to.rawValue)", subject: bookingID, detail: detail)
                event.bookingStatus = change.to
            }
            try db.cachedStatement(sql: """
                INSERT INTO vehicle_events (event_id, vehicle_id, service_date, at_ms, local_seconds, type, booking_id, stop_id, lat, lon,
                    booking_status, request_hash, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [event.eventID, event.vehicleID, event.serviceDate, event.at, event.localSeconds, event.type.rawValue,
                                         event.bookingID, event.stopID, event.latitude, event.longitude, event.bookingStatus?.rawValue,
                                         requestHash, event.recordedBy, event.recordedAt])
            return .recorded(event)
        }
    }

    public func vehicleEvent(eventID: String, requestHash: String) async throws -> VehicleEventWrite? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM vehicle_events WHERE event_id = ?"), arguments: [eventID]).map { row in
                (row["request_hash"] as String) == requestHash ? .replayed(Self.vehicleEvent(row)) : .conflict(Self.vehicleEvent(row))
            }
        }
    }

    public func vehicleEvents(serviceDate: String, vehicleID: String?) async throws -> [VehicleEventRecord] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM vehicle_events WHERE service_date = ? AND (? IS NULL OR vehicle_id = ?) ORDER BY at_ms, seq
                """), arguments: [serviceDate, vehicleID, vehicleID]).map(Self.vehicleEvent)
        }
    }

    static func vehicleEvent(_ row: Row) -> VehicleEventRecord {
        VehicleEventRecord(eventID: row["event_id"], vehicleID: row["vehicle_id"], serviceDate: row["service_date"], at: row["at_ms"],
                           localSeconds: row["local_seconds"], type: VehicleEventType(rawValue: row["type"]) ?? .position,
                           bookingID: row["booking_id"], stopID: row["stop_id"], latitude: row["lat"], longitude: row["lon"],
                           bookingStatus: (row["booking_status"] as String?).flatMap(BookingStatus.init(rawValue:)),
                           recordedBy: row["recorded_by"], recordedAt: row["recorded_at"])
    }
}
