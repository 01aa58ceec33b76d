import FluentKit
import Foundation
import SQLKit
import TandemStore

/// Sends what campaigns are due: for each live campaign, each partner its trigger now reaches
/// gets one mail. The claim (a unique row per campaign and partner) and the mail are one
/// transaction, so a crash leaves neither, and a second node or a rerun finds the claim and
/// sends nothing: at most once per (campaign, partner), even across restarts and nodes.
public enum CampaignDelivery {
    /// Partners handled per query; a pass loops until a campaign has nobody left due.
    public static let batch = 200

    /// One pass over every live campaign. Returns how many mails it queued.
    @discardableResult
    public static func runOnce(baseURL: String, now: Date, on db: any Database) async throws -> Int {
        let live = try await Campaign.query(on: db).group(.or) { $0.filter(\.$status == .active).filter(\.$status == .sent) }
            .with(\.$program).sort(\.$createdAt).all()
        let groups = try await CampaignReads.groups(campaignIDs: live.compactMap(\.id), on: db)
        var queued = 0
        for campaign in live {
            while true {
                let due = try await CampaignAudience.due(campaign, groupIDs: groups[try campaign.requireID()] ?? [], now: now, limit: batch, on: db as! any SQLDatabase)
                for recipient in due where try await send(campaign, to: recipient, baseURL: baseURL, now: now, on: db) { queued += 1 }
                if due.count < batch { break }
            }
        }
        return queued
    }

    /// Claims and mails one partner; false when someone else claimed them first.
    static func send(_ campaign: Campaign, to recipient: CampaignAudience.Recipient, baseURL: String, now: Date, on db: any Database) async throws -> Bool {
        try await db.transaction { db in
            let token = db.identifiers.token(32)
            guard let sendID = try await CampaignAudience.claim(
                campaignID: try campaign.requireID(), partnershipID: recipient.partnership_id, unsubscribeHash: SecureToken.hash(token), now: now, on: db
            ) else { return false }
            // No owner to write to: the claim stands (counted as failed), nobody is mailed.
            guard let address = try await CampaignAudience.ownerEmail(partnerAccountID: recipient.partner_account_id, on: db) else { return true }
            let email = try await Outbox.send(to: address, subject: campaign.subject, body: mailBody(campaign, unsubscribe: "\(baseURL)/unsubscribe/\(token)"), now: now, on: db)
            try await (db as! any SQLDatabase).update(CampaignSend.schema).set("email_id", to: SQLBind(try email.requireID())).where("id", .equal, sendID).run()
            return true
        }
    }

    /// The mail is the Markdown as written (Markdown reads as plain text), and a way out.
    static func mailBody(_ campaign: Campaign, unsubscribe: String) -> String {
        """
        \(campaign.body)

        --
        You get this as a partner of \(campaign.program.name). To stop these emails: \(unsubscribe)
        """
    }
}
