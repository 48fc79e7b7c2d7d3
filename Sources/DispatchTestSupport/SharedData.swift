import Foundation

/// The benchmark data next to the project (`../shared`), when it is there (CI has it).
public enum SharedData {
    /// `../shared/instances/darp-a` (the Cordeau 2006 "a" instances), or nil with a note when absent.
    public static let darpDirectory: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/instances/darp-a").path
        if FileManager.default.fileExists(atPath: path + "/BKS.csv") { return path }
        print("note: \(path) is absent; tests that solve the Cordeau instances are skipped")
        return nil
    }()

    /// The path of one instance file (`a2-16`), when the folder is present.
    public static func darpInstance(_ name: String) -> String? { darpDirectory.map { "\($0)/\(name).txt" } }
}
