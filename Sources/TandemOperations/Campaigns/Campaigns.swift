import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// Writing a program's email campaigns: what the vendor types is checked here, once, for
/// the pages and the API alike. The caller checks the role and that the program is theirs.
public enum Campaigns {
    public static let maxName = 80
    public static let maxSubject = 150
    public static let maxBody = 20_000
    public static let maxDays = 365
    public static let maxPerProgram = 50

    /// What a vendor typed, as typed: every field is checked by `save`.
    public struct Draft: Sendable {
        public var name: String
        public var subject: String
        public var body: String
        public var trigger: String
        public var days: String?
        public var groupIDs: [String]

        public init(name: String, subject: String, body: String, trigger: String, days: String?, groupIDs: [String]) {
            self.name = name
            self.subject = subject
            self.body = body
            self.trigger = trigger
            self.days = days
            self.groupIDs = groupIDs
        }
    }

    /// Lengths are counted as JSON Schema's maxLength counts (code points), so the API and its document agree.
    /// Creates a draft campaign (`existing` nil) or changes one. A sent broadcast is final; an
    /// automated campaign that has been turned on keeps its trigger (its sends mean that trigger).
    public static func save(_ draft: Draft, existing: Campaign? = nil, program: Program, now: Date, on db: any Database) async throws -> Campaign {
        let programID = try program.requireID()
        let name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.unicodeScalars.count <= maxName, !TextRules.hasControlCharacter(name) else {
            throw OperationError.invalid(field: "name", message: "Name the campaign (at most \(maxName) characters).")
        }
        let subject = draft.subject.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !subject.isEmpty, subject.unicodeScalars.count <= maxSubject, !TextRules.hasControlCharacter(subject) else {
            throw OperationError.invalid(field: "subject", message: "Write a subject line of at most \(maxSubject) characters.")
        }
        let body = draft.body.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\r\n", with: "\n")
        guard !body.isEmpty, body.unicodeScalars.count <= maxBody, !TextRules.hasControlCharacter(body, allowingLineBreaks: true) else {
            throw OperationError.invalid(field: "body", message: "Write the email (at most \(maxBody) characters of Markdown).")
        }
        guard let trigger = Campaign.Trigger(rawValue: draft.trigger) else {
            throw OperationError.invalid(field: "trigger", message: "Choose when the email goes out.")
        }
        var days: Int?
        if trigger.takesDays {
            guard let typed = draft.days?.trimmingCharacters(in: .whitespaces), let value = Int(typed), (1...maxDays).contains(value) else {
                throw OperationError.invalid(field: "days", message: "Give a number of days from 1 to \(maxDays).")
            }
            days = value
        }
        let groupIDs = try await ProgramGroupChoice.checked(draft.groupIDs, programID: programID, field: "groups", on: db)
        let campaign: Campaign
        if let existing {
            guard existing.status != .sent else {
                throw OperationError.conflict(code: "campaign_sent", message: "This broadcast was sent; it can no longer change.")
            }
            guard existing.trigger == trigger || existing.status == .draft else {
                throw OperationError.invalid(field: "trigger", message: "A campaign that has been turned on keeps its trigger; make a new campaign instead.")
            }
            campaign = existing
            campaign.name = name
            campaign.subject = subject
            campaign.body = body
            campaign.trigger = trigger
            campaign.days = days
        } else {
            guard try await Campaign.query(on: db).filter(\.$program.$id == programID).count() < maxPerProgram else {
                throw OperationError.conflict(code: "too_many_campaigns", message: "A program has at most \(maxPerProgram) campaigns; delete one first.")
            }
            campaign = Campaign(programID: programID, name: name, subject: subject, body: body, trigger: trigger, days: days, createdAt: now)
        }
        try await db.transaction { db in
            try await campaign.save(on: db)
            let campaignID = try campaign.requireID()
            try await CampaignGroup.query(on: db).filter(\.$campaign.$id == campaignID).delete()
            for groupID in groupIDs { try await CampaignGroup(campaignID: campaignID, groupID: groupID).create(on: db) }
        }
        return campaign
    }

    public enum Change: String, Sendable, CaseIterable {
        /// Automated: start mailing partners the trigger reaches from now on.
        case activate
        /// Automated: stop.
        case pause
        /// A broadcast: mail every partner its groups have now, once.
        case send
    }

    public static func change(_ campaign: Campaign, to rawChange: String, now: Date, on db: any Database) async throws {
        guard let change = Change(rawValue: rawChange) else {
            throw OperationError.invalid(field: "action", message: "`action` must be one of activate, pause, send.")
        }
        switch (change, campaign.trigger == .broadcast, campaign.status) {
        case (.activate, false, .draft), (.activate, false, .paused):
            campaign.status = .active
            campaign.activatedAt = now
        case (.pause, false, .active):
            campaign.status = .paused
        case (.send, true, .draft):
            campaign.status = .sent
            campaign.sentAt = now
        case (.send, false, _):
            throw OperationError.conflict(code: "not_a_broadcast", message: "Only a broadcast is sent by hand; turn an automated campaign on instead.")
        case (.activate, true, _), (.pause, true, _):
            throw OperationError.conflict(code: "broadcast", message: "A broadcast is sent once; it is not turned on or off.")
        default:
            throw OperationError.conflict(code: "campaign_\(campaign.status.rawValue)", message: "The campaign is \(campaign.status.rawValue); that does not apply.")
        }
        try await campaign.save(on: db)
    }

    /// Deletes a campaign that has not mailed anyone; one that has keeps its record (pause it).
    public static func delete(_ campaign: Campaign, on db: any Database) async throws {
        guard try await !CampaignReads.hasSends(campaignID: try campaign.requireID(), on: db) else {
            throw OperationError.conflict(code: "campaign_has_sends", message: "This campaign has mailed partners; pause it instead of deleting it.")
        }
        try await db.transaction { db in
            try await CampaignGroup.query(on: db).filter(\.$campaign.$id == campaign.requireID()).delete()
            try await campaign.delete(on: db)
        }
    }
}
