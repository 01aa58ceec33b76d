import FluentKit
import Foundation

/// Coupon codes as the console, the partner's pages, the API and attribution read them.
public enum CouponCodeReads {
    /// The code in the program, whatever its case.
    public static func find(_ code: String, programID: UUID, on db: any Database) async throws -> CouponCode? {
        try await CouponCode.query(on: db).filter(\.$program.$id == programID).filter(\.$normalized == code.lowercased()).first()
    }

    /// Each partnership's codes, oldest first.
    public static func of(partnershipIDs: [UUID], on db: any Database) async throws -> [UUID: [CouponCode]] {
        guard !partnershipIDs.isEmpty else { return [:] }
        let codes = try await CouponCode.query(on: db).filter(\.$partnership.$id ~~ partnershipIDs).sort(\.$createdAt).sort(\.$code).all()
        return Dictionary(grouping: codes, by: \.$partnership.id)
    }
}
