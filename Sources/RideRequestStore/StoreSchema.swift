/// The schema of both backends, written once with the few words that differ per dialect.
enum StoreSchema {
    enum Dialect { case sqlite, postgres }

    static func version1(dialect: Dialect) -> [String] {
        let serial = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let blob = dialect == .sqlite ? "BLOB" : "BYTEA"
        let float = dialect == .sqlite ? "REAL" : "DOUBLE PRECISION"
        return [
            """
            CREATE TABLE municipalities (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                local_name TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE vehicles (
                id TEXT PRIMARY KEY,
                municipality TEXT NOT NULL REFERENCES municipalities(id),
                depot TEXT NOT NULL,
                seats INTEGER NOT NULL CHECK (seats >= 0),
                wheelchair_places INTEGER NOT NULL CHECK (wheelchair_places >= 0),
                shift_start TEXT NOT NULL,
                shift_end TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                secret_hash TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL CHECK (role IN ('booking', 'operator', 'dispatcher', 'admin')),
                municipality TEXT REFERENCES municipalities(id),
                label TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT
            )
            """,
            """
            CREATE TABLE bookings (
                seq \(serial),
                id TEXT NOT NULL UNIQUE,
                service_date TEXT NOT NULL,
                municipality TEXT NOT NULL REFERENCES municipalities(id),
                passenger_ref TEXT NOT NULL,
                pickup_stop TEXT, pickup_lat \(float), pickup_lon \(float),
                dropoff_stop TEXT, dropoff_lat \(float), dropoff_lon \(float),
                time_kind TEXT NOT NULL CHECK (time_kind IN ('pickup', 'arrival')),
                requested_time INTEGER NOT NULL,
                party_size INTEGER NOT NULL CHECK (party_size >= 1),
                wheelchairs INTEGER NOT NULL CHECK (wheelchairs >= 0),
                notes TEXT NOT NULL,
                status TEXT NOT NULL,
                promised_earliest INTEGER,
                promised_latest INTEGER,
                reason TEXT,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX bookings_by_date ON bookings (service_date, municipality)",
            """
            CREATE TABLE booking_events (
                seq \(serial),
                booking_id TEXT NOT NULL REFERENCES bookings(id),
                at BIGINT NOT NULL,
                status TEXT NOT NULL,
                actor TEXT NOT NULL,
                detail TEXT NOT NULL
            )
            """,
            "CREATE INDEX booking_events_by_booking ON booking_events (booking_id)",
            """
            CREATE TABLE idempotency (
                key_id TEXT NOT NULL REFERENCES api_keys(id),
                idempotency_key TEXT NOT NULL,
                request_hash TEXT NOT NULL,
                status_code INTEGER NOT NULL,
                response_body \(blob) NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (key_id, idempotency_key)
            )
            """,
            """
            CREATE TABLE plans (
                service_date TEXT NOT NULL,
                version INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                payload \(blob) NOT NULL,
                PRIMARY KEY (service_date, version)
            )
            """,
            """
            CREATE TABLE plan_locks (
                service_date TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE audit_log (
                seq \(serial),
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                detail TEXT NOT NULL
            )
            """,
        ]
    }

    /// Version 2: a revision per service date, raised by every booking insert and status change of
    /// the date, so that a server instance notices bookings made by others before it promises.
    static func version2(dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE day_revisions (
                service_date TEXT PRIMARY KEY,
                revision BIGINT NOT NULL
            )
            """,
            "INSERT INTO day_revisions (service_date, revision) SELECT service_date, COUNT(*) FROM bookings GROUP BY service_date",
        ]
    }

    /// Version 3: fare concession and booking channel of each booking.
    static func version3(dialect: Dialect) -> [String] {
        [
            "ALTER TABLE bookings ADD COLUMN concession TEXT",
            "ALTER TABLE bookings ADD COLUMN channel TEXT NOT NULL DEFAULT 'app'",
        ]
    }

    /// Version 4: the current routes of each date (the booking desk's tentative plan, replaced by
    /// each saved plan), so that every planner in every process starts from a plan that holds
    /// every promised booking.
    static func version4(dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE day_routes (
                service_date TEXT NOT NULL,
                vehicle_id TEXT NOT NULL,
                stops TEXT NOT NULL,
                PRIMARY KEY (service_date, vehicle_id)
            )
            """,
        ]
    }

    /// Version 5: one vocabulary (issue 14). The status "no-show" becomes "no_show", and stored
    /// rejection reasons take the codes the API always answered with (`noCapacityLeft` →
    /// `no_vehicle_free`, …), keeping any ": rule" detail after the code. Stored plan documents
    /// are upgraded when read (`DayPlanDocument.decode`); idempotency replays keep the bytes
    /// they first answered with.
    static func version5(dialect: Dialect) -> [String] {
        var statements = [
            "UPDATE bookings SET status = 'no_show' WHERE status = 'no-show'",
            "UPDATE booking_events SET status = 'no_show' WHERE status = 'no-show'",
        ]
        for (old, new) in legacyReasonCodes {
            statements.append("UPDATE bookings SET reason = '\(new)' || substr(reason, \(old.count + 1)) WHERE reason = '\(old)' OR reason LIKE '\(old):%'")
        }
        return statements
    }

    /// Version 6: standing bookings (weekly patterns) and the dates each has claimed, with the
    /// booking each date became (or why it became none).
    static func version6(dialect: Dialect) -> [String] {
        let serial = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let float = dialect == .sqlite ? "REAL" : "DOUBLE PRECISION"
        return [
            """
            CREATE TABLE standing_bookings (
                seq \(serial),
                id TEXT NOT NULL UNIQUE,
                municipality TEXT NOT NULL REFERENCES municipalities(id),
                passenger_ref TEXT NOT NULL,
                pickup_stop TEXT, pickup_lat \(float), pickup_lon \(float),
                dropoff_stop TEXT, dropoff_lat \(float), dropoff_lon \(float),
                time_kind TEXT NOT NULL CHECK (time_kind IN ('pickup', 'arrival')),
                requested_time INTEGER NOT NULL,
                party_size INTEGER NOT NULL CHECK (party_size >= 1),
                wheelchairs INTEGER NOT NULL CHECK (wheelchairs >= 0),
                notes TEXT NOT NULL,
                concession TEXT,
                channel TEXT NOT NULL,
                weekdays TEXT NOT NULL,
                from_date TEXT NOT NULL,
                until_date TEXT,
                skip_holidays INTEGER NOT NULL CHECK (skip_holidays IN (0, 1)),
                exceptions TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE standing_occurrences (
                standing_id TEXT NOT NULL REFERENCES standing_bookings(id),
                service_date TEXT NOT NULL,
                booking_id TEXT,
                reason TEXT,
                message TEXT,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (standing_id, service_date)
            )
            """,
        ]
    }

    /// Version 7: driver keys, each bound to one vehicle (`vehicle`, set exactly for drivers).
    /// SQLite cannot change a CHECK constraint, so it copies the table (foreign keys are off while
    /// a migration runs and checked after); PostgreSQL swaps the constraint.
    static func version7(dialect: Dialect) -> [String] {
        let roles = "role IN ('booking', 'operator', 'dispatcher', 'admin', 'driver')"
        let bound = "CHECK ((role = 'driver') = (vehicle IS NOT NULL))"
        switch dialect {
        case .sqlite:
            return [
                """
                CREATE TABLE api_keys_7 (
                    id TEXT PRIMARY KEY,
                    secret_hash TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL CHECK (\(roles)),
                    municipality TEXT REFERENCES municipalities(id),
                    label TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    revoked_at BIGINT,
                    vehicle TEXT,
                    \(bound)
                )
                """,
                """
                INSERT INTO api_keys_7 (id, secret_hash, role, municipality, label, created_at, revoked_at)
                SELECT id, secret_hash, role, municipality, label, created_at, revoked_at FROM api_keys
                """,
                "DROP TABLE api_keys",
                "ALTER TABLE api_keys_7 RENAME TO api_keys",
            ]
        case .postgres:
            return [
                "ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check",
                "ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (\(roles))",
                "ALTER TABLE api_keys ADD COLUMN vehicle TEXT",
                "ALTER TABLE api_keys ADD CONSTRAINT api_keys_driver_vehicle \(bound)",
            ]
        }
    }

    /// Version 8: what vehicles report during the day (departed, arrived, picked up, …), each
    /// once by its client-chosen `event_id`, with the instant (UTC milliseconds) and the seconds
    /// after local midnight of its service date, and the status it left its booking in.
    static func version8(dialect: Dialect) -> [String] {
        let serial = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let float = dialect == .sqlite ? "REAL" : "DOUBLE PRECISION"
        return [
            """
            CREATE TABLE vehicle_events (
                seq \(serial),
                event_id TEXT NOT NULL UNIQUE,
                vehicle_id TEXT NOT NULL,
                service_date TEXT NOT NULL,
                at_ms BIGINT NOT NULL,
                local_seconds INTEGER NOT NULL,
                type TEXT NOT NULL CHECK (type IN ('departed', 'arrived', 'picked_up', 'dropped_off', 'no_show', 'position',
                                                   'break_started', 'break_ended')),
                booking_id TEXT REFERENCES bookings(id),
                stop_id TEXT,
                lat \(float),
                lon \(float),
                booking_status TEXT,
                request_hash TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX vehicle_events_by_day ON vehicle_events (service_date, vehicle_id, at_ms)",
        ]
    }

    /// Rejection reasons as stores before version 5 wrote them, and their codes.
    static let legacyReasonCodes: [(String, String)] = [
        ("outsideServiceArea", "not_served_here"), ("noVehicleWithCapacity", "no_vehicle_with_capacity"),
        ("timeWindowUnreachable", "window_unreachable"), ("maxRideTimeImpossible", "ride_too_long"),
        ("noCapacityLeft", "no_vehicle_free"), ("noOpenRoad", "road_closed"), ("crossBorderNotAllowed", "not_allowed_by_rules"),
    ]

    /// Version 9: console sign-ins (a session token's hash, the key it signed in with, its CSRF token and
    /// expiry) and an index of bookings by passenger.
    static func version9(dialect: Dialect) -> [String] {
        [
            """
            CREATE TABLE console_sessions (
                token_hash TEXT PRIMARY KEY,
                key_id TEXT NOT NULL REFERENCES api_keys(id),
                csrf_token TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at)",
            // The phone desk finds a caller's trips by passenger reference.
            "CREATE INDEX bookings_by_passenger ON bookings (passenger_ref, service_date)",
        ]
    }
}
