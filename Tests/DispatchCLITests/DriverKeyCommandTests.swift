import Foundation
import Testing

/// `dispatch keys create --role driver --vehicle ID`: the key is bound to a vehicle of the zone.
@Suite struct DriverKeyCommandTests {
    @Test func aDriverKeyIsCreatedForAVehicleOfTheZone() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = "sqlite:" + dir.appendingPathComponent("s.sqlite").path
        let created = try CLIRunner.run(["keys", "create", "--role", "driver", "--vehicle", "okukawa-mura-2", "--label", "tablet", "--store", store])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.hasPrefix("dk_"))
        #expect(created.stderr.contains("created driver key key-") && created.stderr.contains("for vehicle okukawa-mura-2"))
    }

    @Test func aDriverKeyWithoutAVehicleOfTheZoneOrAVehicleOnAnotherRoleExitsWith2AndOneLine() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = "sqlite:" + dir.appendingPathComponent("s.sqlite").path
        let cases: [([String], String)] = [
            (["keys", "create", "--role", "driver", "--vehicle", "okukawa-mura-9", "--store", store], "okukawa-mura-9"),
            (["keys", "create", "--role", "driver", "--store", store], "--vehicle"),
            (["keys", "create", "--role", "dispatcher", "--vehicle", "okukawa-mura-1", "--store", store], "--vehicle"),
            (["keys", "create", "--role", "operator", "--municipality", "okukawa-mura", "--vehicle", "okukawa-mura-1", "--store", store], "--vehicle"),
        ]
        for (arguments, mention) in cases {
            let output = try CLIRunner.run(arguments)
            #expect(output.status == 2, "\(arguments): \(output.status) \(output.stderr)")
            #expect(output.stderr.contains(mention), "\(arguments): \(output.stderr)")
            #expect(output.stderr.split(separator: "\n").count == 1, "\(arguments): \(output.stderr)")
            #expect(output.stdout.isEmpty)
        }
    }
}
