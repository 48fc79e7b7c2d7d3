import DispatchCore

/// A third, deliberately dumb opinion on whether a tiny route has a schedule: it tries service
/// start times one tick at a time, stop by stop, by depth-first search, and checks each constraint
/// as soon as its times are known. No constraint graph, no segments, no slack formulas.
///
/// Three facts keep the search small without making it clever:
/// - a drop-off (and the end depot) may as well start as early as its window and its predecessor
///   allow: every constraint on it is either a lower bound or is eased by starting earlier
///   (the ride limit, the route duration, the next stop's travel), so only the depot departure and
///   the pickups are enumerated;
/// - for the same reason the depot departure is enumerated only when the route duration limit is
///   shorter than the shift (otherwise the earliest departure is never worse);
/// - no time is tried beyond the ride limit of someone on board, whose drop-off comes later still;
/// - failed states (position, time, pickup times of the passengers on board, and the departure
///   when the route duration can bind) are remembered.
///
/// Only for routes whose times all lie in a short span (the end depot's latest time minus the start
/// depot's earliest at most `maxSpan` ticks) and with at most 4 passengers on board at once.
/// - Complexity: exponential in the worst case; fine for 3 requests in 80 ticks.
public enum BruteForceScheduler {
    public static let maxSpan = 250

    /// True when vehicle `vehicle` can serve `stops` in this order (pairing, compatibility,
    /// capacity, windows, ride limits, route duration); uses the instance's node windows.
    public static func isFeasible(vehicle: Int, stops: [Int32], in instance: DispatchInstance) -> Bool {
        let n = instance.requestCount
        let route = [instance.startDepot(vehicle)] + stops.map { Int($0) } + [instance.endDepot(vehicle)]
        // Pairing, compatibility and capacity by plain counting.
        var load = Load.zero
        var state = [Int](repeating: 0, count: n)  // 0 not yet, 1 on board, 2 delivered
        var onBoard = 0
        for v in route.dropFirst().dropLast() {
            guard v >= 0 && v < 2 * n else { return false }
            if v < n {
                guard state[v] == 0, instance.isCompatible(request: v, vehicle: vehicle) else { return false }
                state[v] = 1
                onBoard += 1
                precondition(onBoard <= 4, "BruteForceScheduler handles at most 4 passengers on board")
            } else {
                guard state[v - n] == 1 else { return false }
                state[v - n] = 2
                onBoard -= 1
            }
            load = load + instance.loadChange[v]
            guard instance.vehicles[vehicle].capacity.admits(load) else { return false }
        }
        guard !state.contains(1) else { return false }

        let first = instance.earliest[route[0]], last = instance.latest[route[route.count - 1]]
        precondition(last - first <= maxSpan, "BruteForceScheduler is for short horizons only")
        guard first <= last else { return false }
        let maxDuration = instance.vehicles[vehicle].maxRouteDuration
        var search = Search(instance: instance, route: route, maxDuration: maxDuration,
                            durationCanBind: durationCanBindFor(maxDuration, first, last), first: first, last: last)
        // Without a binding duration limit, leaving the depot as early as possible is never worse.
        let latestDeparture = durationCanBindFor(maxDuration, first, last) ? min(last, instance.latest[route[0]]) : first
        for departure in first...latestDeparture {
            if search.extend(position: 0, time: departure, departure: departure) { return true }
        }
        return false
    }

    private static func durationCanBindFor(_ maxDuration: Int, _ first: Int, _ last: Int) -> Bool { maxDuration < last - first }

    private struct Search {
        let instance: DispatchInstance
        let route: [Int]
        let maxDuration: Int
        let durationCanBind: Bool
        let first: Int
        let last: Int
        /// Pickup time per request while on board.
        var pickupTime: [Int?]
        /// Failed states, each packed exactly into one integer (base 256, times relative to `first`).
        var failed = Set<Int>()

        init(instance: DispatchInstance, route: [Int], maxDuration: Int, durationCanBind: Bool, first: Int, last: Int) {
            self.instance = instance
            self.route = route
            self.maxDuration = maxDuration
            self.durationCanBind = durationCanBind
            self.first = first
            self.last = last
            pickupTime = [Int?](repeating: nil, count: instance.requestCount)
        }

        /// Service at `position` starts at `time` (already within its window); try the rest.
        mutating func extend(position: Int, time: Int, departure: Int) -> Bool {
            let n = instance.requestCount
            let v = route[position]
            if durationCanBind && time - departure > maxDuration { return false }
            if position == route.count - 1 { return time - departure <= maxDuration }
            // Key: position, time, departure (if it matters), and for those on board the latest
            // drop-off their ride limit allows (all values past the horizon are alike).
            var key = position
            key = key << 8 | (time - first + 1)
            key = key << 8 | (durationCanBind ? departure - first + 1 : 0)
            var deadline = Int.max
            for i in 0...position where route[i] < n {
                guard let p = pickupTime[route[i]] else { continue }
                let latestDropoff = p + instance.serviceTime[route[i]] + instance.requests[route[i]].maxRideTime
                deadline = min(deadline, latestDropoff)
                key = key << 8 | (min(latestDropoff, last + 1) - first + 1)
            }
            if failed.contains(key) { return false }

            let next = route[position + 1]
            let lowest = max(instance.earliest[next], time + instance.serviceTime[v] + instance.time(v, next))
            // Nobody on board may be kept past their ride limit: their drop-off comes later still.
            let highest = min(instance.latest[next], last, deadline, next < n ? Int.max : lowest)
            var found = false
            if lowest <= highest {
                for t in lowest...highest {
                    if next < n {
                        pickupTime[next] = t
                        found = extend(position: position + 1, time: t, departure: departure)
                        pickupTime[next] = nil
                    } else if next < 2 * n {
                        let r = next - n
                        let pickedUp = pickupTime[r]!
                        guard t - pickedUp - instance.serviceTime[r] <= instance.requests[r].maxRideTime else { break }
                        pickupTime[r] = nil
                        found = extend(position: position + 1, time: t, departure: departure)
                        pickupTime[r] = pickedUp
                    } else {
                        found = extend(position: position + 1, time: t, departure: departure)
                    }
                    if found { return true }
                }
            }
            failed.insert(key)
            return false
        }
    }
}
