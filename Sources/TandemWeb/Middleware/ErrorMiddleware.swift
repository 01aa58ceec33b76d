import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// Turns every error into the right answer for the caller: JSON
/// (`{"error": {"code", "message"}}`) under /api, an HTML page elsewhere. An
/// unexpected error is logged with the request id and shown as a 500 page that
/// reveals nothing of it. Running out of database connections is overload, not a
/// fault, and a database that cannot be reached (stopped, restarting, its disk full) is a
/// pause, not a fault: both are 503 with `Retry-After`, so clients and balancers back off
/// and retry, and nothing the request asked for was done.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: Renderer
    /// Told of every unavailable-database error (the store's `noteWriteFailure`: a write that
    /// failed for want of space is what `/healthz` then reports).
    var noteUnavailable: @Sendable (any Error) -> Void = { _ in }
    static let overloadRetryAfter = "2"
    static let unavailableRetryAfter = "5"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let thrown {
            // A workflow's refusal that no handler turned into a form error answers as the API maps it.
            let error = (thrown as? OperationError).map { APIError($0) as any Error } ?? thrown
            let isAPI = request.uri.path.hasPrefix("/api/") || request.uri.path == "/api"
            var status: HTTPResponse.Status
            var headers: HTTPFields = [:]
            if let responseError = error as? any HTTPResponseError {
                status = responseError.status
                headers = (error as? any HeaderCarryingError)?.headers ?? [:]
                headers[.contentType] = nil
            } else if Store.isOverload(error) {
                status = .serviceUnavailable
                headers[.retryAfter] = Self.overloadRetryAfter
                context.logger.warning("overloaded: no database connection in time", metadata: ["error": .string(String(describing: error))])
            } else if Store.isUnavailable(error) {
                status = .serviceUnavailable
                headers[.retryAfter] = Self.unavailableRetryAfter
                noteUnavailable(error)
                context.logger.warning("database unavailable", metadata: ["error": .string(String(describing: error))])
            } else if error is AmountOverflow || Store.isOverflow(error) {
                // Only amounts past every limit could add up to this; refuse the request, keep the process.
                status = .conflict
            } else {
                status = .internalServerError
            }
            if status == .internalServerError {
                context.logger.error("request failed", metadata: ["error": .string(String(reflecting: error))])
            }
            if isAPI {
                var apiError = (error as? APIError) ?? APIError(status: status)
                if Store.isUnavailable(error) {
                    apiError = APIError(status: .serviceUnavailable, code: "database_unavailable", message: "The database cannot be reached right now; nothing was changed. Retry after `Retry-After` seconds.")
                }
                if error is AmountOverflow || Store.isOverflow(error) {
                    apiError = APIError(status: .conflict, code: "amount_too_large", message: "A total here would exceed the largest amount Tandem can hold.")
                }
                apiError.extraHeaders = headers
                return apiError.response()
            }
            if status == .unauthorized {
                let next = request.uri.path
                return Response.redirect(to: SiteRoute.login.path + "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_"))) ?? ""), type: .normal)
            }
            let (title, message) = Self.words(for: status)
            var response = try renderer.errorPage(status: status, title: title, message: message, context: context)
            response.headers.append(contentsOf: headers)
            return response
        }
    }

    static func words(for status: HTTPResponse.Status) -> (String, String) {
        switch status.code {
        case 404: ("Page not found", "There is nothing at this address. Check the link, or go back to your dashboard.")
        case 403: ("Not allowed", "Your account cannot open this page.")
        case 405: ("Not allowed here", "This address does not accept that kind of request.")
        case 409: ("That cannot be done now", "The numbers involved are larger than Tandem can hold. Nothing was changed.")
        case 413: ("Too large", "What you sent is larger than Tandem accepts.")
        case 429: ("Too many attempts", "Wait a little and try again.")
        case 400..<500: ("Something is wrong with the request", "Go back and try again.")
        case 503: ("Busy", "Tandem is busy right now. Nothing was lost; try again in a few seconds.")
        default: ("Something went wrong", "We could not show this page. The problem has been logged; please try again in a moment.")
        }
    }
}
