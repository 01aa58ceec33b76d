import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// API keys of a vendor company or of a partner account: made with a label (the secret is
/// returned once and only its hash is stored) and revoked. The consoles, the API,
/// `tandem vendor key create` and the demo use it.
public enum AccountKeys {
    public static let maxLabel = 100

    /// Who a key acts for.
    public enum Holder: Sendable {
        case company(UUID)
        case partnerAccount(UUID)
    }

    public static func create(for holder: Holder, label raw: String?, now: Date, on db: any Database) async throws -> String {
        let label = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !label.isEmpty, label.count <= maxLabel, !TextRules.hasControlCharacter(label) else {
            throw OperationError.invalid(field: "label", message: "Give the key a label (at most \(maxLabel) characters) to know it by later.")
        }
        switch holder {
        case .company(let id): return try await APIKeyQueries.create(owner: .vendor, companyID: id, label: label, now: now, on: db)
        case .partnerAccount(let id): return try await APIKeyQueries.create(owner: .partner, partnerAccountID: id, label: label, now: now, on: db)
        }
    }

    /// Revokes a live key of the holder; anyone else's key is not found.
    public static func revoke(for holder: Holder, keyID: UUID, now: Date, on db: any Database) async throws {
        let query = APIKey.query(on: db).filter(\.$id == keyID)
        switch holder {
        case .company(let id): query.filter(\.$company.$id == id).filter(\.$owner == .vendor)
        case .partnerAccount(let id): query.filter(\.$partnerAccount.$id == id).filter(\.$owner == .partner)
        }
        guard let key = try await query.first() else { throw OperationError.notFound(what: "API key") }
        guard key.revokedAt == nil else { return }
        key.revokedAt = now
        try await key.save(on: db)
    }
}
