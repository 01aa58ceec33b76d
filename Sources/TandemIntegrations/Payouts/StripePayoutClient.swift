import AsyncHTTPClient
import Foundation
import NIOCore

/// Pays partners' Stripe connected accounts with transfers (`POST /v1/transfers`).
///
/// Retries are safe because the request's idempotency key goes in `Idempotency-Key`: Stripe answers
/// a repeat with the saved answer of the first request, so a retry returns the same `tr_…`.
/// Reusing a key with other parameters is answered with `idempotency_error`, which is thrown (a
/// transfer may exist under that key, so it is neither paid nor failed: a person must look).
public final class StripePayoutClient: PayoutProvider {
    public let name = "stripe"
    private let configuration: StripeConfiguration
    private let http: PayoutHTTP
    private let base: String

    public init(configuration: StripeConfiguration, httpClient: HTTPClient, timeout: TimeAmount = .seconds(30)) {
        self.configuration = configuration
        self.http = PayoutHTTP(provider: "stripe", httpClient: httpClient, timeout: timeout)
        self.base = PayoutHTTP.trimmedBase(configuration.baseURL)
    }

    public func send(_ request: PayoutRequest) async throws -> PayoutOutcome {
        if let problem = request.problem() { return .failed(reason: problem) }
        guard case .stripe(let account) = request.recipient else {
            return .failed(reason: "Stripe can only pay a Stripe connected account, not a PayPal email.")
        }
        guard !account.isEmpty else { return .failed(reason: "The Stripe account of the recipient is empty.") }

        var fields: [(String, String)] = [
            ("amount", String(request.amount)),
            ("currency", request.currency.lowercased()),
            ("destination", account),
            ("transfer_group", request.withdrawalID.uuidString),
            ("metadata[withdrawal_id]", request.withdrawalID.uuidString),
        ]
        if !request.note.isEmpty { fields.append(("description", request.note)) }

        var http = HTTPClientRequest(url: "\(base)/v1/transfers")
        http.method = .POST
        http.headers.add(name: "Authorization", value: "Bearer \(configuration.secretKey)")
        http.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        http.headers.add(name: "Idempotency-Key", value: request.idempotencyKey)
        http.body = .bytes(ByteBuffer(string: PayoutHTTP.formEncode(fields)))
        let answer = try await self.http.execute(http, operation: "send")

        switch answer.status {
        case 200:
            return try transferOutcome(answer, operation: "send")
        case 400...499 where ![401, 408, 409, 425, 429].contains(answer.status):
            let error = try? JSONDecoder().decode(StripeErrorEnvelope.self, from: answer.body).error
            if error?.type == "idempotency_error" {
                throw Self.error(answer, operation: "send")
            }
            return .failed(reason: error?.message ?? "Stripe refused the transfer (HTTP \(answer.status)).")
        default:
            throw Self.error(answer, operation: "send")
        }
    }

    /// Transfers are synchronous: one that exists was paid, unless it was reversed since.
    public func status(reference: String) async throws -> PayoutOutcome {
        var http = HTTPClientRequest(url: "\(base)/v1/transfers/\(PayoutHTTP.pathSegment(reference))")
        http.method = .GET
        http.headers.add(name: "Authorization", value: "Bearer \(configuration.secretKey)")
        let answer = try await self.http.execute(http, operation: "status")
        guard answer.status == 200 else { throw Self.error(answer, operation: "status") }
        return try transferOutcome(answer, operation: "status")
    }

    /// Every attempt failed without an answer: asks Stripe for a transfer in the withdrawal's
    /// `transfer_group` (`GET /v1/transfers?transfer_group=`). None means none was made.
    public func settle(_ request: PayoutRequest) async throws -> PayoutOutcome? {
        let group = PayoutHTTP.percentEncode(request.withdrawalID.uuidString)
        var http = HTTPClientRequest(url: "\(base)/v1/transfers?transfer_group=\(group)&limit=1")
        http.method = .GET
        http.headers.add(name: "Authorization", value: "Bearer \(configuration.secretKey)")
        let answer = try await self.http.execute(http, operation: "settle")
        guard answer.status == 200 else { throw Self.error(answer, operation: "settle") }
        guard let list = try? JSONDecoder().decode(StripeList<StripeTransfer>.self, from: answer.body) else {
            throw PayoutError(provider: name, operation: "settle", status: answer.status, message: "unreadable transfer list")
        }
        guard let transfer = list.data.first else { return .failed(reason: "Stripe has no transfer for this withdrawal.") }
        return transfer.reversed == true ? .failed(reason: "The Stripe transfer \(transfer.id) was reversed.") : .paid(reference: transfer.id)
    }

    private func transferOutcome(_ answer: PayoutHTTP.Answer, operation: String) throws -> PayoutOutcome {
        guard let transfer = try? JSONDecoder().decode(StripeTransfer.self, from: answer.body), !transfer.id.isEmpty else {
            throw PayoutError(provider: name, operation: operation, status: answer.status, message: "unreadable transfer")
        }
        if transfer.reversed == true {
            return .failed(reason: "The Stripe transfer \(transfer.id) was reversed.")
        }
        return .paid(reference: transfer.id)
    }

    private static func error(_ answer: PayoutHTTP.Answer, operation: String) -> PayoutError {
        let error = try? JSONDecoder().decode(StripeErrorEnvelope.self, from: answer.body).error
        return PayoutError(
            provider: "stripe", operation: operation, status: answer.status,
            code: error?.code ?? error?.type,
            message: error?.message ?? String(decoding: answer.body.prefix(500), as: UTF8.self)
        )
    }
}
