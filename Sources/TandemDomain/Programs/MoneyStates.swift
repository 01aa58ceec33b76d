/// How a reward's or a withdrawal's state is shown to people. Every page, the CSV exports
/// and the activity feed ask these, so one reward is never "In withdrawal" on one screen
/// and "Available" on another.
public struct RewardState: Equatable, Sendable {
    /// Stable, for CSV columns and filters: the status, or `in_withdrawal` for an available
    /// reward a withdrawal has taken but not yet paid.
    public let code: String
    /// For people: "In withdrawal".
    public let label: String
    /// The badge's colour class on pages.
    public let badge: String
    /// Whether the reward's "available from" date means anything: not for a declined
    /// reward (it never will be) nor a held one (it waits for a person, not a date).
    public let hasAvailableDate: Bool

    public init(status: RewardStatus, inWithdrawal: Bool) {
        hasAvailableDate = status != .declined && status != .held
        if status == .available && inWithdrawal {
            (code, label, badge) = ("in_withdrawal", "In withdrawal", "processing")
        } else {
            (code, label, badge) = (status.rawValue, status.label, status.rawValue)
        }
    }
}

public struct WithdrawalState: Equatable, Sendable {
    public let code: String
    public let label: String
    public let badge: String

    public init(_ status: WithdrawalStatus) {
        code = status.rawValue
        badge = status.rawValue
        label = switch status {
        case .requested: "Requested"
        case .processing: "Processing"
        case .paid: "Paid"
        case .failed: "Failed"
        }
    }
}

extension RewardStatus {
    /// The status alone, as a filter option names it.
    public var label: String {
        switch self {
        case .pending: "Pending"
        case .available: "Available"
        case .held: "Held"
        case .declined: "Declined"
        case .paid: "Paid"
        }
    }
}
