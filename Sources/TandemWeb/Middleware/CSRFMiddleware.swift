import Foundation
import Hummingbird
import TandemOperations
import TandemDomain
import TandemStore

/// CSRF protection for every HTML form, by signed double submit: the browser holds
/// a random `tdm_csrf` cookie, and each form carries `_csrf`, the HMAC of that cookie
/// under the server's secret key. A cross-site page can neither read the cookie nor
/// forge the signature. Unsafe methods outside `/api` must carry a valid token; the
/// form body is parsed here once and handed on in the context.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "tdm_csrf"
    static let fieldName = "_csrf"

    let secretKey: String
    let secureCookies: Bool
    let renderer: Renderer
    /// New seeds come from the store's source, so tests see the same page bytes each run.
    let identifiers: Identifiers
    /// Bounds the upload forms' large bodies read at once.
    let uploads: UploadGate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let existing = request.cookies[Self.cookieName]?.value
        let seed = existing.flatMap { $0.count >= 32 && $0.count < 100 ? $0 : nil }
        context.csrfSeed = seed ?? identifiers.token(32)

        // Nothing Tandem stores or looks up holds a control character (PostgreSQL refuses NUL
        // outright), so an address or a form that carries one is refused here, for every page.
        if TextRules.hasControlCharacter(request.uri.path.removingPercentEncoding ?? request.uri.path)
            || request.uri.queryParameters.contains(where: { TextRules.hasControlCharacter(String($0.key)) || TextRules.hasControlCharacter(String($0.value)) }) {
            return try Self.refuseControlCharacters(context: context, renderer: renderer)
        }

        let unsafe = [.post, .put, .patch, .delete].contains(request.method)
        if unsafe && !request.uri.path.hasPrefix("/api/") {
            var request = request
            let fields: FormFields
            let boundary = MultipartForm.boundary(contentType: request.headers[.contentType])
            // Only an upload form's address takes a body the size of a file, a few at a time.
            let upload = boundary != nil && request.uri.path.hasSuffix("/resources")
            if upload {
                guard uploads.tryEnter() else { return try Self.tooManyUploads(context: context, renderer: renderer) }
            }
            defer { if upload { uploads.leave() } }
            if let boundary {
                let limit = upload ? Resources.maxFileBytes + 256 * 1024 : context.maxUploadSize
                let body = try await request.collectBody(upTo: limit)
                guard let form = MultipartForm(body: Data(body.readableBytesView), boundary: boundary) else {
                    return try renderer.errorPage(status: .badRequest, title: "Something is wrong with the request",
                                                  message: "The form could not be read. Go back and send it again.", context: context)
                }
                fields = FormFields(pairs: form.parts.filter { $0.fileName == nil }.map { ($0.name, String(data: $0.data, encoding: .utf8) ?? "") })
                context.multipart = form
            } else {
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                fields = FormFields(urlEncoded: String(buffer: body))
            }
            let expected = SecureToken.sign(context.csrfSeed, key: secretKey)
            guard seed != nil, let sent = fields[Self.fieldName], SecureToken.constantTimeEquals(sent, expected) else {
                return try renderer.errorPage(
                    status: .forbidden, title: "This form has expired",
                    message: "For your security the form could not be accepted. Go back, reload the page and send it again.",
                    context: context
                )
            }
            if fields.containsControlCharacters { return try Self.refuseControlCharacters(context: context, renderer: renderer) }
            context.form = fields
            return try await next(request, context)
        }

        var response = try await next(request, context)
        if seed == nil {
            response.setCookie(Cookie(name: Self.cookieName, value: context.csrfSeed, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        }
        return response
    }

    static func tooManyUploads(context: Context, renderer: Renderer) throws -> Response {
        var response = try renderer.errorPage(
            status: .serviceUnavailable, title: "Too many uploads at once",
            message: "Several files are being uploaded right now. Wait a few seconds and send the form again.", context: context
        )
        response.headers[.retryAfter] = ErrorMiddleware.unavailableRetryAfter
        return response
    }

    static func refuseControlCharacters(context: Context, renderer: Renderer) throws -> Response {
        try renderer.errorPage(
            status: .badRequest, title: "Something is wrong with the request",
            message: "What was sent holds invisible control characters. Go back, retype it and send it again.", context: context
        )
    }

    static func token(for context: AppRequestContext, secretKey: String) -> String {
        SecureToken.sign(context.csrfSeed, key: secretKey)
    }
}
