import Foundation
import Hummingbird

/// Who an API key acts for.
public enum APIPrincipal: Sendable, Equatable {
    case vendor(companyID: UUID)
    case partner(accountID: UUID)

    /// The key space for idempotency keys and rate limits.
    var scope: String {
        switch self {
        case .vendor(let id): "vendor:\(id.uuidString)"
        case .partner(let id): "partner:\(id.uuidString)"
        }
    }
}

extension AppRequestContext {
    func vendorCompanyID() throws -> UUID {
        guard case .vendor(let id)? = principal else {
            throw APIError(status: .forbidden, code: "vendor_key_required", message: "This endpoint needs a vendor key (tdm_sk_…).")
        }
        return id
    }

    func partnerAccountID() throws -> UUID {
        guard case .partner(let id)? = principal else {
            throw APIError(status: .forbidden, code: "partner_key_required", message: "This endpoint needs a partner key (tdm_pk_…).")
        }
        return id
    }
}
