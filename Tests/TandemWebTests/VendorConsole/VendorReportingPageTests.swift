import Foundation
import Hummingbird
import TandemDomain
import TandemStore
import Testing
@testable import TandemWeb

@Suite struct VendorReportingPageTests {
    /// Acme pays $5 a signup; Pat (default group) refers one customer who pays $120, Sam
    /// (the "Influencers" group) two who pay $30 each.
    func setUp(_ t: TestEnvironment) async throws -> (team: VendorTeam, influencers: String) {
        let team = try await t.vendorTeam()
        try await t.program(team.api)
        _ = try await team.api.post("/api/v1/programs/acme/reward-rules", ["trigger": "signup", "kind": "flat", "amount": 500])
        let group = try await team.api.post("/api/v1/programs/acme/groups", ["name": "Influencers"])
        let influencers = try #require(group.string("id"))
        let pat = try await team.api.post("/api/v1/partnerships", ["program": "acme", "email": "pat@example.com", "name": "Pat Lee"])
        let sam = try await team.api.post("/api/v1/partnerships", ["program": "acme", "email": "sam@example.com", "name": "Sam Ray", "group": influencers])
        let patKey = try #require(pat.string("partner_key")), samKey = try #require(sam.string("partner_key"))
        for (key, partner, amount) in [("c1", patKey, 12000), ("c2", samKey, 3000), ("c3", samKey, 3000)] {
            _ = try await team.api.post("/api/v1/customers", ["program": "acme", "key": key, "partner_key": partner])
            _ = try await team.api.post("/api/v1/transactions", ["program": "acme", "customer_key": key, "external_id": "t-\(key)", "amount": amount, "currency": "USD"])
        }
        return (team, influencers)
    }

    @Test func theReportSumsTheProgramAndBreaksItDownByPartnerAndGroup() async throws {
        try await TestApp.with { t in
            let (team, influencers) = try await setUp(t)
            let page = try await team.readOnly.get("/vendor/reporting?by=partner")
            #expect(page.status == .ok)
            #expect(page.contains(#"<div class="stat__label">Signups</div><div class="stat__value">3</div>"#))
            #expect(page.contains("$180.00"), "net sales of all three")
            #expect(page.contains("$15.00"), "three $5 rewards")
            #expect(page.contains(#"aria-current="page">Reporting</a>"#) || page.contains(#"class="is-active""#))
            // The breakdown: Pat first ($120), then Sam ($60), each narrowing the report on a click.
            let pat = try #require(page.body.range(of: "Pat Lee")), sam = try #require(page.body.range(of: "Sam Ray"))
            #expect(pat.lowerBound < sam.lowerBound)
            #expect(page.contains("$60.00") && page.contains("$120.00"))

            let byGroup = try await team.readOnly.get("/vendor/reporting?program=acme&by=group")
            #expect(byGroup.contains("Influencers") && byGroup.contains("$60.00"))
            let onlyInfluencers = try await team.readOnly.get("/vendor/reporting?program=acme&group=\(influencers)&by=partner")
            #expect(onlyInfluencers.contains("Sam Ray") && !onlyInfluencers.contains("Pat Lee"))
            #expect(onlyInfluencers.contains(#"<div class="stat__label">Signups</div><div class="stat__value">2</div>"#))
        }
    }

    @Test func bothTablesExportAsCSV() async throws {
        try await TestApp.with { t in
            let (team, _) = try await setUp(t)
            let lines = try await team.manager.get("/vendor/reporting/export?by=partner&table=breakdown")
            #expect(lines.status == .ok)
            #expect(lines.headers[.contentType]?.hasPrefix("text/csv") == true)
            let rows = lines.body.split(separator: "\r\n").map(String.init)
            #expect(rows.first == "partner,partner_id,program,currency,signups,paid_customers,payments,sales_gross,sales_net,rewards")
            #expect(rows.contains { $0.hasPrefix("Pat Lee,") && $0.hasSuffix(",USD,1,1,1,120.00,120.00,5.00") })
            #expect(rows.contains { $0.hasPrefix("Sam Ray,") && $0.hasSuffix(",USD,2,2,2,60.00,60.00,10.00") })
            let periods = try await team.manager.get("/vendor/reporting/export?table=periods")
            #expect(periods.body.hasPrefix("period,period_start,clicks,signups,paid_customers,payments,sales_gross_USD,sales_net_USD,rewards_USD,rewards_paid_USD,rewards_pending_USD"))
            #expect(periods.body.contains(",0,3,3,3,180.00,180.00,15.00,0.00,15.00"))
        }
    }

