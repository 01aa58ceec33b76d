/// What a member of a partner account may do there.
public enum PartnerRole: String, Codable, Sendable, CaseIterable {
    case owner, admin, finance, member

    /// Money leaves the account only by someone trusted with it.
    public var canWithdraw: Bool { self == .owner || self == .admin || self == .finance }
}

/// What a teammate of a vendor company may do there.
public enum VendorRole: String, Codable, Sendable, CaseIterable {
    case admin, manager
    case readOnly = "read_only"

    public var canEdit: Bool { self != .readOnly }

    /// Whether this role may do `work`; the server checks it on every vendor page and call.
    public func may(_ work: VendorWork) -> Bool {
        switch work {
        case .view: true
        case .runPrograms: self != .readOnly
        case .payOut, .manageCompany: self == .admin
        }
    }

    public var label: String {
        switch self {
        case .admin: "Admin"
        case .manager: "Manager"
        case .readOnly: "Read-only"
        }
    }
}

/// The kinds of work in the vendor console, as roles allow them: read-only changes nothing;
/// a manager runs programs, partners and rewards; only an admin pays out and manages the
/// company, its team and its API keys.
public enum VendorWork: Sendable {
    case view
    /// Programs, groups, reward rules, partners, rewards, leads and deals.
    case runPrograms
    /// Withdrawals and the programs' payout settings.
    case payOut
    /// Company settings, team and API keys.
    case manageCompany
}
