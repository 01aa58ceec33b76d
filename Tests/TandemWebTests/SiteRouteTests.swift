import Foundation
import Hummingbird
import Testing
@testable import TandemWeb

/// Routes are registered from the same cases links are built from; ids are typed.
@Suite struct SiteRouteTests {
    @Test func patternsAndPathsAgree() {
        #expect(SiteRoute.pattern(SiteRoute.partnerProgramLink, "program", "link").description == RouterPath("/partner/programs/:program/links/:link").description)
        #expect(SiteRoute.pattern(SiteRoute.partnerProgramReferrals, "program").description == RouterPath("/partner/programs/:program/referrals").description)
        let id = UUID(uuidString: "6A4E0F2C-5B1D-4C3A-9E8F-0123456789AB")!
        #expect(SiteRoute.partnerProgramLinks(id: id).path == "/partner/programs/6a4e0f2c-5b1d-4c3a-9e8f-0123456789ab/links")
    }

    @Test(arguments: ["/partner/programs/not-a-uuid", "/partner/programs/6a4e0f2c/performance", "/partner/programs/%00/links"])
    func aMalformedIdIsNotFoundBeforeAnyQuery(path: String) async throws {
        try await TestApp.with { t in
            try await TestApp.makePartner(email: "pat@example.com", password: "correct horse battery", store: t.store, clock: t.clock)
            let browser = t.browser
            try await browser.logIn("pat@example.com", "correct horse battery")
            let page = try await browser.get(path)
            #expect(page.status == .notFound || page.status == .badRequest, "\(page.status) \(page.location ?? "")")
        }
    }
}
