import Foundation
import PostgresNIO

extension PostgresStore {
    public func insertStandingBooking(_ s: StandingBookingRecord, actor: String, idempotency: IdempotencyRecord?) async throws -> StandingWrite {
        let weekdays = s.weekdays.joined(separator: ","), exceptions = s.exceptions.joined(separator: ","), skip = s.skipHolidays ? 1 : 0
        let detail = "\(weekdays) from \(s.from)" + (s.until.map { " until \($0)" } ?? "")
        return try await transaction { conn in
            if let i = idempotency {
                // Serializes requests with the same key (a concurrent twin waits here, then sees the first answer).
                try await conn.query("SELECT pg_advisory_xact_lock(hashtext(\(i.keyID + "\u{1F}" + i.key)))", logger: self.logger)
                if let first = try await self.idempotentAnswer(keyID: i.keyID, key: i.key, on: conn) {
                    return first.requestHash == i.requestHash ? .replayed(statusCode: first.statusCode, body: first.responseBody) : .conflict
                }
                try await conn.query("""
                    INSERT INTO idempotency (key_id, idempotency_key, request_hash, status_code, response_body, created_at)
                    VALUES (\(i.keyID), \(i.key), \(i.requestHash), \(i.statusCode), \(Data(i.responseBody)), \(s.createdAt))
                    """, logger: self.logger)
            }
            try await conn.query("""
                INSERT INTO standing_bookings (id, municipality, passenger_ref, pickup_stop, pickup_lat, pickup_lon, dropoff_stop, dropoff_lat,
                    dropoff_lon, time_kind, requested_time, party_size, wheelchairs, notes, concession, channel, weekdays, from_date, until_date,
                    skip_holidays, exceptions, status, created_by, created_at, updated_at)
                VALUES (\(s.id), \(s.municipality), \(s.passengerRef), \(s.pickup.stopID), \(s.pickup.latitude), \(s.pickup.longitude),
                    \(s.dropoff.stopID), \(s.dropoff.latitude), \(s.dropoff.longitude), \(s.timeKind.rawValue), \(s.requestedTime), \(s.partySize),
                    \(s.wheelchairs), \(s.notes), \(s.concession?.rawValue), \(s.channel.rawValue), \(weekdays), \(s.from), \(s.until), \(skip),
                    \(exceptions), \(s.status.rawValue), \(s.createdBy), \(s.createdAt), \(s.updatedAt))
                """, logger: self.logger)
            try await self.audit(conn, actor: actor, action: "standing.create", subject: s.id, detail: detail)
            return .created
        }
    }

    public func standingBooking(id: String) async throws -> StandingBookingRecord? {
        try await rows("SELECT * FROM standing_bookings WHERE id = \(id)").first.map(Self.standing)
    }

    public func standingBookings(municipality: String?, createdBy: String?, status: StandingStatus?) async throws -> [StandingBookingRecord] {
        let status = status?.rawValue
        return try await rows("""
            SELECT * FROM standing_bookings WHERE (\(municipality)::TEXT IS NULL OR municipality = \(municipality))
              AND (\(createdBy)::TEXT IS NULL OR created_by = \(createdBy)) AND (\(status)::TEXT IS NULL OR status = \(status))
            ORDER BY seq
            """).map(Self.standing)
    }

    public func cancelStandingBooking(id: String, actor: String) async throws -> Bool {
        try await transaction { conn in
            guard let row = try await self.rows("SELECT status FROM standing_bookings WHERE id = \(id) FOR UPDATE", on: conn).first else {
                throw StoreError(.notFound, "no standing booking \(id)")
            }
            guard try row["status"].decode(String.self) != StandingStatus.cancelled.rawValue else { return false }
            try await conn.query("UPDATE standing_bookings SET status = 'cancelled', updated_at = \(storeNow()) WHERE id = \(id)", logger: self.logger)
            try await self.audit(conn, actor: actor, action: "standing.cancel", subject: id, detail: "cancelled")
            return true
        }
    }

