import ArgumentParser

struct DispatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Dispatch optimizer for demand-responsive transport in mountain areas.",
        discussion: """
            Every command takes its input file as an argument, names its formats alike (table, json, csv, geojson, html) \
            and writes its result to -o/--output FILE instead of standard output where it writes one. --zone defaults to \
            the embedded zone that ships with dispatch; the default stores (data/dispatch.sqlite, data/demo.sqlite) and \
            the demo's HTML view (data/plan-DATE.html) go under the current folder.
            """ + "\n\n" + ErrorReporting.table,
        subcommands: [NetworkCommand.self, ZoneCommand.self, SolveCommand.self, ServeCommand.self, PlanCommand.self, ManifestCommand.self, ReportCommand.self, KeysCommand.self, StandingCommand.self, BenchCommand.self, DemoCommand.self]
    )
}
