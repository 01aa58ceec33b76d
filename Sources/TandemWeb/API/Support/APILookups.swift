import Foundation
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
