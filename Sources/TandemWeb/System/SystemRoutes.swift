import Foundation
import Hummingbird
import TandemStore

/// Health, metrics and the stylesheet: what operators and browsers fetch around the pages.
struct SystemRoutes: WebPages {
    let env: WebEnvironment
    let stylesheet: ByteBuffer
    let script: ByteBuffer

    init(env: WebEnvironment) throws {
        self.env = env
        self.stylesheet = try Self.asset("styles.css")
        self.script = try Self.asset("app.js")
    }

    /// Assets are read once at start-up and served from memory.
    static func asset(_ name: String) throws -> ByteBuffer {
        let url = Bundle.module.bundleURL.appendingPathComponent("Public/\(name)")
        guard let data = try? Data(contentsOf: url) else {
            throw ConfigError("\(name) is missing from the build (looked for \(url.path)).")
        }
        return ByteBuffer(bytes: data)
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.healthz.routerPath) { _, _ in
            switch await store.health() {
            case .ok:
                return Self.json(.ok, #"{"status":"ok","database":"ok"}"#)
            case .unreachable:
                return Self.json(.serviceUnavailable, #"{"status":"unavailable","database":"unreachable"}"#, retryAfter: ErrorMiddleware.unavailableRetryAfter)
            case .full:
                return Self.json(.serviceUnavailable, #"{"status":"unavailable","database":"full"}"#, retryAfter: ErrorMiddleware.unavailableRetryAfter)
            }
        }
        router.get(SiteRoute.metrics.routerPath) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: TandemMetrics.registry.emitToBuffer()))
            )
        }
        let css = stylesheet
        router.get(SiteRoute.stylesheet.routerPath) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=300"], body: .init(byteBuffer: css))
        }
        let js = script
        router.get(SiteRoute.script.routerPath) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=300"], body: .init(byteBuffer: js))
        }
    }

    static func json(_ status: HTTPResponse.Status, _ text: String, retryAfter: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = retryAfter }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
