import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// Who a campaign is due to mail now, and the claim that makes each mail go out once.
///
/// A partner is due when they are active in the program, have not unsubscribed from its
/// campaigns, are in one of the campaign's groups (none named: any group), have no send of
/// the campaign yet, and the trigger holds:
/// - partner joined: they joined after the campaign was turned on;
/// - N days after joining: that moment has come, and came after the campaign was turned on;
/// - inactive N days: joined at least N days ago, and no click and no referred signup in
///   the last N days (whenever that began: it is a state, not an event);
/// - first signup: their first referred customer signed up after the campaign was turned on;
/// - reward earned: a reward (not declined) was earned after the campaign was turned on;
/// - broadcast: they had joined when the vendor sent it.
public enum CampaignAudience {
    public struct Recipient: Decodable, Sendable {
        public let partnership_id: UUID
        public let partner_account_id: UUID
        public let partner_name: String
    }

    /// The partnerships `campaign` is due to mail at `now`, oldest member first, at most `limit`.
    public static func due(_ campaign: Campaign, groupIDs: [UUID], now: Date, limit: Int, on sql: any SQLDatabase) async throws -> [Recipient] {
        guard let condition = trigger(campaign, now: now) else { return [] }
        let campaignID = try campaign.requireID()
        let groups: SQLQueryString = groupIDs.isEmpty ? "" : "AND s.group_id IN (\(binds: groupIDs))"
        return try await sql.raw("""
            SELECT s.id AS partnership_id, s.partner_account_id, a.name AS partner_name
            FROM partnerships s JOIN partner_accounts a ON a.id = s.partner_account_id
            WHERE s.program_id = \(bind: campaign.$program.id) AND s.status = 'active' AND s.joined_at IS NOT NULL
              AND s.campaigns_unsubscribed_at IS NULL \(groups)
              AND NOT EXISTS (SELECT 1 FROM campaign_sends c WHERE c.campaign_id = \(bind: campaignID) AND c.partnership_id = s.id)
              AND \(condition)
            ORDER BY s.joined_at, s.id
            LIMIT \(bind: limit)
            """).all(decoding: Recipient.self)
    }

    /// How many partners a broadcast would reach if sent now (the vendor's confirmation says it).
    public static func broadcastReach(programID: UUID, groupIDs: [UUID], on sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { let n: Int64 }
        let groups: SQLQueryString = groupIDs.isEmpty ? "" : "AND s.group_id IN (\(binds: groupIDs))"
        return Int(try await sql.raw("""
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM partnerships s
            WHERE s.program_id = \(bind: programID) AND s.status = 'active' AND s.joined_at IS NOT NULL
              AND s.campaigns_unsubscribed_at IS NULL \(groups)
            """).first(decoding: Row.self)?.n ?? 0)
    }

    static func trigger(_ campaign: Campaign, now: Date) -> SQLQueryString? {
        let day: TimeInterval = 86_400
        switch (campaign.trigger, campaign.status) {
        case (.broadcast, .sent):
            guard let sentAt = campaign.sentAt else { return nil }
            return "s.joined_at <= \(bind: sentAt)"
        case (.broadcast, _), (_, .draft), (_, .paused), (_, .sent):
            return nil
        case (let trigger, .active):
            guard let since = campaign.activatedAt else { return nil }
            let days = TimeInterval(max(campaign.days ?? 0, 0)) * day
            switch trigger {
            case .partnerJoined:
                return "s.joined_at >= \(bind: since) AND s.joined_at <= \(bind: now)"
            case .daysAfterJoining:
                return "s.joined_at <= \(bind: now.addingTimeInterval(-days)) AND s.joined_at >= \(bind: since.addingTimeInterval(-days))"
            case .inactive:
                let cutoff = ClickDay.string(now.addingTimeInterval(-days))
                return """
                    s.joined_at <= \(bind: now.addingTimeInterval(-days))
                    AND NOT EXISTS (SELECT 1 FROM click_daily k WHERE k.partnership_id = s.id AND k.day >= \(bind: cutoff) AND k.clicks > 0)
                    AND NOT EXISTS (SELECT 1 FROM partnership_daily d WHERE d.partnership_id = s.id AND d.day >= \(bind: cutoff) AND d.signups > 0)
                    """
            case .firstSignup:
                return """
                    EXISTS (SELECT 1 FROM customers u WHERE u.partnership_id = s.id AND u.signed_up_at >= \(bind: since) AND u.signed_up_at <= \(bind: now))
                    AND NOT EXISTS (SELECT 1 FROM customers u WHERE u.partnership_id = s.id AND u.signed_up_at < \(bind: since))
                    """
            case .rewardEarned:
                return "EXISTS (SELECT 1 FROM rewards r WHERE r.partnership_id = s.id AND r.created_at >= \(bind: since) AND r.status <> 'declined')"
            case .broadcast:
                return nil
            }
        }
    }

    /// Claims the (campaign, partnership) pair: true for exactly one caller, ever — two nodes
    /// or a retry after a crash meet the unique index and get false.
    public static func claim(campaignID: UUID, partnershipID: UUID, unsubscribeHash: String, now: Date, on db: any Database) async throws -> UUID? {
        struct Row: Decodable { let id: UUID }
        let id = db.identifiers.uuid()
        let rows = try await (db as! any SQLDatabase).insert(into: CampaignSend.schema)
            .columns("id", "campaign_id", "partnership_id", "unsubscribe_hash", "created_at")
            .values(SQLBind(id), SQLBind(campaignID), SQLBind(partnershipID), SQLBind(unsubscribeHash), SQLBind(now))
            .ignoringConflicts(with: ["campaign_id", "partnership_id"])
            .returning("id").all(decoding: Row.self)
        return rows.first?.id
    }

    /// The partner account's oldest owner: who a campaign mail goes to.
    public static func ownerEmail(partnerAccountID: UUID, on db: any Database) async throws -> String? {
        try await PartnerMember.query(on: db).filter(\.$account.$id == partnerAccountID).filter(\.$role == .owner)
            .with(\.$user).sort(\.$createdAt).first()?.user.email
    }
}
