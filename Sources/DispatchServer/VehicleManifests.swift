import DispatchPlanning
import DispatchWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RideRequestStore
import RoadNetwork

extension APIKey {
    /// Whether this key may read and report for `vehicle` (its manifest, its events): dispatchers
    /// and admins for every vehicle, a driver for the vehicle its key is bound to, nobody else.
    package func mayActOn(vehicle: String) -> Bool {
        switch role {
        case .dispatcher, .admin: true
        case .driver: self.vehicle == vehicle
        case .booking, .operator: false
        }
    }
}

extension Handlers {
    /// Whether the caller may read and report for `vehicle` (see `APIKey.mayActOn(vehicle:)`);
    /// false without a key. The vehicle events endpoint asks this too.
    func mayActOn(vehicle: String, context: ServerContext) -> Bool {
        context.key?.mayActOn(vehicle: vehicle) ?? false
    }

    /// Driver keys read their vehicle's manifest only: 403 for bookings, plans and keys.
    static func refuseDriver(_ key: APIKey, _ what: String) throws {
        if key.role == .driver { throw APIError.forbidden("a driver key reads its vehicle's manifest only, not \(what)") }
    }

    /// `GET /v1/vehicles/{id}/manifest?date=D[&format=json|html]`: the vehicle's stops of the
    /// date's latest plan. Drivers see their own vehicle, operators their municipality's vehicles,
    /// dispatchers and admins all; booking keys none (403). No plan for the date yet: 404.
    func manifest(_ request: Request, _ context: ServerContext) async throws -> Response {
        let key = try context.requireKey()
        let id = context.parameters.get("id") ?? ""
        _ = try manifestVehicle(id, key: key)
        guard let text = request.uri.queryParameters["date"].map(String.init) else {
            throw APIError.invalid("date", "the query parameter 'date' (YYYY-MM-DD) is required")
        }
        guard let date = ServiceDate(parsing: text) else { throw APIError.invalid("date", "'date' must be a date YYYY-MM-DD, not '\(echo(text))'") }
        let format = request.uri.queryParameters["format"].map(String.init) ?? "json"
        guard format == "json" || format == "html" else { throw APIError.invalid("format", "'format' must be json or html") }
        let manifest = try await vehicleManifest(vehicle: id, date: date, key: key)
        guard format == "html" else { return JSONBody.response(manifest.json) }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: manifest.html(zone: zone))))
    }

    /// The zone's vehicle `id` if `key` may read its manifest: booking keys none (403), drivers
    /// their own vehicle's, operators their municipality's; 404 for an unknown vehicle.
    func manifestVehicle(_ id: String, key: APIKey) throws -> ZoneFile.Vehicle {
        switch key.role {
        case .booking: throw APIError.forbidden("booking keys cannot read vehicle manifests")
        case .driver where key.vehicle != id: throw APIError.forbidden("this driver key reads the manifest of vehicle \(key.vehicle ?? "") only")
        default: break
        }
        guard id.utf8.count <= 64, let vehicle = zone.file.vehicles.first(where: { $0.id == id }) else { throw APIError.notFound("vehicle \(echo(id))") }
        if key.role == .operator, vehicle.municipality != key.municipality {
            throw APIError.forbidden("an operator key reads the manifests of its municipality's vehicles only")
        }
        return vehicle
    }

    /// The manifest of vehicle `id` in the latest plan of `date`, as `key` may read it (the API's
    /// manifest endpoint and the console's manifest page): 403 for another's vehicle, 404 for an
    /// unknown vehicle or a date without a plan.
    func vehicleManifest(vehicle id: String, date: ServiceDate, key: APIKey) async throws -> VehicleManifest {
        let vehicle = try manifestVehicle(id, key: key)
        guard let record = try await store.latestPlan(serviceDate: date.description) else {
            throw APIError(.notFound, "not_found", "there is no plan for \(date) yet; the manifest is made from the date's latest plan")
        }
        guard let document = try? DayPlanDocument.decode(record.payload) else {
            throw APIError(.internalServerError, "internal", "the stored plan for \(date) v\(record.version) cannot be read")
        }
        let bookings = try await store.bookings(serviceDate: date.description, municipality: nil, createdBy: nil)
        return VehicleManifest.make(vehicle: vehicle, document: document, version: record.version, zone: zone,
                                    bookings: Dictionary(bookings.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
    }
}
