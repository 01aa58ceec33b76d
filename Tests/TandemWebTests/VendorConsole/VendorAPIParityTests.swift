import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemStore
import Testing
@testable import TandemWeb

/// What the console does, the API does too: groups and rules listed, edited and archived;
/// leads, deals, customers and transactions listed; rewards reviewed in bulk; API keys;
/// a withdrawal marked paid with a reference, or retried. Every id and slug of another
/// company is a 404.
@Suite struct VendorAPIParityTests {
    @Test func groupsAreListedRenamedMadeDefaultAndArchived() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendor()
            try await t.program(acme)
            let vip = try #require(try await acme.post("/api/v1/programs/acme/groups", ["name": "VIP"]).string("id"))
            let empty = try #require(try await acme.post("/api/v1/programs/acme/groups", ["name": "Spare"]).string("id"))
            _ = try await acme.post("/api/v1/partnerships", ["program": "acme", "email": "pat@example.com", "name": "Pat", "group": vip])
            let rule = try await acme.post("/api/v1/programs/acme/reward-rules", ["group": empty, "trigger": "signup", "kind": "flat", "amount": 100])
            #expect(rule.status == .created)

            let list = try await acme.get("/api/v1/programs/acme/groups")
            #expect(list.status == .ok)
            #expect(list.data.map { $0["name"] as? String } == ["Default", "VIP", "Spare"])
            #expect(list.data.first { $0["id"] as? String == vip }?["partners"] as? Int == 1)

            let renamed = try await acme.patch("/api/v1/programs/acme/groups/\(vip)", ["name": "Gold", "default": true])
            #expect(renamed.status == .ok && renamed.string("name") == "Gold" && renamed["default"] as? Bool == true)
            let defaults = try await acme.get("/api/v1/programs/acme/groups").data.filter { $0["default"] as? Bool == true }
            #expect(defaults.count == 1)

            let isDefault = try await acme.delete("/api/v1/programs/acme/groups/\(vip)")
            #expect(isDefault.status == .conflict && isDefault.errorCode == "default_group")
            let defaultGroup = try #require(list.data.first { $0["name"] as? String == "Default" }?["id"] as? String)
            _ = try await acme.post("/api/v1/partnerships", ["program": "acme", "email": "sam@example.com", "name": "Sam", "group": defaultGroup])
            let inUse = try await acme.delete("/api/v1/programs/acme/groups/\(defaultGroup)")
            #expect(inUse.status == .conflict && inUse.errorCode == "group_in_use")

            let archived = try await acme.delete("/api/v1/programs/acme/groups/\(empty)")
            #expect(archived.status == .ok && archived["archived_at"] is String)
            let again = try await acme.delete("/api/v1/programs/acme/groups/\(empty)")
            #expect(again.status == .ok && again.string("archived_at") == archived.string("archived_at"), "archiving twice changes nothing")
            #expect(try await acme.get("/api/v1/programs/acme/groups").data.count == 2)
            #expect(try await acme.get("/api/v1/programs/acme/groups?archived=true").data.count == 3)
            #expect(try await acme.get("/api/v1/programs/acme/reward-rules").data.isEmpty, "the group's rule was archived with it")
            let joinArchived = try await acme.post("/api/v1/partnerships", ["program": "acme", "email": "lee@example.com", "name": "Lee", "group": empty])
            #expect(joinArchived.status == .badRequest || joinArchived.status == .notFound)
            #expect(try await acme.get("/api/v1/programs/acme/groups?archived=maybe").status == .badRequest)

