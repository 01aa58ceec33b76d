/// A partner's membership of a program.
public enum PartnershipStatus: String, Codable, Sendable, CaseIterable {
    case applied, active, declined, archived
}

public enum RewardStatus: String, Codable, Sendable, CaseIterable {
    case pending, available, held, declined, paid
}

public enum WithdrawalStatus: String, Codable, Sendable, CaseIterable {
    case requested, processing, paid, failed
}

/// The parts of a program a vendor can switch on; the partner dashboard hides what is off.
public struct ProgramFeatures: Codable, Sendable, Equatable {
    public var links: Bool
    public var customLinks: Bool
    public var leads: Bool
    public var deals: Bool

    public init(links: Bool = true, customLinks: Bool = true, leads: Bool = false, deals: Bool = false) {
        self.links = links
        self.customLinks = customLinks
        self.leads = leads
        self.deals = deals
    }
}
