import Hummingbird

extension Console {
    func registerBooking(on router: Router<ServerContext>) {
        router.get("/console/book") { request, context in
            await guarded(request, context, roles: Console.bookingRoles) { page, _ in
                page.render(title: page.t("Phone booking", "電話予約"), body: "<h1>\(page.t("Phone booking", "電話予約"))</h1>")
            }
        }
    }

    func registerStanding(on router: Router<ServerContext>) {}
}
