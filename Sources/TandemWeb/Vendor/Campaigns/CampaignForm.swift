import Foundation
import TandemOperations
import TandemStore

/// The campaign form of the new-campaign and the campaign pages: what was typed (kept on a
/// refusal or a preview), the triggers, the program's groups as checkboxes, and the preview.
struct CampaignForm {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    let state: FormState
    let triggers: [Option]
    let groups: [GroupChoices.Option]
    /// A campaign that was turned on keeps its trigger: the select is shown disabled.
    let triggerLocked: Bool
    let action: String
    let submitLabel: String
    let preview: Preview?
    let maxBody = Campaigns.maxBody

    struct Preview {
        let subject: String
        let html: String
    }

    /// What the person typed, as the workflow takes it and as the form shows it again.
    static func typed(_ form: FormFields) -> (values: [String: String], groups: [String], draft: Campaigns.Draft) {
        let values = ["name": form.string("name"), "subject": form.string("subject"), "body": form.string("body"),
                      "trigger": form.string("trigger"), "days": form.string("days")]
        let groups = form.all("groups").filter { !$0.isEmpty }
        return (values, groups, Campaigns.Draft(name: values["name"]!, subject: values["subject"]!, body: values["body"]!,
                                                trigger: values["trigger"]!, days: values["days"], groupIDs: groups))
    }

    /// The stored campaign as form values.
    static func values(of campaign: Campaign) -> [String: String] {
        ["name": campaign.name, "subject": campaign.subject, "body": campaign.body, "trigger": campaign.trigger.rawValue,
         "days": campaign.days.map(String.init) ?? ""]
    }

    init(state: FormState, chosenGroups: [String], programGroups: [ProgramGroup], triggerLocked: Bool, action: String, submitLabel: String,
         preview: Preview? = nil) {
        self.state = state
        let trigger = state.values["trigger"] ?? Campaign.Trigger.partnerJoined.rawValue
        self.triggers = Campaign.Trigger.allCases.map { Option(value: $0.rawValue, label: Self.choice($0), selected: $0.rawValue == trigger) }
        self.groups = GroupChoices.options(programGroups, chosen: chosenGroups)
        self.triggerLocked = triggerLocked
        self.action = action
        self.submitLabel = submitLabel
        self.preview = preview
    }

    /// How the trigger select reads.
    static func choice(_ trigger: Campaign.Trigger) -> String {
        switch trigger {
        case .partnerJoined: "When a partner joins"
        case .daysAfterJoining: "A number of days after a partner joins"
        case .inactive: "When a partner has been inactive for a number of days"
        case .firstSignup: "When a partner refers their first signup"
        case .rewardEarned: "When a partner earns a reward"
        case .broadcast: "Once, to everyone in the chosen groups (broadcast)"
        }
    }

    /// How a saved campaign's trigger reads in the list.
    static func describe(_ campaign: Campaign) -> String {
        let days = campaign.days ?? 0
        let unit = days == 1 ? "day" : "days"
        return switch campaign.trigger {
        case .partnerJoined: "When a partner joins"
        case .daysAfterJoining: "\(days) \(unit) after joining"
        case .inactive: "Inactive for \(days) \(unit)"
        case .firstSignup: "First referred signup"
        case .rewardEarned: "Reward earned"
        case .broadcast: "Broadcast"
        }
    }

    static func statusLabel(_ campaign: Campaign) -> (label: String, badge: String) {
        switch campaign.status {
        case .draft: ("Draft", "pending")
        case .active: ("On", "active")
        case .paused: ("Paused", "held")
        case .sent: ("Sent", "paid")
        }
    }
}
