import AsyncHTTPClient
import Foundation
import NIOCore
import TandemTestSupport
import Testing
@testable import TandemIntegrations

private let partnerEmail = "ana.partner@example.com"
private let stripeAccount = "acct_1PgafTB7WZ01zgkW"

private func payout(
    key: String = "wd-\(UUID().uuidString)",
    amount: Int64 = 1234,
    currency: String = "USD",
    minorUnits: Int = 2,
    to recipient: PayoutRecipient = .paypal(email: partnerEmail),
    note: String = "Tandem payout"
) -> PayoutRequest {
    PayoutRequest(withdrawalID: UUID(), amount: amount, currency: currency, minorUnits: minorUnits,
                  recipient: recipient, idempotencyKey: key, note: note)
}

private func paypal(_ fake: FakePayPalServer) -> PayPalPayoutClient {
    PayPalPayoutClient(configuration: fake.configuration, httpClient: .shared)
}

private func stripe(_ fake: FakeStripeServer) -> StripePayoutClient {
    StripePayoutClient(configuration: fake.configuration, httpClient: .shared)
}

private func reference(_ outcome: PayoutOutcome) -> String? {
    switch outcome {
    case .paid(let reference), .processing(let reference): return reference
    case .failed: return nil
    }
}

@Suite("PayPal payouts against the fake PayPal")
struct PayPalPayoutClientTests {
    @Test func sendsOnePayoutWithTheIdempotencyKeyAndReusesTheToken() async throws {
        try await withFakePayPal { fake in
            let client = paypal(fake)
            let request = payout(note: "Commission for \"March\" – thanks & see you")

            let outcome = try await client.send(request)

            let batch = try #require(fake.payouts.first)
            #expect(outcome == .processing(reference: batch.batchID))
            let post = try #require(fake.requests("POST", "/v1/payments/payouts").first)
            #expect(post.status == 201)
            #expect(post.header("PayPal-Request-Id") == request.idempotencyKey)
            #expect(post.header("Content-Type") == "application/json")
            let json = try #require(post.json)
            let header = try #require(json["sender_batch_header"] as? [String: Any])
            #expect(header["sender_batch_id"] as? String == request.idempotencyKey)
            let items = try #require(json["items"] as? [[String: Any]])
            #expect(items.count == 1)
            let item = try #require(items.first)
            #expect(item["recipient_type"] as? String == "EMAIL")
            #expect(item["receiver"] as? String == partnerEmail)
            #expect(item["sender_item_id"] as? String == request.withdrawalID.uuidString)
            #expect(item["note"] as? String == "Commission for \"March\" – thanks & see you")
            let amount = try #require(item["amount"] as? [String: Any])
            #expect(amount["value"] as? String == "12.34")
            #expect(amount["currency"] as? String == "USD")

            let token = try #require(fake.requests("POST", "/v1/oauth2/token").first)
            #expect(token.form == ["grant_type": "client_credentials"])
            let basic = Data("fake-client-id:fake-client-secret".utf8).base64EncodedString()
            #expect(token.header("Authorization") == "Basic \(basic)")

            #expect(try await client.status(reference: batch.batchID) == .paid(reference: batch.batchID))
            let second = try await client.send(payout())
            #expect(reference(second) != nil)
            #expect(fake.payoutsCreated == 2)
            #expect(fake.tokensIssued == 1)
            #expect(fake.requests.filter { $0.status == 401 }.isEmpty)
        }
    }

    @Test func writesZeroAndThreeDecimalAmounts() async throws {
        try await withFakePayPal { fake in
            let client = paypal(fake)
            _ = try await client.send(payout(amount: 1200, currency: "JPY", minorUnits: 0))
            _ = try await client.send(payout(amount: 1234, currency: "KWD", minorUnits: 3))
            _ = try await client.send(payout(amount: 5, currency: "KWD", minorUnits: 3))
            #expect(fake.payouts.map { "\($0.value) \($0.currency)" } == ["1200 JPY", "1.234 KWD", "0.005 KWD"])
        }
    }

