import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// Links as pages and the API list them, with their counts.
public enum LinkReads {
    /// The partnership's default link (archived or not: the caller decides what an archived one means).
    public static func defaultLink(partnershipID: UUID, activeOnly: Bool = false, on db: any Database) async throws -> Link? {
        let query = Link.query(on: db).filter(\.$partnership.$id == partnershipID).filter(\.$isDefault == true)
        if activeOnly { query.filter(\.$archivedAt == nil) }
        return try await query.first()
    }

    /// Each partnership's live default link, in one read (Home lists them all).
    public static func defaultLinks(partnershipIDs: [UUID], on db: any Database) async throws -> [UUID: Link] {
        guard !partnershipIDs.isEmpty else { return [:] }
        let links = try await Link.query(on: db).filter(\.$partnership.$id ~~ partnershipIDs).filter(\.$isDefault == true)
            .filter(\.$archivedAt == nil).all()
        return Dictionary(links.map { ($0.$partnership.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The live links of these partnerships, newest first.
    public static func active(partnershipIDs: [UUID], on db: any Database) async throws -> [Link] {
        try await Link.query(on: db).filter(\.$partnership.$id ~~ partnershipIDs).filter(\.$archivedAt == nil)
            .sort(\.$createdAt, .descending).sort(\.$id).all()
    }

    /// A live custom (not default) link of this partnership.
    public static func customLink(id: UUID, partnershipID: UUID, on db: any Database) async throws -> Link? {
        try await Link.query(on: db).filter(\.$id == id).filter(\.$partnership.$id == partnershipID)
            .filter(\.$archivedAt == nil).filter(\.$isDefault == false).first()
    }

    /// A live link if it belongs to one of this partner account's partnerships.
    public static func active(id: UUID, accountID: UUID, on db: any Database) async throws -> Link? {
        guard let link = try await Link.query(on: db).filter(\.$id == id).filter(\.$archivedAt == nil).with(\.$partnership).first(),
              link.partnership.$partnerAccount.id == accountID else { return nil }
        return link
    }

    /// Per link of the partnership: unique clicks, and signups that came through it.
    public static func counts(partnershipID: UUID, on sql: any SQLDatabase) async throws -> (clicks: [UUID: Int64], signups: [UUID: Int64]) {
        struct Count: Decodable { let link_id: UUID; let total: Int64? }
        var clicks: [UUID: Int64] = [:]
        for row in try await sql.raw("""
            SELECT link_id, CAST(SUM(unique_clicks) AS BIGINT) AS total FROM click_daily
            WHERE partnership_id = \(bind: partnershipID) GROUP BY link_id
            """).all(decoding: Count.self) {
            clicks[row.link_id] = row.total ?? 0
        }
        // Counted as each signup is written (`LinkSignups`): a million customers are not joined here.
        var signups: [UUID: Int64] = [:]
        for row in try await sql.raw("SELECT id AS link_id, signups AS total FROM links WHERE partnership_id = \(bind: partnershipID)")
            .all(decoding: Count.self) {
            signups[row.link_id] = row.total ?? 0
        }
        return (clicks, signups)
    }

    /// The partnership's customers that came without a click of its links (by its partner key,
    /// a lead, a coupon code or the vendor), which no link can count: the Links page says how
    /// many. Every signup minus those its links counted, both from counters.
    public static func signupsWithoutLink(partnershipID: UUID, on sql: any SQLDatabase) async throws -> Int64 {
        struct Row: Decodable { let total: Int64? }
        let signups = try await PartnershipDaily.totals(partnershipIDs: [partnershipID], on: sql)[partnershipID]?.signups ?? 0
        let throughLinks = try await sql.raw("""
            SELECT CAST(SUM(signups) AS BIGINT) AS total FROM links WHERE partnership_id = \(bind: partnershipID)
            """).first(decoding: Row.self)?.total ?? 0
        return max(0, signups - throughLinks)
    }
}
