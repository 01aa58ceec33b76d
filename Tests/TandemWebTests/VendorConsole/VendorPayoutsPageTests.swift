import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemStore
import Testing
@testable import TandemWeb

@Suite struct VendorPayoutsPageTests {
    /// Acme's team; pat earned three approved $5 rewards and withdrew them (a manual withdrawal).
    func setUp(_ t: TestEnvironment) async throws -> (VendorTeam, Browser, Withdrawal) {
        let team = try await t.vendorTeam()
        try await t.program(team.api)
        _ = try await team.api.post("/api/v1/programs/acme/reward-rules", ["trigger": "signup", "kind": "flat", "amount": 500])
        try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", name: "Pat Lee", store: t.store, clock: t.clock)
        let link = try await t.enrol(team.api, email: "pat@example.com")
        for n in 0..<3 { _ = try await team.api.post("/api/v1/customers", ["program": "acme", "key": "c\(n)", "partner_key": link.key]) }
        let ids = try await Reward.query(on: t.store.db).all().map { try $0.requireID().pathText }
        _ = try await team.admin.post("/vendor/rewards/review", [("action", "approve")] + ids.map { ("reward", $0) })
        let partner = t.browser
        try await partner.logIn("pat@example.com", "correct horse battery")
        _ = try await partner.post("/partner/rewards/payout-method", [("provider", "paypal"), ("paypal_email", "pat@paypal.example"), ("password", "correct horse battery")])
        #expect(try await partner.post("/partner/rewards/withdraw", [("currency", "USD")]).status == .seeOther)
        return (team, partner, try #require(try await Withdrawal.query(on: t.store.db).first()))
    }

    @Test func anAdminMarksAManualWithdrawalPaidWithItsReference() async throws {
        try await TestApp.with { t in
            let (team, partner, withdrawal) = try await setUp(t)
            let id = try withdrawal.requireID().pathText
            let list = try await team.admin.get("/vendor/payouts")
            #expect(list.contains("Pat Lee") && list.contains("$15.00") && list.contains("paypal:pat@paypal.example"))
            #expect(list.contains("/vendor/payouts/\(id)/paid"))
            let tooLong = try await team.admin.post("/vendor/payouts/\(id)/paid", [("reference", String(repeating: "x", count: 201))])
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.contains("The reference must be at most 200 characters"))
            let paid = try await team.admin.post("/vendor/payouts/\(id)/paid", [("reference", "BANK-2026-114")])
            #expect(paid.location == "/vendor/payouts?done=paid")
            let stored = try #require(try await Withdrawal.find(withdrawal.requireID(), on: t.store.db))
            #expect(stored.status == .paid && stored.providerReference == "BANK-2026-114")
            #expect(try await Reward.query(on: t.store.db).all().allSatisfy { $0.status == .paid })
            #expect(try await team.admin.get("/vendor/payouts?status=paid").contains("Reference: BANK-2026-114"))
            // Twice: refused, nothing changes.
            let again = try await team.admin.post("/vendor/payouts/\(id)/paid", [("reference", "again")])
            #expect(again.status == .conflict)
            #expect(again.contains("A paid withdrawal cannot be marked paid."))
            #expect(try await partner.get("/partner/rewards").contains("$15.00"))
        }
    }

    @Test func aFailedWithdrawalShowsWhyAndIsRetried() async throws {
        try await TestApp.with { t in
            let (team, _, withdrawal) = try await setUp(t)
            let id = try withdrawal.requireID()
            try await t.store.db.transaction { db in
                try await WithdrawalLedger.markFailed(id, reason: "PayPal: receiver unregistered", actor: "system", now: t.clock.now, on: db)
            }
            let failed = try await team.admin.get("/vendor/payouts?status=failed")
            #expect(failed.contains("Why it failed: PayPal: receiver unregistered"))
            #expect(failed.contains("/vendor/payouts/\(id.pathText)/retry"))
            #expect(try await team.manager.post("/vendor/payouts/\(id.pathText)/retry", []).status == .forbidden)
            let retried = try await team.admin.post("/vendor/payouts/\(id.pathText)/retry", [])
            #expect(retried.location == "/vendor/payouts?done=retried")
            let all = try await Withdrawal.query(on: t.store.db).sort(\.$requestedAt).sort(\.$id).all()
            #expect(all.count == 2)
            let fresh = try #require(all.first { $0.id != id })
            #expect(fresh.status == .requested && fresh.amount == 1500)
            #expect(try await Reward.query(on: t.store.db).all().allSatisfy { $0.withdrawalID == fresh.id })
            let twice = try await team.admin.post("/vendor/payouts/\(id.pathText)/retry", [])
            #expect(twice.status == .conflict)
            #expect(twice.contains("Nothing is available to withdraw in USD yet."))
        }
    }

    @Test func onlyAnAdminPaysAndEveryRoleSeesTheList() async throws {
        try await TestApp.with { t in
            let (team, _, withdrawal) = try await setUp(t)
            let id = try withdrawal.requireID().pathText
            for role in VendorRole.allCases {
                let page = try await team.browser(role).get("/vendor/payouts")
                #expect(page.status == .ok && page.contains("Pat Lee"), "\(role)")
                #expect(page.contains("/vendor/payouts/\(id)/paid") == (role == .admin), "\(role)")
            }
            #expect(try await team.manager.post("/vendor/payouts/\(id)/paid", [("reference", "x")]).status == .forbidden)
            #expect(try await team.readOnly.post("/vendor/payouts/\(id)/paid", [("reference", "x")]).status == .forbidden)
            #expect(try await Withdrawal.find(withdrawal.requireID(), on: t.store.db)?.status == .requested)
        }
    }

    @Test func anotherCompanysWithdrawalIsNotFound() async throws {
        try await TestApp.with { t in
            let (_, _, withdrawal) = try await setUp(t)
            let id = try withdrawal.requireID().pathText
            let globex = try await t.vendorTeam("Globex")
            #expect(!(try await globex.admin.get("/vendor/payouts").contains("Pat Lee")))
            #expect(try await globex.admin.post("/vendor/payouts/\(id)/paid", [("reference", "x")]).status == .notFound)
            #expect(try await globex.admin.post("/vendor/payouts/\(id)/retry", []).status == .notFound)
            #expect(try await globex.admin.post("/vendor/payouts/not-an-id/paid", []).status == .notFound)
            #expect(try await Withdrawal.find(withdrawal.requireID(), on: t.store.db)?.status == .requested)
        }
    }
}