    @Test(arguments: [
        (Int64(1234), 2, "12.34"), (1200, 0, "1200"), (1234, 3, "1.234"), (5, 2, "0.05"),
        (100, 2, "1.00"), (1, 3, "0.001"), (Int64.max, 2, "92233720368547758.07"), (-5, 2, "-0.05"),
    ])
    func decimalStrings(minor: Int64, minorUnits: Int, expected: String) {
        #expect(PayoutAmount.decimalString(minor: minor, minorUnits: minorUnits) == expected)
    }

    @Test func insufficientFundsIsAFailureWithPayPalsMessage() async throws {
        try await withFakePayPal { fake in
            fake.setInsufficientFunds()
            let outcome = try await paypal(fake).send(payout())
            #expect(outcome == .failed(reason: "Sender does not have sufficient funds. Please add funds and retry."))
            #expect(fake.payoutsCreated == 0)
        }
    }

    @Test func anInvalidReceiverIsAFailure() async throws {
        try await withFakePayPal { fake in
            fake.markReceiverInvalid("closed@example.com")
            let client = paypal(fake)
            for email in ["closed@example.com", "not-an-email"] {
                let outcome = try await client.send(payout(to: .paypal(email: email)))
                guard case .failed(let reason) = outcome else {
                    Issue.record("expected a failure for \(email), got \(outcome)")
                    continue
                }
                #expect(reason.contains("Receiver is invalid"))
            }
            #expect(fake.payoutsCreated == 0)
        }
    }

    @Test func sendingTheSameKeyTwiceReportsTheOriginalBatch() async throws {
        try await withFakePayPal { fake in
            fake.setOutcomeOnPoll(.pending)
            let client = paypal(fake)
            let request = payout()

            let first = try await client.send(request)
            let again = try await client.send(request)

            let batch = try #require(fake.payouts.first)
            #expect(first == .processing(reference: batch.batchID))
            #expect(again == .processing(reference: batch.batchID))
            #expect(fake.payoutsCreated == 1)
            #expect(fake.requests("POST", "/v1/payments/payouts").map(\.status) == [201, 400])

            fake.settle(batchID: batch.batchID, as: .success)
            #expect(try await client.send(request) == .paid(reference: batch.batchID))
            #expect(fake.payoutsCreated == 1)
        }
    }

    @Test func aRetryAfterA500CreatesOnePayout() async throws {
        try await withFakePayPal { fake in
            fake.failNext(1, on: .createPayout, status: 500)
            let client = paypal(fake)
            let request = payout()

            let error = await #expect(throws: PayoutError.self) { try await client.send(request) }
            #expect(error?.status == 500)
            #expect(error?.code == "INTERNAL_SERVER_ERROR")
            let outcome = try await client.send(request)

            #expect(fake.payoutsCreated == 1)
            #expect(reference(outcome) == fake.payouts.first?.batchID)
            let posts = fake.requests("POST", "/v1/payments/payouts")
            #expect(posts.map(\.status) == [500, 201])
            #expect(Set(posts.compactMap { $0.header("PayPal-Request-Id") }) == [request.idempotencyKey])
        }
    }

    @Test func aRetryAfterALostAnswerFindsTheBatchInsteadOfPayingAgain() async throws {
        try await withFakePayPal { fake in
            fake.setOutcomeOnPoll(.pending)
            fake.loseNextPayoutResponses(1)
            let client = paypal(fake)
            let request = payout()

            await #expect(throws: PayoutError.self) { try await client.send(request) }
            let outcome = try await client.send(request)

            #expect(fake.payoutsCreated == 1)
            #expect(outcome == .processing(reference: try #require(fake.payouts.first).batchID))
        }
    }

    @Test func anExpiredTokenIsRefreshedOnceAndTheCallSucceeds() async throws {
        try await withFakePayPal { fake in
            let client = paypal(fake)
            _ = try await client.send(payout())
            fake.expireAllTokens()

            let outcome = try await client.send(payout())

            #expect(reference(outcome) == fake.payouts.last?.batchID)
            #expect(fake.payoutsCreated == 2)
            #expect(fake.tokensIssued == 2)
            #expect(fake.requests("POST", "/v1/payments/payouts").map(\.status) == [201, 401, 201])
        }
    }

