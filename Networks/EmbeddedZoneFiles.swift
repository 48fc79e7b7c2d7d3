import Foundation

/// Where the embedded default zone is at run time. SwiftPM copies `default-zone.zone.json` and
/// `default-zone.dnet` into `dispatch_DispatchZoneData.resources` beside the executable, and
/// `make install` keeps that folder beside the installed binary, so `dispatch demo` works from any
/// folder. (Not `Bundle.module`: it stops the program when the folder is missing; here a missing
/// folder falls back to `Networks/` under the current folder and then to a clear error.)
public enum EmbeddedZoneFiles {
    /// The resource folder's name: SwiftPM's `<package>_<target>.resources`.
    public static let bundleName = "dispatch_DispatchZoneData.resources"
    public static let zoneFileName = "default-zone.zone.json"

    /// The embedded zone file beside the running executable (symbolic links resolved), or
    /// `Networks/default-zone.zone.json` under the current folder; nil when neither exists.
    public static var zonePath: String? {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent(bundleName).appendingPathComponent(zoneFileName))
        }
        candidates.append(URL(fileURLWithPath: "Networks").appendingPathComponent(zoneFileName))
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }?.path
    }
}
