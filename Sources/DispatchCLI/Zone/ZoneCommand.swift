import ArgumentParser
import DispatchPlanning
import DispatchWire
import Foundation

struct ZoneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zone",
        abstract: "Check zone files.",
        subcommands: [ZoneCheckCommand.self]
    )
}

struct ZoneCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a zone file against its network: one line per problem with its JSON path (exit 2), or a one-line summary (exit 0)."
    )

    @Argument(help: "The zone file (its network file is read from the same folder).")
    var zone: String

    func run() async throws {
        let result = ZoneCheck.run(zonePath: zone)
        guard result.problems.isEmpty else {
            for problem in result.problems { ErrorReporting.printError(problem.description) }
            throw CLIError.badInput("")
        }
        print(result.summary + ": no problems")
    }
}
