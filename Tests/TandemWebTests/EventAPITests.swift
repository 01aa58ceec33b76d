import FluentKit
import Foundation
import Hummingbird
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

@Suite struct EventAPITests {
    @Test func keysAreRequiredAndCheckedForTheirKind() async throws {
        try await TestApp.with { t in
            let none = try await t.api.get("/api/v1/programs")
            #expect(none.status == .unauthorized)
            #expect(none.errorCode == "unauthorized")
            let bad = try await t.api.with(key: "tdm_sk_nothing").get("/api/v1/programs")
            #expect(bad.status == .unauthorized)
            #expect(bad.errorCode == "invalid_key")

            try await TestApp.makePartner(email: "pat@example.com", store: t.store, clock: t.clock)
            let partner = try await t.partnerKey(email: "pat@example.com")
            let forbidden = try await partner.get("/api/v1/programs")
            #expect(forbidden.status == .forbidden)
            let vendor = try await t.vendor()
            #expect(try await vendor.get("/api/v1/partner/programs").status == .forbidden)
        }
    }

    @Test func aRevokedKeyStopsWorking() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            #expect(try await vendor.get("/api/v1/programs").status == .ok)
            let key = try #require(try await APIKey.query(on: t.store.db).first())
            #expect(key.secretHash == SecureToken.hash(vendor.key!), "only the hash of the key is stored")
            try await APIKeyQueries.revoke(id: key.requireID(), now: t.clock.now, on: t.store.db)
            #expect(try await vendor.get("/api/v1/programs").status == .unauthorized)
        }
    }

    @Test func creatingAProgramValidatesEveryField() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            let cases: [([String: Any], String)] = [
                (["slug": "x", "currency": "USD", "default_destination": "https://a.example.com/"], "name"),
                (["name": "X", "currency": "XYZ", "default_destination": "https://a.example.com/"], "currency"),
                (["name": "X", "currency": "USD", "default_destination": "javascript:alert(1)"], "default_destination"),
                (["name": "X", "currency": "USD", "default_destination": "https://evil.example.net/", "allowed_domains": ["shop.example.com"]], "default_destination"),
                (["name": "X", "currency": "USD", "default_destination": "https://a.example.com/", "cookie_window_days": 0], "cookie_window_days"),
                (["name": "X", "currency": "USD", "default_destination": "https://a.example.com/", "min_withdrawal": -1], "min_withdrawal"),
                (["name": "X", "currency": "USD", "default_destination": "https://a.example.com/", "hold_days": "thirty"], "hold_days"),
                (["name": "X", "currency": "USD", "default_destination": "https://a.example.com/", "allowed_domains": ["not a domain"]], "allowed_domains[0]"),
            ]
            for (body, field) in cases {
                let answer = try await vendor.post("/api/v1/programs", body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.errorField == field, "\(body) → \(answer.text)")
            }
            let malformed = try await vendor.send(.post, "/api/v1/programs", rawBody: "{not json")
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorCode == "invalid_json")
            #expect(try await Program.query(on: t.store.db).count() == 0)

            let created = try await t.program(vendor, extra: ["cookie_window_days": 30, "features": ["leads": true]])
            #expect(created.int("cookie_window_days") == 30)
            #expect(created.int("hold_days") == 30)
            #expect((created["features"] as? [String: Bool])?["leads"] == true)
            #expect((created["groups"] as? [[String: Any]])?.first?["default"] as? Bool == true)
            let taken = try await vendor.post("/api/v1/programs", ["name": "Again", "slug": "acme", "currency": "USD", "default_destination": "https://shop.example.com/"])
            #expect(taken.status == .conflict)
        }
    }

    @Test func oneVendorNeverSeesOrChangesAnothersPrograms() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendor("Acme")
            let globex = try await t.vendor("Globex")
            try await t.program(acme)
            let link = try await t.enrol(acme, email: "pat@example.com")
            try await acme.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": link.key])

            #expect(try await globex.get("/api/v1/programs/acme").status == .notFound)
            #expect(try await globex.patch("/api/v1/programs/acme", ["name": "Stolen"]).status == .notFound)
            #expect(try await globex.get("/api/v1/programs").data.isEmpty)
            #expect(try await globex.get("/api/v1/partnerships").data.isEmpty)
            #expect(try await globex.patch("/api/v1/partnerships/\(link.id)", ["status": "archived"]).status == .notFound)
            #expect(try await globex.post("/api/v1/partnerships", ["program": "acme", "email": "x@example.com"]).status == .notFound)
            #expect(try await globex.post("/api/v1/customers", ["program": "acme", "key": "cus_2"]).status == .notFound)
            #expect(try await globex.post("/api/v1/transactions", ["program": "acme", "customer_key": "cus_1", "external_id": "t1", "amount": 100, "currency": "USD"]).status == .notFound)
            #expect(try await globex.post("/api/v1/transactions/t1/refunds", ["program": "acme"]).status == .notFound)
            #expect(try await acme.get("/api/v1/programs/acme").string("name") == "Acme Partners")
            #expect(try await Customer.query(on: t.store.db).count() == 1)
        }
    }

    @Test func transactionsAreIdempotentByExternalID() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let link = try await t.enrol(vendor, email: "pat@example.com")
            try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": link.key])
            let body: [String: Any] = ["program": "acme", "customer_key": "cus_1", "external_id": "pay_1", "amount": 4999, "currency": "USD"]
            let first = try await vendor.post("/api/v1/transactions", body)
            #expect(first.status == .created)
            #expect((first.string("partnership_id") ?? "").lowercased() == link.id.lowercased())
            #expect(first["rewards"] is [Any])
            let again = try await vendor.post("/api/v1/transactions", body)
            #expect(again.status == .ok)
            #expect(again.string("id") == first.string("id"))
            #expect(try await SaleTransaction.query(on: t.store.db).count() == 1)
        }
    }

    @Test func transactionInputIsChecked() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1"])
            let base: [String: Any] = ["program": "acme", "customer_key": "cus_1", "external_id": "pay_1", "amount": 100, "currency": "USD"]
            let unknown = try await vendor.post("/api/v1/transactions", base.merging(["customer_key": "nobody"]) { $1 })
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "customer_not_found")
            #expect(try await vendor.post("/api/v1/transactions", base.merging(["currency": "EUR"]) { $1 }).errorField == "currency")
            #expect(try await vendor.post("/api/v1/transactions", base.merging(["currency": "ZZZ"]) { $1 }).errorField == "currency")
            #expect(try await vendor.post("/api/v1/transactions", base.merging(["amount": 0]) { $1 }).errorField == "amount")
            #expect(try await vendor.post("/api/v1/transactions", base.merging(["amount": -5]) { $1 }).errorField == "amount")
            #expect(try await vendor.post("/api/v1/transactions", base.merging(["amount": 12.5]) { $1 }).status == .badRequest)
            #expect(try await SaleTransaction.query(on: t.store.db).count() == 0)
        }
    }

    @Test func refunds() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1"])
            try await vendor.post("/api/v1/transactions", ["program": "acme", "customer_key": "cus_1", "external_id": "pay_1", "amount": 1000, "currency": "USD"])

            let unknown = try await vendor.post("/api/v1/transactions/pay_404/refunds", ["program": "acme"])
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "transaction_not_found")
            let partial = try await vendor.post("/api/v1/transactions/pay_1/refunds", ["program": "acme", "amount": 300])
            #expect(partial.status == .created)
            #expect(partial.int("amount") == 300)
            #expect(try await vendor.post("/api/v1/transactions/pay_1/refunds", ["program": "acme", "amount": 800]).errorField == "amount")
            let rest = try await vendor.post("/api/v1/transactions/pay_1/refunds", ["program": "acme"])
            #expect(rest.int("amount") == 700)
            #expect(try await vendor.post("/api/v1/transactions/pay_1/refunds", ["program": "acme"]).status == .conflict)
            #expect(try await SaleTransaction.query(on: t.store.db).first()?.refundedAmount == 1000)
        }
    }

    @Test func idempotencyKeysReplayTheFirstAnswer() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            let body: [String: Any] = ["program": "acme", "key": "cus_1", "email": "a@example.org"]
            let first = try await vendor.post("/api/v1/customers", body, idempotencyKey: "req-1")
            #expect(first.status == .created)
            let replay = try await vendor.post("/api/v1/customers", body, idempotencyKey: "req-1")
            #expect(replay.status == .created, "the same answer again, status included")
            #expect(replay.text == first.text)
            #expect(replay.headers[.init("Idempotent-Replayed")!] == "true")
            let other = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_2"], idempotencyKey: "req-1")
            #expect(other.status == .conflict)
            #expect(other.errorCode == "idempotency_key_reused")
            #expect(try await Customer.query(on: t.store.db).count() == 1)
            // Keys belong to one vendor: another vendor may use the same key.
            let globex = try await t.vendor("Globex")
            try await t.program(globex, slug: "globex")
            #expect(try await globex.post("/api/v1/customers", ["program": "globex", "key": "cus_1"], idempotencyKey: "req-1").status == .created)
        }
    }

    @Test func leadsAndDeals() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor, extra: ["features": ["leads": true, "deals": true]])
            let link = try await t.enrol(vendor, email: "pat@example.com")
            let lead = try await vendor.post("/api/v1/leads", ["program": "acme", "partner_key": link.key, "email": "lead@corp.example", "name": "Lee", "company": "Corp"])
            #expect(lead.status == .created)
            #expect(lead.string("status") == "new")
            let leadID = try #require(lead.string("id"))
            #expect(try await vendor.patch("/api/v1/leads/\(leadID)", ["status": "qualified"]).string("status") == "qualified")
            #expect(try await vendor.patch("/api/v1/leads/\(leadID)", ["status": "maybe"]).errorField == "status")
            #expect(try await vendor.post("/api/v1/leads", ["program": "acme", "partner_key": "nope", "email": "l@x.example", "name": "L"]).status == .notFound)
            // The same person again (whatever the case of the email) is refused: one lead, one chance at its reward.
            let again = try await vendor.post("/api/v1/leads", ["program": "acme", "partner_key": link.key, "email": "Lead@Corp.example", "name": "Lee again"])
            #expect(again.status == .conflict)
            #expect(again.errorCode == "email_taken")
            #expect(try await Lead.query(on: t.store.db).count() == 1)

            let deal = try await vendor.post("/api/v1/deals", ["program": "acme", "partner_key": link.key, "name": "Big deal", "amount": 1_000_000, "currency": "USD"])
            #expect(deal.status == .created)
            let dealID = try #require(deal.string("id"))
            #expect(try await vendor.patch("/api/v1/deals/\(dealID)", ["stage": "won"]).string("stage") == "won")
            let globex = try await t.vendor("Globex")
            #expect(try await globex.patch("/api/v1/deals/\(dealID)", ["stage": "lost"]).status == .notFound)
        }
    }

    @Test func anOversizedBodyIs413() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            let answer = try await vendor.send(.post, "/api/v1/programs", rawBody: "{\"name\": \"" + String(repeating: "x", count: 1_100_000) + "\"}")
            #expect(answer.status == .contentTooLarge)
            #expect(answer.errorCode == "body_too_large")
        }
    }
}