            let globex = try await t.vendor("Globex")
            try await t.program(globex, slug: "globex")
            #expect(try await globex.get("/api/v1/programs/acme/groups").status == .notFound)
            #expect(try await globex.patch("/api/v1/programs/globex/groups/\(vip)", ["name": "Mine"]).status == .notFound)
            #expect(try await globex.delete("/api/v1/programs/globex/groups/\(defaultGroup)").status == .notFound)
            #expect(try await acme.patch("/api/v1/programs/acme/groups/\(vip)", ["default": false]).status == .badRequest)
        }
    }

    /// Found by schemathesis: a blank currency in a PATCH was taken as "unchanged" with a 200.
    @Test func aBlankCurrencyInAProgramEditIsRefused() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendor()
            try await t.program(acme)
            let blank = try await acme.patch("/api/v1/programs/acme", ["currency": ""])
            #expect(blank.status == .badRequest)
            #expect(blank.text.contains("currency"))
            #expect(try await acme.get("/api/v1/programs/acme").string("currency") == "USD")
            #expect(try await acme.patch("/api/v1/programs/acme", ["currency": "EUR"]).string("currency") == "EUR")
        }
    }

    /// The same for the name: a PATCH that clears it is a 400, and the name stays.
    @Test func aBlankNameInAProgramEditIsRefused() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendor()
            try await t.program(acme)
            let before = try await acme.get("/api/v1/programs/acme").string("name")
            let blank = try await acme.patch("/api/v1/programs/acme", ["name": "  "])
            #expect(blank.status == .badRequest)
            #expect(blank.text.contains("name"))
            #expect(try await acme.get("/api/v1/programs/acme").string("name") == before)
            #expect(try await acme.patch("/api/v1/programs/acme", ["name": "Renamed"]).string("name") == "Renamed")
        }
    }

    @Test func aRuleEditIsANewVersionAndArchivingStopsIt() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendor()
            try await t.program(acme)
            let first = try #require(try await acme.post("/api/v1/programs/acme/reward-rules", ["trigger": "signup", "kind": "flat", "amount": 500]).string("id"))
            let edited = try await acme.patch("/api/v1/programs/acme/reward-rules/\(first)", ["trigger": "signup", "kind": "flat", "amount": 700])
            #expect(edited.status == .ok)
            let second = try #require(edited.string("id"))
            #expect(second != first && edited.string("version_of") == first && edited.int("amount") == 700)
            let stale = try await acme.patch("/api/v1/programs/acme/reward-rules/\(first)", ["trigger": "signup", "kind": "flat", "amount": 900])
            #expect(stale.status == .conflict && stale.errorCode == "rule_archived")
            #expect(try await acme.get("/api/v1/programs/acme/reward-rules").data.compactMap { $0["id"] as? String } == [second])

            let link = try await t.enrol(acme, email: "pat@example.com")
            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c1", "partner_key": link.key])
            #expect(try await Reward.query(on: t.store.db).all().map(\.amount) == [700], "the live version pays")

            let bad = try await acme.patch("/api/v1/programs/acme/reward-rules/\(second)", ["trigger": "signup", "kind": "flat"])
            #expect(bad.status == .badRequest)
            let gone = try await acme.delete("/api/v1/programs/acme/reward-rules/\(second)")
            #expect(gone.status == .ok && gone["archived_at"] is String)
            #expect(try await acme.delete("/api/v1/programs/acme/reward-rules/\(second)").errorCode == "rule_archived")
            #expect(try await acme.get("/api/v1/programs/acme/reward-rules").data.isEmpty)
            #expect(try await acme.get("/api/v1/programs/acme/reward-rules?archived=true").data.count == 2)
            _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c2", "partner_key": link.key])
            #expect(try await Reward.query(on: t.store.db).count() == 1, "an archived rule pays nothing new")

            let globex = try await t.vendor("Globex")
            try await t.program(globex, slug: "globex")
            #expect(try await globex.get("/api/v1/programs/acme/reward-rules").status == .notFound)
            #expect(try await globex.delete("/api/v1/programs/globex/reward-rules/\(second)").status == .notFound)
            #expect(try await globex.patch("/api/v1/programs/globex/reward-rules/\(second)", ["trigger": "signup", "kind": "flat", "amount": 1]).status == .notFound)
        }
    }

    @Test func leadsDealsCustomersAndTransactionsAreListedPagedAndScoped() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendor()
            try await t.program(acme, extra: ["features": ["links": true, "custom_links": true, "leads": true, "deals": true]])
            _ = try await acme.post("/api/v1/programs/acme/reward-rules", ["trigger": "transaction", "kind": "percent", "percent": 10])
            let pat = try await t.enrol(acme, email: "pat@example.com")
            let sam = try await t.enrol(acme, email: "sam@example.com")
            for (n, link) in [pat, pat, sam].enumerated() {
                t.clock.advance(by: 60)
                _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c\(n)", "partner_key": link.key])
                _ = try await acme.post("/api/v1/transactions", ["program": "acme", "customer_key": "c\(n)", "external_id": "t\(n)", "amount": 1000 * (n + 1), "currency": "USD"])
            }
            _ = try await acme.post("/api/v1/leads", ["program": "acme", "partner_key": pat.key, "email": "l@x.example", "name": "Lee"])
            let lead2 = try await acme.post("/api/v1/leads", ["program": "acme", "partner_key": sam.key, "email": "m@x.example", "name": "Mo"])
            _ = try await acme.patch("/api/v1/leads/\(try #require(lead2.string("id")))", ["status": "qualified"])
            _ = try await acme.post("/api/v1/deals", ["program": "acme", "partner_key": sam.key, "name": "Big", "amount": 5000, "currency": "USD"])

            let customers = try await acme.get("/api/v1/customers")
            #expect(customers.data.compactMap { $0["key"] as? String } == ["c2", "c1", "c0"], "newest signup first")
            #expect(try await acme.get("/api/v1/customers?partnership=\(pat.id)").data.count == 2)
            // Keyset paging: one at a time, to the end.
            var seen: [String] = []
            var after: String?
            repeat {
                let page = try await acme.get("/api/v1/customers?limit=1" + (after.map { "&starting_after=\($0)" } ?? ""))
                seen += page.data.compactMap { $0["key"] as? String }
                after = page["has_more"] as? Bool == true ? page.data.last?["id"] as? String : nil
            } while after != nil
            #expect(seen == ["c2", "c1", "c0"])

            let transactions = try await acme.get("/api/v1/transactions?program=acme")
            #expect(transactions.data.compactMap { $0["external_id"] as? String } == ["t2", "t1", "t0"])
            let first = try #require(transactions.data.last)
            #expect((first["rewards"] as? [[String: Any]])?.first?["amount"] as? Int == 100, "10 % of $10, with the transaction")
            #expect(try await acme.get("/api/v1/transactions?customer_key=c1").data.compactMap { $0["external_id"] as? String } == ["t1"])
            #expect(try await acme.get("/api/v1/leads?status=qualified").data.compactMap { $0["name"] as? String } == ["Mo"])
            #expect(try await acme.get("/api/v1/leads").data.count == 2)
            #expect(try await acme.get("/api/v1/deals?stage=open").data.compactMap { $0["name"] as? String } == ["Big"])
            #expect(try await acme.get("/api/v1/leads?status=hot").status == .badRequest)
            // Present but empty is not "no filter": the document's enum has no empty value (found by the fuzz run).
            #expect(try await acme.get("/api/v1/deals?stage=").errorField == "stage")
            #expect(try await acme.get("/api/v1/leads?status=").errorField == "status")
            #expect(try await acme.get("/api/v1/deals?partnership=nope").status == .badRequest)
            #expect(try await acme.get("/api/v1/leads?partnership=").status == .badRequest, "present but empty is not an id either")

            let globex = try await t.vendor("Globex")
            for path in ["customers", "transactions", "leads", "deals"] {
                #expect(try await globex.get("/api/v1/\(path)").data.isEmpty, "\(path): another company sees none")
                #expect(try await globex.get("/api/v1/\(path)?program=acme").status == .notFound)
            }
            let acmeCustomer = try #require(customers.data.first?["id"] as? String)
            #expect(try await globex.get("/api/v1/customers?starting_after=\(acmeCustomer)").status == .notFound)
        }
    }

    @Test func rewardsAreReviewedInBulkAndEachRefusalIsNamed() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendor()
            try await t.program(acme)
            _ = try await acme.post("/api/v1/programs/acme/reward-rules", ["trigger": "signup", "kind": "flat", "amount": 500])
            let link = try await t.enrol(acme, email: "pat@example.com")
            for n in 0..<3 { _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c\(n)", "partner_key": link.key]) }
            let ids = try await Reward.query(on: t.store.db).sort(\.$createdAt).sort(\.$id).all().map { try $0.requireID().uuidString }
            let noReason = try await acme.post("/api/v1/rewards/review", ["action": "decline", "rewards": ids])
            #expect(noReason.status == .badRequest)
            #expect(try await Reward.query(on: t.store.db).filter(\.$status == .pending).count() == 3, "nothing changed")
            _ = try await acme.post("/api/v1/rewards/\(ids[0])/decline", ["reason": "duplicate"])

            let globex = try await t.vendor("Globex")
            let theirs = try await globex.post("/api/v1/rewards/review", ["action": "approve", "rewards": [ids[1]]])
            #expect(theirs.status == .ok && (theirs["changed"] as? [String])?.isEmpty == true)
            #expect((theirs["refused"] as? [[String: Any]])?.first?["code"] as? String == "not_found")

            let review = try await acme.post("/api/v1/rewards/review", ["action": "approve", "rewards": ids])
            #expect(review.status == .ok)
            #expect(Set(review["changed"] as? [String] ?? []) == Set(ids[1...].map { $0.lowercased() }) || Set(review["changed"] as? [String] ?? []) == Set(ids[1...]))
            let refused = try #require((review["refused"] as? [[String: Any]])?.first)
            #expect(refused["code"] as? String == "invalid_transition")
            #expect(try await Reward.query(on: t.store.db).filter(\.$status == .available).count() == 2)
            #expect(try await acme.post("/api/v1/rewards/review", ["action": "pay", "rewards": ids]).status == .badRequest)
            #expect(try await acme.post("/api/v1/rewards/review", ["action": "approve", "rewards": [String]()]).status == .badRequest)
        }
    }

    @Test func apiKeysAreMadeListedAndRevoked() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendor()
            let made = try await acme.post("/api/v1/api-keys", ["label": "CRM sync"])
            #expect(made.status == .created)
            let secret = try #require(made.string("secret"))
            let id = try #require(made.string("id"))
            #expect(secret.hasPrefix("tdm_sk_") && made.string("label") == "CRM sync")
            let list = try await acme.get("/api/v1/api-keys")
            #expect(list.data.count == 2 && list.data.allSatisfy { $0["secret"] is NSNull })
            #expect(try await acme.post("/api/v1/api-keys", ["label": " "]).status == .badRequest)

            let crm = acme.with(key: secret)
            #expect(try await crm.get("/api/v1/programs").status == .ok)
            let globex = try await t.vendor("Globex")
            #expect(try await globex.delete("/api/v1/api-keys/\(id)").status == .notFound)
            #expect(try await globex.get("/api/v1/api-keys").data.count == 1)
            let revoked = try await acme.delete("/api/v1/api-keys/\(id)")
            #expect(revoked.status == .ok && revoked["revoked_at"] is String)
            #expect(try await crm.get("/api/v1/programs").status == .unauthorized)
        }
    }

    @Test func aWithdrawalIsMarkedPaidWithAReferenceOrRetriedAfterFailing() async throws {
        try await TestApp.with { t in
            let (acme, link, partner) = try await t.payingProgram()
            func earnAndWithdraw(_ key: String) async throws -> String {
                _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": key, "partner_key": link.key])
                for reward in try await Reward.query(on: t.store.db).filter(\.$status == .pending).all() {
                    _ = try await acme.post("/api/v1/rewards/\(try reward.requireID())/approve", [String: Any]())
                }
                let made = try await partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
                return try #require(made.string("id"))
            }
            let first = try await earnAndWithdraw("c1")
            let paid = try await acme.post("/api/v1/withdrawals/\(first)/mark-paid", ["reference": "BANK-7"])
            #expect(paid.status == .ok && paid.string("status") == "paid" && paid.string("provider_reference") == "BANK-7")

            let second = try await earnAndWithdraw("c2")
            #expect(try await acme.post("/api/v1/withdrawals/\(second)/retry", [String: Any]()).errorCode == "invalid_transition")
            let secondID = try #require(UUID(uuidString: second))
            try await t.store.db.transaction { db in
                try await WithdrawalLedger.markFailed(secondID, reason: "PayPal: receiver unregistered", actor: "system", now: t.clock.now, on: db)
            }
            let globex = try await t.vendor("Globex")
            #expect(try await globex.post("/api/v1/withdrawals/\(second)/retry", [String: Any]()).status == .notFound)
            let retried = try await acme.post("/api/v1/withdrawals/\(second)/retry", [String: Any]())
            #expect(retried.status == .created && retried.string("status") == "requested" && retried.int("amount") == 500)
            #expect(retried.string("id") != second)
        }
    }
}
