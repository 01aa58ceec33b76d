/// Which reward status changes are allowed, and by whom.
public enum RewardLifecycle {
    public enum Action: String, Sendable {
        case approve, hold, decline, release
    }

    /// The status after `action`, or nil when the action is not possible from `status`.
    public static func apply(_ action: Action, to status: RewardStatus) -> RewardStatus? {
        switch (action, status) {
        case (.approve, .pending), (.approve, .held): .available
        case (.hold, .pending), (.hold, .available): .held
        case (.decline, .pending), (.decline, .held), (.decline, .available): .declined
        case (.release, .pending): .available
        default: nil
        }
    }
}

/// What a refund does to a transaction's rewards: the new amount of each unpaid one,
/// and the clawback owed for each paid one. Computed from the original amounts every
/// time, so several partial refunds never accumulate rounding drift.
public enum RefundMath {
    /// The reward amount that remains once `refundedTotal` of `transactionAmount` is refunded.
    public static func remaining(original: Int64, transactionAmount: Int64, refundedTotal: Int64) -> Int64 {
        guard transactionAmount > 0 else { return 0 }
        let kept = max(0, transactionAmount - refundedTotal)
        return RewardMath.scale(original, by: kept, over: transactionAmount)
    }
}
