import AsyncHTTPClient
import Foundation
import NIOCore

/// Pays partners through PayPal Payouts (`POST /v1/payments/payouts`, one item per batch).
///
/// Retries are safe because `sender_batch_id` is the request's idempotency key: PayPal completes a
/// payment only once per `sender_batch_id` (30 days) and answers a reused one with
/// `400 USER_BUSINESS_ERROR` "Batch with given sender_batch_id already exists" plus a link to the
/// original batch. That answer is read as "already sent": the original batch is looked up and its
/// state returned, so a retry never reports a second payment.
public final class PayPalPayoutClient: PayoutProvider {
    public let name = "paypal"
    private let configuration: PayPalConfiguration
    private let http: PayoutHTTP
    private let base: String
    private let tokens = PayPalTokenCache()

    public init(configuration: PayPalConfiguration, httpClient: HTTPClient, timeout: TimeAmount = .seconds(30)) {
        self.configuration = configuration
        self.http = PayoutHTTP(provider: "paypal", httpClient: httpClient, timeout: timeout)
        self.base = PayoutHTTP.trimmedBase(configuration.baseURL)
    }

    // MARK: send

    public func send(_ request: PayoutRequest) async throws -> PayoutOutcome {
        if let problem = request.problem() { return .failed(reason: problem) }
        guard case .paypal(let email) = request.recipient else {
            return .failed(reason: "PayPal can only pay a PayPal account (email), not a Stripe account.")
        }
        guard !email.isEmpty else { return .failed(reason: "The PayPal email of the recipient is empty.") }

        let body = PayPalCreatePayoutBody(
            senderBatchHeader: .init(senderBatchID: request.idempotencyKey),
            items: [.init(
                recipientType: "EMAIL",
                amount: PayPalMoney(
                    value: PayoutAmount.decimalString(minor: request.amount, minorUnits: request.minorUnits),
                    currency: request.currency
                ),
                receiver: email,
                note: request.note.isEmpty ? nil : String(request.note.prefix(1000)),
                senderItemID: request.withdrawalID.uuidString
            )]
        )
        let json = try JSONEncoder().encode(body)
        let answer = try await authorized(operation: "send") { token in
            var http = HTTPClientRequest(url: "\(self.base)/v1/payments/payouts")
            http.method = .POST
            http.headers.add(name: "Authorization", value: "Bearer \(token)")
            http.headers.add(name: "Content-Type", value: "application/json")
            http.headers.add(name: "Accept", value: "application/json")
            http.headers.add(name: "PayPal-Request-Id", value: request.idempotencyKey)
            http.body = .bytes(ByteBuffer(bytes: json))
            return http
        }

        switch answer.status {
        case 200, 201:
            guard let batch = try? JSONDecoder().decode(PayPalBatch.self, from: answer.body),
                  let batchID = batch.batchHeader?.payoutBatchID, !batchID.isEmpty
            else {
                // Accepted, but we cannot read the batch id: retrying the same request lands on the
                // duplicate answer, which links the batch.
                throw PayoutError(provider: name, operation: "send", status: answer.status, message: "unreadable payout answer")
            }
            switch batch.batchHeader?.batchStatus {
            case "PENDING", "PROCESSING", nil: return .processing(reference: batchID)
            default: return await settledOrProcessing(batchID)
            }
        case 400 where Self.isDuplicateBatch(answer.body):
            guard let batchID = Self.originalBatchID(answer.body) else {
                throw PayoutError(
                    provider: name, operation: "send", status: 400, code: "USER_BUSINESS_ERROR",
                    message: "PayPal already has a batch with sender_batch_id \(request.idempotencyKey) but gave no link to it; look it up by hand before paying again"
                )
            }
            return await settledOrProcessing(batchID)
        case let status where Self.isRefusal(status):
            return .failed(reason: Self.reason(answer))
        default:
            throw Self.error(answer, provider: name, operation: "send")
        }
    }

    // MARK: status

    public func status(reference: String) async throws -> PayoutOutcome {
        let answer = try await authorized(operation: "status") { token in
            var http = HTTPClientRequest(url: "\(self.base)/v1/payments/payouts/\(PayoutHTTP.pathSegment(reference))")
            http.method = .GET
            http.headers.add(name: "Authorization", value: "Bearer \(token)")
            http.headers.add(name: "Accept", value: "application/json")
            return http
        }
        guard answer.status == 200 else {
            // A lookup error never means the payout failed: it is reported, not turned into `.failed`.
            throw Self.error(answer, provider: name, operation: "status")
        }
        guard let batch = try? JSONDecoder().decode(PayPalBatch.self, from: answer.body) else {
            throw PayoutError(provider: name, operation: "status", status: 200, message: "unreadable payout batch")
        }
        return Self.outcome(of: batch, reference: reference)
    }

