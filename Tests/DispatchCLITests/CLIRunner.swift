import Foundation

/// Runs the built `dispatch` executable, as a person or script would.
struct CLIRunner {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `dispatch` binary next to the test bundle (both live in the same build folder).
    static let binary: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0 ..< 4 {
            let candidate = dir.appendingPathComponent("dispatch").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return projectRoot.appendingPathComponent(".build/debug/dispatch").path
    }()

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? projectRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes fully before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dispatch-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static let sharedNetworks = ProcessInfo.processInfo.environment["DISPATCH_SHARED_NETWORKS"]
        ?? projectRoot.deletingLastPathComponent().appendingPathComponent("shared/networks").path

    static func sharedFile(_ name: String) -> String? {
        let p = sharedNetworks + "/" + name
        if FileManager.default.fileExists(atPath: p) { return p }
        print("note: \(p) is absent; CLI tests that read it are skipped")
        return nil
    }
}
