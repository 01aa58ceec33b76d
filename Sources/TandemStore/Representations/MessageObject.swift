import Foundation

/// A message of a partnership's thread, as the API answers it.
public struct MessageObject: Encodable, Sendable {
    public let id: UUID
    public var object = "message"
    public let partnership: UUID
    /// `partner` or `vendor`.
    public let sender: String
    public let senderName: String
    public let body: String
    @NullEncoded public var readAt: Date?
    public let createdAt: Date
}

// From the stored row; the memberwise initializer builds examples.
extension MessageObject {
    public init(_ message: Message) throws {
        id = try message.requireID()
        partnership = message.$partnership.id
        sender = message.senderSide.rawValue
        senderName = message.senderName
        body = message.body
        readAt = message.readAt
        createdAt = message.createdAt
    }
}
