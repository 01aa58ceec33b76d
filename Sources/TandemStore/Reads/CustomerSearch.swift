import SQLKit

/// "This customer's name or email (or key) contains the needle", case-insensitively, as a SQL
/// condition on the `customers` table. The same meaning on both databases, read through the
/// substring index of `M035_CreateCustomerSearch`: on PostgreSQL the pg_trgm indexes serve the
/// `LIKE` itself; on SQLite the trigram table answers needles of three characters or more (a
/// trigram index cannot answer shorter ones, which match so much that the scan stops early)
/// unless the needle is common across the instance (`trigramMatchLimit`).
enum CustomerSearch {
    enum Field: String {
        case name, email, key

        var column: String { self == .key ? "\"key\"" : rawValue }
        /// The column of the SQLite trigram table.
        var indexed: String { self == .key ? "customer_key" : rawValue }
    }

    /// How one search reads: nothing to match, through the trigram table (SQLite, a needle
    /// that few customers of the instance contain), or by the caller's scope with `LIKE`.
    enum Plan {
        case everything, trigram, scan
    }

    /// Beyond this many matches in the whole instance, the trigram table is the slow way.
    ///
    /// Why: the table holds every tenant's customers, so a common needle ("com", "@gm") matched
    /// all of them, each then looked up by id and dropped unless it was the caller's: with
    /// 500,413 customers in another vendor's program, a partner with none searching "com" took
    /// 1.1–1.25 s of server time a request (2026-12-08); now 6–11 ms. Past the limit the search
    /// walks the caller's own customers instead, newest first, which stops at a page of matches
    /// and at worst costs what the caller has: that vendor, with its 500,413, searching a needle
    /// 3,000 of another vendor's customers hold and none of its own took 310–340 ms (the trigram
    /// table would have answered that one in milliseconds, but only its own size bounds it).
    static let trigramMatchLimit = 2_000

    /// The plan for this needle over these fields: on SQLite a needle of three characters or
    /// more asks the trigram table how many customers (up to the limit) it would return.
    static func plan(_ needle: String, in fields: [Field], on sql: any SQLDatabase) async throws -> Plan {
        guard !needle.isEmpty else { return .everything }
        guard sql.dialect.name == "sqlite", needle.unicodeScalars.count >= 3 else { return .scan }
        struct Count: Decodable { let n: Int64 }
        let matches = try await sql.raw("""
            SELECT COUNT(*) AS n FROM (SELECT 1 FROM customer_search WHERE customer_search MATCH \(bind: phrase(needle, in: fields))
            LIMIT \(unsafeRaw: String(trigramMatchLimit)))
            """).first(decoding: Count.self)?.n ?? 0
        return matches < trigramMatchLimit ? .trigram : .scan
    }

    /// The scoping column as the query should name it: with the trigram table answering, SQLite
    /// must look the few matches up by id, not walk every customer of the partnership (or
    /// program) probing each against the matches — `+column` keeps its index out of the plan
    /// (measured on 1,000,000 customers: 1.3 s the other way).
    static func scope(_ column: String, plan: Plan) -> String {
        plan == .trigram ? "+" + column : column
    }

    /// ` AND (…)`, or nothing for an empty needle. `table` is how the query names `customers`.
    static func condition(_ needle: String, in fields: [Field], table: String, plan: Plan) -> SQLQueryString {
        switch plan {
        case .everything:
            return ""
        case .trigram:
            return " AND \(unsafeRaw: table).id IN (SELECT customer_id FROM customer_search WHERE customer_search MATCH \(bind: phrase(needle, in: fields)))"
        case .scan:
            return CompanyReferralReads.matching(needle, columns: fields.map { "\(table).\($0.column)" })
        }
    }

    /// An FTS5 phrase: the needle quoted, its quotes doubled, limited to these columns.
    static func phrase(_ needle: String, in fields: [Field]) -> String {
        "{\(fields.map(\.indexed).joined(separator: " "))} : \"\(needle.replacingOccurrences(of: "\"", with: "\"\""))\""
    }
}
