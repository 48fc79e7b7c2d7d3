import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that measure against a baseline in the same run.",
        subcommands: [BenchRoutingCommand.self]
    )
}
