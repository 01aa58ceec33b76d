import Foundation

/// A partnership as the vendor's API answers it.
public struct PartnershipObject: Encodable, Sendable {
    public let id: UUID
    public var object = "partnership"
    public let program: String
    public let partnerName: String
    public let status: String
    public let group: UUID
    public let partnerKey: String
    /// The tracked link, while the partnership is active.
    @NullEncoded public var defaultLink: String?
    public let createdAt: Date
}

// From the stored row; the memberwise initializer builds examples.
extension PartnershipObject {
    /// `linkKey`: the default link's key; `baseURL`: where `/r/{key}` is served.
    public init(_ partnership: Partnership, programSlug: String, partnerName: String, linkKey: String?, baseURL: String) throws {
        id = try partnership.requireID()
        program = programSlug
        self.partnerName = partnerName
        status = partnership.status.rawValue
        group = partnership.$group.id
        partnerKey = partnership.partnerKey
        defaultLink = partnership.status == .active ? linkKey.map { baseURL + "/r/" + $0 } : nil
        createdAt = partnership.createdAt
    }
}
