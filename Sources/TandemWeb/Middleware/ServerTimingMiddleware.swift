import Hummingbird

/// `Server-Timing: app;dur=12.3` on pages: the time the server spent on the request
/// (session, queries, rendering), which browsers' developer tools and the page
/// benchmark read without the client's own overhead.
struct ServerTimingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        response.headers[.init("Server-Timing")!] = "app;dur=\(micros / 1000).\(micros % 1000 / 100)"
        return response
    }
}
