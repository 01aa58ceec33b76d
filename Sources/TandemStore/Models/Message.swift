import FluentKit
import Foundation

/// One message in a partnership's thread (one thread per partnership), from the partner's
/// side or the vendor's. `read_at` is when the other side first opened the thread after it.
public final class Message: Model, @unchecked Sendable {
    public static let schema = "messages"

    public enum Side: String, Codable, Sendable, CaseIterable {
        case partner, vendor

        public var other: Side { self == .partner ? .vendor : .partner }
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "partnership_id") public var partnership: Partnership
    @Enum(key: "sender_side") public var senderSide: Side
    /// The teammate who wrote it; nil when it came through an API key.
    @OptionalParent(key: "sender_user_id") public var sender: User?
    /// Their name as it was (or the key's label), so the thread reads without a join.
    @Field(key: "sender_name") public var senderName: String
    @Field(key: "body") public var body: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "read_at") public var readAt: Date?

    public init() {}

    public init(partnershipID: UUID, senderSide: Side, senderUserID: UUID?, senderName: String, body: String, createdAt: Date) {
        self.$partnership.id = partnershipID
        self.senderSide = senderSide
        self.$sender.id = senderUserID
        self.senderName = senderName
        self.body = body
        self.createdAt = createdAt
    }
}
