import Hummingbird

/// Echoes the request id that Hummingbird puts in every log line of the request
/// (`hb.request.id`), so a user's error report can be matched to the logs.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.init("X-Request-Id")!] = context.id
        return response
    }
}
