import Foundation
import Hummingbird
import Synchronization
import TandemIntegrations

/// Stripe's transfers API (`POST /v1/transfers`, `GET /v1/transfers/{id}`), in memory on 127.0.0.1.
///
/// Behaves like Stripe's v1 API: `Authorization: Bearer sk_…` (or Basic with the key as user),
/// form-encoded parameters, errors as `{"error": {"type", "code", "message", "param"}}`.
/// Idempotency: once an endpoint starts executing, its status and body are saved under the
/// `Idempotency-Key` and replayed (`Idempotent-Replayed: true`) to a repeat with the same
/// parameters; other parameters get 400 `idempotency_error`. Authentication failures, rate
/// limits, parameter validation and 5xx before execution are not saved.
public final class FakeStripeServer: Sendable {
    /// A transfer the fake created.
    public struct Transfer: Sendable, Equatable {
        public var id: String
        public var amount: Int64
        public var currency: String
        public var destination: String
        public var transferGroup: String?
        public var description: String?
        public var metadata: [String: String]
        public var reversed: Bool
        public var created: Int
    }

    /// When a scripted failure happens.
    public enum FailureStage: Sendable {
        /// Before the endpoint runs (load balancer, rate limiter): nothing saved, a retry runs anew.
        case beforeExecution
        /// While the endpoint runs, before a transfer is made: the error is saved and replayed.
        case duringExecution
    }

    public let secretKey: String
    private let server: FakeHTTPServer
    private let state: Mutex<State>

    struct Saved {
        var parameters: [String: String]
        var status: Int
        var body: Data
    }

    struct State {
        var accounts: Set<String>
        var balance: [String: Int64]
        var transfers: [String: Transfer] = [:]
        var order: [String] = []
        var saved: [String: Saved] = [:]
        var requests: [RecordedRequest] = []
        var failures: [(status: Int, stage: FailureStage, delay: Duration)] = []
        var loseResponses = 0
        /// The next transfers made are answered this late (after the client gave up, if it waits less).
        var lateAnswers: [Duration] = []
    }

    private init(secretKey: String, server: FakeHTTPServer, state: State) {
        self.secretKey = secretKey
        self.server = server
        self.state = Mutex(state)
    }

    // MARK: lifecycle

    /// - Parameters:
    ///   - accounts: connected accounts that exist (transfers to others are refused).
    ///   - balance: available balance per lower-case currency, in minor units.
    public static func start(
        secretKey: String = "sk_test_fake4eC39HqLyjWDarjtT1zdp7dc",
        accounts: Set<String> = ["acct_1PgafTB7WZ01zgkW"],
        balance: [String: Int64] = ["usd": 10_000_000, "eur": 10_000_000, "jpy": 10_000_000]
    ) async throws -> FakeStripeServer {
        let box = FakeBox<FakeStripeServer>()
        let router = Router()
        router.post("/v1/transfers") { request, _ in try await box.get().createTransfer(request) }
        router.get("/v1/transfers") { request, _ in try await box.get().listTransfers(request) }
        router.get("/v1/transfers/:id") { request, context in
            try await box.get().retrieveTransfer(request, id: context.parameters.get("id") ?? "")
        }
        let server = try await FakeHTTPServer.start(name: "fake-stripe", router: router)
        let fake = FakeStripeServer(secretKey: secretKey, server: server, state: State(accounts: accounts, balance: balance))
        box.set(fake)
        return fake
    }

    public func stop() async { await server.stop() }

    public var port: Int { server.port }
    public var url: String { server.url }
    public var configuration: StripeConfiguration { StripeConfiguration(baseURL: url, secretKey: secretKey) }

    // MARK: scripting

    public func addAccount(_ account: String) {
        state.withLock { _ = $0.accounts.insert(account) }
    }

    public func setBalance(_ amount: Int64, currency: String) {
        state.withLock { $0.balance[currency.lowercased()] = amount }
    }

