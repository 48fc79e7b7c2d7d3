import HTTPTypes
import Hummingbird
import NIOCore

/// The console's static files, compiled in (no resource bundle to lose on install, nothing from
/// a CDN). Each file's text lives in its own `ConsoleAssets+NAME.swift`.
struct ConsoleAsset: Sendable {
    let name: String
    let contentType: String
    let text: String

    func response() -> Response {
        Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "no-cache"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

enum ConsoleAssets {
    static let all: [ConsoleAsset] = [
        ConsoleAsset(name: "console.css", contentType: "text/css; charset=utf-8", text: stylesheet),
        ConsoleAsset(name: "console.js", contentType: "text/javascript; charset=utf-8", text: script),
    ] + boardAssets
}