    @Test func badCredentialsAreThrownNotAFailedPayout() async throws {
        try await withFakePayPal { fake in
            let configuration = PayPalConfiguration(baseURL: fake.url + "/", clientID: fake.clientID, clientSecret: "wrong")
            let client = PayPalPayoutClient(configuration: configuration, httpClient: .shared)
            let error = await #expect(throws: PayoutError.self) { try await client.send(payout()) }
            #expect(error?.status == 401)
            #expect(error?.code == "invalid_client")
            #expect(fake.payoutsCreated == 0)
        }
    }

    @Test(arguments: [429, 503])
    func rateLimitsAndOutagesAreThrown(status: Int) async throws {
        try await withFakePayPal { fake in
            fake.failNext(1, on: .createPayout, status: status)
            let error = await #expect(throws: PayoutError.self) { try await paypal(fake).send(payout()) }
            #expect(error?.status == status)
            #expect(fake.payoutsCreated == 0)
        }
    }

    @Test func itemStatusesMapToOutcomes() async throws {
        try await withFakePayPal { fake in
            let client = paypal(fake)
            fake.setOutcomeOnPoll(.pending)
            func settled(_ outcome: FakePayPalServer.ItemOutcome) async throws -> PayoutOutcome {
                let batchID = try #require(reference(try await client.send(payout())))
                fake.settle(batchID: batchID, as: outcome)
                return try await client.status(reference: batchID)
            }
            #expect(try await settled(.pending) == .processing(reference: fake.payouts.last!.batchID))
            #expect(try await settled(.unclaimed) == .processing(reference: fake.payouts.last!.batchID))
            #expect(try await settled(.success) == .paid(reference: fake.payouts.last!.batchID))
            #expect(try await settled(.returned) == .failed(reason: "The recipient did not claim this payout within 30 days; the funds were returned to your account."))
            #expect(try await settled(.failed(name: "RECEIVER_ACCOUNT_INVALID", message: "The receiver's account is invalid.")) == .failed(reason: "The receiver's account is invalid."))
            guard case .failed = try await settled(.blocked) else {
                Issue.record("BLOCKED must fail")
                return
            }
            await #expect(throws: PayoutError.self) { try await client.status(reference: "NOSUCHBATCH") }
        }
    }

    @Test func mismatchedOrImpossibleRequestsFailWithoutCallingPayPal() async throws {
        try await withFakePayPal { fake in
            let client = paypal(fake)
            #expect(try await client.send(payout(to: .stripe(account: stripeAccount))) == .failed(reason: "PayPal can only pay a PayPal account (email), not a Stripe account."))
            guard case .failed = try await client.send(payout(amount: 0)) else { Issue.record("zero amount was sent"); return }
            guard case .failed = try await client.send(payout(currency: "usd")) else { Issue.record("bad currency was sent"); return }
            #expect(fake.requests.isEmpty)
        }
    }