    public func claimOccurrence(standingID: String, serviceDate: String, bookingID: String) async throws -> Bool {
        let inserted = try await rows("""
            INSERT INTO standing_occurrences (standing_id, service_date, booking_id, created_at)
            SELECT \(standingID), \(serviceDate), \(bookingID), \(storeNow())
            WHERE EXISTS (SELECT 1 FROM standing_bookings WHERE id = \(standingID) AND status = 'active')
            ON CONFLICT (standing_id, service_date) DO NOTHING RETURNING service_date
            """)
        return !inserted.isEmpty
    }

    public func reclaimOccurrence(standingID: String, serviceDate: String, from: String, to: String, claimedBefore: Int64) async throws -> Bool {
        let updated = try await rows("""
            UPDATE standing_occurrences SET booking_id = \(to), created_at = \(storeNow())
            WHERE standing_id = \(standingID) AND service_date = \(serviceDate) AND booking_id = \(from) AND reason IS NULL
              AND created_at < \(claimedBefore) AND NOT EXISTS (SELECT 1 FROM bookings WHERE id = \(from))
            RETURNING service_date
            """)
        return !updated.isEmpty
    }

    public func refuseOccurrence(standingID: String, serviceDate: String, reason: String, message: String) async throws {
        _ = try await rows("""
            UPDATE standing_occurrences SET booking_id = NULL, reason = \(reason), message = \(message)
            WHERE standing_id = \(standingID) AND service_date = \(serviceDate) RETURNING service_date
            """)
    }

    public func occurrences(standingID: String) async throws -> [StandingOccurrence] {
        try await rows("""
            SELECT o.*, b.status AS booking_status FROM standing_occurrences o LEFT JOIN bookings b ON b.id = o.booking_id
            WHERE o.standing_id = \(standingID) ORDER BY o.service_date
            """).map {
            StandingOccurrence(standingID: try $0["standing_id"].decode(String.self), serviceDate: try $0["service_date"].decode(String.self),
                               bookingID: try $0["booking_id"].decode(String?.self), reason: try $0["reason"].decode(String?.self),
                               message: try $0["message"].decode(String?.self), createdAt: try $0["created_at"].decode(Int64.self),
                               bookingStatus: try $0["booking_status"].decode(String?.self).flatMap(BookingStatus.init(rawValue:)))
        }
    }

    static func standing(_ row: PostgresRandomAccessRow) throws -> StandingBookingRecord {
        func place(_ prefix: String) throws -> BookingPlace {
            if let stop = try row["\(prefix)_stop"].decode(String?.self) { return BookingPlace(stopID: stop) }
            return BookingPlace(latitude: try row["\(prefix)_lat"].decode(Double?.self) ?? 0, longitude: try row["\(prefix)_lon"].decode(Double?.self) ?? 0)
        }
        return StandingBookingRecord(
            id: try row["id"].decode(String.self), municipality: try row["municipality"].decode(String.self),
            passengerRef: try row["passenger_ref"].decode(String.self), pickup: try place("pickup"), dropoff: try place("dropoff"),
            timeKind: RequestedTimeKind(rawValue: try row["time_kind"].decode(String.self)) ?? .pickup,
            requestedTime: try row["requested_time"].decode(Int.self), partySize: try row["party_size"].decode(Int.self),
            wheelchairs: try row["wheelchairs"].decode(Int.self), notes: try row["notes"].decode(String.self),
            concession: try row["concession"].decode(String?.self).flatMap(Concession.init(rawValue:)),
            channel: BookingChannel(rawValue: try row["channel"].decode(String.self)) ?? .app,
            weekdays: StandingList.split(try row["weekdays"].decode(String.self)), from: try row["from_date"].decode(String.self),
            until: try row["until_date"].decode(String?.self), skipHolidays: try row["skip_holidays"].decode(Int.self) != 0,
            exceptions: StandingList.split(try row["exceptions"].decode(String.self)),
            status: StandingStatus(rawValue: try row["status"].decode(String.self)) ?? .active, createdBy: try row["created_by"].decode(String.self),
            createdAt: try row["created_at"].decode(Int64.self), updatedAt: try row["updated_at"].decode(Int64.self))
    }
}
