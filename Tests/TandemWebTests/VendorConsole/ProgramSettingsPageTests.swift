import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore
import Testing
@testable import TandemWeb

@Suite struct ProgramSettingsPageTests {
    static let newProgram: [(String, String)] = [
        ("name", "Acme Partners"), ("slug", ""), ("description", "Earn 20 %"), ("category", "Analytics"), ("currency", "EUR"),
        ("default_destination", "https://shop.example.com/welcome"), ("allowed_domains", "shop.example.com\nblog.example.com"),
        ("cookie_window_days", "60"), ("hold_days", "14"), ("min_withdrawal", "25.50"), ("marketplace", "on"), ("feature_links", "on"),
        ("feature_leads", "on"),
    ]

    @Test func aManagerCreatesAProgramFromTheFormAndChangesIt() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            let created = try await team.manager.submit("/vendor/programs/new", Self.newProgram)
            #expect(created.location == "/vendor/programs/acme-partners/settings?done=created", "\(created.status) \(created.body.prefix(300))")
            let program = try #require(try await Program.query(on: t.store.db).first())
            #expect(program.currencyCode == "EUR")
            #expect(program.allowedDomains == ["shop.example.com", "blog.example.com"])
            #expect(program.cookieWindowDays == 60 && program.holdDays == 14 && program.minWithdrawal == 2550)
            #expect(program.marketplace && program.featureLinks && program.featureLeads && !program.featureCustomLinks && !program.featureDeals && !program.autoApprove)
            #expect(try await ProgramGroup.query(on: t.store.db).filter(\.$isDefault == true).count() == 1)

            let page = try await team.manager.get("/vendor/programs/acme-partners/settings?done=created")
            #expect(page.contains("Acme Partners was created with a Default group."))
            #expect(page.contains(#"value="25.50""#))
            #expect(page.contains("Save settings"))

