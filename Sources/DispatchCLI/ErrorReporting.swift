import ArgumentParser
import Foundation
import RideRequestStore
import DispatchCore
import DispatchWire
import RoadNetwork

/// Errors of the command line itself (not of a library).
struct CLIError: Error, CustomStringConvertible {
    enum Kind { case badInput, noRoute, brokenPromises }
    var kind: Kind
    var description: String

    static func badInput(_ message: String) -> CLIError { CLIError(kind: .badInput, description: message) }
    static func noRoute(_ message: String) -> CLIError { CLIError(kind: .noRoute, description: message) }
    static func brokenPromises(_ message: String) -> CLIError { CLIError(kind: .brokenPromises, description: message) }
}

/// The one place where errors become exit codes (the table is `ExitCode.table`, printed by
/// `dispatch --help` and copied in the README).
enum ErrorReporting {
    static let internalError: Int32 = 1
    static let badInput: Int32 = 2
    static let noRoute: Int32 = 3
    static let brokenPromises: Int32 = 4
    static let storeUnavailable: Int32 = 5

    /// Every exit code with its meaning, for `dispatch --help` and the README.
    static let table = """
        EXIT CODES:
          0  success (also --help)
          1  internal error (a bug: report it with the command)
          2  bad input: arguments, files, store addresses, data unfit for the zone
          3  no route, or no feasible plan (the result is still written)
          4  the plan was made and stored, but breaks promises made to passengers
          5  the store is unavailable or busy (another plan run holds the date)
        """

    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let e as RoadNetworkError:
            printError(e.description)
            return e.isBadInput ? badInput : internalError
        case let e as InstanceFileError:
            printError(e.description)
            return badInput
        case let e as DispatchInstanceError:
            printError(e.description)
            return badInput
        case let e as ZoneFileError:
            printError(e.description)
            return badInput
        case let e as StoreError:
            printError(e.description)
            switch e.kind {
            case .unavailable, .lockTimeout: return storeUnavailable
            case .notFound, .invalidTransition, .invalidLocation, .badAddress: return badInput
            }
        case let e as CLIError:
            printError(e.description)
            switch e.kind {
            case .badInput: return badInput
            case .noRoute: return noRoute
            case .brokenPromises: return brokenPromises
            }
        default:
            let code = DispatchCommand.exitCode(for: error)
            if code == .success {
                print(DispatchCommand.fullMessage(for: error))
                return 0
            }
            if code == .validationFailure {
                let message = DispatchCommand.message(for: error)
                    .split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                printError("\(message) (see `dispatch help`)")
                return badInput
            }
            printError(String(describing: error))
            return internalError
        }
    }

    /// Writes "error: MESSAGE" on standard error (nothing for an empty message: the command has
    /// already listed its problems).
    static func printError(_ message: String) {
        guard !message.isEmpty else { return }
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }
}
