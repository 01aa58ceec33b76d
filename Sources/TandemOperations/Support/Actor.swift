import Foundation

/// Who changed something, as the money ledger records it (`money_events.actor`).
public enum Actor: Sendable, Equatable {
    /// Through a vendor company's API key or its teammates.
    case vendor(companyID: UUID)
    /// Through a partner account's API key.
    case partner(accountID: UUID)
    /// A person signed in on the pages.
    case user(UUID)
    /// Tandem itself: a job, the hold-period release, the demo.
    case system(String)

    public var recorded: String {
        switch self {
        case .vendor(let id): "vendor:\(id.uuidString)"
        case .partner(let id): "partner:\(id.uuidString)"
        case .user(let id): "user:\(id.uuidString)"
        case .system(let name): name
        }
    }
}
