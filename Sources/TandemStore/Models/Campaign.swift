import FluentKit
import Foundation

/// An email a vendor sends to a program's partners: automatically when something happens to
/// a partner (the trigger), or once to chosen groups (a broadcast). Written in Markdown.
public final class Campaign: Model, @unchecked Sendable {
    public static let schema = "campaigns"

    public enum Trigger: String, Codable, Sendable, CaseIterable {
        case partnerJoined = "partner_joined"
        case daysAfterJoining = "days_after_joining"
        case inactive
        case firstSignup = "first_signup"
        case rewardEarned = "reward_earned"
        case broadcast

        /// Triggers that count days (`days` is required for them).
        public var takesDays: Bool { self == .daysAfterJoining || self == .inactive }
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Being written: sends nothing.
        case draft
        /// Automated and on: the job mails each partner the trigger reaches.
        case active
        /// Automated and off: nothing is sent; what happened meanwhile is not caught up.
        case paused
        /// A broadcast that was sent (to the partners its groups had at `sent_at`).
        case sent
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "program_id") public var program: Program
    @Field(key: "name") public var name: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String
    @Enum(key: "trigger") public var trigger: Trigger
    @OptionalField(key: "days") public var days: Int?
    @Enum(key: "status") public var status: Status
    /// When an automated campaign was last turned on: it reaches what happens from then.
    @OptionalField(key: "activated_at") public var activatedAt: Date?
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(programID: UUID, name: String, subject: String, body: String, trigger: Trigger, days: Int?, createdAt: Date) {
        self.$program.id = programID
        self.name = name
        self.subject = subject
        self.body = body
        self.trigger = trigger
        self.days = days
        self.status = .draft
        self.createdAt = createdAt
    }
}

/// One group a campaign reaches; a campaign without any reaches every group.
public final class CampaignGroup: Model, @unchecked Sendable {
    public static let schema = "campaign_groups"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "campaign_id") public var campaign: Campaign
    @Parent(key: "group_id") public var group: ProgramGroup

    public init() {}

    public init(campaignID: UUID, groupID: UUID) {
        self.$campaign.id = campaignID
        self.$group.id = groupID
    }
}

/// A campaign's mail to one partnership: at most one per pair (a unique index).
public final class CampaignSend: Model, @unchecked Sendable {
    public static let schema = "campaign_sends"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "campaign_id") public var campaign: Campaign
    @Parent(key: "partnership_id") public var partnership: Partnership
    @OptionalParent(key: "email_id") public var email: OutboxEmail?
    /// The hash of the token in the mail's unsubscribe link.
    @Field(key: "unsubscribe_hash") public var unsubscribeHash: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}
