import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// What a partner referred: customers (searchable, paged), leads and deals.
public enum ReferralReads {
    public struct CustomerPage: Sendable {
        /// Customers matching the search, over every page.
        public let total: Int64
        public let pageNumber: Int
        public let pages: Int
        public let customers: [Customer]
        /// Net revenue per customer on this page who has paid.
        public let revenue: [UUID: Int64]
    }

    /// One page of a partnership's customers, newest first, optionally matching `search`
    /// in name or email. A page past the end shows the last one.
    public static func customers(
        partnershipID: UUID, search: String, page requested: Int, pageSize: Int, on db: any Database
    ) async throws -> CustomerPage {
        let sql = db as! any SQLDatabase
        struct CountRow: Decodable { let total: Int64 }
        struct IDRow: Decodable { let id: UUID }
        struct Revenue: Decodable { let customer_id: UUID; let total: Int64? }
        let plan = try await CustomerSearch.plan(search, in: [.name, .email], on: sql)
        let filter = SQLQueryString("\(unsafeRaw: CustomerSearch.scope("partnership_id", plan: plan)) = \(bind: partnershipID)")
            + CustomerSearch.condition(search, in: [.name, .email], table: "customers", plan: plan)
        // Unsearched, the count is the rollup's (a partnership may have a million customers to count).
        let total = search.isEmpty
            ? try await PartnershipDaily.totals(partnershipIDs: [partnershipID], on: sql)[partnershipID]?.signups ?? 0
            : try await sql.raw("SELECT CAST(COUNT(*) AS BIGINT) AS total FROM customers WHERE \(filter)").first(decoding: CountRow.self)?.total ?? 0
        let pages = max(1, Int((total + Int64(pageSize) - 1) / Int64(pageSize)))
        let pageNumber = min(max(1, requested), pages)
        let offset = (pageNumber - 1) * pageSize
        let ids = try await sql.raw("""
            SELECT id FROM customers WHERE \(filter) ORDER BY signed_up_at DESC, id LIMIT \(unsafeRaw: String(pageSize)) OFFSET \(unsafeRaw: String(offset))
            """).all(decoding: IDRow.self).map(\.id)
        let found = ids.isEmpty ? [] : try await Customer.query(on: db).filter(\.$id ~~ ids).all()
        let byID = Dictionary(found.compactMap { c in c.id.map { ($0, c) } }, uniquingKeysWith: { a, _ in a })
        var revenue: [UUID: Int64] = [:]
        if !ids.isEmpty {
            let list = SQLGroupExpression(ids.map { SQLBind($0) as any SQLExpression })
            // The ids come from this partnership's customers, so they scope the query; naming the
            // partnership too would steer SQLite to scan all of its payments instead of these.
            for row in try await sql.raw("""
                SELECT customer_id, CAST(SUM(amount - refunded_amount) AS BIGINT) AS total FROM transactions
                WHERE customer_id IN \(list) GROUP BY customer_id
                """).all(decoding: Revenue.self) {
                revenue[row.customer_id] = row.total ?? 0
            }
        }
        return CustomerPage(total: total, pageNumber: pageNumber, pages: pages, customers: ids.compactMap { byID[$0] }, revenue: revenue)
    }

    /// `!`-escaped for `LIKE … ESCAPE '!'`, the same on SQLite and PostgreSQL.
    public static func likePattern(_ needle: String) -> String {
        var out = "%"
        for character in needle.lowercased() {
            if character == "!" || character == "%" || character == "_" { out.append("!") }
            out.append(character)
        }
        return out + "%"
    }

    /// Customers of these partnerships, newest first (the partner API pages through them).
    public static func customers(partnershipIDs: [UUID], after: UUID?, limit: Int, on db: any Database) async throws -> (rows: [Customer], hasMore: Bool) {
        try await KeysetPaging.page(
            partnershipIDs.map { Customer.query(on: db).filter(\.$partnership.$id == $0) }, order: \.$signedUpAt, after: after, limit: limit
        )
    }

    public static func leads(partnershipID: UUID, limit: Int, on db: any Database) async throws -> [Lead] {
        try await Lead.query(on: db).filter(\.$partnership.$id == partnershipID).sort(\.$createdAt, .descending).sort(\.$id).range(..<limit).all()
    }

    /// The partnership's latest deals, newest first: at most `limit`, as for leads (a partner
    /// registers deals at will, so the tab would otherwise grow without end).
    public static func deals(partnershipID: UUID, limit: Int, on db: any Database) async throws -> [Deal] {
        try await Deal.query(on: db).filter(\.$partnership.$id == partnershipID).sort(\.$createdAt, .descending).sort(\.$id).range(..<limit).all()
    }
}
