import FluentKit
import Foundation
import TandemStore

/// Finding records for an API caller: always through its own company or account,
/// and "not yours" is the same 404 as "does not exist".
enum APILookups {
    static func program(slug: String?, companyID: UUID, on db: any Database, field: String = "program") async throws -> Program {
        guard let slug, !slug.isEmpty else {
            throw APIError(status: .badRequest, code: "missing_field", message: "`\(field)` (the program's slug) is required.", field: field)
        }
        guard let program = try await Program.query(on: db).filter(\.$slug == slug).filter(\.$company.$id == companyID).first() else {
            throw APIError.notFound("program")
        }
        return program
    }

    static func partnership(key: String, program: Program, on db: any Database) async throws -> Partnership? {
        try await Partnership.query(on: db).filter(\.$partnerKey == key).filter(\.$program.$id == program.requireID()).first()
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