    public func balance(_ currency: String) -> Int64 {
        state.withLock { $0.balance[currency.lowercased()] ?? 0 }
    }

    /// The next `count` transfer creations answer `status` (500, 503, 429, …) at `stage`,
    /// `after` a delay (longer than the client waits: a timeout).
    public func failNextTransfers(_ count: Int = 1, status: Int = 500, stage: FailureStage = .beforeExecution, after delay: Duration = .zero) {
        state.withLock { $0.failures += Array(repeating: (status, stage, delay), count: count) }
    }

    /// The next `count` transfers are made and saved under their key at once, but answered `after` a delay.
    public func answerNextTransfersLate(_ count: Int = 1, after delay: Duration) {
        state.withLock { $0.lateAnswers += Array(repeating: delay, count: count) }
    }

    /// The next `count` transfers are made (and saved under their key), then answered with a 500.
    public func loseNextTransferResponses(_ count: Int = 1) {
        state.withLock { $0.loseResponses += count }
    }

    /// Reverses a transfer in full (as `POST /v1/transfers/{id}/reversals` would).
    public func reverse(transferID: String) {
        state.withLock { state in
            guard var transfer = state.transfers[transferID] else { return }
            if !transfer.reversed { state.balance[transfer.currency, default: 0] += transfer.amount }
            transfer.reversed = true
            state.transfers[transferID] = transfer
        }
    }

    // MARK: inspection

