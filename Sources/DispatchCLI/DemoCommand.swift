import ArgumentParser
import DispatchWire
import RoadNetwork

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the main job on the embedded default zone (no download needed)."
    )

    @Option(help: "The zone file.")
    var zone: String = EmbeddedZone.defaultZonePath

    @Option(help: "A summer date (YYYY-MM-DD).")
    var summer: String = "2026-07-15"

    @Option(help: "A winter date (YYYY-MM-DD), when the pass is closed.")
    var winter: String = "2026-12-01"

    func validate() throws {
        for d in [summer, winter] where ServiceDate(parsing: d) == nil {
            throw ValidationError(RoadNetworkError.invalidDate(d).description)
        }
    }

    func run() async throws {
        let result = try NetworkDemo.run(zonePath: zone, summer: ServiceDate(parsing: summer)!, winter: ServiceDate(parsing: winter)!)
        print(result.text)
    }
}
