import FluentKit
import Foundation
import SnapshotTesting
import TandemJobs
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// The whole HTML of the pages added for the rest of the partner dashboard, on both sides,
/// from one fixed story: a program with a VIP group, a shared file and link, a Markdown tab,
/// a conversation, and a welcome campaign that mailed one partner. Ids, keys and tokens come
/// from the test store's counter, so the pages match byte for byte with nothing scrubbed.
/// Accept a deliberate change by deleting the stale file under `__Snapshots__`.
@Suite(.snapshots(record: .missing)) struct VendorPageSnapshotTests {
    static let start = Date(timeIntervalSince1970: 1_795_003_200)  // 2026-11-18 08:00 UTC

    struct Story {
        let vendor: Browser
        let partner: Browser
        let program: String
        let paths: [String: String]
    }

    static func story(_ t: TestEnvironment) async throws -> Story {
        func step() { t.clock.advance(by: 60) }
        let team = try await t.vendorTeam()
        try await t.program(team.api)
        let vip = try await team.api.post("/api/v1/programs/acme/groups", ["name": "VIP"])
        guard let vipID = vip.string("id") else { throw TestFailure("group") }
        let admin = team.admin
        step()
        let welcome = try await admin.submit("/vendor/programs/acme/campaigns", [
            ("name", "Welcome"), ("trigger", "partner_joined"), ("days", ""), ("subject", "Welcome to Acme"),
            ("body", "## Hello\n\nYour link is in the dashboard. <b>Thanks</b>"), ("intent", "save"),
        ])
        guard let campaign = welcome.location?.split(separator: "?").first.map(String.init) else { throw TestFailure("campaign: \(welcome.status)") }
        _ = try await admin.post(campaign + "/status", [("action", "activate")])
        step()
        _ = try await admin.submit("/vendor/programs/acme/campaigns", [
            ("name", "VIP news"), ("trigger", "broadcast"), ("days", ""), ("groups", vipID), ("subject", "News"), ("body", "News."), ("intent", "save"),
        ])
        step()
        try await TestApp.makePartner(email: "pat@example.com", store: t.store, clock: t.clock)
        let link = try await t.enrol(team.api, email: "pat@example.com")
        step()
        try await CampaignService(store: t.store, baseURL: "http://tandem.test", now: t.clock.function).runOnce()
        step()
        _ = try await admin.submit("/vendor/programs/acme/tabs", [("title", "Brand guide"), ("kind", "page"), ("group", ""), ("body", "## Colours\n\nUse **blue**.")])
        step()
        let resources = "/vendor/programs/acme/resources"
        _ = try await admin.upload(resources, to: resources, [("title", "Logo kit"), ("url", "https://acme.example/kit"), ("group", "")], file: nil)
        step()
        _ = try await admin.upload(resources, to: resources, [("title", "Price list"), ("group", "")],
                                   file: (field: "file", name: "prices.pdf", type: "application/pdf", data: Data("%PDF-1.4 test".utf8)))
        let partner = t.browser
        _ = try await partner.logIn("pat@example.com", "correct horse battery")
        let program = "/partner/programs/\(link.id.lowercased())"
        step()
        _ = try await partner.submit(program + "/messages", [("body", "Hello <b>team</b>, is there a brand kit?")])
        step()
        _ = try await admin.submit("/vendor/messages/\(link.id.lowercased())", [("body", "Yes: see the Resources tab.")])
        guard let tab = try await CustomTab.query(on: t.store.db).first()?.requireID() else { throw TestFailure("tab") }
        guard let welcome = try await t.mails(to: "pat@example.com").first(where: { $0.subject == "Welcome to Acme" }),
              let unsubscribe = welcome.textBody.split(separator: " ").last.map({ String($0.dropFirst("http://tandem.test".count)) }) else {
            throw TestFailure("campaign mail")
        }
        step()
        _ = try await admin.submit("/vendor/settings/webhooks", [("url", "https://crm.acme.example/tandem"), ("description", "CRM"),
                                                                 ("events", "reward.created"), ("events", "partnership.created")])
        guard let endpoint = try await WebhookEndpoint.query(on: t.store.db).first()?.requireID() else { throw TestFailure("endpoint") }
        _ = try await admin.post("/vendor/settings/webhooks/\(endpoint.pathText)/test", [])
        step()
        let receiver = RecordingTransport()
        receiver.answer(500)
        _ = try await WebhookService(store: t.store, transport: receiver, now: t.clock.function).runOnce()
        _ = try await partner.submit("/partner/settings/postbacks", [("url", "https://pat.example/postback"), ("events", "reward.created")])
        return Story(vendor: admin, partner: partner, program: program, paths: [
            "campaign": campaign, "thread": "/vendor/messages/\(link.id.lowercased())", "tab": program + "/tabs/\(tab.pathText)",
            "unsubscribe": unsubscribe, "webhook": "/vendor/settings/webhooks/\(endpoint.pathText)",
        ])
    }

    @Test(arguments: [
        ("vendor-campaigns", "/vendor/programs/acme/campaigns"),
        ("vendor-campaign", "campaign"),
        ("vendor-resources", "/vendor/programs/acme/resources"),
        ("vendor-partner-tabs", "/vendor/programs/acme/tabs"),
        ("vendor-messages", "/vendor/messages"),
        ("vendor-thread", "thread"),
        ("partner-resources", "partner:/resources"),
        ("partner-tab", "tab"),
        ("partner-settings-keys", "partner:/partner/settings/api-keys"),
        ("unsubscribe", "unsubscribe"),
        ("vendor-webhooks", "/vendor/settings/webhooks"),
        ("vendor-webhook", "webhook"),
        ("partner-postbacks", "partner:/partner/settings/postbacks"),
    ])
    func page(name: String, path: String) async throws {
        try await TestApp.with(clock: TestClock(Self.start)) { t in
            let story = try await Self.story(t)
            let page: Browser.Page
            if path.hasPrefix("partner:") {
                let rest = String(path.dropFirst("partner:".count))
                page = try await story.partner.get(rest.hasPrefix("/partner") ? rest : story.program + rest)
            } else if path == "tab" {
                page = try await story.partner.get(story.paths["tab"]!)
            } else if path == "unsubscribe" {
                page = try await t.browser.get(story.paths["unsubscribe"]!)
            } else {
                page = try await story.vendor.get(story.paths[path] ?? path)
            }
            #expect(page.status == .ok)
            assertSnapshot(of: page.body, as: .lines, named: name)
        }
    }
}