    /// Transfers actually made: money that moved.
    public var transfersCreated: Int { state.withLock { $0.transfers.count } }
    public var transfers: [Transfer] { state.withLock { state in state.order.compactMap { state.transfers[$0] } } }
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }
    public func requests(_ method: String, _ path: String) -> [RecordedRequest] {
        requests.filter { $0.method == method && $0.path == path }
    }

    // MARK: create

    private static let allowedParameters: Set<String> = [
        "amount", "currency", "destination", "transfer_group", "description", "source_transaction", "source_type",
    ]

    private func createTransfer(_ request: Request) async throws -> Response {
        let (recorded, _) = try await FakeHTTP.read(request)
        var delay = Duration.zero
        let response = record(recorded) { state in
            if let denied = authenticate(recorded) { return denied }
            if let failure = state.failures.first, failure.stage == .beforeExecution {
                state.failures.removeFirst()
                delay = failure.delay
                return Self.failure(failure.status)
            }
            let key = recorded.header("idempotency-key")
            if let key, key.count > 255 {
                return Self.error(400, type: "invalid_request_error", code: nil, param: nil,
                                  message: "Idempotency-Key must be at most 255 characters long.")
            }
            let isForm = (recorded.header("content-type") ?? "").hasPrefix("application/x-www-form-urlencoded")
            let parameters = isForm ? recorded.form : [:]
            if let key, let saved = state.saved[key] {
                guard saved.parameters == parameters else {
                    return Self.error(400, type: "idempotency_error", code: nil, param: nil,
                                      message: "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '\(key)' if you meant to execute a different request.")
                }
                return FakeHTTP.raw(saved.status, saved.body, extraHeaders: ["Idempotent-Replayed": "true"])
            }
            if let invalid = Self.validate(parameters) { return invalid }

            // The endpoint runs from here on: whatever it answers is saved under the key.
            let response: (status: Int, body: Data)
            var lose = false
            if let failure = state.failures.first, failure.stage == .duringExecution {
                state.failures.removeFirst()
                response = Self.errorBody(failure.status, type: "api_error", code: nil, param: nil,
                                          message: "An unknown error occurred")
            } else {
                let amount = Int64(parameters["amount"]!)!
                let currency = parameters["currency"]!.lowercased()
                let destination = parameters["destination"]!
                if !state.accounts.contains(destination) {
                    response = Self.errorBody(400, type: "invalid_request_error", code: "resource_missing", param: "destination",
                                              message: "No such destination: '\(destination)'")
                } else if state.balance[currency, default: 0] < amount {
                    response = Self.errorBody(400, type: "invalid_request_error", code: "balance_insufficient", param: nil,
                                              message: "You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card. See: https://stripe.com/docs/testing#available-balance")
                } else {
                    var metadata: [String: String] = [:]
                    for (name, value) in parameters where name.hasPrefix("metadata[") && name.hasSuffix("]") {
                        metadata[String(name.dropFirst("metadata[".count).dropLast())] = value
                    }
                    let transfer = Transfer(
                        id: "tr_" + FakeHTTP.randomID(length: 24, alphabet: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
                        amount: amount, currency: currency, destination: destination,
                        transferGroup: parameters["transfer_group"], description: parameters["description"],
                        metadata: metadata, reversed: false, created: Int(Date().timeIntervalSince1970)
                    )
                    state.balance[currency, default: 0] -= amount
                    state.transfers[transfer.id] = transfer
                    state.order.append(transfer.id)
                    response = (200, Self.data(Self.json(transfer)))
                    if state.loseResponses > 0 {
                        state.loseResponses -= 1
                        lose = true
                    }
                    if !state.lateAnswers.isEmpty { delay = state.lateAnswers.removeFirst() }
                }
            }
            if let key { state.saved[key] = Saved(parameters: parameters, status: response.status, body: response.body) }
            if lose { return Self.failure(500) }
            return FakeHTTP.raw(response.status, response.body)
        }
        if delay > .zero { try? await Task.sleep(for: delay) }
        return response
    }

    /// `GET /v1/transfers?transfer_group=…&limit=…`, newest first, as Stripe lists them.
    private func listTransfers(_ request: Request) async throws -> Response {
        let (recorded, _) = try await FakeHTTP.read(request)
        let group = request.uri.queryParameters.get("transfer_group")
        let limit = request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 10
        return record(recorded) { state in
            if let denied = authenticate(recorded) { return denied }
            let matching = state.order.reversed().compactMap { state.transfers[$0] }.filter { group == nil || $0.transferGroup == group }
            return FakeHTTP.json(200, [
                "object": "list", "url": "/v1/transfers", "has_more": matching.count > limit,
                "data": matching.prefix(limit).map(Self.json),
            ] as [String: Any])
        }
    }

    /// Parameter validation: refused before the endpoint runs, so not saved under the key.
    private static func validate(_ parameters: [String: String]) -> Response? {
        for name in parameters.keys.sorted() where !allowedParameters.contains(name) && !(name.hasPrefix("metadata[") && name.hasSuffix("]")) {
            return error(400, type: "invalid_request_error", code: "parameter_unknown", param: name,
                         message: "Received unknown parameter: \(name)")
        }
        for name in ["amount", "currency", "destination"] where (parameters[name] ?? "").isEmpty {
            return error(400, type: "invalid_request_error", code: "parameter_missing", param: name,
                         message: "Missing required param: \(name).")
        }
        let amountText = parameters["amount"]!
        guard amountText.allSatisfy({ $0.isASCII && $0.isNumber }), let amount = Int64(amountText) else {
            return error(400, type: "invalid_request_error", code: "parameter_invalid_integer", param: "amount",
                         message: "Invalid integer: \(amountText)")
        }
        if amount < 1 {
            return error(400, type: "invalid_request_error", code: "parameter_invalid_integer", param: "amount",
                         message: "This value must be greater than or equal to 1.")
        }
        let currency = parameters["currency"]!
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isLetter }) {
            return error(400, type: "invalid_request_error", code: nil, param: "currency",
                         message: "Invalid currency: \(currency). Stripe currently supports these currencies: usd, eur, jpy, …")
        }
        if let group = parameters["transfer_group"], group.count > 5000 {
            return error(400, type: "invalid_request_error", code: nil, param: "transfer_group", message: "transfer_group is too long.")
        }
        for (name, value) in parameters where name.hasPrefix("metadata[") {
            let key = name.dropFirst("metadata[".count).dropLast()
            if key.isEmpty || key.count > 40 || value.count > 500 {
                return error(400, type: "invalid_request_error", code: nil, param: name,
                             message: "Metadata keys can be up to 40 characters long and values up to 500 characters long.")
            }
        }
        return nil
    }

    // MARK: retrieve

    private func retrieveTransfer(_ request: Request, id: String) async throws -> Response {
        let (recorded, _) = try await FakeHTTP.read(request)
        return record(recorded) { state in
            if let denied = authenticate(recorded) { return denied }
            guard let transfer = state.transfers[id] else {
                return Self.error(404, type: "invalid_request_error", code: "resource_missing", param: "id",
                                  message: "No such transfer: '\(id)'")
            }
            return FakeHTTP.json(200, Self.json(transfer))
        }
    }

    // MARK: answers

    private func authenticate(_ recorded: RecordedRequest) -> Response? {
        let key = FakeHTTP.bearer(recorded) ?? FakeHTTP.basic(recorded)?.0
        guard let key, !key.isEmpty else {
            return Self.error(401, type: "invalid_request_error", code: nil, param: nil,
                              message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.")
        }
        guard key == secretKey else {
            return Self.error(401, type: "invalid_request_error", code: "api_key_invalid", param: nil,
                              message: "Invalid API Key provided: \(key.prefix(8))****\(key.suffix(4))")
        }
        return nil
    }

    static func json(_ transfer: Transfer) -> [String: Any] {
        [
            "id": transfer.id,
            "object": "transfer",
            "amount": transfer.amount,
            "amount_reversed": transfer.reversed ? transfer.amount : 0,
            "balance_transaction": "txn_" + FakeHTTP.randomID(length: 24, alphabet: "abcdefghijklmnopqrstuvwxyz0123456789"),
            "created": transfer.created,
            "currency": transfer.currency,
            "description": transfer.description as Any? ?? NSNull(),
            "destination": transfer.destination,
            "destination_payment": "py_" + FakeHTTP.randomID(length: 14, alphabet: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"),
            "livemode": false,
            "metadata": transfer.metadata,
            "reversals": [
                "object": "list",
                "data": [] as [Any],
                "has_more": false,
                "url": "/v1/transfers/\(transfer.id)/reversals",
            ] as [String: Any],
            "reversed": transfer.reversed,
            "source_transaction": NSNull(),
            "source_type": "card",
            "transfer_group": transfer.transferGroup as Any? ?? NSNull(),
        ]
    }

    private static func data(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    static func errorBody(_ status: Int, type: String, code: String?, param: String?, message: String) -> (status: Int, body: Data) {
        var error: [String: Any] = ["type": type, "message": message]
        if let code {
            error["code"] = code
            error["doc_url"] = "https://stripe.com/docs/error-codes/\(code.replacingOccurrences(of: "_", with: "-"))"
        }
        if let param { error["param"] = param }
        return (status, data(["error": error]))
    }

    static func error(_ status: Int, type: String, code: String?, param: String?, message: String) -> Response {
        let (status, body) = errorBody(status, type: type, code: code, param: param, message: message)
        return FakeHTTP.raw(status, body)
    }

    static func failure(_ status: Int) -> Response {
        if status == 429 {
            return error(429, type: "invalid_request_error", code: "rate_limit", param: nil,
                         message: "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.")
        }
        return error(status, type: "api_error", code: nil, param: nil, message: "An unknown error occurred")
    }

    private func record(_ recorded: RecordedRequest, _ answer: (inout State) -> Response) -> Response {
        state.withLock { state in
            let response = answer(&state)
            var recorded = recorded
            recorded.status = Int(response.status.code)
            state.requests.append(recorded)
            return response
        }
    }
}

/// Starts a fake Stripe, runs `body`, and always stops it.
public func withFakeStripe<T>(_ body: (FakeStripeServer) async throws -> T) async throws -> T {
    try await withFake({ try await FakeStripeServer.start() }, stop: { await $0.stop() }, body)
}
