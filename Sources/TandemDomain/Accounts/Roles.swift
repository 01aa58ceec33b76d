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
}
