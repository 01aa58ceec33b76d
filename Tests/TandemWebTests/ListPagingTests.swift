import Foundation
import FluentKit
import TandemStore
import Testing
@testable import TandemWeb

/// The API lists that page in SQL (rewards of a company and of a partner, a partner's
/// customers, a company's partnerships): walked two at a time, every item comes once, newest first, with ties (the test
/// clock stands still) broken by id; a cursor from another tenant's list is a 404.
@Suite struct ListPagingTests {
    /// The ids of every page of `path`, two at a time.
    func walk(_ client: APIClient, _ path: String) async throws -> [String] {
        var ids: [String] = []
        var after: String?
        for _ in 0..<20 {
            let separator = path.contains("?") ? "&" : "?"
            let answer = try await client.get(path + separator + "limit=2" + (after.map { "&starting_after=\($0)" } ?? ""))
            try #require(answer.status == .ok, "\(path): \(answer.status)")
            let page = answer.data.compactMap { $0["id"] as? String }
            #expect(page.count <= 2)
            ids += page
            guard answer["has_more"] as? Bool == true else { return ids }
            after = page.last
        }
        Issue.record("\(path) did not end")
        return ids
    }

    @Test func rewardsCustomersAndPartnershipsPageInOrderAndStayInTheirTenant() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            try await t.program(vendor, slug: "acme-two")
            let pat = try await t.enrol(vendor, email: "pat@example.com")
            let patTwo = try await t.enrol(vendor, program: "acme-two", email: "pat@example.com")
            // Six of each, alternating between the partner's two partnerships (so both the vendor's
            // and the partner's lists merge two parts), two at each time: ties across the parts.
            var rewards: [(at: Int, id: String)] = [], customers: [(at: Int, id: String)] = []
            for n in 0..<6 {
                if n > 0 && n % 2 == 0 { t.clock.advance(by: 60) }
                let (partnership, program) = n % 2 == 0 ? (pat, "acme") : (patTwo, "acme-two")
                let reward = try await vendor.post("/api/v1/rewards", ["partnership": partnership.id, "amount": 100 + n, "description": "Bonus \(n)"])
                try #require(reward.status == .created, "\(reward.text)")
                rewards.append((n / 2, try #require(reward.string("id")).lowercased()))
                let customer = try await vendor.post("/api/v1/customers", ["program": program, "key": "cus_\(n)", "partner_key": partnership.key])
                try #require(customer.status == .created)
                customers.append((n / 2, try #require(customer.string("id")).lowercased()))
            }
            func newestFirst(_ items: [(at: Int, id: String)]) -> [String] {
                items.sorted { $0.at != $1.at ? $0.at > $1.at : $0.id < $1.id }.map(\.id)
            }
            let lowered: ([String]) -> [String] = { $0.map { $0.lowercased() } }
            let partner = try await t.partnerKey(email: "pat@example.com")
            #expect(lowered(try await walk(vendor, "/api/v1/rewards")) == newestFirst(rewards))
            #expect(lowered(try await walk(partner, "/api/v1/partner/rewards")) == newestFirst(rewards))
            #expect(lowered(try await walk(partner, "/api/v1/partner/customers")) == newestFirst(customers))
            let onlyTwo = rewards.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            #expect(lowered(try await walk(vendor, "/api/v1/rewards?partnership=\(patTwo.id)")) == newestFirst(onlyTwo), "a filter pages too")
            #expect(lowered(try await walk(partner, "/api/v1/partner/rewards?program=acme-two")) == newestFirst(onlyTwo))
            // Partnerships: two per program, the later pair made after the clock moved.
            t.clock.advance(by: 60)
            let lee = try await t.enrol(vendor, email: "lee@example.com"), leeTwo = try await t.enrol(vendor, program: "acme-two", email: "lee@example.com")
            let partnerships = [(0, pat.id), (0, patTwo.id), (1, lee.id), (1, leeTwo.id)].map { (at: $0.0, id: $0.1.lowercased()) }
            #expect(lowered(try await walk(vendor, "/api/v1/partnerships")) == newestFirst(partnerships))
            #expect(lowered(try await walk(vendor, "/api/v1/partnerships?program=acme")) == newestFirst([partnerships[0], partnerships[2]]))

            // Another tenant's cursor, or an id that is no item of the list, is a 404 naming the field.
            let other = try await t.vendor("Globex")
            try await t.program(other, slug: "globex")
            let eve = try await t.enrol(other, program: "globex", email: "eve@example.com")
            let theirs = try await other.post("/api/v1/rewards", ["partnership": eve.id, "amount": 100, "description": "Theirs"])
            let theirID = try #require(theirs.string("id"))
            let lists = [(vendor, "/api/v1/rewards", theirID), (partner, "/api/v1/partner/rewards", theirID),
                         (partner, "/api/v1/partner/customers", theirID), (vendor, "/api/v1/partnerships", eve.id)]
            for (client, path, id) in lists {
                let foreign = try await client.get(path + "?starting_after=\(id)")
                #expect(foreign.status == .notFound && foreign.errorField == "starting_after", "\(path)")
            }
            #expect(try await walk(other, "/api/v1/rewards").map { $0.lowercased() } == [theirID.lowercased()])
            #expect(try await walk(other, "/api/v1/partnerships").map { $0.lowercased() } == [eve.id.lowercased()])
        }
    }

    @Test func withdrawalsPageInOrderForTheVendorAndThePartner() async throws {
        try await TestApp.with { t in
            let (acme, link, partner) = try await t.payingProgram()
            var made: [(at: Int, id: String)] = []
            for n in 0..<4 {
                if n == 2 { t.clock.advance(by: 60) }
                _ = try await acme.post("/api/v1/customers", ["program": "acme", "key": "c\(n)", "partner_key": link.key])
                for reward in try await Reward.query(on: t.store.db).filter(\.$status == .pending).all() {
                    _ = try await acme.post("/api/v1/rewards/\(try reward.requireID())/approve", [String: Any]())
                }
                let withdrawal = try await partner.post("/api/v1/partner/withdrawals", ["currency": "USD"])
                let id = try #require(withdrawal.string("id"))
                try #require(try await acme.post("/api/v1/withdrawals/\(id)/mark-paid", ["reference": "BANK-\(n)"]).status == .ok)
                made.append((n / 2, id.lowercased()))
            }
            let newestFirst = made.sorted { $0.at != $1.at ? $0.at > $1.at : $0.id < $1.id }.map(\.id)
            #expect(try await walk(acme, "/api/v1/withdrawals").map { $0.lowercased() } == newestFirst)
            #expect(try await walk(partner, "/api/v1/partner/withdrawals").map { $0.lowercased() } == newestFirst)
            #expect(try await walk(acme, "/api/v1/withdrawals?status=paid").count == 4)
            let globex = try await t.vendor("Globex")
            let foreign = try await globex.get("/api/v1/withdrawals?starting_after=\(made[0].id)")
            #expect(foreign.status == .notFound && foreign.errorField == "starting_after")
            #expect(try await globex.get("/api/v1/withdrawals").data.isEmpty)
        }
    }
}
