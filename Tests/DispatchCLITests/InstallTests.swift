import Foundation
import Testing

/// `dispatch` carries its embedded zone: it works from any folder, and after `scripts/install`
/// (what `make install` runs) through the installed link.
@Suite struct InstallTests {
    @Test func theDemoRunsFromAFolderWithoutTheRepositoryAndWritesUnderIt() throws {
        let folder = try CLIRunner.temporaryDirectory()
        let demo = try CLIRunner.run(["demo", "--bookings", "8", "--time-limit", "0.3", "--quiet"], in: folder)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("Booked"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/demo.sqlite").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/plan-2026-12-01.html").path))
        let plan = try CLIRunner.run(["plan", "--date", "2026-12-01", "--store", "sqlite:data/demo.sqlite", "--time-limit", "0.3", "--quiet"], in: folder)
        #expect(plan.status == 0, "\(plan.stderr)")
    }

    @Test func anInstalledDispatchFindsItsZoneThroughTheLinkFromAnyFolder() throws {
        let prefix = try CLIRunner.temporaryDirectory().appendingPathComponent("prefix")
        let build = URL(fileURLWithPath: CLIRunner.binary).deletingLastPathComponent()
        let install = Process()
        install.executableURL = CLIRunner.projectRoot.appendingPathComponent("scripts/install")
        install.arguments = [prefix.path, build.path]
        install.standardOutput = FileHandle.nullDevice
        try install.run()
        install.waitUntilExit()
        #expect(install.terminationStatus == 0)
        let installed = prefix.appendingPathComponent("bin/dispatch").path
        #expect(FileManager.default.isExecutableFile(atPath: installed))

        let folder = try CLIRunner.temporaryDirectory()
        let run = Process()
        run.executableURL = URL(fileURLWithPath: installed)
        run.arguments = ["demo", "--bookings", "6", "--time-limit", "0.3", "--quiet", "--store", "sqlite:installed.sqlite"]
        run.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        run.standardOutput = out
        run.standardError = err
        try run.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        #expect(run.terminationStatus == 0, "\(stderr)")
        #expect(stdout.contains("Shinano valleys"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("installed.sqlite").path))
    }
}
