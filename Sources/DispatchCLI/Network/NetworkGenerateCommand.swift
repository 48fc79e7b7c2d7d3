import ArgumentParser

struct NetworkGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Generate a synthetic mountain network.")
    func run() async throws {}
}
