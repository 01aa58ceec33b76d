import Hummingbird
import Metrics

/// The redirect answers before the router and its middleware: it is most of a busy
/// server's traffic, and it needs none of per-endpoint timers, request ids or HTML
/// security headers (the benchmark measured them at about a fifth of its throughput).
/// It counts itself in one counter instead. Anything it does not recognise (other paths,
/// unknown links, custom-link paths) goes to the router as before, which renders the 404.
struct RedirectFastPath<Next: HTTPResponder>: HTTPResponder where Next.Context == AppRequestContext {
    let route: RedirectRoute
    let benchmarkRoute: Bool
    let next: Next

    func respond(to request: Request, context: AppRequestContext) async throws -> Response {
        if request.method == .get || request.method == .head {
            let path = request.uri.path
            if let key = Self.key(in: path, after: "/r/") {
                if let target = try await route.tracking.links.target(forKey: key) {
                    redirectCounter.increment()
                    return route.redirect(request, context, target: target, record: true)
                }
            } else if benchmarkRoute, request.method == .get, let key = Self.key(in: path, after: "/bench/bare/") {
                if let target = try await route.tracking.links.target(forKey: key) {
                    return route.redirect(request, context, target: target, record: false)
                }
            }
        }
        return try await next.respond(to: request, context: context)
    }

    /// The one path component after `prefix`, or nil when there is none or more than one.
    static func key(in path: String, after prefix: String) -> String? {
        guard path.hasPrefix(prefix) else { return nil }
        let key = path.dropFirst(prefix.count)
        guard !key.isEmpty, !key.utf8.contains(UInt8(ascii: "/")) else { return nil }
        return String(key)
    }
}

/// Created once: a swift-metrics handle is a registry lookup.
private let redirectCounter = Counter(label: "tandem_redirects")
