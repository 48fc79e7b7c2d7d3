import ArgumentParser

struct NetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Import, inspect and route on road networks.",
        subcommands: [NetworkImportCommand.self, NetworkInfoCommand.self, NetworkRouteCommand.self, NetworkTableCommand.self, NetworkGenerateCommand.self]
    )
}
