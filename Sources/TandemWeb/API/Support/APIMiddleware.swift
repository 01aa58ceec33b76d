import Crypto
import Foundation
import Hummingbird
import NIOCore
import TandemDomain
import TandemOperations
import TandemStore

/// Everything under /api/v1: the bearer key, the body (at most 1 MiB), and
/// `Idempotency-Key` replays for POST.
struct APIMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let maxBody = 1024 * 1024

    let store: Store
    let now: @Sendable () -> Date
    let limits: RequestLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let (principal, keyID) = try await authenticate(request, context: context)
        context.principal = principal
        context.apiKeyID = keyID
        var decision: RateLimitDecision?
        if let limiter = limits.apiByKey {
            let taken = limiter.take("key:" + keyID.uuidString)
            guard taken.allowed else {
                var error = APIError(status: .tooManyRequests, code: "rate_limited",
                                     message: "This key made more than \(taken.limit) requests in a minute; retry in \(taken.retryAfterSeconds) s.")
                error.extraHeaders[.retryAfter] = String(taken.retryAfterSeconds)
                error.extraHeaders.setRateLimit(taken)
                throw error
            }
            decision = taken
        }
        do {
            var response = try await answer(request, context: context, next: next)
            if let decision { response.headers.setRateLimit(decision) }
            return response
        } catch var error as APIError {
            if let decision { error.extraHeaders.setRateLimit(decision) }
            throw error
        }
    }

    func answer(_ request: Request, context: Context, next handler: (Request, Context) async throws -> Response) async throws -> Response {
        // A workflow's refusal becomes the API's error here, so that idempotency keeps it and
        // the rate-limit headers reach it like any other answer.
        try await withoutActuallyEscaping(handler) { handler in
            try await answer(request, context: context, mapped: { request, context in
                do {
                    return try await handler(request, context)
                } catch let refusal as OperationError {
                    throw APIError(refusal)
                }
            })
        }
    }

    func answer(_ request: Request, context: Context, mapped next: @escaping (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        try Self.refuseControlCharacters(in: request)
        if request.method == .post || request.method == .patch || request.method == .put {
            // An upload of a resource may be a file of 25 MB; every other body is JSON of at most 1 MiB.
            let upload = request.method == .post && request.uri.path.hasSuffix("/resources")
            let limit = upload ? Resources.maxFileBytes + 256 * 1024 : Self.maxBody
            let tooLarge = upload ? "The body is larger than a 25 MB file and its fields." : "The body is larger than 1 MiB."
            if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
                throw APIError(status: .contentTooLarge, message: tooLarge)
            }
            do {
                context.apiBody = try await request.collectBody(upTo: limit)
            } catch is NIOTooManyBytesError {
                throw APIError(status: .contentTooLarge, message: tooLarge)
            }
        }
        if request.method == .post, let key = request.headers[.init("Idempotency-Key")!], let principal = context.principal {
            return try await idempotent(key: key, principal: principal, request: request, context: context, next: next)
        }
        return try await next(request, context)
    }

    /// A path or query value with a control character cannot name anything stored (and
    /// PostgreSQL refuses NUL in a query outright): 404 for the path, 400 naming the parameter.
    static func refuseControlCharacters(in request: Request) throws {
        if TextRules.hasControlCharacter(request.uri.path.removingPercentEncoding ?? request.uri.path) {
            throw APIError(status: .notFound)
        }
        for (name, value) in request.uri.queryParameters {
            if TextRules.hasControlCharacter(String(name)) || TextRules.hasControlCharacter(String(value)) {
                throw APIError.invalid(String(name), "`\(name)` may not contain control characters.")
            }
        }
    }

    /// The key's principal and id. Requests presenting a key that is not valid are limited
    /// per client address, so keys cannot be guessed quickly. A request with no
    /// `Authorization` at all guesses nothing and costs no lookup: it is a plain 401, so a
    /// client that forgot its key is told so rather than told to wait.
    func authenticate(_ request: Request, context: Context) async throws -> (APIPrincipal, UUID) {
        do {
            return try await authenticate(request)
        } catch let error as APIError where error.status == .unauthorized && request.headers[.authorization] != nil {
            let taken = limits.apiUnauthenticatedByAddress.take(RequestLimits.address(context))
            guard taken.allowed else {
                var limited = APIError(status: .tooManyRequests, code: "rate_limited",
                                       message: "Too many requests without a valid key from this address; retry in \(taken.retryAfterSeconds) s.")
                limited.extraHeaders[.retryAfter] = String(taken.retryAfterSeconds)
                throw limited
            }
            throw error
        }
    }

    func authenticate(_ request: Request) async throws -> (APIPrincipal, UUID) {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError(status: .unauthorized)
        }
        let secret = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard secret.count < 200, secret.hasPrefix("tdm_sk_") || secret.hasPrefix("tdm_pk_"),
              !TextRules.hasControlCharacter(secret),
              let key = try await APIKeyQueries.find(secret: secret, on: store.db), let keyID = key.id else {
            throw APIError(status: .unauthorized, code: "invalid_key", message: "This API key is not valid or was revoked.")
        }
        if key.lastUsedAt.map({ now().timeIntervalSince($0) >= 60 }) ?? true {
            try await APIKeyQueries.touch(id: keyID, now: now(), on: store.sql)
        }
        switch key.owner {
        case .vendor:
            guard let id = key.$company.id else { throw APIError(status: .unauthorized) }
            return (.vendor(companyID: id), keyID)
        case .partner:
            guard let id = key.$partnerAccount.id else { throw APIError(status: .unauthorized) }
            return (.partner(accountID: id), keyID)
        }
    }

    /// The first request with a key claims it; its answer is stored and replayed for the
    /// same key and body. Another body with the key is a 409, as is a replay while the
    /// first is still running. An answer the caller may retry (5xx, 429) is not kept.
    func idempotent(
        key: String, principal: APIPrincipal, request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIError(status: .badRequest, code: "invalid_idempotency_key", message: "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.")
        }
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        if let body = context.apiBody { hasher.update(data: Data(buffer: body)) }
        let fingerprint = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let recordID: UUID
        switch try await IdempotencyQueries.claim(scope: principal.scope, key: key, fingerprint: fingerprint, now: now(), on: store.db) {
        case .claimed(let id):
            recordID = id
        case .taken(let existing):
            guard let existing else {
                throw APIError(status: .conflict, code: "request_in_progress", message: "A request with this Idempotency-Key is still being processed; retry shortly.")
            }
            guard existing.fingerprint == fingerprint else {
                throw APIError(status: .conflict, code: "idempotency_key_reused", message: "This Idempotency-Key was used with another request.")
            }
            guard let status = existing.status, let body = existing.body else {
                throw APIError(status: .conflict, code: "request_in_progress", message: "A request with this Idempotency-Key is still being processed; retry shortly.")
            }
            var response = Response(status: .init(code: status), headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
            response.headers[.init("Idempotent-Replayed")!] = "true"
            return response
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            if status >= 500 || status == 429 {
                try? await IdempotencyQueries.forget(recordID: recordID, on: store.db)
            } else if let apiError = error as? APIError {
                try? await save(recordID, status: status, body: apiError.jsonString)
            }
            throw error
        }
        var buffered = response
        let body = try await response.body.collect()
        buffered.body = .init(byteBuffer: body)
        if response.status.code >= 500 {
            try? await IdempotencyQueries.forget(recordID: recordID, on: store.db)
        } else {
            try await save(recordID, status: response.status.code, body: String(buffer: body))
        }
        return buffered
    }

    func save(_ id: UUID, status: Int, body: String) async throws {
        try await IdempotencyQueries.save(recordID: id, status: status, body: body, on: store.db)
    }
}

extension ResponseBody {
    /// The body of a response built in memory (API answers are).
    func collect() async throws -> ByteBuffer {
        let collector = BodyCollector()
        try await write(collector)
        return collector.buffer
    }
}

/// Receives a response body into memory. Used once, by one task.
final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    var buffer = ByteBuffer()
    func write(_ buffer: ByteBuffer) async throws {
        self.buffer.writeImmutableBuffer(buffer)
    }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
