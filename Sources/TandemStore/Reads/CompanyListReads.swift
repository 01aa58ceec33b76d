import Foundation
import SQLKit
import TandemDomain

/// The API's lists of what a company's partners brought — leads, deals, customers,
/// transactions — newest first, paged by keyset in SQL (`starting_after` an id of the
/// previous page), so a list of a million customers reads one page, not the table.
public enum CompanyListReads {
    public struct Page: Sendable {
        public var programIDs: [UUID]
        public var partnershipID: UUID?
        /// The last id of the previous page.
        public var after: UUID?
        public var limit: Int

        public init(programIDs: [UUID], partnershipID: UUID? = nil, after: UUID? = nil, limit: Int) {
            self.programIDs = programIDs
            self.partnershipID = partnershipID
            self.after = after
            self.limit = limit
        }
    }

    /// `after` is not an id of this list (or not the company's).
    public struct UnknownCursor: Error {}

    public struct LeadItem: Decodable, Sendable {
        public let id: UUID
        public let program: String
        public let partnership_id: UUID
        public let email: String
        public let name: String
        public let company: String?
        public let status: Lead.Status
        public let created_at: Date
        public let updated_at: Date
    }

    public struct DealItem: Decodable, Sendable {
        public let id: UUID
        public let program: String
        public let partnership_id: UUID
        public let name: String
        public let amount: Int64
        public let currency: String
        public let stage: Deal.Stage
        public let created_at: Date
        public let updated_at: Date
    }

    public struct CustomerItem: Decodable, Sendable {
        public let id: UUID
        public let program: String
        public let key: String
        public let email: String?
        public let name: String?
        public let partnership_id: UUID?
        public let click_id: String?
        public let attribution_note: String?
        public let signed_up_at: Date
        public let created_at: Date
    }

    public struct TransactionItem: Decodable, Sendable {
        public let id: UUID
        public let program: String
        public let customer_key: String
        public let partnership_id: UUID?
        public let external_id: String
        public let amount: Int64
        public let currency: String
        public let refunded_amount: Int64
        public let description: String?
        public let occurred_at: Date
        public let created_at: Date
    }

    public static func leads(_ page: Page, status: Lead.Status?, on sql: any SQLDatabase) async throws -> (rows: [LeadItem], hasMore: Bool) {
        try await list(page, table: "leads", order: "created_at",
                       select: "t.id, g.slug AS program, t.partnership_id, t.email, t.name, t.company, t.status, t.created_at, t.updated_at",
                       condition: status.map { "t.status = \(bind: $0.rawValue)" }, on: sql)
    }

    public static func deals(_ page: Page, stage: Deal.Stage?, on sql: any SQLDatabase) async throws -> (rows: [DealItem], hasMore: Bool) {
        try await list(page, table: "deals", order: "created_at",
                       select: "t.id, g.slug AS program, t.partnership_id, t.name, t.amount, t.currency, t.stage, t.created_at, t.updated_at",
                       condition: stage.map { "t.stage = \(bind: $0.rawValue)" }, on: sql)
    }

    /// By signup, newest first (the index on program and signup serves it).
    public static func customers(_ page: Page, on sql: any SQLDatabase) async throws -> (rows: [CustomerItem], hasMore: Bool) {
        try await list(page, table: "customers", order: "signed_up_at",
                       select: #"t.id, g.slug AS program, t."key", t.email, t.name, t.partnership_id, t.click_id, t.attribution_note, t.signed_up_at, t.created_at"#,
                       condition: nil, on: sql)
    }

    /// By when the payment happened, newest first; `customerKey` narrows to one customer.
    public static func transactions(_ page: Page, customerKey: String?, on sql: any SQLDatabase) async throws -> (rows: [TransactionItem], hasMore: Bool) {
        try await list(page, table: "transactions", order: "occurred_at",
                       select: """
                           t.id, g.slug AS program, c."key" AS customer_key, t.partnership_id, t.external_id, t.amount, t.currency, \
                           t.refunded_amount, t.description, t.occurred_at, t.created_at
                           """,
                       joins: "JOIN customers c ON c.id = t.customer_id",
                       condition: customerKey.map { #"c."key" = \#(bind: $0)"# }, on: sql)
    }

    struct Cursor: Decodable { let at: Date }

    static func list<Row: Decodable>(
        _ page: Page, table: String, order: String, select: String, joins: String = "", condition extra: SQLQueryString?, on sql: any SQLDatabase
    ) async throws -> (rows: [Row], hasMore: Bool) {
        guard !page.programIDs.isEmpty else {
            if page.after != nil { throw UnknownCursor() }
            return ([], false)
        }
        let ids: [any Encodable & Sendable] = page.programIDs
        var condition: SQLQueryString = "t.program_id IN (\(binds: ids))"
        if let partnership = page.partnershipID { condition += " AND t.partnership_id = \(bind: partnership)" }
        if let extra { condition += " AND " + extra }
        if let after = page.after {
            guard let cursor = try await sql.raw("""
                SELECT \(unsafeRaw: order) AS at FROM \(unsafeRaw: table) WHERE id = \(bind: after) AND program_id IN (\(binds: ids))
                """).first(decoding: Cursor.self) else { throw UnknownCursor() }
            condition += " AND (t.\(unsafeRaw: order) < \(bind: cursor.at) OR (t.\(unsafeRaw: order) = \(bind: cursor.at) AND t.id > \(bind: after)))"
        }
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: select) FROM \(unsafeRaw: table) t JOIN programs g ON g.id = t.program_id \(unsafeRaw: joins)
            WHERE \(condition) ORDER BY t.\(unsafeRaw: order) DESC, t.id LIMIT \(literal: page.limit + 1)
            """).all(decoding: Row.self)
        return (Array(rows.prefix(page.limit)), rows.count > page.limit)
    }
}
