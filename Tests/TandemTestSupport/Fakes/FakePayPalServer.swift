import Foundation
import Hummingbird
import Synchronization
import TandemIntegrations

/// PayPal's OAuth token endpoint and Payouts API (`payments_payouts_batch_v1`), in memory on 127.0.0.1.
///
/// Accepts, answers and refuses like the published document and PayPal's observed behaviour:
/// Basic auth for `POST /v1/oauth2/token`, Bearer tokens for the rest (401 `AUTHENTICATION_FAILURE`);
/// schema violations are 400 `INVALID_REQUEST`, a bad receiver 400 `VALIDATION_ERROR`, a reused
/// `sender_batch_id` 400 `USER_BUSINESS_ERROR` linking the original batch (nothing is paid twice),
/// no balance 422 `INSUFFICIENT_FUNDS`. `PayPal-Request-Id` is recorded but, as PayPal's sandbox does
/// for payouts, not used to deduplicate unless `replaysRequestIDs` is set.
public final class FakePayPalServer: Sendable {
    /// What a payout item becomes when it settles.
    public enum ItemOutcome: Sendable, Equatable {
        case success
        /// Stays PENDING.
        case pending
        /// Sent to an address without a PayPal account: waits 30 days to be claimed.
        case unclaimed
        /// Not claimed in time: the money came back.
        case returned
        case blocked
        /// Item FAILED with this error (batch DENIED, as PayPal does for a bad receiver account).
        case failed(name: String, message: String)
    }

    /// Requests the fake can be told to fail.
    public enum Route: Sendable {
        case token, createPayout, showPayout
    }

    /// A payout batch the fake created.
    public struct Payout: Sendable, Equatable {
        public var batchID: String
        public var senderBatchID: String?
        public var requestID: String?
        public var itemID: String
        public var recipientType: String
        public var receiver: String
        public var value: String
        public var currency: String
        public var note: String?
        public var senderItemID: String?
        public var batchStatus: String
        public var itemStatus: String
        public var transactionID: String?
        public var errorName: String?
        public var errorMessage: String?
    }

    public let clientID: String
    public let clientSecret: String
    private let server: FakeHTTPServer
    private let state: Mutex<State>

    struct State {
        var tokens: [String: Date] = [:]
        var tokensIssued = 0
        var tokenLifetime = 32400
        var payouts: [String: Payout] = [:]
        var order: [String] = []
        var bySenderBatchID: [String: String] = [:]
        var byRequestID: [String: String] = [:]
        var createResponses: [String: Data] = [:]
        var requests: [RecordedRequest] = []
        var failures: [Route: [Int]] = [:]
        var loseResponses = 0
        var invalidReceivers: Set<String> = []
        var insufficientFunds = false
        var outcomeOnPoll: ItemOutcome = .success
        var replaysRequestIDs = false
    }

