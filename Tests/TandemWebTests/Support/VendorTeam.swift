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
