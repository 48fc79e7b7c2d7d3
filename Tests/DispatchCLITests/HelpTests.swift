import Foundation
import Testing

/// Help and usage errors go through ErrorReporting, the one place that maps errors to exit codes.
@Suite struct HelpTests {
    /// The subcommands a help page lists (the lines under `SUBCOMMANDS:` indented by two spaces).
    static func subcommands(in help: String) -> [String] {
        var names: [String] = []
        var inList = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") { inList = true; continue }
            guard inList else { continue }
            if line.isEmpty || !line.hasPrefix("  ") { if !names.isEmpty { break } else { continue } }
            if line.hasPrefix("   ") { continue }   // a wrapped description
            if let name = line.split(separator: " ").first { names.append(String(name)) }
        }
        return names
    }

    @Test func everyCommandsHelpIsPrintedOnStandardOutputWithExitCodeZero() throws {
        var pending: [[String]] = [[]]
        var visited: [String] = []
        while let path = pending.popLast() {
            let help = try CLIRunner.run(path + ["--help"])
            let name = (["dispatch"] + path).joined(separator: " ")
            #expect(help.status == 0, "\(name) --help: \(help.stderr)")
            #expect(help.stderr.isEmpty, "\(name) --help wrote to stderr: \(help.stderr)")
            #expect(help.stdout.contains("USAGE: \(name)"), "\(name) --help:\n\(help.stdout)")
            if !path.isEmpty {
                let viaHelp = try CLIRunner.run(["help"] + path)
                #expect(viaHelp.status == 0 && viaHelp.stdout == help.stdout, "dispatch help \(path.joined(separator: " "))")
            }
            visited.append(name)
            pending += Self.subcommands(in: help.stdout).map { path + [$0] }
        }
        // The walk reached the command groups and their leaves, not only the root page.
        for command in ["dispatch network", "dispatch network import", "dispatch bench routing", "dispatch keys", "dispatch plan", "dispatch demo"] {
            #expect(visited.contains(command), "\(command) not reached; visited: \(visited)")
        }
    }

    /// The `--flags` in a text, whole (`--time-limit` is not found inside `--plan-time-limit`).
    static func flags(in text: Substring) -> Set<String> {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        return Set(text.split(whereSeparator: { !allowed.contains($0) }).filter { $0.hasPrefix("--") && $0.count > 2 }.map(String.init))
    }

    @Test func everyFlagOfTheREADMEsCommandLinesExists() throws {
        let readme = try String(contentsOf: CLIRunner.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var inCode = false
        var checked = 0
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inCode.toggle(); continue }
            guard inCode, line.hasPrefix("dispatch ") else { continue }
            let usage = line.split(separator: "#", maxSplits: 1)[0]   // drop a trailing comment
            let words = usage.split(separator: " ").dropFirst()
            let command = words.prefix { $0.allSatisfy { $0.isLowercase || $0 == "-" } && !$0.hasPrefix("-") }.map(String.init)
            let help = try CLIRunner.run(command + ["--help"])
            #expect(help.status == 0, "README: \(line)")
            let known = Self.flags(in: help.stdout[...])
            for flag in Self.flags(in: usage).sorted() {
                #expect(known.contains(flag), "README names \(flag) for `dispatch \(command.joined(separator: " "))`, which has no such option")
                checked += 1
            }
        }
        #expect(checked >= 50, "only \(checked) flags found in the README's command lines")
    }

    @Test func anUnknownOptionIsBadInputWithOneLinePointingToHelp() throws {
        let result = try CLIRunner.run(["network", "info", "Networks/default-zone.dnet", "--no-such-option"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains("--no-such-option") && result.stderr.contains("dispatch help"),
                "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
