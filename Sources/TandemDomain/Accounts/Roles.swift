/// What a member of a partner account may do there.
public enum PartnerRole: String, Codable, Sendable, CaseIterable {
    case owner, admin, finance, member

    /// Money leaves the account, and where it goes is seen or changed, only by the owner
    /// and finance: an admin runs the team, a member sees the numbers.
    public var canWithdraw: Bool { self == .owner || self == .finance }
    /// Invite, change roles, remove: the owner and admins.
    public var canManageTeam: Bool { self == .owner || self == .admin }
    /// An API key acts for the whole account (withdrawals and payout details included), so
    /// only an owner makes or revokes one.
    public var canManageKeys: Bool { self == .owner }

    public var label: String {
        switch self {
        case .owner: "Owner"
        case .admin: "Admin"
        case .finance: "Finance"
        case .member: "Member"
        }
    }

    /// What the team page says each role may do.
    public var summary: String {
        switch self {
        case .owner: "Everything, API keys included"
        case .admin: "Manages the team; sees the numbers"
        case .finance: "Payout provider and withdrawals; sees the numbers"
        case .member: "Sees the numbers, not the payout details"
        }
    }
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