    @Test func badFiltersAreExplainedAndAnotherCompanysPartnersAndProgramsAreRefused() async throws {
        try await TestApp.with { t in
            let (acme, _) = try await setUp(t)
            let bad = try await acme.admin.get("/vendor/reporting?from=2026-13-01&by=colour")
            #expect(bad.status == .badRequest)
            #expect(bad.contains("“From” must be a date written YYYY-MM-DD.") && bad.contains("Break down by program, group or partner."))
            let pat = try #require(try await CompanyReportReads.breakdown(
                .init(programIDs: try await ProgramReads.ofCompany(acme.companyID, on: t.store.db).compactMap(\.id)),
                by: .partner, fromDay: "0000", toDay: "9999", on: t.store.sql).first { $0.label == "Pat Lee" })

            let globex = try await t.vendorTeam("Globex")
            try await t.program(globex.api, slug: "globex")
            let theirs = try await globex.admin.get("/vendor/reporting?partner=\(pat.id.pathText)")
            #expect(theirs.status == .badRequest && theirs.contains("That partner is not a partner of the company."))
            #expect(!theirs.contains("Pat Lee"))
            let program = try await globex.admin.get("/vendor/reporting?program=acme")
            #expect(program.status == .badRequest && !program.contains("$180.00"))
            let csv = try await globex.admin.get("/vendor/reporting/export?by=partner&table=breakdown")
            #expect(!csv.contains("Pat Lee"), "another company's CSV holds none of Acme's partners")
            let own = try await globex.readOnly.get("/vendor/reporting?by=partner")
            #expect(own.status == .ok && own.contains("Nothing happened in this range.") && !own.contains("$180.00"))
            #expect(try await t.browser.get("/vendor/reporting").status == .seeOther, "signed out: to the login page")
        }
    }

    /// The overview and breakdown sum rollups in SQL: a total past what a 64-bit amount holds
    /// (only amounts beyond every limit could add up to it) refuses the request as a 409, as the
    /// sums made in Swift do, on both databases, and the next request works.
    @Test func aTotalPastTheLargestAmountIsA409NotA500() async throws {
        try await TestApp.with { t in
            let (team, _) = try await setUp(t)
            let today = ClickDay.string(t.clock.now)
            let huge = Int64.max / 2 + 1
            // Two days of one partnership that sum past Int64.max.
            try await t.store.sql.raw("""
                UPDATE partnership_daily SET gross = \(bind: huge) WHERE day = \(bind: today)
                """).run()
            let rows = try await t.store.sql.raw("SELECT COUNT(*) AS n FROM partnership_daily WHERE gross = \(bind: huge)").first(decoding: Count.self)?.n ?? 0
            try #require(rows >= 2, "at least two rollup rows to overflow")
            for path in ["/vendor/reporting", "/vendor/reporting/export?table=periods", "/vendor/reporting/export?by=program&table=breakdown", "/vendor"] {
                let answer = try await team.manager.get(path)
                #expect(answer.status == .conflict, "\(path): \(answer.status)")
            }
            try await t.store.sql.raw("UPDATE partnership_daily SET gross = 0 WHERE gross = \(bind: huge)").run()
            #expect(try await team.manager.get("/vendor/reporting").status == .ok)
        }
    }

    struct Count: Decodable { let n: Int64 }
}