    @Test func theFakeRefusesWhatPayPalRefuses() async throws {
        try await withFakePayPal { fake in
            func post(_ path: String, _ body: String, headers: [(String, String)]) async throws -> (Int, [String: Any]) {
                var request = HTTPClientRequest(url: fake.url + path)
                request.method = .POST
                for (name, value) in headers { request.headers.add(name: name, value: value) }
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                let data = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
                return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
            }
            let form = ("Content-Type", "application/x-www-form-urlencoded")
            let (noBasic, noBasicBody) = try await post("/v1/oauth2/token", "grant_type=client_credentials", headers: [form])
            #expect(noBasic == 401)
            #expect(noBasicBody["error"] as? String == "invalid_client")

            let valid = #"{"sender_batch_header":{"sender_batch_id":"b-1"},"items":[{"recipient_type":"EMAIL","receiver":"a@example.com","amount":{"value":"1.00","currency":"USD"}}]}"#
            let json = ("Content-Type", "application/json")
            let (unauthorized, unauthorizedBody) = try await post("/v1/payments/payouts", valid, headers: [json])
            #expect(unauthorized == 401)
            #expect(unauthorizedBody["name"] as? String == "AUTHENTICATION_FAILURE")

            let basic = Data("\(fake.clientID):\(fake.clientSecret)".utf8).base64EncodedString()
            let (_, tokenBody) = try await post("/v1/oauth2/token", "grant_type=client_credentials", headers: [form, ("Authorization", "Basic \(basic)")])
            let token = try #require(tokenBody["access_token"] as? String)
            #expect(tokenBody["token_type"] as? String == "Bearer")
            #expect(tokenBody["expires_in"] as? Int == 32400)
            let bearer = ("Authorization", "Bearer \(token)")

            let (missing, missingBody) = try await post("/v1/payments/payouts", #"{"sender_batch_header":{}}"#, headers: [json, bearer])
            #expect(missing == 400)
            #expect(missingBody["name"] as? String == "INVALID_REQUEST")
            #expect((missingBody["details"] as? [[String: Any]])?.first?["field"] as? String == "/items")

            let threeDecimals = valid.replacingOccurrences(of: "1.00", with: "1.005")
            let (badAmount, _) = try await post("/v1/payments/payouts", threeDecimals, headers: [json, bearer])
            #expect(badAmount == 400)

            let (created, createdBody) = try await post("/v1/payments/payouts", valid, headers: [json, bearer])
            #expect(created == 201)
            let batchID = try #require((createdBody["batch_header"] as? [String: Any])?["payout_batch_id"] as? String)
            let (duplicate, duplicateBody) = try await post("/v1/payments/payouts", valid, headers: [json, bearer])
            #expect(duplicate == 400)
            #expect(duplicateBody["name"] as? String == "USER_BUSINESS_ERROR")
            let detail = try #require((duplicateBody["details"] as? [[String: Any]])?.first)
            #expect(detail["field"] as? String == "SENDER_BATCH_ID")
            let href = try #require((detail["link"] as? [[String: Any]])?.first?["href"] as? String)
            #expect(href.hasSuffix("/v1/payments/payouts/\(batchID)"))
            #expect(fake.payoutsCreated == 1)
        }
    }
}

@Suite("Stripe transfers against the fake Stripe")
struct StripePayoutClientTests {
    @Test func sendsAFormEncodedTransferWithTheIdempotencyKey() async throws {
        try await withFakeStripe { fake in
            let client = stripe(fake)
            let request = payout(to: .stripe(account: stripeAccount), note: "Payout #7 & thanks = 100% ✓")

            let outcome = try await client.send(request)

            let transfer = try #require(fake.transfers.first)
            #expect(outcome == .paid(reference: transfer.id))
            #expect(transfer.id.hasPrefix("tr_"))
            let post = try #require(fake.requests("POST", "/v1/transfers").first)
            #expect(post.header("Idempotency-Key") == request.idempotencyKey)
            #expect(post.header("Authorization") == "Bearer \(fake.secretKey)")
            #expect(post.header("Content-Type") == "application/x-www-form-urlencoded")
            #expect(post.form == [
                "amount": "1234",
                "currency": "usd",
                "destination": stripeAccount,
                "transfer_group": request.withdrawalID.uuidString,
                "metadata[withdrawal_id]": request.withdrawalID.uuidString,
                "description": "Payout #7 & thanks = 100% ✓",
            ])
            #expect(post.body.contains("metadata%5Bwithdrawal_id%5D="))
            #expect(transfer.amount == 1234 && transfer.currency == "usd")
            #expect(transfer.metadata == ["withdrawal_id": request.withdrawalID.uuidString])
            #expect(fake.balance("usd") == 10_000_000 - 1234)