    /// Item status decides: SUCCESS is paid; FAILED, RETURNED, BLOCKED, REFUNDED, REVERSED are final
    /// refusals; PENDING, ONHOLD and UNCLAIMED are still open (an UNCLAIMED payout is claimed by
    /// the receiver or comes back as RETURNED after 30 days). A DENIED or CANCELED batch failed.
    static func outcome(of batch: PayPalBatch, reference: String) -> PayoutOutcome {
        let item = batch.items.first
        let batchStatus = batch.batchHeader?.batchStatus ?? ""
        switch item?.transactionStatus ?? "" {
        case "SUCCESS":
            return .paid(reference: reference)
        case "FAILED", "RETURNED", "BLOCKED", "REFUNDED", "REVERSED", "DENIED":
            let status = item?.transactionStatus ?? "FAILED"
            return .failed(reason: item?.errors?.sentence ?? Self.sentence(forItemStatus: status))
        default:
            break
        }
        switch batchStatus {
        case "DENIED", "CANCELED":
            let reason = item?.errors?.sentence ?? "PayPal \(batchStatus == "DENIED" ? "denied" : "canceled") the payout batch."
            return .failed(reason: reason)
        default:
            return .processing(reference: reference)
        }
    }

    private static func sentence(forItemStatus status: String) -> String {
        switch status {
        case "RETURNED": return "The payout was returned: the receiver did not claim it."
        case "BLOCKED": return "PayPal blocked the payout."
        case "REFUNDED": return "The payout was refunded to the sender."
        case "REVERSED": return "The payout was reversed."
        default: return "PayPal could not complete the payout."
        }
    }

    /// The batch's current state; `.processing` if the lookup fails, since the batch exists.
    private func settledOrProcessing(_ batchID: String) async -> PayoutOutcome {
        (try? await status(reference: batchID)) ?? .processing(reference: batchID)
    }

    // MARK: errors

    static func isDuplicateBatch(_ body: Data) -> Bool {
        guard let error = try? JSONDecoder().decode(PayPalErrorBody.self, from: body) else { return false }
        return error.details.contains { detail in
            detail.field?.uppercased() == "SENDER_BATCH_ID"
                || (detail.issue ?? "").localizedCaseInsensitiveContains("sender_batch_id already exists")
        }
    }

    /// The original batch id from the duplicate answer's link (`…/v1/payments/payouts/{id}`).
    /// Only the id is taken: the link's host is never called, the configured base URL is.
    static func originalBatchID(_ body: Data) -> String? {
        guard let error = try? JSONDecoder().decode(PayPalErrorBody.self, from: body) else { return nil }
        let hrefs = (error.details.flatMap(\.link) + error.links).compactMap(\.href)
        for href in hrefs {
            let path = URLComponents(string: href)?.path ?? href
            let parts = path.split(separator: "/")
            guard let index = parts.lastIndex(of: "payouts"), index + 1 < parts.endIndex,
                  parts[index - 1] == "payments"
            else { continue }
            let id = String(parts[index + 1])
            if !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
                return id
            }
        }
        return nil
    }

    /// A definite "no" to a payout: 4xx except 401 (credentials, after one token refresh), 408, 409,
    /// 425 and 429, which say "not now" rather than "never".
    static func isRefusal(_ status: Int) -> Bool {
        (400...499).contains(status) && ![401, 408, 409, 425, 429].contains(status)
    }

    static func reason(_ answer: PayoutHTTP.Answer) -> String {
        let error = try? JSONDecoder().decode(PayPalErrorBody.self, from: answer.body)
        return error?.sentence ?? "PayPal refused the payout (HTTP \(answer.status))."
    }

    static func error(_ answer: PayoutHTTP.Answer, provider: String, operation: String) -> PayoutError {
        let error = try? JSONDecoder().decode(PayPalErrorBody.self, from: answer.body)
        let oauth = try? JSONDecoder().decode([String: String].self, from: answer.body)
        return PayoutError(
            provider: provider, operation: operation, status: answer.status,
            code: error?.name ?? oauth?["error"],
            message: error?.sentence ?? oauth?["error_description"] ?? String(decoding: answer.body.prefix(500), as: UTF8.self)
        )
    }

    // MARK: auth

    /// Runs a call with a cached token; on 401 drops the token, fetches a new one and tries once more.
    private func authorized(
        operation: String,
        _ build: @Sendable (String) -> HTTPClientRequest
    ) async throws -> PayoutHTTP.Answer {
        let token = try await tokens.token { try await self.fetchToken() }
        let answer = try await http.execute(build(token), operation: operation)
        guard answer.status == 401 else { return answer }
        await tokens.invalidate(token)
        let fresh = try await tokens.token { try await self.fetchToken() }
        return try await http.execute(build(fresh), operation: operation)
    }

    private func fetchToken() async throws -> PayPalTokenCache.Token {
        var request = HTTPClientRequest(url: "\(base)/v1/oauth2/token")
        request.method = .POST
        let credentials = Data("\(configuration.clientID):\(configuration.clientSecret)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: PayoutHTTP.formEncode([("grant_type", "client_credentials")])))
        let answer = try await http.execute(request, operation: "token")
        guard answer.status == 200 else { throw Self.error(answer, provider: name, operation: "token") }
        guard let token = try? JSONDecoder().decode(PayPalToken.self, from: answer.body), !token.accessToken.isEmpty else {
            throw PayoutError(provider: name, operation: "token", status: 200, message: "unreadable token answer")
        }
        return .init(value: token.accessToken, expiresIn: token.expiresIn ?? 0)
    }
}
