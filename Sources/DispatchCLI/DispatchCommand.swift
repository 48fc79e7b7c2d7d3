import ArgumentParser

struct DispatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Dispatch optimizer for demand-responsive transport in mountain areas.",
        subcommands: [NetworkCommand.self, SolveCommand.self, ServeCommand.self, PlanCommand.self, ReportCommand.self, KeysCommand.self, BenchCommand.self, DemoCommand.self]
    )
}
