import Foundation
import Hummingbird

/// Turns every error into the right answer for the caller: JSON
/// (`{"error": {"code", "message"}}`) under /api, an HTML page elsewhere. An
/// unexpected error is logged with the request id and shown as a 500 page that
/// reveals nothing of it.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: Renderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let status: HTTPResponse.Status
            if let responseError = error as? any HTTPResponseError {
                status = responseError.status
            } else {
                status = .internalServerError
            }
            if status == .internalServerError {
                context.logger.error("request failed", metadata: ["error": .string(String(reflecting: error))])
            }
            if request.uri.path.hasPrefix("/api/") || request.uri.path == "/api" {
                return ((error as? APIError) ?? APIError(status: status)).response()
            }
            if status == .unauthorized {
                let next = request.uri.path
                return Response.redirect(to: SiteRoute.login.path + "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_"))) ?? ""), type: .normal)
            }
            let (title, message) = Self.words(for: status)
            return try renderer.errorPage(status: status, title: title, message: message, context: context)
        }
    }

    static func words(for status: HTTPResponse.Status) -> (String, String) {
        switch status.code {
        case 404: ("Page not found", "There is nothing at this address. Check the link, or go back to your dashboard.")
        case 403: ("Not allowed", "Your account cannot open this page.")
        case 413: ("Too large", "What you sent is larger than Tandem accepts.")
        case 400..<500: ("Something is wrong with the request", "Go back and try again.")
        default: ("Something went wrong", "We could not show this page. The problem has been logged; please try again in a moment.")
        }
    }
}
