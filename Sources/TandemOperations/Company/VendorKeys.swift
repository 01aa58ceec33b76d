import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// A vendor company's API keys: made with a label (the secret is returned once and only its
/// hash is stored) and revoked. The console, `tandem vendor key create` and the demo use it.
public enum VendorKeys {
    public static let maxLabel = 100

    public static func create(companyID: UUID, label raw: String?, now: Date, on db: any Database) async throws -> String {
        let label = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !label.isEmpty, label.count <= maxLabel, !TextRules.hasControlCharacter(label) else {
            throw OperationError.invalid(field: "label", message: "Give the key a label (at most \(maxLabel) characters) to know it by later.")
        }
        return try await APIKeyQueries.create(owner: .vendor, companyID: companyID, label: label, now: now, on: db)
    }

    /// Revokes a live key of the company; another company's key is not found.
    public static func revoke(companyID: UUID, keyID: UUID, now: Date, on db: any Database) async throws {
        guard let key = try await APIKey.query(on: db).filter(\.$id == keyID).filter(\.$company.$id == companyID).first() else {
            throw OperationError.notFound(what: "API key")
        }
        guard key.revokedAt == nil else { return }
        key.revokedAt = now
        try await key.save(on: db)
    }
}
