import RideRequestStore
import RoadNetwork

/// The call list between two plan documents of one date: which passengers must hear of the new
/// plan, and what to tell them. Pure: it reads the two documents and the passengers' records.
///
/// Listed, one entry per booking (the most serious change names its kind):
/// - `broken_promise`: every broken promise of the new version;
/// - `newly_unserved`: served in the old version, unserved in the new one (with the reason) —
///   except bookings the passenger or the ride itself ended (`cancelled`, `completed`, `no_show`);
/// - `moved_vehicle`: served by another vehicle (duties of one vehicle, `v#1` and `v#2`, are one);
/// - `pickup_moved`: the planned pickup moved by more than the threshold (exactly the threshold
///   is not listed);
/// - `newly_served`: unserved in the old version, served in the new one.
public enum PlanDiff {
    public static let defaultThresholdMinutes = 10

    /// Who a booking's passenger is: the reference the operator phones, and the municipality.
    public struct Passenger: Sendable, Equatable {
        public var ref: String
        public var municipality: String

        public init(ref: String, municipality: String) {
            self.ref = ref
            self.municipality = municipality
        }
    }

    /// The passengers of a date's booking records, by booking id.
    public static func passengers(_ records: [BookingRecord]) -> [String: Passenger] {
        Dictionary(records.map { ($0.id, Passenger(ref: $0.passengerRef, municipality: $0.municipality)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Unserved reasons that need no call: the booking ended by itself.
    static let endedReasons: Set<String> = ["cancelled", "completed", "no_show"]

    /// - Parameters:
    ///   - old: the earlier version (`version` is its number).
    ///   - new: the later version of the same date.
    /// - Complexity: O(s log s) for s stops and bookings of both documents.
    public static func changes(from old: DayPlanDocument, version: Int, to new: DayPlanDocument, passengers: [String: Passenger],
                               thresholdMinutes: Int = defaultThresholdMinutes) -> PlanChanges {
        let before = pickups(old), after = pickups(new)
        let oldUnserved = Set(old.unserved.map(\.bookingId))
        var newUnserved: [String: DayPlanDocument.Unserved] = [:]
        for u in new.unserved where newUnserved[u.bookingId] == nil { newUnserved[u.bookingId] = u }
        var broken: [String: DayPlanDocument.BrokenPromise] = [:]
        for b in new.brokenPromises ?? [] where broken[b.bookingId] == nil { broken[b.bookingId] = b }

        var ids = Set(broken.keys)
        ids.formUnion(before.keys.filter { after[$0] == nil && newUnserved[$0].map { !endedReasons.contains($0.reason) } == true })
        ids.formUnion(after.keys.filter { oldUnserved.contains($0) && before[$0] == nil })
        for (id, a) in after {
            guard let b = before[id] else { continue }
            if a.vehicle != b.vehicle || abs(a.time - b.time) > thresholdMinutes * 60 { ids.insert(id) }
        }

        var entries: [(entry: PlanChanges.Entry, time: Int)] = []
        for id in ids {
            let b = before[id], a = after[id]
            let moved = a.flatMap { a in b.map { a.time - $0.time } }
            let kind: PlanChanges.Entry.Kind
            if broken[id] != nil { kind = .brokenPromise }
            else if a == nil { kind = .newlyUnserved }
            else if b == nil { kind = .newlyServed }
            else if a!.vehicle != b!.vehicle { kind = .movedVehicle }
            else { kind = .pickupMoved }
            let reason: String? = switch kind {
            case .brokenPromise: broken[id]!.reason
            case .newlyUnserved: newUnserved[id]?.reason
            default: nil
            }
            let passenger = passengers[id]
            let entry = PlanChanges.Entry(
                bookingId: id, passengerRef: broken[id]?.passengerRef ?? passenger?.ref ?? "", municipality: passenger?.municipality ?? "",
                kind: kind, oldVehicle: b?.vehicle, newVehicle: a?.vehicle, oldPickup: b.map { TimeText.clock($0.time) },
                newPickup: a.map { TimeText.clock($0.time) }, minutesMoved: moved.map { (Double($0) / 60 * 100).rounded() / 100 }, reason: reason,
                message: message(kind, before: b, after: a, moved: moved, broken: broken[id],
                                 unserved: newUnserved[id]))
            entries.append((entry, a?.time ?? b?.time ?? broken[id].flatMap { TimeText.seconds(ofClock: $0.promisedEarliest) } ?? 0))
        }
        entries.sort { ($0.entry.kind, $0.time, $0.entry.bookingId) < ($1.entry.kind, $1.time, $1.entry.bookingId) }
        return PlanChanges(fromVersion: version, thresholdMinutes: thresholdMinutes, entries: entries.map(\.entry))
    }

    /// Where a document picks each served booking up: the vehicle (not the duty) and the time.
    static func pickups(_ document: DayPlanDocument) -> [String: (vehicle: String, time: Int)] {
        var out: [String: (vehicle: String, time: Int)] = [:]
        for route in document.vehicles {
            for stop in route.stops where stop.action == "pickup" {
                guard let time = TimeText.seconds(ofClock: stop.time) else { continue }
                out[stop.bookingId] = (ServiceZone.vehicleID(ofDuty: route.id), time)
            }
        }
        return out
    }

    /// What the operator tells the passenger, one sentence.
    static func message(_ kind: PlanChanges.Entry.Kind, before: (vehicle: String, time: Int)?, after: (vehicle: String, time: Int)?,
                        moved: Int?, broken: DayPlanDocument.BrokenPromise?,
                        unserved: DayPlanDocument.Unserved?) -> String {
        func hm(_ t: Int) -> String { TimeText.clockMinutes(t) }
        func shift(_ seconds: Int) -> String {
            let minutes = (Double(abs(seconds)) / 60).rounded()
            return seconds == 0 ? "unchanged" : "\(Int(minutes)) min \(seconds > 0 ? "later" : "earlier")"
        }
        switch kind {
        case .brokenPromise:
            let b = broken!
            let promised = "\(String(b.promisedEarliest.prefix(5)))–\(String(b.promisedLatest.prefix(5)))"
            if let after {
                return "The promised pickup \(promised) cannot be kept (\(b.change)): pickup at \(hm(after.time)) by vehicle \(after.vehicle); apologise or offer another time."
            }
            return "The promised pickup \(promised) cannot be kept (\(b.change)): no ride can be offered; apologise and offer another time."
        case .newlyUnserved:
            let why = unserved.map { "\($0.message) (\($0.reason))" } ?? "not in the new plan"
            return "The ride with pickup at \(hm(before!.time)) can no longer be served: \(why); offer another time."
        case .movedVehicle:
            let time = moved! == 0 ? "at \(hm(after!.time)) as before" : "at \(hm(after!.time)) (was \(hm(before!.time)), \(shift(moved!)))"
            return "Vehicle \(after!.vehicle) instead of \(before!.vehicle) picks them up \(time)."
        case .pickupMoved:
            return "Pickup moves \(shift(moved!)): \(hm(after!.time)) instead of \(hm(before!.time)), same vehicle \(after!.vehicle)."
        case .newlyServed:
            return "A ride is possible after all: pickup at \(hm(after!.time)) by vehicle \(after!.vehicle)."
        }
    }
}
