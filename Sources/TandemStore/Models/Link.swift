import FluentKit
import Foundation

/// A referral link of a partnership: the default one, or a custom one with a slug.
public final class Link: Model, @unchecked Sendable {
    public static let schema = "links"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "program_id") public var program: Program
    @Parent(key: "partnership_id") public var partnership: Partnership
    /// The `{key}` of `/r/{key}`: unique across the installation, unguessable.
    @Field(key: "key") public var key: String
    /// Custom links only; unique within the program.
    @OptionalField(key: "slug") public var slug: String?
    @Field(key: "destination") public var destination: String
    @Field(key: "is_default") public var isDefault: Bool
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "archived_at") public var archivedAt: Date?

    public init() {}

    public init(programID: UUID, partnershipID: UUID, key: String, slug: String?, destination: String, isDefault: Bool, createdAt: Date) {
        self.$program.id = programID
        self.$partnership.id = partnershipID
        self.key = key
        self.slug = slug
        self.destination = destination
        self.isDefault = isDefault
        self.createdAt = createdAt
    }
}
