import FluentKit
import Foundation
import TandemDomain

/// A partner account's membership of one program.
public final class Partnership: Model, @unchecked Sendable {
    public static let schema = "partnerships"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "program_id") public var program: Program
    @Parent(key: "partner_account_id") public var partnerAccount: PartnerAccount
    @Parent(key: "group_id") public var group: ProgramGroup
    @Enum(key: "status") public var status: PartnershipStatus
    /// Unguessable; identifies the partner to the vendor's systems and in the default link.
    @Field(key: "partner_key") public var partnerKey: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(programID: UUID, partnerAccountID: UUID, groupID: UUID, status: PartnershipStatus, partnerKey: String, createdAt: Date) {
        self.$program.id = programID
        self.$partnerAccount.id = partnerAccountID
        self.$group.id = groupID
        self.status = status
        self.partnerKey = partnerKey
        self.createdAt = createdAt
    }
}
