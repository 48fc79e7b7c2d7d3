import Foundation
import DispatchWire
import RideRequestStore
import RoadNetwork

extension RideRequestStore {
    /// Stores the zone file's municipalities and vehicles (bookings are kept).
    public func replaceZone(with file: ZoneFile, actor: String) async throws {
        try await replaceZone(municipalities: file.municipalities.map { MunicipalityRow(id: $0.id, name: $0.name, localName: $0.localName) },
                              vehicles: file.vehicles.map {
                                  VehicleRow(id: $0.id, municipality: $0.municipality, depot: $0.depot, seats: $0.seats,
                                             wheelchairPlaces: $0.wheelchairPlaces, shiftStart: $0.shift.start, shiftEnd: $0.shift.end)
                              }, actor: actor)
    }
}

extension DayNetwork {
    /// How plans name a location: the zone's stop or depot id, or "lat,lon" of a booked address.
    public func placeName(_ location: Int) -> String {
        if location < zone.points.count { return zone.points[location].id }
        return coordinate(of: location).map { String(format: "%.6f,%.6f", $0.latitude, $0.longitude) } ?? "location \(location)"
    }
}
