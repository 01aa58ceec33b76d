import FluentKit
import Foundation
import SQLKit

/// Reads of a program's campaigns: the list, one campaign, their groups and their counts.
public enum CampaignReads {
    public static func of(programID: UUID, on db: any Database) async throws -> [Campaign] {
        try await Campaign.query(on: db).filter(\.$program.$id == programID).sort(\.$createdAt, .descending).sort(\.$id).all()
    }

    /// One of the program's campaigns; another program's is not found.
    public static func find(_ id: UUID, programID: UUID, on db: any Database) async throws -> Campaign? {
        try await Campaign.query(on: db).filter(\.$id == id).filter(\.$program.$id == programID).first()
    }

    /// The groups each campaign reaches (absent or empty: every group).
    public static func groups(campaignIDs: [UUID], on db: any Database) async throws -> [UUID: [UUID]] {
        guard !campaignIDs.isEmpty else { return [:] }
        let rows = try await CampaignGroup.query(on: db).filter(\.$campaign.$id ~~ campaignIDs).all()
        return Dictionary(grouping: rows, by: { $0.$campaign.id }).mapValues { $0.map { $0.$group.id } }
    }

    public struct Counts: Decodable, Sendable, Equatable {
        /// Mails delivered (or, without SMTP, kept in the outbox for /dev/mail).
        public var sent: Int64 = 0
        /// Failed for good, or no address to send to (an account without an owner).
        public var failed: Int64 = 0
        /// Claimed and queued, not yet delivered (or being retried).
        public var waiting: Int64 = 0

        public init(sent: Int64 = 0, failed: Int64 = 0, waiting: Int64 = 0) {
            self.sent = sent
            self.failed = failed
            self.waiting = waiting
        }
    }

    /// Sent, failed and waiting mails per campaign, from the outbox's own state.
    public static func counts(campaignIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: Counts] {
        guard !campaignIDs.isEmpty else { return [:] }
        struct Row: Decodable {
            let campaign_id: UUID
            let sent: Int64
            let failed: Int64
            let waiting: Int64
        }
        let rows = try await sql.raw("""
            SELECT c.campaign_id,
              CAST(SUM(CASE WHEN e.status IN ('sent', 'kept') THEN 1 ELSE 0 END) AS BIGINT) AS sent,
              CAST(SUM(CASE WHEN e.status = 'failed' OR c.email_id IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS failed,
              CAST(SUM(CASE WHEN e.status = 'queued' THEN 1 ELSE 0 END) AS BIGINT) AS waiting
            FROM campaign_sends c LEFT JOIN outbox_emails e ON e.id = c.email_id
            WHERE c.campaign_id IN (\(binds: campaignIDs))
            GROUP BY c.campaign_id
            """).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.campaign_id, Counts(sent: $0.sent, failed: $0.failed, waiting: $0.waiting)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Whether a campaign has claimed any partner yet (then it can no longer be deleted).
    public static func hasSends(campaignID: UUID, on db: any Database) async throws -> Bool {
        try await CampaignSend.query(on: db).filter(\.$campaign.$id == campaignID).first() != nil
    }

    /// Which of the partnerships stopped their program's campaigns.
    public static func unsubscribed(partnershipIDs: [UUID], on sql: any SQLDatabase) async throws -> Set<UUID> {
        guard !partnershipIDs.isEmpty else { return [] }
        struct Row: Decodable { let id: UUID }
        return Set(try await sql.raw("""
            SELECT id FROM partnerships WHERE id IN (\(binds: partnershipIDs)) AND campaigns_unsubscribed_at IS NOT NULL
            """).all(decoding: Row.self).map(\.id))
    }
}
