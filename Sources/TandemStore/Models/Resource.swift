import FluentKit
import Foundation

/// Something a vendor gives a program's partners (of chosen groups, or of every group: `AudienceGroups`): a file
/// kept in the database (`resource_files`, read only when downloaded) or a link.
public final class Resource: Model, @unchecked Sendable {
    public static let schema = "resources"

    public enum Kind: String, Codable, Sendable {
        case file, link
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "program_id") public var program: Program
    @Field(key: "title") public var title: String
    @Field(key: "description") public var description: String
    @Enum(key: "kind") public var kind: Kind
    @OptionalField(key: "url") public var url: String?
    @OptionalField(key: "file_name") public var fileName: String?
    @OptionalField(key: "content_type") public var contentType: String?
    @Field(key: "size_bytes") public var sizeBytes: Int64
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(programID: UUID, title: String, description: String, kind: Kind, url: String?, fileName: String?,
                contentType: String?, sizeBytes: Int64, createdAt: Date) {
        self.$program.id = programID
        self.title = title
        self.description = description
        self.kind = kind
        self.url = url
        self.fileName = fileName
        self.contentType = contentType
        self.sizeBytes = sizeBytes
        self.createdAt = createdAt
    }
}

/// A resource's bytes, apart from its row so lists never load them.
public final class ResourceFile: Model, @unchecked Sendable {
    public static let schema = "resource_files"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "resource_id") public var resource: Resource
    @Field(key: "data") public var data: Data

    public init() {}

    public init(resourceID: UUID, data: Data) {
        self.$resource.id = resourceID
        self.data = data
    }
}
