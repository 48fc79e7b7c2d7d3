import Foundation
import RoadNetwork

/// A fleet for `dispatch zone create --fleet FLEET.csv`: one vehicle per line,
/// `id,municipality,seats,wheelchair_places,depot_lat,depot_lon,shift_start,shift_end`
/// (municipality by id, name or local name; shift times HH:MM or HH:MM:SS). Errors name the line.
public struct FleetFile: Sendable, Equatable {
    public struct Vehicle: Sendable, Equatable {
        public var id: String
        public var municipality: String
        public var seats: Int
        public var wheelchairPlaces: Int
        public var depot: Coordinate
        public var shiftStart: String
        public var shiftEnd: String
        public var line: Int
    }

    public static let header = ["id", "municipality", "seats", "wheelchair_places", "depot_lat", "depot_lon", "shift_start", "shift_end"]

    public var vehicles: [Vehicle]

    public static func load(path: String) throws -> FleetFile {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ZoneFileError(path: path, field: "(file)", reason: "cannot be read (\(error.localizedDescription))")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public static func parse(_ text: String, path: String) throws -> FleetFile {
        let records = CSVInput.records(text)
        func fail(_ line: Int, _ reason: String) -> ZoneFileError { ZoneFileError(path: path, field: "line \(line)", reason: reason) }
        guard let first = records.first, first.fields.map({ $0.lowercased() }) == header else {
            throw fail(records.first?.line ?? 1, "the first line must be the header \(header.joined(separator: ","))")
        }
        var vehicles: [Vehicle] = []
        var seen = Set<String>()
        for (line, f) in records.dropFirst() {
            guard f.count == header.count else { throw fail(line, "expected \(header.count) fields, found \(f.count)") }
            guard !f[0].isEmpty else { throw fail(line, "the id is empty") }
            guard seen.insert(f[0]).inserted else { throw fail(line, "the id '\(f[0])' is used twice") }
            guard !f[1].isEmpty else { throw fail(line, "the municipality is empty") }
            guard let seats = Int(f[2]), (1...60).contains(seats) else { throw fail(line, "seats must be a whole number from 1 to 60, not '\(f[2])'") }
            guard let wheelchairs = Int(f[3]), (0...10).contains(wheelchairs) else {
                throw fail(line, "wheelchair_places must be a whole number from 0 to 10, not '\(f[3])'")
            }
            guard let lat = Double(f[4]), let lon = Double(f[5]), Coordinate(latitude: lat, longitude: lon).isValid else {
                throw fail(line, "'\(f[4]),\(f[5])' is not a depot latitude,longitude in degrees")
            }
            guard let s = TimeText.seconds(ofClock: f[6]), let e = TimeText.seconds(ofClock: f[7]), s < e else {
                throw fail(line, "the shift '\(f[6])'–'\(f[7])' must be two times HH:MM, the start before the end")
            }
            vehicles.append(Vehicle(id: f[0], municipality: f[1], seats: seats, wheelchairPlaces: wheelchairs,
                                    depot: Coordinate(latitude: lat, longitude: lon), shiftStart: TimeText.clock(s), shiftEnd: TimeText.clock(e), line: line))
        }
        guard !vehicles.isEmpty else { throw fail(records.first?.line ?? 1, "the file lists no vehicles") }
        return FleetFile(vehicles: vehicles)
    }
}
