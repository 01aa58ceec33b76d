import Foundation
import Hummingbird
import TandemStore

/// Finding records for an API caller: always through its own company or account,
/// and "not yours" is the same 404 as "does not exist".
enum APILookups {
    static func program(slug: String?, companyID: UUID, on store: Store, field: String = "program") async throws -> Program {
        guard let slug, !slug.isEmpty else {
            throw APIError(status: .badRequest, code: "missing_field", message: "`\(field)` (the program's slug) is required.", field: field)
        }
        guard let program = try await ProgramReads.find(slug: slug, companyID: companyID, on: store.db) else {
            throw APIError.notFound("program")
        }
        return program
    }

    static func partnership(key: String, program: Program, on store: Store) async throws -> Partnership? {
        try await PartnershipReads.find(partnerKey: key, programID: program.requireID(), on: store.db)
    }
}

extension String {
    /// nil for nil, empty or blank text.
    var nonBlank: String? {
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension Optional where Wrapped == String {
    var nonBlank: String? { self?.nonBlank }
}

extension APILookups {
    /// A list's scope and page from its query: `program` (a slug of the company's, else 404),
    /// `partnership`, `limit` and `starting_after`.
    static func listPage(_ request: Request, companyID: UUID, on store: Store) async throws -> CompanyListReads.Page {
        let paging = try PageRequest(request)
        var programIDs: [UUID]
        if let slug = try QueryFilters.program.read(request) {
            programIDs = [try await program(slug: slug, companyID: companyID, on: store).requireID()]
        } else {
            programIDs = try await ProgramReads.ofCompany(companyID, on: store.db).compactMap(\.id)
        }
        let partnership = try QueryFilters.partnership.read(request)
        return CompanyListReads.Page(programIDs: programIDs, partnershipID: partnership, after: paging.startingAfter, limit: paging.limit)
    }

    /// The page `limit` and `starting_after` ask for, read by `read` (a keyset-paged read of
    /// the store), with a cursor from elsewhere answered as the list's 404.
    static func page<Row>(_ request: Request, _ read: (_ after: UUID?, _ limit: Int) async throws -> (rows: [Row], hasMore: Bool)) async throws -> ListPage<Row> {
        let paging = try PageRequest(request)
        let (rows, hasMore) = try await listed { try await read(paging.startingAfter, paging.limit) }
        return ListPage(data: rows, hasMore: hasMore)
    }

    /// Runs a keyset-paged read, turning a cursor from elsewhere into the list's 404.
    static func listed<Row>(_ read: () async throws -> (rows: [Row], hasMore: Bool)) async throws -> (rows: [Row], hasMore: Bool) {
        do {
            return try await read()
        } catch is CompanyListReads.UnknownCursor {
            throw APIError(status: .notFound, code: "not_found", message: "`starting_after` is not an id in this list.", field: "starting_after")
        }
    }
}
