import Foundation
import GRDB

extension SQLiteStore {
    public func insertStandingBooking(_ s: StandingBookingRecord, actor: String, idempotency: IdempotencyRecord?) async throws -> StandingWrite {
        try await pool.write { db in
            if let i = idempotency {
                if let first = try Self.idempotency(db, keyID: i.keyID, key: i.key) {
                    return first.requestHash == i.requestHash ? .replayed(statusCode: first.statusCode, body: first.responseBody) : .conflict
                }
                try db.cachedStatement(sql: """
                    INSERT INTO idempotency (key_id, idempotency_key, request_hash, status_code, response_body, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [i.keyID, i.key, i.requestHash, i.statusCode, Data(i.responseBody), s.createdAt])
            }
            try db.execute(sql: """
                INSERT INTO standing_bookings (id, municipality, passenger_ref, pickup_stop, pickup_lat, pickup_lon, dropoff_stop, dropoff_lat,
                    dropoff_lon, time_kind, requested_time, party_size, wheelchairs, notes, concession, channel, weekdays, from_date, until_date,
                    skip_holidays, exceptions, status, created_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [s.id, s.municipality, s.passengerRef, s.pickup.stopID, s.pickup.latitude, s.pickup.longitude, s.dropoff.stopID,
                                 s.dropoff.latitude, s.dropoff.longitude, s.timeKind.rawValue, s.requestedTime, s.partySize, s.wheelchairs, s.notes,
                                 s.concession?.rawValue, s.channel.rawValue, s.weekdays.joined(separator: ","), s.from, s.until,
                                 s.skipHolidays ? 1 : 0, s.exceptions.joined(separator: ","), s.status.rawValue, s.createdBy, s.createdAt, s.updatedAt])
            try Self.audit(db, actor: actor, action: "standing.create", subject: s.id,
                           detail: "\(s.weekdays.joined(separator: ",")) from \(s.from)" + (s.until.map { " until \($0)" } ?? ""))
            return .created
        }
    }

    public func standingBooking(id: String) async throws -> StandingBookingRecord? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM standing_bookings WHERE id = ?"), arguments: [id]).map(Self.standing)
        }
    }

    public func standingBookings(municipality: String?, createdBy: String?, status: StandingStatus?) async throws -> [StandingBookingRecord] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM standing_bookings WHERE (? IS NULL OR municipality = ?) AND (? IS NULL OR created_by = ?)
                  AND (? IS NULL OR status = ?) ORDER BY seq
                """), arguments: [municipality, municipality, createdBy, createdBy, status?.rawValue, status?.rawValue]).map(Self.standing)
        }
    }

    public func cancelStandingBooking(id: String, actor: String) async throws -> Bool {
        try await pool.write { db in
            guard let status = try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM standing_bookings WHERE id = ?"), arguments: [id]) else {
                throw StoreError(.notFound, "no standing booking \(id)")
            }
            guard status != StandingStatus.cancelled.rawValue else { return false }
            try db.cachedStatement(sql: "UPDATE standing_bookings SET status = 'cancelled', updated_at = ? WHERE id = ?").execute(arguments: [storeNow(), id])
            try Self.audit(db, actor: actor, action: "standing.cancel", subject: id, detail: "cancelled")
            return true
        }
    }

    public func claimOccurrence(standingID: String, serviceDate: String, bookingID: String) async throws -> Bool {
        try await pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO standing_occurrences (standing_id, service_date, booking_id, created_at)
                SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM standing_bookings WHERE id = ? AND status = 'active')
                ON CONFLICT (standing_id, service_date) DO NOTHING
                """).execute(arguments: [standingID, serviceDate, bookingID, storeNow(), standingID])
            return db.changesCount == 1
        }
    }

    public func reclaimOccurrence(standingID: String, serviceDate: String, from: String, to: String, claimedBefore: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.cachedStatement(sql: """
                UPDATE standing_occurrences SET booking_id = ?, created_at = ?
                WHERE standing_id = ? AND service_date = ? AND booking_id = ? AND reason IS NULL AND created_at < ?
                  AND NOT EXISTS (SELECT 1 FROM bookings WHERE id = ?)
                """).execute(arguments: [to, storeNow(), standingID, serviceDate, from, claimedBefore, from])
            return db.changesCount == 1
        }
    }

    public func refuseOccurrence(standingID: String, serviceDate: String, reason: String, message: String) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: """
                UPDATE standing_occurrences SET booking_id = NULL, reason = ?, message = ? WHERE standing_id = ? AND service_date = ?
                """).execute(arguments: [reason, message, standingID, serviceDate])
        }
    }

    public func occurrences(standingID: String) async throws -> [StandingOccurrence] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT o.*, b.status AS booking_status FROM standing_occurrences o LEFT JOIN bookings b ON b.id = o.booking_id
                WHERE o.standing_id = ? ORDER BY o.service_date
                """), arguments: [standingID]).map {
                StandingOccurrence(standingID: $0["standing_id"], serviceDate: $0["service_date"], bookingID: $0["booking_id"],
                                   reason: $0["reason"], message: $0["message"], createdAt: $0["created_at"],
                                   bookingStatus: ($0["booking_status"] as String?).flatMap(BookingStatus.init(rawValue:)))
            }
        }
    }

    static func standing(_ row: Row) -> StandingBookingRecord {
        func place(_ prefix: String) -> BookingPlace {
            if let stop: String = row["\(prefix)_stop"] { return BookingPlace(stopID: stop) }
            return BookingPlace(latitude: row["\(prefix)_lat"] ?? 0, longitude: row["\(prefix)_lon"] ?? 0)
        }
        return StandingBookingRecord(
            id: row["id"], municipality: row["municipality"], passengerRef: row["passenger_ref"], pickup: place("pickup"), dropoff: place("dropoff"),
            timeKind: RequestedTimeKind(rawValue: row["time_kind"]) ?? .pickup, requestedTime: row["requested_time"], partySize: row["party_size"],
            wheelchairs: row["wheelchairs"], notes: row["notes"], concession: (row["concession"] as String?).flatMap(Concession.init(rawValue:)),
            channel: BookingChannel(rawValue: row["channel"]) ?? .app, weekdays: StandingList.split(row["weekdays"]), from: row["from_date"],
            until: row["until_date"], skipHolidays: (row["skip_holidays"] as Int) != 0, exceptions: StandingList.split(row["exceptions"]),
            status: StandingStatus(rawValue: row["status"]) ?? .active, createdBy: row["created_by"], createdAt: row["created_at"],
            updatedAt: row["updated_at"])
    }
}

/// The stored form of a standing booking's lists: comma-separated (weekday names and dates have no commas).
enum StandingList {
    static func split(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }
}
