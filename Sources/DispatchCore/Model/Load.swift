/// What a passenger group occupies in a vehicle: seats and wheelchair places (two spare dimensions).
///
/// Stored as one `SIMD4<Int32>` so that adding a load and testing it against a layout is a
/// couple of vector instructions.
public struct Load: Sendable, Hashable, CustomStringConvertible {
    public var values: SIMD4<Int32>

    public init(seats: Int = 0, wheelchairs: Int = 0) {
        values = SIMD4(Int32(clamping: seats), Int32(clamping: wheelchairs), 0, 0)
    }

    public init(values: SIMD4<Int32>) { self.values = values }

    public static let zero = Load(values: .zero)

    public var seats: Int { Int(values[0]) }
    public var wheelchairs: Int { Int(values[1]) }

    /// True when no component is negative and at least one is positive.
    public var isPositive: Bool { all(values .>= 0) && any(values .> 0) }

    public static func + (a: Load, b: Load) -> Load { Load(values: a.values &+ b.values) }
    public static func - (a: Load, b: Load) -> Load { Load(values: a.values &- b.values) }

    /// True when this load fits inside `capacity` in every component.
    @inline(__always)
    public func fits(in capacity: Load) -> Bool { all(values .<= capacity.values) }

    public var description: String {
        wheelchairs == 0 ? "\(seats) seat\(seats == 1 ? "" : "s")"
            : "\(seats) seat\(seats == 1 ? "" : "s") + \(wheelchairs) wheelchair\(wheelchairs == 1 ? "" : "s")"
    }
}

/// The capacity of a vehicle: one or more seat layouts (a convertible vehicle folds seats to make
/// room for a wheelchair). A load fits when it fits at least one layout; the layout may change at
/// any stop.
public struct Capacity: Sendable, Hashable, CustomStringConvertible {
    /// The first layout, kept inline so that the common single-layout test touches no array.
    public let primary: Load
    /// Further layouts of a convertible vehicle.
    public let alternatives: [Load]

    public var layouts: [Load] { primary == .zero && alternatives.isEmpty ? [] : [primary] + alternatives }

    /// No layouts means no room at all (the instance builder refuses such a vehicle).
    public init(layouts: [Load]) {
        primary = layouts.first ?? .zero
        alternatives = Array(layouts.dropFirst())
    }

    public init(seats: Int, wheelchairs: Int = 0) { self.init(layouts: [Load(seats: seats, wheelchairs: wheelchairs)]) }

    /// - Complexity: O(number of layouts), usually 1 or 2.
    @inline(__always)
    public func admits(_ load: Load) -> Bool {
        if load.fits(in: primary) { return true }
        if alternatives.isEmpty { return false }
        for layout in alternatives where load.fits(in: layout) { return true }
        return false
    }

    public var description: String { layouts.map(\.description).joined(separator: " or ") }
}
