import Foundation

/// Which partnership a new customer belongs to.
///
/// Last click wins: among the visitor's clicks in the program within the cookie
/// window before signup, the latest decides. A click after signup never counts.
public enum Attribution {
    public struct Click: Sendable, Equatable {
        public let partnershipID: UUID
        public let clickedAt: Date

        public init(partnershipID: UUID, clickedAt: Date) {
            self.partnershipID = partnershipID
            self.clickedAt = clickedAt
        }
    }

    public enum Outcome: Sendable, Equatable {
        case partnership(UUID)
        /// Why the customer is not attributed; recorded with the customer.
        case none(reason: String)
    }

    public static func windowStart(signedUpAt: Date, cookieWindowDays: Int) -> Date {
        signedUpAt.addingTimeInterval(-Double(cookieWindowDays) * 86_400)
    }

    /// Inside the window means no older than `cookieWindowDays` whole days before signup.
    public static func lastClick(_ clicks: [Click], signedUpAt: Date, cookieWindowDays: Int) -> Outcome {
        let start = windowStart(signedUpAt: signedUpAt, cookieWindowDays: cookieWindowDays)
        let eligible = clicks.filter { $0.clickedAt >= start && $0.clickedAt <= signedUpAt }
        guard let last = eligible.max(by: { $0.clickedAt < $1.clickedAt }) else {
            return .none(reason: clicks.isEmpty ? "unknown_click" : "click_outside_window")
        }
        return .partnership(last.partnershipID)
    }
}
