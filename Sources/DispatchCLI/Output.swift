import ArgumentParser
import Foundation

/// Formats of a command's result are named alike everywhere (each command's own `Format` offers
/// the ones that make sense for it): `table` for people at a terminal, `json`, `csv` (UTF-8 with
/// BOM, CRLF; see `CSV`), `geojson` and `html`.
/// `-o/--output FILE` of every command that writes a result: the file (written whole, atomically)
/// instead of standard output.
struct OutputOption: ParsableArguments {
    @Option(name: [.short, .long], help: "Write the result to this file instead of standard output.")
    var output: String?

    /// Writes `text` to the file or prints it; `what` names the result in the line on standard
    /// error that says where it went.
    func write(_ text: String, what: String = "result") throws {
        if let output {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CLIError.badInput("\(output): cannot be written (\((error as NSError).localizedDescription))")
            }
            FileHandle.standardError.write(Data("\(what) written to \(output)\n".utf8))
        } else {
            // By bytes: "\r\n" is one Character, so hasSuffix("\n") is false for CRLF text.
            print(text, terminator: text.utf8.last == UInt8(ascii: "\n") ? "" : "\n")
        }
    }
}
