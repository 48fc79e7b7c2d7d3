import Hummingbird

extension Console {
    /// The day board (dispatchers): bookings, the plan's map and timeline, re-plans, manifests.
    func registerBoard(on router: Router<ServerContext>) {
        router.get("/console/board") { request, context in
            await guarded(request, context, roles: Console.boardRoles) { page, _ in
                page.render(title: page.t("Day board", "運行管理"), body: "<h1>\(page.t("Day board", "運行管理"))</h1>")
            }
        }
    }
}

extension ConsoleAssets {
    /// The board's own files (script, styles).
    static let boardAssets: [ConsoleAsset] = []
}