    private init(clientID: String, clientSecret: String, server: FakeHTTPServer, state: State) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.server = server
        self.state = Mutex(state)
    }

    // MARK: lifecycle

    public static func start(clientID: String = "fake-client-id", clientSecret: String = "fake-client-secret") async throws -> FakePayPalServer {
        let box = FakeBox<FakePayPalServer>()
        let router = Router()
        router.post("/v1/oauth2/token") { request, _ in try await box.get().token(request) }
        router.post("/v1/payments/payouts") { request, _ in try await box.get().createPayout(request) }
        router.get("/v1/payments/payouts/:id") { request, context in
            try await box.get().showPayout(request, id: context.parameters.get("id") ?? "")
        }
        let server = try await FakeHTTPServer.start(name: "fake-paypal", router: router)
        let fake = FakePayPalServer(clientID: clientID, clientSecret: clientSecret, server: server, state: State())
        box.set(fake)
        return fake
    }

    public func stop() async { await server.stop() }

    public var port: Int { server.port }
    public var url: String { server.url }
    public var configuration: PayPalConfiguration {
        PayPalConfiguration(baseURL: url, clientID: clientID, clientSecret: clientSecret)
    }

    // MARK: scripting

    /// The next `count` requests on `route` answer `status` (500, 503, 429, …) before doing anything.
    public func failNext(_ count: Int = 1, on route: Route = .createPayout, status: Int = 500) {
        state.withLock { $0.failures[route, default: []] += Array(repeating: status, count: count) }
    }

    /// The next `count` payouts are created, then answered with a 500 (the answer is "lost").
    public func loseNextPayoutResponses(_ count: Int = 1) {
        state.withLock { $0.loseResponses += count }
    }

    /// Payouts to this receiver are refused as PayPal refuses an invalid receiver.
    public func markReceiverInvalid(_ receiver: String) {
        state.withLock { _ = $0.invalidReceivers.insert(receiver.lowercased()) }
    }

    public func setInsufficientFunds(_ insufficient: Bool = true) {
        state.withLock { $0.insufficientFunds = insufficient }
    }

    /// What a PENDING payout becomes the first time it is looked up (default `.success`).
    public func setOutcomeOnPoll(_ outcome: ItemOutcome) {
        state.withLock { $0.outcomeOnPoll = outcome }
    }

    /// Settles a batch now.
    public func settle(batchID: String, as outcome: ItemOutcome) {
        state.withLock { state in
            guard var payout = state.payouts[batchID] else { return }
            Self.apply(outcome, to: &payout)
            state.payouts[batchID] = payout
        }
    }

    /// Every token issued so far stops working (as when they expire).
    public func expireAllTokens() {
        state.withLock { $0.tokens = [:] }
    }

    public func setTokenLifetime(seconds: Int) {
        state.withLock { $0.tokenLifetime = seconds }
    }

    /// Answer a repeated `PayPal-Request-Id` with the first answer instead of processing it.
    public func setReplaysRequestIDs(_ replays: Bool) {
        state.withLock { $0.replaysRequestIDs = replays }
    }

    // MARK: inspection

    public var tokensIssued: Int { state.withLock { $0.tokensIssued } }
    /// Payout batches actually created: money that left (or will leave) the account.
    public var payoutsCreated: Int { state.withLock { $0.payouts.count } }
    public var payouts: [Payout] { state.withLock { state in state.order.compactMap { state.payouts[$0] } } }
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }
    public func requests(_ method: String, _ path: String) -> [RecordedRequest] {
        requests.filter { $0.method == method && $0.path == path }
    }

    // MARK: token

    private func token(_ request: Request) async throws -> Response {
        let (recorded, _) = try await FakeHTTP.read(request)
        return record(recorded) { state in
            if let status = state.failures[.token]?.popFirst() { return Self.serverError(status) }
            guard let (user, password) = FakeHTTP.basic(recorded), user == clientID, password == clientSecret else {
                return FakeHTTP.json(401, ["error": "invalid_client", "error_description": "Client Authentication failed"])
            }
            guard (recorded.header("content-type") ?? "").hasPrefix("application/x-www-form-urlencoded") else {
                return FakeHTTP.json(415, ["error": "invalid_request", "error_description": "Content-Type must be application/x-www-form-urlencoded"])
            }
            switch recorded.form["grant_type"] {
            case "client_credentials": break
            case nil: return FakeHTTP.json(400, ["error": "unsupported_grant_type", "error_description": "Grant Type is NULL"])
            case let other?: return FakeHTTP.json(400, ["error": "unsupported_grant_type", "error_description": "unsupported grant_type \(other)"])
            }
            let token = "A21AA" + FakeHTTP.randomID(length: 40, alphabet: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
            state.tokens[token] = Date().addingTimeInterval(TimeInterval(state.tokenLifetime))
            state.tokensIssued += 1
            return FakeHTTP.json(200, [
                "scope": "https://uri.paypal.com/services/payments/payouts https://uri.paypal.com/payments/payouts",
                "access_token": token,
                "token_type": "Bearer",
                "app_id": "APP-80W284485P519543T",
                "expires_in": state.tokenLifetime,
                "nonce": FakeHTTP.timestamp() + FakeHTTP.randomID(length: 20),
            ])
        }
    }

    // MARK: create

    private func createPayout(_ request: Request) async throws -> Response {
        let (recorded, data) = try await FakeHTTP.read(request)
        return record(recorded) { state in
            if let denied = Self.authenticate(recorded, &state) { return denied }
            if let status = state.failures[.createPayout]?.popFirst() { return Self.serverError(status) }
            let requestID = recorded.header("paypal-request-id")
            if state.replaysRequestIDs, let requestID, let batchID = state.byRequestID[requestID], let body = state.createResponses[batchID] {
                return FakeHTTP.raw(201, body)
            }
            guard (recorded.header("content-type") ?? "").hasPrefix("application/json") else {
                return Self.error(415, "UNSUPPORTED_MEDIA_TYPE", "The server does not support the request payload's media type.")
            }
            let parsed: PayoutRequestBody
            switch Self.validate(data) {
            case .failure(let refusal): return refusal.response
            case .success(let body): parsed = body
            }
            if let requestID, requestID.isEmpty || requestID.count > 1000 {
                return Self.invalidRequest([("PayPal-Request-Id", "INVALID_PARAMETER_SYNTAX", "PayPal-Request-Id must be 1 to 1000 characters.")], location: "header")
            }
            if let invalid = parsed.items.firstIndex(where: { item in
                item.recipientType == "EMAIL" && (!Self.looksLikeEmail(item.receiver) || state.invalidReceivers.contains(item.receiver.lowercased()))
            }) {
                return Self.error(400, "VALIDATION_ERROR", "Invalid request - see details", details: [[
                    "field": "items[\(invalid)].receiver", "location": "body",
                    "issue": "Receiver is invalid or does not match with type",
                ]])
            }
            if let senderBatchID = parsed.senderBatchID, let original = state.bySenderBatchID[senderBatchID] {
                return Self.error(400, "USER_BUSINESS_ERROR", "User business error.", details: [[
                    "field": "SENDER_BATCH_ID", "location": "body",
                    "issue": "Batch with given sender_batch_id already exists",
                    "link": [["href": "https://api.sandbox.paypal.com/v1/payments/payouts/\(original)", "rel": "self", "method": "GET", "encType": "application/json"]],
                ]])
            }
            if state.insufficientFunds {
                return Self.error(422, "INSUFFICIENT_FUNDS", "Sender does not have sufficient funds. Please add funds and retry.")
            }

            let item = parsed.items[0]
            let batchID = FakeHTTP.randomID(length: 13)
            let payout = Payout(
                batchID: batchID, senderBatchID: parsed.senderBatchID, requestID: requestID,
                itemID: FakeHTTP.randomID(length: 13), recipientType: item.recipientType, receiver: item.receiver,
                value: item.value, currency: item.currency, note: item.note, senderItemID: item.senderItemID,
                batchStatus: "PENDING", itemStatus: "PENDING"
            )
            state.payouts[batchID] = payout
            state.order.append(batchID)
            if let senderBatchID = parsed.senderBatchID { state.bySenderBatchID[senderBatchID] = batchID }
            if let requestID { state.byRequestID[requestID] = batchID }

            var header: [String: Any] = [:]
            if let senderBatchID = parsed.senderBatchID { header["sender_batch_id"] = senderBatchID }
            let body: [String: Any] = [
                "batch_header": [
                    "payout_batch_id": batchID,
                    "batch_status": "PENDING",
                    "sender_batch_header": header,
                ],
                "links": [["href": "https://api.sandbox.paypal.com/v1/payments/payouts/\(batchID)", "rel": "self", "method": "GET", "encType": "application/json"]],
            ]
            let bytes = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            state.createResponses[batchID] = bytes
            if state.loseResponses > 0 {
                state.loseResponses -= 1
                return Self.serverError(500)
            }
            return FakeHTTP.raw(201, bytes)
        }
    }

    // MARK: show

    private func showPayout(_ request: Request, id: String) async throws -> Response {
        let (recorded, _) = try await FakeHTTP.read(request)
        return record(recorded) { state in
            if let denied = Self.authenticate(recorded, &state) { return denied }
            if let status = state.failures[.showPayout]?.popFirst() { return Self.serverError(status) }
            guard var payout = state.payouts[id] else {
                return Self.error(404, "RESOURCE_NOT_FOUND", "The specified resource does not exist.")
            }
            if payout.batchStatus == "PENDING", payout.itemStatus == "PENDING" {
                Self.apply(state.outcomeOnPoll, to: &payout)
                state.payouts[id] = payout
            }
            return FakeHTTP.json(200, Self.batchJSON(payout))
        }
    }

    private static func apply(_ outcome: ItemOutcome, to payout: inout Payout) {
        payout.errorName = nil
        payout.errorMessage = nil
        switch outcome {
        case .success:
            payout.batchStatus = "SUCCESS"
            payout.itemStatus = "SUCCESS"
            payout.transactionID = FakeHTTP.randomID(length: 17)
        case .pending:
            payout.batchStatus = "PROCESSING"
            payout.itemStatus = "PENDING"
        case .unclaimed:
            payout.batchStatus = "SUCCESS"
            payout.itemStatus = "UNCLAIMED"
            payout.transactionID = FakeHTTP.randomID(length: 17)
            payout.errorName = "RECEIVER_UNREGISTERED"
            payout.errorMessage = "The recipient for this payout does not have an account. A link to sign up for an account was sent to the recipient. However, if the recipient does not claim this payout within 30 days, the funds will be returned to your account."
        case .returned:
            payout.batchStatus = "SUCCESS"
            payout.itemStatus = "RETURNED"
            payout.errorName = "RECEIVER_UNREGISTERED"
            payout.errorMessage = "The recipient did not claim this payout within 30 days; the funds were returned to your account."
        case .blocked:
            payout.batchStatus = "SUCCESS"
            payout.itemStatus = "BLOCKED"
            payout.errorName = "RECEIVER_ACCOUNT_LOCKED"
            payout.errorMessage = "Recipient’s account locked or inactive. Money returned to your account."
        case .failed(let name, let message):
            payout.batchStatus = "DENIED"
            payout.itemStatus = "FAILED"
            payout.errorName = name
            payout.errorMessage = message
        }
    }

    private static func batchJSON(_ payout: Payout) -> [String: Any] {
        var header: [String: Any] = [:]
        if let senderBatchID = payout.senderBatchID { header["sender_batch_id"] = senderBatchID }
        var detail: [String: Any] = [
            "recipient_type": payout.recipientType,
            "amount": ["value": payout.value, "currency": payout.currency],
            "receiver": payout.receiver,
            "recipient_wallet": "PAYPAL",
        ]
        if let note = payout.note { detail["note"] = note }
        if let senderItemID = payout.senderItemID { detail["sender_item_id"] = senderItemID }
        var item: [String: Any] = [
            "payout_item_id": payout.itemID,
            "transaction_status": payout.itemStatus,
            "payout_item_fee": ["currency": payout.currency, "value": "0"],
            "payout_batch_id": payout.batchID,
            "payout_item": detail,
            "links": [["href": "https://api.sandbox.paypal.com/v1/payments/payouts-item/\(payout.itemID)", "rel": "item", "method": "GET", "encType": "application/json"]],
        ]
        if let transactionID = payout.transactionID { item["transaction_id"] = transactionID }
        if let name = payout.errorName {
            item["errors"] = [
                "name": name,
                "message": payout.errorMessage ?? name,
                "information_link": "https://developer.paypal.com/docs/api/payments.payouts-batch/#errors",
                "details": [] as [Any],
                "links": [] as [Any],
            ]
        }
        return [
            "batch_header": [
                "payout_batch_id": payout.batchID,
                "batch_status": payout.batchStatus,
                "time_created": FakeHTTP.timestamp(),
                "sender_batch_header": header,
                "funding_source": "BALANCE",
                "amount": ["value": payout.value, "currency": payout.currency],
                "fees": ["value": "0", "currency": payout.currency],
            ],
            "items": [item],
            "links": [["href": "https://api.sandbox.paypal.com/v1/payments/payouts/\(payout.batchID)?page_size=1000&page=1", "rel": "self", "method": "GET", "encType": "application/json"]],
        ]
    }

    // MARK: validation

    struct PayoutRequestBody {
        struct Item {
            var recipientType: String
            var receiver: String
            var value: String
            var currency: String
            var note: String?
            var senderItemID: String?
        }
        var senderBatchID: String?
        var items: [Item]
    }

    struct Refusal: Error {
        var response: Response
    }

    /// The `create_payout_request` schema, with PayPal's amount rules.
    static func validate(_ data: Data) -> Result<PayoutRequestBody, Refusal> {
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return .failure(Refusal(response: invalidRequest([("", "MALFORMED_REQUEST_JSON", "The request JSON is not well formed.")])))
        }
        var problems: [(String, String, String)] = []
        func string(_ object: [String: Any], _ key: String, at path: String, required: Bool, max: Int) -> String? {
            guard let raw = object[key] else {
                if required { problems.append(("\(path)/\(key)", "MISSING_REQUIRED_PARAMETER", "A required field is missing.")) }
                return nil
            }
            guard let value = raw as? String else {
                problems.append(("\(path)/\(key)", "INVALID_PARAMETER_SYNTAX", "The value of a field does not conform to the expected format."))
                return nil
            }
            if value.count > max {
                problems.append(("\(path)/\(key)", "INVALID_STRING_MAX_LENGTH", "The value of a field is too long."))
            }
            return value
        }

        var senderBatchID: String?
        var headerRecipientType: String?
        if let header = root["sender_batch_header"] as? [String: Any] {
            senderBatchID = string(header, "sender_batch_id", at: "/sender_batch_header", required: false, max: 256)
            headerRecipientType = string(header, "recipient_type", at: "/sender_batch_header", required: false, max: 13)
            _ = string(header, "email_subject", at: "/sender_batch_header", required: false, max: 255)
            _ = string(header, "email_message", at: "/sender_batch_header", required: false, max: 1000)
        } else {
            problems.append(("/sender_batch_header", root["sender_batch_header"] == nil ? "MISSING_REQUIRED_PARAMETER" : "INVALID_PARAMETER_SYNTAX", "sender_batch_header must be an object."))
        }

        var items: [PayoutRequestBody.Item] = []
        if let rawItems = root["items"] as? [Any] {
            if rawItems.isEmpty { problems.append(("/items", "INVALID_ARRAY_MIN_ITEMS", "items must have at least 1 item.")) }
            if rawItems.count > 15000 { problems.append(("/items", "INVALID_ARRAY_MAX_ITEMS", "items must have at most 15000 items.")) }
            for (index, rawItem) in rawItems.enumerated() {
                let path = "/items/\(index)"
                guard let item = rawItem as? [String: Any] else {
                    problems.append((path, "INVALID_PARAMETER_SYNTAX", "An item must be an object."))
                    continue
                }
                let recipientType = string(item, "recipient_type", at: path, required: false, max: 13) ?? headerRecipientType
                if recipientType == nil {
                    problems.append(("\(path)/recipient_type", "MISSING_REQUIRED_PARAMETER", "recipient_type is required on the item when the header has none."))
                } else if let recipientType, !["EMAIL", "PHONE", "PAYPAL_ID", "USER_HANDLE"].contains(recipientType) {
                    problems.append(("\(path)/recipient_type", "INVALID_PARAMETER_VALUE", "recipient_type must be EMAIL, PHONE, PAYPAL_ID or USER_HANDLE."))
                }
                let receiver = string(item, "receiver", at: path, required: true, max: 127)
                let note = string(item, "note", at: path, required: false, max: 4000)
                let senderItemID = string(item, "sender_item_id", at: path, required: false, max: 63)
                var value: String?
                var currency: String?
                if let amount = item["amount"] as? [String: Any] {
                    value = string(amount, "value", at: "\(path)/amount", required: true, max: 32)
                    currency = string(amount, "currency", at: "\(path)/amount", required: true, max: 3)
                    if let value, let currency, let issue = amountIssue(value: value, currency: currency) {
                        problems.append(("\(path)/amount/value", "INVALID_PARAMETER_VALUE", issue))
                    }
                } else {
                    problems.append(("\(path)/amount", item["amount"] == nil ? "MISSING_REQUIRED_PARAMETER" : "INVALID_PARAMETER_SYNTAX", "amount must be an object with value and currency."))
                }
                if let recipientType, let receiver, let value, let currency {
                    items.append(.init(recipientType: recipientType, receiver: receiver, value: value, currency: currency, note: note, senderItemID: senderItemID))
                }
            }
            if Set(items.map(\.currency)).count > 1 {
                problems.append(("/items", "INVALID_PARAMETER_VALUE", "All items in a payout must specify the same currency."))
            }
        } else {
            problems.append(("/items", root["items"] == nil ? "MISSING_REQUIRED_PARAMETER" : "INVALID_PARAMETER_SYNTAX", "items must be an array."))
        }
        if !problems.isEmpty { return .failure(Refusal(response: invalidRequest(problems))) }
        return .success(PayoutRequestBody(senderBatchID: senderBatchID, items: items))
    }

    /// ISO 4217 decimals of the currencies the fake knows.
    static let decimals: [String: Int] = [
        "USD": 2, "EUR": 2, "GBP": 2, "AUD": 2, "CAD": 2, "CHF": 2, "CZK": 2, "DKK": 2, "HKD": 2, "HUF": 2,
        "ILS": 2, "MXN": 2, "NOK": 2, "NZD": 2, "PHP": 2, "PLN": 2, "SEK": 2, "SGD": 2, "THB": 2, "TWD": 2,
        "BRL": 2, "CNY": 2, "MYR": 2, "INR": 2, "ZAR": 2,
        "JPY": 0, "KRW": 0,
        "KWD": 3, "BHD": 3, "TND": 3, "OMR": 3, "JOD": 3,
    ]

    /// Why `value` is not an amount of `currency` ("12.34" for USD, "1200" for JPY, "1.234" for KWD), or nil.
    static func amountIssue(value: String, currency: String) -> String? {
        guard let places = decimals[currency] else { return "Currency code \(currency) is invalid or not supported." }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 7,
              whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber)
        else { return "Currency amount must be a non-negative number with at most 7 digits before the decimal point." }
        if parts.count == 2 {
            let fraction = parts[1]
            if places == 0 { return "Currency \(currency) does not support decimals." }
            guard fraction.count == places, fraction.allSatisfy(\.isASCII), fraction.allSatisfy(\.isNumber) else {
                return "Currency amount for \(currency) must have exactly \(places) decimal places."
            }
        }
        guard value.contains(where: { $0 != "0" && $0 != "." }) else { return "Currency amount must be greater than zero." }
        return nil
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !text.contains(where: { $0.isWhitespace })
        else { return false }
        return true
    }

    // MARK: answers

    private static func authenticate(_ recorded: RecordedRequest, _ state: inout State) -> Response? {
        if let token = FakeHTTP.bearer(recorded), let expiry = state.tokens[token], expiry > Date() { return nil }
        return error(401, "AUTHENTICATION_FAILURE", "Authentication failed due to missing authorization header, or invalid authentication credentials.")
    }

    static func error(_ status: Int, _ name: String, _ message: String, details: [[String: Any]] = []) -> Response {
        var body: [String: Any] = [
            "name": name,
            "message": message,
            "debug_id": FakeHTTP.randomID(length: 13, alphabet: "0123456789abcdef"),
            "information_link": "https://developer.paypal.com/docs/api/payments.payouts-batch/#errors",
            "links": [] as [Any],
        ]
        if !details.isEmpty { body["details"] = details }
        return FakeHTTP.json(status, body)
    }

    static func invalidRequest(_ problems: [(String, String, String)], location: String = "body") -> Response {
        error(400, "INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema.",
              details: problems.map { ["field": $0.0, "location": location, "issue": $0.1, "description": $0.2] })
    }

    static func serverError(_ status: Int) -> Response {
        switch status {
        case 429: return error(429, "RATE_LIMIT_REACHED", "Too many requests. Blocked due to rate limiting.")
        case 503: return error(503, "SERVICE_UNAVAILABLE", "Service Unavailable.")
        case 500: return error(500, "INTERNAL_SERVER_ERROR", "An internal server error occurred.")
        default: return error(status, "INTERNAL_SERVER_ERROR", "An internal server error occurred.")
        }
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

/// Starts a fake PayPal, runs `body`, and always stops it.
public func withFakePayPal<T>(_ body: (FakePayPalServer) async throws -> T) async throws -> T {
    try await withFake({ try await FakePayPalServer.start() }, stop: { await $0.stop() }, body)
}
