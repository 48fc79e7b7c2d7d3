import ArgumentParser
import Foundation

/// Entry point: parses the command line, runs the command, and maps every error to an exit code.
@main
enum DispatchMain {
    static func main() async {
        do {
            let arguments = Array(CommandLine.arguments.dropFirst())
            var command = try PlanDiffRoute.matches(arguments) ? PlanDiffRoute.Root.parseAsRoot(arguments) : DispatchCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(ErrorReporting.report(error))
        }
    }
}
