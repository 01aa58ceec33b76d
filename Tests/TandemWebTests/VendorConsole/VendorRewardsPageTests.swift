import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemStore
import Testing
@testable import TandemWeb

@Suite struct VendorRewardsPageTests {
    /// Acme's team, a program paying $5 a signup, and pat with `signups` pending rewards.
    func setUp(_ t: TestEnvironment, signups: Int = 3) async throws -> (VendorTeam, (id: String, key: String, path: String)) {
        let team = try await t.vendorTeam()
        try await t.program(team.api)
        _ = try await team.api.post("/api/v1/programs/acme/reward-rules", ["trigger": "signup", "kind": "flat", "amount": 500])
        try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", name: "Pat Lee", store: t.store, clock: t.clock)
        let link = try await t.enrol(team.api, email: "pat@example.com")
        for n in 0..<signups {
            t.clock.advance(by: 60)
            _ = try await team.api.post("/api/v1/customers", ["program": "acme", "key": "c\(n)", "name": "Customer \(n)", "partner_key": link.key])
        }
        return (team, link)
    }

    func rewards(_ t: TestEnvironment) async throws -> [Reward] {
        try await Reward.query(on: t.store.db).sort(\.$createdAt).all()
    }

    @Test func aManagerApprovesSelectedRewardsAndDeclinesOneWithAReasonThePartnerSees() async throws {
        try await TestApp.with { t in
            let (team, _) = try await setUp(t)
            let list = try await team.manager.get("/vendor/rewards")
            #expect(list.status == .ok)
            #expect(list.contains("Pat Lee") && list.contains("Customer 2") && list.contains("$5.00"))
            #expect(list.contains("Pending: 3"))
            let ids = try await rewards(t).map { try $0.requireID().pathText }
            let approved = try await team.manager.post("/vendor/rewards/review", [("action", "approve"), ("reward", ids[0]), ("reward", ids[1])])
            #expect(approved.location == "/vendor/rewards?done=approve&changed=2")
            #expect(try await team.manager.get(approved.location ?? "").contains("Approved 2 rewards."))
            #expect(try await rewards(t).map(\.status) == [.available, .available, .pending])

            let noReason = try await team.manager.post("/vendor/rewards/review", [("action", "decline"), ("reward", ids[2]), ("reason", "  ")])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.contains("Give a reason to decline: the partner sees it."))
            #expect(try await rewards(t)[2].status == .pending, "nothing changed")
            let declined = try await team.manager.post("/vendor/rewards/review", [("action", "decline"), ("reward", ids[2]), ("reason", "Duplicate signup")])
            #expect(declined.status == .seeOther)
            let stored = try await rewards(t)[2]
            #expect(stored.status == .declined && stored.declineReason == "Duplicate signup")
            let event = try #require(try await MoneyEvent.query(on: t.store.db).filter(\.$subjectID == stored.requireID()).filter(\.$toStatus == "declined").first())
            #expect(event.actor.hasPrefix("user:"), "the ledger names the teammate")

            let partner = t.browser
            try await partner.logIn("pat@example.com", "correct horse battery")
            #expect(try await partner.get("/partner/rewards").contains("Duplicate signup"))
        }
    }

    @Test func rewardsThatCannotChangeAreReportedWithoutStoppingTheOthers() async throws {
        try await TestApp.with { t in
            let (team, _) = try await setUp(t, signups: 2)
            let ids = try await rewards(t).map { try $0.requireID().pathText }
            _ = try await team.admin.post("/vendor/rewards/review", [("action", "decline"), ("reward", ids[0]), ("reason", "Fraud")])
            let mixed = try await team.admin.post("/vendor/rewards/review", [("action", "approve"), ("reward", ids[0]), ("reward", ids[1]), ("reward", "not-an-id")])
            let page = try await team.admin.get(mixed.location ?? "")
            #expect(page.contains("Approved 1 reward. 1 could not change: their status does not allow it"))
            #expect(try await rewards(t).map(\.status) == [.declined, .available])
            // A declined reward has no check box: it cannot be selected again.
            #expect(!page.contains(#"name="reward" value="\#(ids[0])""#))
            #expect(page.contains(#"name="reward" value="\#(ids[1])""#))
        }
    }

    @Test func aManualRewardIsGivenFromTheForm() async throws {
        try await TestApp.with { t in
            let (team, link) = try await setUp(t, signups: 0)
            let page = try await team.admin.get("/vendor/rewards")
            #expect(page.contains("Pat Lee · Acme Partners"))
            let bad = try await team.admin.post("/vendor/rewards/manual", [("partnership", link.id), ("amount", "12.345"), ("description", "Bonus")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.contains("Enter a positive amount such as 25 or 25.00."))
            let noText = try await team.admin.post("/vendor/rewards/manual", [("partnership", link.id), ("amount", "12.50"), ("description", "")])
            #expect(noText.status == .unprocessableContent)
            #expect(noText.contains("is required (the partner sees it)"))
            #expect(try await rewards(t).isEmpty)
            let given = try await team.admin.post("/vendor/rewards/manual", [("partnership", link.id), ("amount", "12.50"), ("description", "Launch bonus")])
            #expect(given.location == "/vendor/rewards?done=manual&changed=1")
            let reward = try #require(try await rewards(t).first)
            #expect(reward.amount == 1250 && reward.kind == .manual && reward.status == .pending && reward.description == "Launch bonus")
        }
    }

    @Test func filtersNarrowTheListAndBadFiltersSaySo() async throws {
        try await TestApp.with { t in
            let (team, link) = try await setUp(t, signups: 2)
            let ids = try await rewards(t).map { try $0.requireID().pathText }
            _ = try await team.admin.post("/vendor/rewards/review", [("action", "hold"), ("reward", ids[0])])
            let held = try await team.admin.get("/vendor/rewards?status=held")
            #expect(held.contains("reward-\(ids[0])") && !held.contains("reward-\(ids[1])"))
            let byPartner = try await team.admin.get("/vendor/rewards?partnership=\(link.id)")
            #expect(byPartner.contains("Partner: <strong>Pat Lee · Acme Partners</strong>"))
            #expect(byPartner.contains("reward-\(ids[1])"))
            let bad = try await team.admin.get("/vendor/rewards?from=yesterday&status=lost")
            #expect(bad.status == .badRequest)
            #expect(bad.contains("“From” must be a date written YYYY-MM-DD."))
            #expect(bad.contains("Status must be one of"))
        }
    }

    @Test func rolesAreEnforcedOnTheServer() async throws {
        try await TestApp.with { t in
            let (team, link) = try await setUp(t, signups: 1)
            let id = try await rewards(t)[0].requireID().pathText
            let view = try await team.readOnly.get("/vendor/rewards")
            #expect(view.status == .ok && view.contains("Customer 0"))
            #expect(!view.contains(#"name="reward""#) && !view.contains("Give a manual reward"))
            #expect(try await team.readOnly.post("/vendor/rewards/review", [("action", "approve"), ("reward", id)]).status == .forbidden)
            #expect(try await team.readOnly.post("/vendor/rewards/manual", [("partnership", link.id), ("amount", "5"), ("description", "x")]).status == .forbidden)
            #expect(try await rewards(t).map(\.status) == [.pending])
            #expect(try await team.manager.post("/vendor/rewards/review", [("action", "hold"), ("reward", id)]).status == .seeOther)
            #expect(try await team.admin.post("/vendor/rewards/review", [("action", "approve"), ("reward", id)]).status == .seeOther)
            #expect(try await rewards(t).map(\.status) == [.available])
        }
    }

    @Test func anotherCompanysRewardsAreNeitherShownNorChanged() async throws {
        try await TestApp.with { t in
            let (_, link) = try await setUp(t, signups: 1)
            let id = try await rewards(t)[0].requireID().pathText
            let globex = try await t.vendorTeam("Globex")
            let list = try await globex.admin.get("/vendor/rewards")
            #expect(!list.contains("Customer 0") && !list.contains(id))
            #expect(!(try await globex.admin.get("/vendor/rewards?partnership=\(link.id)").contains(id)))
            #expect(try await globex.admin.get("/vendor/rewards?program=acme").status == .badRequest)
            let review = try await globex.admin.post("/vendor/rewards/review", [("action", "decline"), ("reward", id), ("reason", "mine")])
            #expect(try await globex.admin.get(review.location ?? "").contains("Declined 0 rewards. 1 could not change: they are not rewards of your programs."))
            let manual = try await globex.admin.post("/vendor/rewards/manual", [("partnership", link.id), ("amount", "5"), ("description", "x")])
            #expect(manual.status == .unprocessableContent)
            #expect(manual.contains("Choose a partner of one of your programs."))
            #expect(try await rewards(t).map(\.status) == [.pending])
        }
    }

    /// A program may have any number of partners: the manual reward's picker lists the first
    /// 200 by name and says so; filtered by a partner (their page links here), it lists that one.
    @Test func theManualRewardsPickerStaysSmallWithManyPartners() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api)
            var last = ""
            for n in 0...VendorRewardsPage.pickerLimit {
                last = try await t.enrol(team.api, email: String(format: "p%03d@example.com", n)).id
            }
            /// The options of the manual reward's partner picker.
            func options(_ html: String) -> Int {
                guard let start = html.range(of: #"<select id="partnership""#), let end = html.range(of: "</select>", range: start.upperBound..<html.endIndex) else { return 0 }
                return html[start.upperBound..<end.lowerBound].components(separatedBy: "<option value=").count - 1
            }
            let page = try await team.admin.get("/vendor/rewards")
            #expect(page.status == .ok)
            #expect(options(page.body) == VendorRewardsPage.pickerLimit)
            #expect(page.contains("The first \(VendorRewardsPage.pickerLimit) partners by name."))
            #expect(!page.contains("p200@example.com"), "the 201st by name is not listed")
            let filtered = try await team.admin.get("/vendor/rewards?partnership=\(last)")
            #expect(options(filtered.body) == 1 && filtered.contains("p200@example.com"))
            #expect(!filtered.contains("The first \(VendorRewardsPage.pickerLimit) partners by name."))
            let given = try await team.admin.post("/vendor/rewards/manual", [("partnership", last), ("amount", "10"), ("description", "Welcome")])
            #expect(given.location == "/vendor/rewards?done=manual&changed=1")
            #expect(try await Reward.query(on: t.store.db).filter(\.$partnership.$id == UUID(uuidString: last)!).count() == 1)
            // Another company's partnership in the filter lists none of theirs.
            let globex = try await t.vendor("Globex")
            try await t.program(globex, slug: "globex")
            let theirs = try await t.enrol(globex, program: "globex", email: "eve@example.com")
            let foreign = try await team.admin.get("/vendor/rewards?partnership=\(theirs.id)")
            #expect(!foreign.contains("eve@example.com"))
        }
    }
}