            #expect(try await client.status(reference: transfer.id) == .paid(reference: transfer.id))
            fake.reverse(transferID: transfer.id)
            #expect(try await client.status(reference: transfer.id) == .failed(reason: "The Stripe transfer \(transfer.id) was reversed."))
        }
    }

    @Test func aRetryAfterA500MakesOneTransfer() async throws {
        try await withFakeStripe { fake in
            fake.failNextTransfers(1, status: 500, stage: .beforeExecution)
            let client = stripe(fake)
            let request = payout(to: .stripe(account: stripeAccount))

            let error = await #expect(throws: PayoutError.self) { try await client.send(request) }
            #expect(error?.status == 500)
            let outcome = try await client.send(request)

            #expect(fake.transfersCreated == 1)
            #expect(outcome == .paid(reference: try #require(fake.transfers.first).id))
        }
    }

    @Test func aRetryAfterALostAnswerGetsTheSameTransfer() async throws {
        try await withFakeStripe { fake in
            fake.loseNextTransferResponses(1)
            let client = stripe(fake)
            let request = payout(to: .stripe(account: stripeAccount))

            await #expect(throws: PayoutError.self) { try await client.send(request) }
            let outcome = try await client.send(request)

            #expect(fake.transfersCreated == 1)
            #expect(outcome == .paid(reference: try #require(fake.transfers.first).id))
            #expect(fake.requests("POST", "/v1/transfers").count == 2)
        }
    }

    @Test func aSavedServerErrorIsReplayedAndNeverBecomesATransfer() async throws {
        try await withFakeStripe { fake in
            fake.failNextTransfers(1, status: 500, stage: .duringExecution)
            let client = stripe(fake)
            let request = payout(to: .stripe(account: stripeAccount))
            await #expect(throws: PayoutError.self) { try await client.send(request) }
            await #expect(throws: PayoutError.self) { try await client.send(request) }
            #expect(fake.transfersCreated == 0)
        }
    }

    @Test func insufficientBalanceIsAFailure() async throws {
        try await withFakeStripe { fake in
            fake.setBalance(1000, currency: "usd")
            let outcome = try await stripe(fake).send(payout(to: .stripe(account: stripeAccount)))
            guard case .failed(let reason) = outcome else {
                Issue.record("expected a failure, got \(outcome)")
                return
            }
            #expect(reason.hasPrefix("You have insufficient available funds in your Stripe account."))
            #expect(fake.transfersCreated == 0)
            #expect(fake.balance("usd") == 1000)
        }
    }

    @Test func anUnknownDestinationIsAFailure() async throws {
        try await withFakeStripe { fake in
            let outcome = try await stripe(fake).send(payout(to: .stripe(account: "acct_doesnotexist")))
            #expect(outcome == .failed(reason: "No such destination: 'acct_doesnotexist'"))
            #expect(fake.transfersCreated == 0)
        }
    }

    @Test func theSameKeyWithAnotherAmountIsNotASecondTransfer() async throws {
        try await withFakeStripe { fake in
            let client = stripe(fake)
            var request = payout(to: .stripe(account: stripeAccount))
            let first = try await client.send(request)
            #expect(reference(first) == fake.transfers.first?.id)

            request.amount = 999
            let error = await #expect(throws: PayoutError.self) { try await client.send(request) }
            #expect(error?.status == 400)
            #expect(error?.code == "idempotency_error")
            #expect(fake.transfersCreated == 1)
        }
    }

    @Test func rateLimitsAreThrown() async throws {
        try await withFakeStripe { fake in
            fake.failNextTransfers(1, status: 429)
            let error = await #expect(throws: PayoutError.self) { try await stripe(fake).send(payout(to: .stripe(account: stripeAccount))) }
            #expect(error?.status == 429)
            #expect(error?.code == "rate_limit")
            #expect(fake.transfersCreated == 0)
        }
    }

    @Test func theFakeRefusesWhatStripeRefuses() async throws {
        try await withFakeStripe { fake in
            func post(_ body: String, headers: [(String, String)]) async throws -> (Int, [String: Any]) {
                var request = HTTPClientRequest(url: fake.url + "/v1/transfers")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                for (name, value) in headers { request.headers.add(name: name, value: value) }
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                let data = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
                let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
                return (Int(response.status.code), json?["error"] as? [String: Any] ?? [:])
            }
            let auth = ("Authorization", "Bearer \(fake.secretKey)")
            let (noKey, noKeyError) = try await post("amount=1&currency=usd&destination=\(stripeAccount)", headers: [])
            #expect(noKey == 401)
            #expect(noKeyError["type"] as? String == "invalid_request_error")
            let (missing, missingError) = try await post("currency=usd&destination=\(stripeAccount)", headers: [auth])
            #expect(missing == 400)
            #expect(missingError["code"] as? String == "parameter_missing")
            #expect(missingError["param"] as? String == "amount")
            let (unknown, unknownError) = try await post("amount=1&currency=usd&destination=\(stripeAccount)&colour=red", headers: [auth])
            #expect(unknown == 400)
            #expect(unknownError["code"] as? String == "parameter_unknown")
            #expect(fake.transfersCreated == 0)
        }
    }
}
