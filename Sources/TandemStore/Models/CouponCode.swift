import FluentKit
import Foundation

/// A discount code that belongs to one partnership: a signup or payment that names it is that
/// partner's referral (when no click in the cookie window says otherwise).
public final class CouponCode: Model, @unchecked Sendable {
    public static let schema = "coupon_codes"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "program_id") public var program: Program
    @Parent(key: "partnership_id") public var partnership: Partnership
    /// As the vendor wrote it (shown to partners).
    @Field(key: "code") public var code: String
    /// Lower-cased: codes are matched whatever their case.
    @Field(key: "normalized") public var normalized: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(programID: UUID, partnershipID: UUID, code: String, createdAt: Date) {
        self.$program.id = programID
        self.$partnership.id = partnershipID
        self.code = code
        self.normalized = code.lowercased()
        self.createdAt = createdAt
    }
}
