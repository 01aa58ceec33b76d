import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemStore
import Testing
@testable import TandemWeb

@Suite struct ProgramRulesAndGroupsPageTests {
    static func rule(_ extra: [(String, String)] = []) -> [(String, String)] {
        var fields: [(String, String)] = [("group", ""), ("trigger", "transaction"), ("kind", "percent"), ("amount", ""), ("percent", "20"),
                                          ("duration", "months"), ("months", "12"), ("min_transaction", ""), ("description", "")]
        for (name, value) in extra { fields.removeAll { $0.0 == name }; fields.append((name, value)) }
        return fields
    }

    @Test func aManagerCreatesEditsAndArchivesARuleAndRewardsKeepTheirVersion() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api)
            let link = try await t.enrol(team.api, email: "pat@example.com")
            let created = try await team.manager.submit("/vendor/programs/acme/rewards", Self.rule())
            #expect(created.location == "/vendor/programs/acme/rewards?done=created")
            let page = try await team.manager.get("/vendor/programs/acme/rewards")
            #expect(page.contains("20% of every payment for 12 months"))
            _ = try await team.api.post("/api/v1/customers", ["program": "acme", "key": "c1", "partner_key": link.key])
            _ = try await team.api.post("/api/v1/transactions", ["program": "acme", "customer_key": "c1", "external_id": "t1", "amount": 10000, "currency": "USD"])
            let first = try #require(try await RewardRuleRecord.query(on: t.store.db).first())
            let firstID = try first.requireID()

            let edited = try await team.manager.post("/vendor/programs/acme/rewards/\(firstID.pathText)", Self.rule([("percent", "25")]))
            #expect(edited.location == "/vendor/programs/acme/rewards?done=saved")
            let rules = try await RewardRuleRecord.query(on: t.store.db).sort(\.$createdAt).sort(\.$id).all()
            #expect(rules.count == 2 && rules[0].archivedAt != nil && rules[1].archivedAt == nil && rules[1].versionOf == firstID)
            _ = try await team.api.post("/api/v1/transactions", ["program": "acme", "customer_key": "c1", "external_id": "t2", "amount": 10000, "currency": "USD"])
            let rewards = try await Reward.query(on: t.store.db).sort(\.$createdAt).sort(\.$id).all()
            #expect(rewards.map(\.amount) == [2000, 2500], "the old payment keeps 20 %, the new one earns 25 %")
            #expect(rewards[0].$rule.id == firstID)
            // Editing the replaced version is refused.
            let stale = try await team.manager.post("/vendor/programs/acme/rewards/\(firstID.pathText)", Self.rule([("percent", "30")]))
            #expect(stale.status == .conflict)
            let archived = try await team.manager.post("/vendor/programs/acme/rewards/\(try rules[1].requireID().pathText)/archive", [])
            #expect(archived.location == "/vendor/programs/acme/rewards?done=archived")
            _ = try await team.api.post("/api/v1/transactions", ["program": "acme", "customer_key": "c1", "external_id": "t3", "amount": 10000, "currency": "USD"])
            #expect(try await Reward.query(on: t.store.db).count() == 2, "an archived rule pays nothing new")
        }
    }

    @Test func aQualifiedLeadIsNotPaidTwiceAcrossVersions() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api, extra: ["features": ["links": true, "custom_links": true, "leads": true]])
            let link = try await t.enrol(team.api, email: "pat@example.com")
            _ = try await team.admin.submit("/vendor/programs/acme/rewards", Self.rule([("trigger", "lead_qualified"), ("kind", "flat"), ("amount", "25")]))
            let lead = try await team.api.post("/api/v1/leads", ["program": "acme", "partner_key": link.key, "name": "Lee", "email": "lee@example.com"])
            let leadID = try #require(lead.string("id"))
            _ = try await team.api.patch("/api/v1/leads/\(leadID)", ["status": "qualified"])
            let rule = try #require(try await RewardRuleRecord.query(on: t.store.db).first())
            _ = try await team.admin.post("/vendor/programs/acme/rewards/\(try rule.requireID().pathText)", Self.rule([("trigger", "lead_qualified"), ("kind", "flat"), ("amount", "30")]))
            _ = try await team.api.patch("/api/v1/leads/\(leadID)", ["status": "new"])
            _ = try await team.api.patch("/api/v1/leads/\(leadID)", ["status": "qualified"])
            #expect(try await Reward.query(on: t.store.db).all().map(\.amount) == [2500])
        }
    }

    @Test func aWrongRuleIsRefusedUnderItsField() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api)
            let noAmount = try await team.admin.submit("/vendor/programs/acme/rewards", Self.rule([("kind", "flat"), ("amount", "")]))
            #expect(noAmount.status == .unprocessableContent && noAmount.contains("Enter a positive amount such as 50 or 12.50."))
            let leads = try await team.admin.post("/vendor/programs/acme/rewards", Self.rule([("trigger", "lead_qualified"), ("kind", "flat"), ("amount", "5")]))
            #expect(leads.status == .unprocessableContent && leads.contains("Leads are switched off in this program"))
            let months = try await team.admin.post("/vendor/programs/acme/rewards", Self.rule([("months", "500")]))
            #expect(months.contains("Enter a number of months from 1 to 120."))
            let percent = try await team.admin.post("/vendor/programs/acme/rewards", Self.rule([("percent", "150")]))
            #expect(percent.contains("`percent` must be more than 0 and at most 100."))
            #expect(try await RewardRuleRecord.query(on: t.store.db).count() == 0)
        }
    }

    @Test func groupsAreCreatedRenamedAndMadeDefault() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api)
            #expect(try await team.manager.submit("/vendor/programs/acme/groups", [("name", "VIP")]).location == "/vendor/programs/acme/groups?done=created")
            #expect(try await team.manager.post("/vendor/programs/acme/groups", [("name", " ")]).status == .unprocessableContent)
            let vip = try #require(try await ProgramGroup.query(on: t.store.db).filter(\.$name == "VIP").first())
            let saved = try await team.manager.post("/vendor/programs/acme/groups/\(try vip.requireID().pathText)", [("name", "VIP partners"), ("default", "on")])
            #expect(saved.location == "/vendor/programs/acme/groups?done=saved")
            let groups = try await ProgramGroup.query(on: t.store.db).all()
            #expect(groups.filter(\.isDefault).map(\.name) == ["VIP partners"])
            let link = try await t.enrol(team.api, email: "pat@example.com")
            #expect(try await Partnership.query(on: t.store.db).first()?.$group.id == vip.id, "new partners join the default group \(link.id)")
            #expect(try await team.manager.get("/vendor/programs/acme/groups").contains("VIP partners"))
        }
    }

    @Test func anEmptyGroupIsArchivedWithItsRulesButNotTheDefaultOrABusyOne() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api)
            let spare = try #require(try await team.api.post("/api/v1/programs/acme/groups", ["name": "Spare"]).string("id"))
            _ = try await team.api.post("/api/v1/programs/acme/reward-rules", ["group": spare, "trigger": "signup", "kind": "flat", "amount": 100])
            let standard = try #require(try await ProgramGroup.query(on: t.store.db).filter(\.$isDefault == true).first()).requireID().pathText
            let page = try await team.manager.get("/vendor/programs/acme/groups")
            #expect(page.contains("/vendor/programs/acme/groups/\(spare)/archive"))
            #expect(!page.contains("/vendor/programs/acme/groups/\(standard)/archive"), "the default group offers no archive")
            #expect(try await team.readOnly.post("/vendor/programs/acme/groups/\(spare)/archive", []).status == .forbidden)
            let refused = try await team.manager.post("/vendor/programs/acme/groups/\(standard)/archive", [])
            #expect(refused.status == .conflict && refused.contains("make another group the default first"))
            let globex = try await t.vendorTeam("Globex")
            try await t.program(globex.api, slug: "globex")
            #expect(try await globex.admin.post("/vendor/programs/globex/groups/\(spare)/archive", []).status == .notFound)
            #expect(try await globex.admin.post("/vendor/programs/acme/groups/\(spare)/archive", []).status == .notFound)

            let archived = try await team.manager.post("/vendor/programs/acme/groups/\(spare)/archive", [])
            #expect(archived.location == "/vendor/programs/acme/groups?done=archived")
            #expect(!(try await team.manager.get("/vendor/programs/acme/groups").contains("Spare")))
            #expect(try await RewardRuleRecord.query(on: t.store.db).filter(\.$archivedAt == nil).count() == 0)
            let when = try await ProgramGroup.find(UUID(uuidString: spare), on: t.store.db)?.archivedAt
            t.clock.advance(by: 60)
            #expect(try await team.manager.post("/vendor/programs/acme/groups/\(spare)/archive", []).status == .seeOther, "a second archive changes nothing")
            #expect(try await ProgramGroup.find(UUID(uuidString: spare), on: t.store.db)?.archivedAt == when, "archived once")
        }
    }

    @Test func rolesAndTenantsAreEnforced() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api)
            _ = try await team.admin.submit("/vendor/programs/acme/rewards", Self.rule())
            let rule = try #require(try await RewardRuleRecord.query(on: t.store.db).first()).requireID().pathText
            let group = try #require(try await ProgramGroup.query(on: t.store.db).first()).requireID().pathText
            let view = try await team.readOnly.get("/vendor/programs/acme/rewards")
            #expect(view.status == .ok && view.contains("20% of every payment") && !view.contains("Create rule"))
            #expect(try await team.readOnly.post("/vendor/programs/acme/rewards", Self.rule()).status == .forbidden)
            #expect(try await team.readOnly.post("/vendor/programs/acme/rewards/\(rule)/archive", []).status == .forbidden)
            #expect(try await team.readOnly.post("/vendor/programs/acme/groups", [("name", "X")]).status == .forbidden)
            #expect(try await team.readOnly.post("/vendor/programs/acme/groups/\(group)", [("name", "X")]).status == .forbidden)
            let globex = try await t.vendorTeam("Globex")
            #expect(try await globex.admin.get("/vendor/programs/acme/rewards").status == .notFound)
            #expect(try await globex.admin.get("/vendor/programs/acme/groups").status == .notFound)
            #expect(try await globex.admin.post("/vendor/programs/acme/rewards/\(rule)/archive", []).status == .notFound)
            #expect(try await globex.admin.post("/vendor/programs/acme/groups/\(group)", [("name", "Mine")]).status == .notFound)
            // Globex's own program cannot reach Acme's rule or group by id either.
            try await t.program(globex.api, slug: "globex")
            #expect(try await globex.admin.post("/vendor/programs/globex/rewards/\(rule)/archive", []).status == .notFound)
            #expect(try await globex.admin.post("/vendor/programs/globex/groups/\(group)", [("name", "Mine")]).status == .notFound)
            #expect(try await RewardRuleRecord.query(on: t.store.db).filter(\.$archivedAt == nil).count() == 1)
            #expect(try await ProgramGroup.query(on: t.store.db).filter(\.$name == "Mine").count() == 0)
        }
    }
}
