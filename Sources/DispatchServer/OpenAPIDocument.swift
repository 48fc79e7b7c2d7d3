import DispatchPlanning
import DispatchWire
import Foundation
import RideRequestStore

/// The OpenAPI 3.1 description of the API, served at `/openapi.json`. Kept next to the handlers;
/// schemathesis checks the live server against it in the test suite. The dictionaries are
/// immutable after initialisation (hence `nonisolated(unsafe)`).
enum OpenAPIDocument {
    /// The document for a server whose plan runs take at most `maxPlanTimeLimit` seconds, with the
    /// zone's stop and municipality ids as enumerations.
    static func document(maxPlanTimeLimit: Double, stops: [String], municipalities: [String], vehicles: [String] = []) -> JSONValue {
        value(of: dictionary(maxPlanTimeLimit: maxPlanTimeLimit, stops: stops, municipalities: municipalities, vehicles: vehicles))
    }

    /// The literal below as a JSON value (strings, numbers, booleans, arrays and dictionaries).
    static func value(of literal: Any) -> JSONValue {
        switch literal {
        case let v as String: .string(v)
        case let v as Bool: .bool(v)
        case let v as Int: .number(Double(v))
        case let v as Double: .number(v)
        case let v as [Any]: .array(v.map(value(of:)))
        case let v as [String: Any]: .object(v.mapValues(value(of:)))
        case is NSNull: .null
        default: preconditionFailure("OpenAPIDocument holds a \(type(of: literal))")
        }
    }

    static func dictionary(maxPlanTimeLimit: Double, stops: [String], municipalities: [String], vehicles: [String] = []) -> [String: Any] {
        var document = base
        if !vehicles.isEmpty {
            // The events' path names a vehicle of the zone (any other id is 404).
            var paths = document["paths"] as! [String: Any]
            var events = paths["/v1/vehicles/{id}/events"] as! [String: Any]
            for method in ["get", "post"] {
                var operation = events[method] as! [String: Any]
                var parameters = operation["parameters"] as! [[String: Any]]
                parameters[0]["schema"] = ["type": "string", "enum": vehicles]
                operation["parameters"] = parameters
                events[method] = operation
            }
            paths["/v1/vehicles/{id}/events"] = events
            document["paths"] = paths
        }
        var components = document["components"] as! [String: Any]
        var schemas = components["schemas"] as! [String: Any]
        schemas["Place"] = ["oneOf": [
            ["type": "object", "required": ["stop_id"], "additionalProperties": false, "properties": ["stop_id": ["type": "string", "enum": stops]]],
            ["type": "object", "required": ["lat", "lon"], "additionalProperties": false, "properties": [
                "lat": ["type": "number", "minimum": -90, "maximum": 90], "lon": ["type": "number", "minimum": -180, "maximum": 180]]],
        ]]
        var booking = schemas["BookingRequest"] as! [String: Any]
        var bookingProperties = booking["properties"] as! [String: Any]
        bookingProperties["municipality"] = ["type": "string", "enum": municipalities,
                                             "description": "The resident's municipality (operators: their own, the default)."]
        booking["properties"] = bookingProperties
        schemas["BookingRequest"] = booking
        var standing = schemas["StandingBookingRequest"] as! [String: Any]
        var standingProperties = standing["properties"] as! [String: Any]
        standingProperties["municipality"] = bookingProperties["municipality"]
        standing["properties"] = standingProperties
        schemas["StandingBookingRequest"] = standing
        var planRequest = schemas["PlanRequest"] as! [String: Any]
        var properties = planRequest["properties"] as! [String: Any]
        properties["time_limit"] = ["type": "number", "minimum": 0.1, "maximum": maxPlanTimeLimit]
        planRequest["properties"] = properties
        schemas["PlanRequest"] = planRequest
        components["schemas"] = schemas
        document["components"] = components
        return document
    }