            var changed = Self.newProgram.filter { $0.0 != "feature_leads" && $0.0 != "slug" }
            changed.append(("slug", "acme-partners"))
            changed.append(("auto_approve", "on"))
            let saved = try await team.manager.post("/vendor/programs/acme-partners/settings", changed)
            #expect(saved.location == "/vendor/programs/acme-partners/settings?done=saved")
            let updated = try #require(try await Program.query(on: t.store.db).first())
            #expect(updated.autoApprove && !updated.featureLeads)
            // The same program through the API: one workflow behind both.
            let api = try await team.api.get("/api/v1/programs/acme-partners")
            #expect(api["auto_approve"] as? Bool == true)
        }
    }

    @Test func aWrongFormKeepsWhatWasTypedAndStoresNothing() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            var fields = Self.newProgram.filter { $0.0 != "default_destination" && $0.0 != "cookie_window_days" }
            fields += [("default_destination", ""), ("cookie_window_days", "ninety")]
            let missing = try await team.admin.submit("/vendor/programs/new", fields)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.contains("Enter a whole number from 1 to 730."))
            #expect(missing.contains(#"value="Acme Partners""#), "typed values are kept")
            fields = Self.newProgram.filter { $0.0 != "default_destination" } + [("default_destination", "")]
            let noDestination = try await team.admin.post("/vendor/programs/new", fields)
            #expect(noDestination.status == .unprocessableContent)
            #expect(noDestination.contains("`default_destination` is required."))
            fields = Self.newProgram.filter { $0.0 != "default_destination" } + [("default_destination", "https://evil.example.net/")]
            let offDomain = try await team.admin.post("/vendor/programs/new", fields)
            #expect(offDomain.status == .unprocessableContent)
            #expect(try await Program.query(on: t.store.db).count() == 0)
            // A slug in use: the form says so under the slug.
            #expect(try await team.admin.post("/vendor/programs/new", Self.newProgram).status == .seeOther)
            let taken = try await team.admin.post("/vendor/programs/new", Self.newProgram)
            #expect(taken.status == .unprocessableContent)
            #expect(taken.contains("The slug `acme-partners` is taken; choose another."))
        }
    }

    /// Clearing the name on the settings page is a form error, not a save that kept the old name.
    @Test func clearingTheNameIsAFormErrorAndKeepsTheProgram() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            #expect(try await team.manager.post("/vendor/programs/new", Self.newProgram).status == .seeOther)
            let fields = Self.newProgram.filter { $0.0 != "name" && $0.0 != "slug" } + [("name", " "), ("slug", "acme-partners")]
            let cleared = try await team.manager.post("/vendor/programs/acme-partners/settings", fields)
            #expect(cleared.status == .unprocessableContent)
            #expect(cleared.contains("`name` is required."))
            #expect(try await Program.query(on: t.store.db).first()?.name == "Acme Partners")
        }
    }

    @Test func changesThatWouldStrandDataAreRefusedWithASentence() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api, extra: ["features": ["links": true, "custom_links": true, "deals": true]])
            _ = try await team.api.post("/api/v1/programs/acme/reward-rules", ["trigger": "signup", "kind": "flat", "amount": 500])
            _ = try await team.api.post("/api/v1/programs/acme/reward-rules", ["trigger": "deal_won", "kind": "flat", "amount": 500])
            let link = try await t.enrol(team.api, email: "pat@example.com")
            _ = try await team.api.post("/api/v1/customers", ["program": "acme", "key": "c1", "partner_key": link.key])
            let program = try #require(try await Program.query(on: t.store.db).first())
            try await CustomLinks.createForTest(program: program, t: t)

            func settings(_ change: [String: String]) -> [(String, String)] {
                var values = ProgramSettingsPage.values(program)
                values.merge(change) { $1 }
                return values.map { ($0.key, $0.value) }
            }
            let page = try await team.admin.get("/vendor/programs/acme/settings")
            #expect(page.contains("Fixed: the program has rewards in this currency."))
            let currency = try await team.admin.post("/vendor/programs/acme/settings", settings(["currency": "EUR"]))
            #expect(currency.status == .conflict)
            #expect(currency.contains("The program&#39;s currency cannot change once it has rewards: they were earned in USD.") || currency.contains("The program's currency cannot change"))
            let slug = try await team.admin.post("/vendor/programs/acme/settings", settings(["slug": "acme-2"]))
            #expect(slug.status == .conflict)
            #expect(slug.contains("The slug cannot change while partners have custom links"))
            var noDeals = settings([:])
            noDeals.removeAll { $0.0 == "feature_deals" }
            let deals = try await team.admin.post("/vendor/programs/acme/settings", noDeals)
            #expect(deals.status == .conflict)
            #expect(deals.contains("Deals cannot be switched off while a reward rule pays for deal_won"))
            let stored = try #require(try await Program.query(on: t.store.db).first())
            #expect(stored.currencyCode == "USD" && stored.slug == "acme" && stored.featureDeals)
        }
    }

    @Test func rolesAreEnforcedOnTheServer() async throws {
        try await TestApp.with { t in
            let team = try await t.vendorTeam()
            try await t.program(team.api)
            #expect(try await team.readOnly.get("/vendor/programs/new").status == .forbidden)
            #expect(try await team.readOnly.post("/vendor/programs/new", Self.newProgram).status == .forbidden)
            let view = try await team.readOnly.get("/vendor/programs/acme/settings")
            #expect(view.status == .ok)
            #expect(view.contains("Your role is read-only"))
            #expect(!view.contains("Save settings"))
            let change = try await team.readOnly.post("/vendor/programs/acme/settings", [("name", "Renamed"), ("currency", "USD")])
            #expect(change.status == .forbidden)
            #expect(try await Program.query(on: t.store.db).first()?.name == "Acme Partners")
            #expect(try await team.admin.get("/vendor/programs/new").status == .ok)
            #expect(try await team.manager.get("/vendor/programs/new").status == .ok)
            // A partner is not a vendor teammate.
            try await TestApp.makePartner(email: "pat@example.com", store: t.store, clock: t.clock)
            let partner = t.browser
            try await partner.logIn("pat@example.com", "correct horse battery")
            #expect(try await partner.get("/vendor/programs/new").status == .forbidden)
            #expect(try await partner.get("/vendor/programs/acme/settings").status == .forbidden)
        }
    }

    @Test func anotherCompanysProgramIsNotFound() async throws {
        try await TestApp.with { t in
            let acme = try await t.vendorTeam()
            try await t.program(acme.api)
            let globex = try await t.vendorTeam("Globex")
            #expect(try await globex.admin.get("/vendor/programs/acme/settings").status == .notFound)
            let post = try await globex.admin.post("/vendor/programs/acme/settings", [("name", "Mine now"), ("currency", "USD")])
            #expect(post.status == .notFound)
            #expect(try await Program.query(on: t.store.db).first()?.name == "Acme Partners")
            #expect(try await globex.admin.get("/vendor/programs/nope/settings").status == .notFound)
            // The switcher lists only the company's own programs.
            #expect(!(try await globex.admin.get("/vendor").contains("/vendor/programs/acme/settings")))
            #expect(try await acme.admin.get("/vendor").contains("/vendor/programs/acme/settings"))
        }
    }
}

extension CustomLinks {
    /// A partner's custom link in the program's only partnership.
    static func createForTest(program: Program, t: TestEnvironment) async throws {
        let partnership = try #require(try await Partnership.query(on: t.store.db).first())
        _ = try await create(partnership: partnership, program: program, slug: "my-link", destination: "", now: t.clock.now, on: t.store.db)
    }
}
