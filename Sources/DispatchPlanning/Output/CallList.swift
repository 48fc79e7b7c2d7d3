import DispatchWire
import Foundation
import RideRequestStore
import RoadNetwork

/// `dispatch plan diff`: the call list between two stored plan versions of a date, for people
/// (table, CSV with the municipalities' Japanese names) and programs (JSON).
public struct CallList: Sendable, Equatable {
    public var date: String
    public var toVersion: Int
    public var changes: PlanChanges

    /// Compares stored version `from` (default: the one before `to`) with `to` (default: the
    /// latest); passengers come from the store's bookings of the date.
    /// - Throws: `StoreError.notFound` (bad input) for a date without plans, a version not stored,
    ///   or `from` not before `to`.
    public static func make(store: any RideRequestStore, date: ServiceDate, from: Int?, to: Int?,
                            thresholdMinutes: Int = PlanDiff.defaultThresholdMinutes) async throws -> CallList {
        guard let latest = try await store.latestPlan(serviceDate: date.description) else {
            throw StoreError(.notFound, "no plan is stored for \(date); make one with `dispatch plan --date \(date)`")
        }
        let toVersion = to ?? latest.version
        guard toVersion >= 1, toVersion <= latest.version else {
            throw StoreError(.notFound, "plan \(date) has no version \(toVersion) (versions 1 to \(latest.version) are stored)")
        }
        let fromVersion = from ?? toVersion - 1
        guard fromVersion >= 1 else {
            throw StoreError(.notFound, "plan \(date) v\(toVersion) is the first version: there is no earlier one to compare it with")
        }
        guard fromVersion < toVersion else {
            throw StoreError(.notFound, "--from (v\(fromVersion)) must be an earlier version than --to (v\(toVersion))")
        }
        let old = try await document(store: store, date: date, version: fromVersion)
        let new = toVersion == latest.version ? try decode(latest, date: date) : try await document(store: store, date: date, version: toVersion)
        let records = try await store.bookings(serviceDate: date.description, municipality: nil, createdBy: nil)
        let changes = PlanDiff.changes(from: old, version: fromVersion, to: new, passengers: PlanDiff.passengers(records),
                                       thresholdMinutes: thresholdMinutes)
        return CallList(date: date.description, toVersion: toVersion, changes: changes)
    }

    static func document(store: any RideRequestStore, date: ServiceDate, version: Int) async throws -> DayPlanDocument {
        guard let record = try await store.plan(serviceDate: date.description, version: version) else {
            throw StoreError(.notFound, "plan \(date) has no version \(version)")
        }
        return try decode(record, date: date)
    }

    static func decode(_ record: PlanRecord, date: ServiceDate) throws -> DayPlanDocument {
        do {
            return try DayPlanDocument.decode(record.payload)
        } catch {
            throw StoreError(.unavailable, "the stored plan \(date) v\(record.version) cannot be read (\(error))")
        }
    }

    /// `{"date", "from_version", "to_version", "threshold_minutes", "entries"}`: the `changes`
    /// section of a plan document, with the date and the later version beside it.
    public func json() throws -> String {
        try encodeJSON(Document(date: date, fromVersion: changes.fromVersion, toVersion: toVersion,
                                thresholdMinutes: changes.thresholdMinutes, entries: changes.entries)) + "\n"
    }

    struct Document: Encodable {
        var date: String
        var fromVersion: Int
        var toVersion: Int
        var thresholdMinutes: Int
        var entries: [PlanChanges.Entry]

        enum CodingKeys: String, CodingKey {
            case date, fromVersion = "from_version", toVersion = "to_version", thresholdMinutes = "threshold_minutes", entries
        }
    }

    /// "奥川村" for a municipality id (the id when the zone does not know it).
    static func localNames(_ zone: ZoneFile) -> [String: String] {
        Dictionary(zone.municipalities.map { ($0.id, $0.localName) }, uniquingKeysWith: { a, _ in a })
    }

    static func hm(_ clock: String?) -> String { clock.map { String($0.prefix(5)) } ?? "" }

    static func moved(_ minutes: Double?) -> String {
        guard let minutes else { return "" }
        return minutes == 0 ? "0" : String(format: "%+.1f", minutes)
    }

    /// For people at a terminal: a heading and one row per passenger to phone.
    public func table(zone: ZoneFile) -> String {
        let names = Self.localNames(zone)
        var out = "Call list \(date): v\(changes.fromVersion) → v\(toVersion) (pickups moved by more than \(changes.thresholdMinutes) min)\n"
        guard !changes.entries.isEmpty else { return out + "No passenger needs a call.\n" }
        out += "\(changes.entries.count) passenger(s) to call\n"
        var table = TextTable(headers: ["booking", "passenger", "municipality", "change", "vehicle", "pickup", "min", "what to tell them"],
                              alignments: [.left, .left, .left, .left, .left, .left, .right, .left])
        for e in changes.entries {
            let vehicle = e.oldVehicle == e.newVehicle ? (e.newVehicle ?? "–") : "\(e.oldVehicle ?? "–") → \(e.newVehicle ?? "–")"
            let pickup = e.oldPickup == e.newPickup ? Self.hm(e.newPickup) : "\(e.oldPickup == nil ? "–" : Self.hm(e.oldPickup)) → \(e.newPickup == nil ? "–" : Self.hm(e.newPickup))"
            table.append([e.bookingId, e.passengerRef, names[e.municipality] ?? e.municipality, e.kind.rawValue, vehicle, pickup,
                          Self.moved(e.minutesMoved), e.message])
        }
        return out + table.text + "\n"
    }

    /// One row per passenger to phone; UTF-8 with BOM and CRLF (`CSV.document`), so that
    /// spreadsheets show the Japanese names.
    public func csv(zone: ZoneFile) -> String {
        let names = Self.localNames(zone)
        var lines = ["booking_id,passenger_ref,municipality,municipality_name,kind,old_vehicle,new_vehicle,old_pickup,new_pickup,minutes_moved,reason,message"]
        for e in changes.entries {
            lines.append([CSV.text(e.bookingId), CSV.text(e.passengerRef), CSV.text(e.municipality), CSV.text(names[e.municipality] ?? e.municipality),
                          CSV.text(e.kind.rawValue), CSV.text(e.oldVehicle ?? ""), CSV.text(e.newVehicle ?? ""), CSV.text(e.oldPickup ?? ""),
                          CSV.text(e.newPickup ?? ""), e.minutesMoved.map { String($0) } ?? "", CSV.text(e.reason ?? ""),
                          CSV.text(e.message)].joined(separator: ","))
        }
        return CSV.document(lines)
    }
}