    nonisolated(unsafe) static let base: [String: Any] = [
        "openapi": "3.1.0",
        "info": ["title": "dispatch booking and planning API", "version": "1.0.0",
                 "description": "Bookings for the wide-area demand taxi zone: an immediate answer (accepted with a promised pickup window, or rejected with the reason), and day plans."],
        "servers": [["url": "/"]],
        "components": [
            "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
            "schemas": schemas,
        ],
        "security": [["bearer": [String]()]],
        "paths": paths,
    ]

    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
    static func json(_ schema: [String: Any]) -> [String: Any] { ["application/json": ["schema": schema]] }
    static func answer(_ description: String, _ schema: [String: Any]) -> [String: Any] { ["description": description, "content": json(schema)] }
    nonisolated(unsafe) static let error = answer("An error with the field it concerns", ref("Error"))
    nonisolated(unsafe) static let errors: [String: Any] = ["400": error, "401": error, "403": error, "404": error, "409": error, "413": error, "415": error, "422": error, "503": error]
    static func merge(_ a: [String: Any], _ b: [String: Any]) -> [String: Any] { a.merging(b) { first, _ in first } }

    nonisolated(unsafe) static let time: [String: Any] = ["type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"]
    /// Clock times of plans (a late return may pass midnight).
    nonisolated(unsafe) static let planTime: [String: Any] = ["type": "string", "pattern": "^[0-9]{2}:[0-5][0-9]:[0-5][0-9]$"]
    /// Timestamps in the zone's local time with its offset (booking rules' `book_from`, `earliest_service`).
    static let localTimestampPattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}[+-][0-9]{2}:[0-9]{2}$"
    nonisolated(unsafe) static let timestamp: [String: Any] = ["type": "string", "format": "date-time",
                                                               "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$"]
    /// Timestamps a client may send: with seconds, optional fraction and an offset (or Z).
    static let inputTimestampPattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$"
    /// Times a client may send: HH:MM or HH:MM:SS.
    nonisolated(unsafe) static let inputTime: [String: Any] = ["type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"]
    nonisolated(unsafe) static let date: [String: Any] = ["type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"]
    nonisolated(unsafe) static let nullableTime: [String: Any] = ["type": ["object", "null"], "properties": ["from": time, "to": time], "required": ["from", "to"]]

    nonisolated(unsafe) static let schemas: [String: Any] = [
        "Error": ["type": "object", "required": ["error"], "properties": [
            "error": ["type": "object", "required": ["code", "message", "field"], "properties": [
                "code": ["type": "string"], "message": ["type": "string"], "field": ["type": ["string", "null"]],
                // Only with code booking_rule (422): the rule broken, and when the ride could be booked or served instead.
                "rule": ["type": "string", "enum": BookingRulesCheck.Rule.allCases.map { $0.rawValue },
                         "description": "With code booking_rule: the booking rule of the resident's municipality (or the zone's calendar) that the booking breaks."],
                "book_from": ["type": ["string", "null"], "format": "date-time", "pattern": localTimestampPattern,
                              "description": "With code booking_rule: the first moment the ride would be taken (zone's local time with its offset)."],
                "earliest_service": ["type": ["string", "null"], "format": "date-time", "pattern": localTimestampPattern,
                                     "description": "With code booking_rule: the first date and time, from the asked date on, at which the ride could be served if booked now."],
                "phone": ["type": ["string", "null"], "description": "With code booking_rule: the municipality's booking desk phone, where the zone gives one."]]]]],
        "Place": ["oneOf": [
            ["type": "object", "required": ["stop_id"], "additionalProperties": false, "properties": ["stop_id": ["type": "string", "maxLength": 128]]],
            ["type": "object", "required": ["lat", "lon"], "additionalProperties": false, "properties": [
                "lat": ["type": "number", "minimum": -90, "maximum": 90], "lon": ["type": "number", "minimum": -180, "maximum": 180]]],
        ]],
        "BookingRequest": ["type": "object", "additionalProperties": false,
                           "required": ["passenger_ref", "pickup", "dropoff", "date"],
                           "properties": [
                               "passenger_ref": ["type": "string", "minLength": 1, "maxLength": 64,
                                                 "description": "At least one visible character; no control characters."],
                               "municipality": ["type": "string", "maxLength": 64, "description": "The resident's municipality (operators: their own, the default)."],
                               "pickup": ref("Place"), "dropoff": ref("Place"), "date": date,
                               "pickup_time": inputTime, "arrive_by": inputTime,
                               "party_size": ["type": "integer", "minimum": 1, "maximum": 8, "default": 1],
                               "wheelchairs": ["type": "integer", "minimum": 0, "maximum": 2, "default": 0],
                               "notes": ["type": "string", "maxLength": 500],
                               "concession": ["type": "string", "enum": ["elderly", "disabled"], "description": "A fare concession."],
                           ],
                           "description": "Exactly one of pickup_time and arrive_by."],
        "Booking": ["type": "object",
                    "required": ["id", "status", "date", "municipality", "passenger_ref", "pickup", "dropoff", "party_size", "wheelchairs",
                                 "notes", "promised_pickup", "reason", "created_at", "updated_at"],
                    "properties": [
                        "id": ["type": "string"],
                        "status": ["type": "string", "enum": BookingStatus.allCases.map(\.rawValue)],
                        "date": date, "municipality": ["type": "string"], "passenger_ref": ["type": "string"],
                        "pickup": ref("Place"), "dropoff": ref("Place"), "pickup_time": time, "arrive_by": time,
                        "party_size": ["type": "integer"], "wheelchairs": ["type": "integer"], "notes": ["type": "string"],
                        "promised_pickup": nullableTime,
                        "reason": ["type": ["object", "null"], "required": ["code", "message"], "properties": [
                            "code": ["type": "string", "enum": ReasonCodes.unserved],
                            "message": ["type": "string"]]],
                        "alternatives": ["type": "array", "description": "Nearby times that fit, named like the asked time (pickup_time or arrive_by).",
                                         "items": ["type": "object", "minProperties": 1, "maxProperties": 1,
                                                   "properties": ["pickup_time": time, "arrive_by": time], "additionalProperties": false]],
                        "history": ["type": "array", "items": ["type": "object", "required": ["at", "status", "actor", "detail"], "properties": [
                            "at": timestamp, "status": ["type": "string"],
                            "actor": ["type": "string", "enum": ["booking", "operator", "dispatcher", "admin", "driver", "system"],
                                      "description": "The role of the key that made the change (system: the command line)."],
                            "actor_key_id": ["type": "string", "description": "Only for admin keys, and for the caller's own changes."],
                            "detail": ["type": "string"]]]],
                        "created_at": timestamp, "updated_at": timestamp,
                        "concession": ["type": ["string", "null"], "enum": ["elderly", "disabled", NSNull()]],
                        "channel": ["type": "string", "enum": ["app", "phone"]],
                    ]],
        "StandingBookingRequest": ["type": "object", "additionalProperties": false,
                                   "required": ["passenger_ref", "pickup", "dropoff", "weekdays", "from"],
                                   "properties": [
                                       "passenger_ref": ["type": "string", "minLength": 1, "maxLength": 64],
                                       "municipality": ["type": "string", "maxLength": 64],
                                       "pickup": ref("Place"), "dropoff": ref("Place"), "pickup_time": inputTime, "arrive_by": inputTime,
                                       "party_size": ["type": "integer", "minimum": 1, "maximum": 8, "default": 1],
                                       "wheelchairs": ["type": "integer", "minimum": 0, "maximum": 2, "default": 0],
                                       "notes": ["type": "string", "maxLength": 500],
                                       "concession": ["type": "string", "enum": ["elderly", "disabled"]],
                                       "weekdays": ["type": "array", "minItems": 1, "maxItems": 7, "uniqueItems": true,
                                                    "items": ["type": "string", "enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]]],
                                       "from": date, "until": date,
                                       "skip_holidays": ["type": "boolean", "default": false],
                                       "exceptions": ["type": "array", "maxItems": 366, "items": date],
                                   ],
                                   "description": "A booking's fields without date, and the weekly pattern; exactly one of pickup_time and arrive_by."],
        "StandingOccurrence": ["type": "object", "required": ["date", "booking_id", "status", "promised_pickup", "reason"], "properties": [
            "date": date, "booking_id": ["type": ["string", "null"]],
            "status": ["type": "string", "enum": BookingStatus.allCases.map(\.rawValue) + ["pending"]],
            "promised_pickup": nullableTime,
            "reason": ["type": ["object", "null"], "required": ["code", "message"], "properties": ["code": ["type": "string"], "message": ["type": "string"]],
                       "description": "The booking's reason, or the code of the rule that refused the date (then booking_id is null)."],
            "standing_id": ["type": "string"], "passenger_ref": ["type": "string"]]],
        "StandingBooking": ["type": "object",
                            "required": ["id", "status", "municipality", "passenger_ref", "pickup", "dropoff", "party_size", "wheelchairs", "notes",
                                         "concession", "channel", "weekdays", "from", "until", "skip_holidays", "exceptions", "created_at", "updated_at"],
                            "properties": [
                                "id": ["type": "string"], "status": ["type": "string", "enum": ["active", "cancelled"]],
                                "municipality": ["type": "string"], "passenger_ref": ["type": "string"], "pickup": ref("Place"), "dropoff": ref("Place"),
                                "pickup_time": time, "arrive_by": time, "party_size": ["type": "integer"], "wheelchairs": ["type": "integer"],
                                "notes": ["type": "string"], "concession": ["type": ["string", "null"], "enum": ["elderly", "disabled", NSNull()]],
                                "channel": ["type": "string", "enum": ["app", "phone"]],
                                "weekdays": ["type": "array", "items": ["type": "string", "enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]]],
                                "from": date, "until": ["type": ["string", "null"], "format": "date"], "skip_holidays": ["type": "boolean"],
                                "exceptions": ["type": "array", "items": date], "created_at": timestamp, "updated_at": timestamp,
                                "occurrences": ["type": "array", "items": ref("StandingOccurrence"),
                                                "description": "Every date booked so far, with its outcome."],
                                "skipped": ["type": "array", "description": "Dates of the pattern from today to the booking horizon that are left out.",
                                            "items": ["type": "object", "required": ["date", "reason"], "properties": [
                                                "date": date, "reason": ["type": "object", "required": ["code", "message"], "properties": [
                                                    "code": ["type": "string", "enum": ["holiday", "zone_closed", "exception"]], "message": ["type": "string"]]]]]],
                            ]],
        "StandingBookingList": ["type": "object", "required": ["standing_bookings"], "properties": [
            "standing_bookings": ["type": "array", "items": ref("StandingBooking")]]],
        "BookingList": ["type": "object", "required": ["date", "bookings"], "properties": ["date": date, "bookings": ["type": "array", "items": ref("Booking")]]],
        "PlanRequest": ["type": "object", "additionalProperties": false, "properties": [
            "time_limit": ["type": "number", "minimum": 0.1, "maximum": 300],
            "solver": ["type": "string", "enum": ["auto", "heuristic", "exact"]],
            "seed": ["type": "integer", "minimum": 0, "maximum": 2_147_483_647],
            "now": ["type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
                    "description": "Re-plan the rest of the day from this time (zone time), from what the vehicles reported"],
            "pin": ["type": "boolean", "description": "With now: keep bookings on the vehicles they were announced on"]],
            "dependentRequired": ["pin": ["now"]]],
        "Plan": ["type": "object", "required": ["date", "solver", "solver_reason", "status", "vehicles", "unserved", "summary"], "properties": [
            "date": date, "version": ["type": ["integer", "null"]], "created_at": timestamp, "solver": ["type": "string", "enum": ["heuristic", "exact"]],
            "solver_reason": ["type": "string"], "status": ["type": "string", "enum": ["optimal", "feasible", "infeasible", "time_limit"]],
            "seconds": ["type": "number"],
            "vehicles": ["type": "array", "items": ["type": "object", "required": ["id", "stops"], "properties": [
                "id": ["type": "string"], "departure": planTime, "return": planTime,
                "stops": ["type": "array", "items": ["type": "object", "required": ["booking_id", "action", "place", "time"], "properties": [
                    "booking_id": ["type": "string"], "action": ["type": "string", "enum": ["pickup", "dropoff"]], "place": ["type": "string"],
                    "time": planTime, "seats_after": ["type": "integer"], "wheelchairs_after": ["type": "integer"]]]]]]],
            "unserved": ["type": "array", "items": ["type": "object", "required": ["booking_id", "reason", "message"], "properties": [
                "booking_id": ["type": "string"], "reason": ["type": "string", "enum": ReasonCodes.planUnserved], "message": ["type": "string"]]]],
            "broken_promises": ["type": "array", "items": ["type": "object",
                "required": ["booking_id", "passenger_ref", "promised_earliest", "promised_latest", "reason", "change"], "properties": [
                "booking_id": ["type": "string"], "passenger_ref": ["type": "string"], "promised_earliest": time, "promised_latest": time,
                "reason": ["type": "string", "enum": ReasonCodes.brokenPromise], "change": ["type": "string"]]]],
            "summary": ["type": "object", "required": ["bookings", "served", "vehicles_used", "driving_hours"], "properties": [
                "bookings": ["type": "integer"], "served": ["type": "integer"], "vehicles_used": ["type": "integer"], "driving_hours": ["type": "number"]]],
            "objective": ["type": "number", "description": "Driving seconds plus unserved_penalty per booking left out: what the optimizer minimizes"],
            "unserved_penalty": ["type": "number"],
            "lower_bound": ["type": ["number", "null"], "description": "Proven by GLPK: no plan has a smaller objective (seconds); null when none was proven"],
            "gap": ["type": ["number", "null"], "description": "(objective − lower_bound) / objective"],
            "bound_note": ["type": "string"],
            "changes": ["type": "object", "required": ["from_version", "threshold_minutes", "entries"], "properties": [
                "from_version": ["type": "integer"], "threshold_minutes": ["type": "integer"],
                "entries": ["type": "array", "items": ["type": "object", "required": ["booking_id", "passenger_ref", "municipality", "kind", "message"],
                    "properties": [
                    "booking_id": ["type": "string"], "passenger_ref": ["type": "string"], "municipality": ["type": "string"],
                    "kind": ["type": "string", "enum": PlanChanges.Entry.Kind.allCases.map(\.rawValue)],
                    "old_vehicle": ["type": "string"], "new_vehicle": ["type": "string"], "old_pickup": planTime, "new_pickup": planTime,
                    "minutes_moved": ["type": "number"], "reason": ["type": "string"], "message": ["type": "string"]]]]]],
        ]],
        "Vehicles": ["type": "object", "required": ["vehicles"], "properties": ["vehicles": ["type": "array", "items": ["type": "object",
            "required": ["id", "municipality", "depot", "seats", "wheelchair_places", "shift", "serves"], "properties": [
                "id": ["type": "string"], "municipality": ["type": "string"], "depot": ["type": "string"], "seats": ["type": "integer"],
                "wheelchair_places": ["type": "integer"],
                "shift": ["type": "object", "required": ["start", "end"], "properties": ["start": ["type": "string"], "end": ["type": "string"]]],
                "serves": ["type": "array", "items": ["type": "string"]]]]]]],
        "VehicleEventRequest": ["type": "object", "additionalProperties": false, "required": ["event_id", "at", "type"], "properties": [
            "event_id": ["type": "string", "pattern": "^[!-~]{1,64}$", "description": "The client's id of the event: sent again, the first answer is replayed."],
            "at": ["type": "string", "format": "date-time", "pattern": inputTimestampPattern,
                   "description": "When it happened, with its offset (2026-12-01T09:05:00+09:00)."],
            "type": ["type": "string", "enum": VehicleEventType.allCases.map(\.rawValue)],
            "booking_id": ["type": "string", "maxLength": 64, "description": "Required for picked_up, dropped_off and no_show; only for them."],
            "stop_id": ["type": "string", "maxLength": 128, "description": "A stop, place or depot of the zone; only for arrived and departed."],
            "lat": ["type": "number", "minimum": -90, "maximum": 90], "lon": ["type": "number", "minimum": -180, "maximum": 180]],
            "description": "lat and lon together; required for position."],
        "VehicleEvent": ["type": "object", "required": ["event_id", "vehicle_id", "date", "at", "local_time", "type", "booking_id", "stop_id",
                                                        "position", "booking_status", "recorded_at"], "properties": [
            "event_id": ["type": "string"], "vehicle_id": ["type": "string"], "date": date,
            "at": timestamp, "local_time": planTime,
            "type": ["type": "string", "enum": VehicleEventType.allCases.map(\.rawValue)],
            "booking_id": ["type": ["string", "null"]], "stop_id": ["type": ["string", "null"]],
            "position": ["type": ["object", "null"], "required": ["lat", "lon"], "properties": ["lat": ["type": "number"], "lon": ["type": "number"]]],
            "booking_status": ["type": ["string", "null"], "enum": BookingStatus.allCases.map(\.rawValue) + [NSNull()],
                               "description": "The status the event left its booking in."],
            "recorded_at": timestamp]],
        "VehicleEventList": ["type": "object", "required": ["vehicle_id", "date", "events"], "properties": [
            "vehicle_id": ["type": "string"], "date": date, "events": ["type": "array", "items": ref("VehicleEvent")]]],
        "KeyRequest": ["type": "object", "additionalProperties": false, "required": ["role"], "properties": [
            "role": ["type": "string", "enum": ["booking", "operator", "dispatcher", "admin", "driver"]],
            "municipality": ["type": "string", "description": "Operator keys: their municipality (required)."],
            "vehicle": ["type": "string", "description": "Driver keys: their vehicle, a vehicle id of the zone (required)."],
            "label": ["type": "string", "maxLength": 100]]],
        "Key": ["type": "object", "required": ["id", "role", "municipality", "label", "secret"], "properties": [
            "id": ["type": "string"], "role": ["type": "string"], "municipality": ["type": ["string", "null"]], "label": ["type": "string"],
            "vehicle": ["type": ["string", "null"]],
            "secret": ["type": "string", "description": "Shown once; only its hash is stored."]]],
        "RevokedKey": ["type": "object", "required": ["id", "role", "revoked"], "properties": [
            "id": ["type": "string"], "role": ["type": "string"], "revoked": ["type": "boolean"]]],
        "ManifestPlace": ["type": "object", "required": ["id", "name", "local_name", "lat", "lon"],
                          "description": "A stop or depot of the zone; for a door-to-door address only the coordinates (id and names null).",
                          "properties": ["id": ["type": ["string", "null"]], "name": ["type": ["string", "null"]],
                                         "local_name": ["type": ["string", "null"]], "lat": ["type": "number"], "lon": ["type": "number"]]],
        "Manifest": ["type": "object", "required": ["vehicle", "municipality", "date", "plan_version", "duties", "stops"], "properties": [
            "vehicle": ["type": "string"], "municipality": ["type": "string"], "date": date, "plan_version": ["type": "integer", "minimum": 1],
            "duties": ["type": "array", "items": ["type": "object", "required": ["id", "departure", "return", "breaks"], "properties": [
                "id": ["type": "string", "description": "The vehicle id, or v#1, v#2, … for a vehicle with several shifts that day."],
                "departure": ["oneOf": [planTime, ["type": "null"]]], "return": ["oneOf": [planTime, ["type": "null"]]],
                "breaks": ["type": "array", "items": ["type": "object", "required": ["start", "end", "place", "waiting"], "properties": [
                    "start": planTime, "end": planTime, "place": ref("ManifestPlace"), "waiting": ["type": "boolean"]]]]]]],
            "stops": ["type": "array", "description": "Every duty's stops in time order.", "items": ["type": "object",
                "required": ["time", "duty", "action", "place", "booking_id", "passenger_ref", "party_size", "wheelchairs", "notes", "concession", "done"],
                "properties": [
                    "time": planTime, "duty": ["type": "string"], "action": ["type": "string", "enum": ["pickup", "dropoff"]],
                    "place": ref("ManifestPlace"), "booking_id": ["type": "string"], "passenger_ref": ["type": "string"],
                    "party_size": ["type": "integer"], "wheelchairs": ["type": "integer"], "notes": ["type": "string"],
                    "concession": ["type": ["string", "null"], "enum": ["elderly", "disabled", NSNull()]],
                    "done": ["type": "boolean", "description": "Done before the re-plan that made this plan version."]]]],
        ]],
        "Health": ["type": "object", "required": ["status", "zone"], "properties": [
            "status": ["type": "string"], "zone": ["type": "string"]]],
        "Ready": ["type": "object", "required": ["status"], "properties": ["status": ["type": "string", "enum": ["ready"]]]],
    ]

    nonisolated(unsafe) static let idParameter: [String: Any] = ["name": "id", "in": "path", "required": true, "schema": ["type": "string", "maxLength": 64]]
    nonisolated(unsafe) static let dateParameter: [String: Any] = ["name": "date", "in": "path", "required": true, "schema": date]

    nonisolated(unsafe) static let paths: [String: Any] = [
        "/healthz": ["get": ["summary": "Liveness (does not touch the store)", "security": [[String: Any]](),
                             "responses": ["200": answer("Up", ref("Health"))]]],
        "/readyz": ["get": ["summary": "Readiness: the store answers within 2 s", "security": [[String: Any]](),
                            "responses": ["200": answer("Ready", ref("Ready")), "503": error]]],
        "/openapi.json": ["get": ["summary": "This document", "security": [[String: Any]](),
                                  "responses": ["200": ["description": "OpenAPI 3.1", "content": json(["type": "object"])]]]],
        "/v1/bookings": [
            "post": ["summary": "Book a ride; answered at once", "operationId": "createBooking",
                     "parameters": [["name": "Idempotency-Key", "in": "header", "required": false,
                                     "schema": ["type": "string", "minLength": 1, "maxLength": 200]]],
                     "requestBody": ["required": true, "content": json(ref("BookingRequest"))],
                     "responses": merge(["422": answer("A field is invalid (invalid_field), or the booking breaks a booking rule (booking_rule, naming the rule); nothing is stored",
                                                       ref("Error")),
                                         "201": merge(answer("Accepted with a promised pickup window, or rejected with the reason", ref("Booking")),
                                                      ["links": ["GetBooking": ["operationId": "getBooking", "parameters": ["id": "$response.body#/id"]],
                                                                 "CancelBooking": ["operationId": "cancelBooking", "parameters": ["id": "$response.body#/id"]]]])],
                                         errors)],
            "get": ["summary": "Bookings of a date the key may see", "operationId": "listBookings",
                    "parameters": [["name": "date", "in": "query", "required": true, "schema": date]],
                    "responses": merge(["200": answer("Bookings", ref("BookingList"))], errors)],
        ],
        "/v1/bookings/{id}": [
            "get": ["summary": "One booking with its history", "operationId": "getBooking", "parameters": [idParameter],
                    "responses": merge(["200": answer("The booking", ref("Booking"))], errors)],
            "delete": ["summary": "Cancel a booking", "operationId": "cancelBooking", "parameters": [idParameter],
                       "responses": merge(["200": answer("The cancelled booking", ref("Booking"))], errors)],
        ],
        "/v1/plans/{date}": [
            "get": ["summary": "The latest plan of a date (or ?version=N)", "operationId": "getPlan",
                    "parameters": [dateParameter, ["name": "version", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 1]]],
                    "responses": merge(["200": answer("The plan", ref("Plan"))], errors)],
            "post": ["summary": "Plan the date now (stored as a new version)", "operationId": "runPlan", "parameters": [dateParameter],
                     "requestBody": ["required": false, "content": json(ref("PlanRequest"))],
                     "responses": merge(["201": answer("The new plan", ref("Plan"))], errors)],
        ],
        "/v1/standing-bookings": [
            "post": ["summary": "Book a weekly pattern; each date within the horizon is booked and answered at once", "operationId": "createStandingBooking",
                     "parameters": [["name": "Idempotency-Key", "in": "header", "required": false,
                                     "schema": ["type": "string", "minLength": 1, "maxLength": 200]]],
                     "requestBody": ["required": true, "content": json(ref("StandingBookingRequest"))],
                     "responses": merge(["201": merge(answer("The pattern with every date's outcome", ref("StandingBooking")),
                                                      ["links": ["GetStandingBooking": ["operationId": "getStandingBooking", "parameters": ["id": "$response.body#/id"]],
                                                                 "CancelStandingBooking": ["operationId": "cancelStandingBooking",
                                                                                           "parameters": ["id": "$response.body#/id"]]]])],
                                         errors)],
            "get": ["summary": "Standing bookings the key may see", "operationId": "listStandingBookings",
                    "parameters": [["name": "status", "in": "query", "required": false, "schema": ["type": "string", "enum": ["active", "cancelled"]]]],
                    "responses": merge(["200": answer("Standing bookings", ref("StandingBookingList"))], errors)],
        ],
        "/v1/standing-bookings/{id}": [
            "get": ["summary": "One standing booking with its occurrences", "operationId": "getStandingBooking", "parameters": [idParameter],
                    "responses": merge(["200": answer("The standing booking", ref("StandingBooking"))], errors)],
            "delete": ["summary": "Cancel a standing booking and its future occurrences", "operationId": "cancelStandingBooking",
                       "parameters": [idParameter],
                       "responses": merge(["200": answer("The cancelled standing booking", ref("StandingBooking"))], errors)],
        ],
        "/v1/vehicles": ["get": ["summary": "The zone's vehicles", "operationId": "listVehicles",
                                 "responses": merge(["200": answer("Vehicles", ref("Vehicles"))], errors)]],
        "/v1/vehicles/{id}/manifest": ["get": [
            "summary": "A vehicle's stops of a date from the date's latest plan (drivers: their own vehicle; operators: their municipality's vehicles; dispatchers and admins: all)",
            "operationId": "getManifest",
            "parameters": [idParameter, ["name": "date", "in": "query", "required": true, "schema": date],
                           ["name": "format", "in": "query", "required": false, "schema": ["type": "string", "enum": ["json", "html"], "default": "json"]]],
            "responses": merge(["200": ["description": "The manifest as JSON, or as a printable A4 page (format=html)",
                                        "content": ["application/json": ["schema": ref("Manifest")], "text/html": ["schema": ["type": "string"]]]],
                                "404": answer("Unknown vehicle, or no plan for the date yet", ref("Error"))],
                               errors)]],
        "/v1/vehicles/{id}/events": [
            "post": ["summary": "Report what a vehicle did (dispatcher, admin; a driver for its own vehicle)", "operationId": "recordVehicleEvent",
                     "parameters": [idParameter], "requestBody": ["required": true, "content": json(ref("VehicleEventRequest"))],
                     "responses": merge(["201": answer("The stored event with its booking's new status", ref("VehicleEvent")),
                                         "200": answer("This event_id was recorded before with the same body: the first answer", ref("VehicleEvent")),
                                         "409": answer("The event cannot have happened (code names why), or its event_id was used with another body",
                                                       ref("Error"))], errors)],
            "get": ["summary": "A vehicle's events of a date", "operationId": "listVehicleEvents",
                    "parameters": [idParameter, ["name": "date", "in": "query", "required": true, "schema": date]],
                    "responses": merge(["200": answer("The events in the order they happened", ref("VehicleEventList"))], errors)],
        ],
        "/v1/keys": ["post": ["summary": "Create an API key (admin)", "operationId": "createKey",
                              "requestBody": ["required": true, "content": json(ref("KeyRequest"))],
                              "responses": merge(["201": answer("The key, with its secret shown once", ref("Key"))], errors)]],
        "/v1/keys/{id}": ["delete": ["summary": "Revoke an API key at once (admin)", "operationId": "revokeKey", "parameters": [idParameter],
                                     "responses": merge(["200": answer("The revoked key", ref("RevokedKey"))], errors)]],
    ]
}
