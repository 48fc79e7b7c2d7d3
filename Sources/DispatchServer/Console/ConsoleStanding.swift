import Hummingbird
extension Console { func registerStanding(on router: Router<ServerContext>) {} }
