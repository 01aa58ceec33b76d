import FluentKit
import Foundation
import TandemDomain
import TandemStore
@testable import TandemWeb

/// A vendor company with a key and one signed-in teammate per role: what the console's
/// role tests need.
struct VendorTeam {
    let api: APIClient
    let companyID: UUID
    let admin: Browser
    let manager: Browser
    let readOnly: Browser

    static let password = "vendor password 1"

    func browser(_ role: VendorRole) -> Browser {
        switch role {
        case .admin: admin
        case .manager: manager
        case .readOnly: readOnly
        }
    }
}

extension TestEnvironment {
    /// "Acme" with admin@acme.example, manager@… and readonly@…, each logged in.
    func vendorTeam(_ company: String = "Acme") async throws -> VendorTeam {
        let domain = Slug.safe(company) + ".example"
        let api = try await vendor(company, email: "admin@\(domain)")
        guard let admin = try await AccountQueries.user(email: "admin@\(domain)", on: store.db),
              let member = try await CompanyMember.query(on: store.db).filter(\.$user.$id == admin.requireID()).first() else {
            throw TestFailure("no admin")
        }
        let companyID = member.$company.id
        let hash = try await PasswordHasher(cost: 4).hash(VendorTeam.password)
        try await AccountQueries.addVendorMember(companyID: companyID, name: "Manager", email: "manager@\(domain)", passwordHash: hash, role: .manager, now: clock.now, on: store.db)
        try await AccountQueries.addVendorMember(companyID: companyID, name: "Reader", email: "readonly@\(domain)", passwordHash: hash, role: .readOnly, now: clock.now, on: store.db)
        var browsers: [Browser] = []
        for who in ["admin", "manager", "readonly"] {
            let browser = self.browser
            let answer = try await browser.logIn("\(who)@\(domain)", VendorTeam.password)
            guard answer.status == .seeOther else { throw TestFailure("login \(who): \(answer.status)") }
            browsers.append(browser)
        }
        return VendorTeam(api: api, companyID: companyID, admin: browsers[0], manager: browsers[1], readOnly: browsers[2])
    }
}

/// The cast most dashboard tests start from: Acme's team with its `acme` program (and a VIP
/// group), and pat@example.com enrolled in it and logged in.
struct ProgramWithPartner {
    let team: VendorTeam
    let partner: Browser
    /// The partnership's id, lower case (as paths write it).
    let partnershipID: String
    let partnerKey: String
    let vipID: String
    /// The partner's pages of the program.
    var base: String { "/partner/programs/\(partnershipID)" }
}

extension TestEnvironment {
    func programWithPartner(email: String = "pat@example.com") async throws -> ProgramWithPartner {
        let team = try await vendorTeam()
        try await program(team.api)
        try await TestApp.makePartner(email: email, store: store, clock: clock)
        let enrolled = try await enrol(team.api, email: email)
        guard let vipID = try await team.api.post("/api/v1/programs/acme/groups", ["name": "VIP"]).string("id") else { throw TestFailure("VIP group") }
        let partner = browser
        _ = try await partner.logIn(email, "correct horse battery")
        return ProgramWithPartner(team: team, partner: partner, partnershipID: enrolled.id.lowercased(), partnerKey: enrolled.key, vipID: vipID)
    }

    /// Every mail the outbox holds for `address`, oldest first.
    func mails(to address: String) async throws -> [OutboxEmail] {
        try await OutboxEmail.query(on: store.db).filter(\.$toAddress == address).sort(\.$createdAt).all()
    }
}
