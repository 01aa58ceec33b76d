import FluentKit
import Foundation

/// A tab a vendor adds to a program for the partners of chosen groups (or of every group: `AudienceGroups`): a
/// link that opens in a new tab, or a page written in Markdown.
public final class CustomTab: Model, @unchecked Sendable {
    public static let schema = "custom_tabs"

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case link, page
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "program_id") public var program: Program
    @Field(key: "title") public var title: String
    @Enum(key: "kind") public var kind: Kind
    @OptionalField(key: "url") public var url: String?
    @OptionalField(key: "body") public var body: String?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(programID: UUID, title: String, kind: Kind, url: String?, body: String?, createdAt: Date) {
        self.$program.id = programID
        self.title = title
        self.kind = kind
        self.url = url
        self.body = body
        self.createdAt = createdAt
    }
}
