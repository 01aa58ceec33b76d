import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// Coupon codes a vendor gives a partnership: attribution without a click. A code is unique in
/// its program whatever its case, 3 to 40 letters, digits, dashes and underscores.
public enum CouponCodes {
    public static let maxLength = 40

    /// The code as the vendor wrote it, or why it cannot be one.
    public static func check(_ raw: String?) throws -> String {
        let code = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !code.isEmpty else { throw OperationError.missing(field: "code", message: "Enter the code, e.g. PAT20.") }
        guard (3...maxLength).contains(code.count),
              code.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }) else {
            throw OperationError.invalid(field: "code", message: "A code is 3 to \(maxLength) letters, digits, dashes or underscores.")
        }
        return code
    }

    /// The partnership, when it is of one of the company's programs (its program loaded).
    public static func partnership(_ id: UUID, companyID: UUID, on db: any Database) async throws -> Partnership {
        guard let partnership = try await Partnership.query(on: db).filter(\.$id == id).with(\.$program).first(),
              partnership.program.$company.id == companyID else { throw OperationError.notFound(what: "partnership") }
        return partnership
    }

    /// Gives the partnership (of one of the company's programs) a code.
    public static func assign(partnershipID: UUID, companyID: UUID, code raw: String?, now: Date, on db: any Database) async throws -> CouponCode {
        let partnership = try await partnership(partnershipID, companyID: companyID, on: db)
        let code = try check(raw)
        let programID = partnership.$program.id
        if let existing = try await CouponCodeReads.find(code, programID: programID, on: db) {
            if existing.$partnership.id == partnershipID { return existing }
            throw OperationError.taken(field: "code", message: "\(code) is already another partner's code in this program.")
        }
        let coupon = CouponCode(programID: programID, partnershipID: partnershipID, code: code, createdAt: now)
        do {
            try await coupon.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw OperationError.taken(field: "code", message: "\(code) is already a code in this program.")
        }
        return coupon
    }

    /// The partnership's codes (of one of the company's programs).
    public static func list(partnershipID: UUID, companyID: UUID, on db: any Database) async throws -> [CouponCode] {
        _ = try await partnership(partnershipID, companyID: companyID, on: db)
        return try await CouponCodeReads.of(partnershipIDs: [partnershipID], on: db)[partnershipID] ?? []
    }

    /// Takes a code back: later signups naming it are not attributed by it.
    public static func remove(partnershipID: UUID, codeID: UUID, companyID: UUID, on db: any Database) async throws {
        let codes = try await list(partnershipID: partnershipID, companyID: companyID, on: db)
        guard let code = codes.first(where: { $0.id == codeID }) else { throw OperationError.notFound(what: "coupon code") }
        try await code.delete(on: db)
    }
}
