import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// One campaign: what it sent and failed to send, how its mail reads, the buttons that turn
/// it on or off (or send a broadcast), and its form while it can still change.
struct CampaignPage: WebPages {
    let env: WebEnvironment

    struct Action {
        let href: String
        let action: String
        let label: String
        let confirm: String?
        let danger: Bool
    }

    struct Model {
        let shell: Shell
        let name: String
        let tabs: [VendorProgramTab.Link]
        let backHref: String
        let campaign: String
        let when: String
        let groups: String
        let status: String
        let badge: String
        let explanation: String
        let sent: String
        let failed: String
        let waiting: String
        let subject: String
        let html: String
        let actions: [Action]
        let canDelete: Bool
        let deleteAction: String
        let editable: Bool
        let form: CampaignForm
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        let pattern = SiteRoute.pattern(SiteRoute.vendorCampaign, "slug", "campaign")
        router.get(pattern) { request, context in
            let (scope, program, campaign) = try await load(context)
            let notice: Shell.Notice? = switch request.uri.queryParameters["done"] {
            case "created": .init(kind: "success", message: "The campaign was saved as a draft. Nothing is sent until you turn it on (or send it).")
            case "saved": .init(kind: "success", message: "The campaign was saved.")
            case "activate": .init(kind: "success", message: "The campaign is on: partners its trigger reaches from now on get it, once each.")
            case "pause": .init(kind: "success", message: "The campaign is paused; nothing more is sent.")
            case "send": .init(kind: "success", message: "The broadcast is going out; the counts below fill in within a minute or two.")
            default: nil
            }
            return try await page(scope, program, campaign, context, notice: notice)
        }
        router.post(pattern) { _, context in
            let (scope, program, campaign) = try await load(context)
            try scope.require(.runPrograms)
            let typed = CampaignForm.typed(context.form)
            if context.form.string("intent") == "preview" {
                return try await page(scope, program, campaign, context, state: FormState(values: typed.values), chosenGroups: typed.groups,
                                      preview: CampaignForm.Preview(subject: typed.values["subject"] ?? "", html: MarkdownHTML.render(typed.draft.body)))
            }
            do {
                _ = try await Campaigns.save(typed.draft, existing: campaign, program: program, now: now(), on: store.db)
            } catch let refusal as OperationError {
                // A refusal of the whole campaign (a sent broadcast) is said above the page: the form may not be shown.
                return try await page(scope, program, campaign, context, state: FormState(values: typed.values, refusal: refusal), chosenGroups: typed.groups,
                                      notice: refusal.field == nil ? .init(refusal: refusal) : nil, status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorCampaign(slug: program.slug, campaign: try campaign.requireID()), query: "done=saved")
        }
        router.post(SiteRoute.pattern(SiteRoute.vendorCampaignStatus, "slug", "campaign")) { _, context in
            let (scope, program, campaign) = try await load(context)
            try scope.require(.runPrograms)
            let action = context.form.string("action")
            do {
                try await Campaigns.change(campaign, to: action, now: now(), on: store.db)
            } catch let refusal as OperationError {
                return try await page(scope, program, campaign, context, notice: .init(refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorCampaign(slug: program.slug, campaign: try campaign.requireID()), query: "done=\(action)")
        }
        router.post(SiteRoute.pattern(SiteRoute.vendorCampaignDelete, "slug", "campaign")) { _, context in
            let (scope, program, campaign) = try await load(context)
            try scope.require(.runPrograms)
            do {
                try await Campaigns.delete(campaign, on: store.db)
            } catch let refusal as OperationError {
                return try await page(scope, program, campaign, context, notice: .init(refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorProgramCampaigns(slug: program.slug), query: "done=deleted")
        }
    }

    /// The company's program and its campaign; anyone else's is a 404.
    func load(_ context: AppRequestContext) async throws -> (VendorScope, Program, Campaign) {
        let scope = try await VendorScope.load(context, store: store)
        let program = try scope.program(slug: context.parameters.get("slug"))
        guard let campaign = try await CampaignReads.find(try context.parameters.id("campaign"), programID: try program.requireID(), on: store.db) else {
            throw HTTPError(.notFound)
        }
        return (scope, program, campaign)
    }

    func page(_ scope: VendorScope, _ program: Program, _ campaign: Campaign, _ context: AppRequestContext, state: FormState? = nil,
              chosenGroups: [String]? = nil, preview: CampaignForm.Preview? = nil, notice: Shell.Notice? = nil,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let programID = try program.requireID()
        let id = try campaign.requireID()
        let programGroups = try await ProgramReads.groups(programID: programID, on: store.db)
        let names = Dictionary(uniqueKeysWithValues: programGroups.compactMap { group in group.id.map { ($0, group.name) } })
        let groupIDs = try await CampaignReads.groups(campaignIDs: [id], on: store.db)[id] ?? []
        let count = try await CampaignReads.counts(campaignIDs: [id], on: store.sql)[id] ?? CampaignReads.Counts()
        let hasSends = try await CampaignReads.hasSends(campaignID: id, on: store.db)
        let canEdit = scope.role.may(.runPrograms)
        let (label, badge) = CampaignForm.statusLabel(campaign)
        let statusAction = SiteRoute.vendorCampaignStatus(slug: program.slug, campaign: id).path
        var actions: [Action] = []
        if canEdit {
            switch (campaign.trigger, campaign.status) {
            case (.broadcast, .draft):
                let reach = try await CampaignAudience.broadcastReach(programID: programID, groupIDs: groupIDs, on: store.sql)
                actions.append(Action(href: statusAction, action: "send", label: "Send to \(Money.grouped(Int64(reach))) partners",
                                      confirm: "Send “\(campaign.subject)” to \(reach) partners now? A broadcast goes out once and cannot be recalled.", danger: false))
            case (.broadcast, _): break
            case (_, .active):
                actions.append(Action(href: statusAction, action: "pause", label: "Pause", confirm: nil, danger: false))
            case (_, .draft), (_, .paused):
                actions.append(Action(href: statusAction, action: "activate", label: "Turn on",
                                      confirm: "Turn on “\(campaign.name)”? Partners its trigger reaches from now on get it, once each.", danger: false))
            case (_, .sent): break
            }
        }
        return try renderer.html("vendor_campaign", Model(
            shell: scope.shell("\(campaign.name) · Campaigns", tab: .none, context: context, renderer: renderer, notice: notice),
            name: program.name, tabs: VendorProgramTab.links(slug: program.slug, active: .campaigns),
            backHref: SiteRoute.vendorProgramCampaigns(slug: program.slug).path,
            campaign: campaign.name, when: CampaignForm.describe(campaign), groups: GroupChoices.names(groupIDs, names: names),
            status: label, badge: badge, explanation: Self.explanation(campaign),
            sent: Money.grouped(count.sent), failed: Money.grouped(count.failed), waiting: Money.grouped(count.waiting),
            subject: campaign.subject, html: MarkdownHTML.render(campaign.body),
            actions: actions, canDelete: canEdit && !hasSends, deleteAction: SiteRoute.vendorCampaignDelete(slug: program.slug, campaign: id).path,
            editable: canEdit && campaign.status != .sent,
            form: CampaignForm(
                state: state ?? FormState(values: CampaignForm.values(of: campaign)),
                chosenGroups: chosenGroups ?? groupIDs.map(\.pathText), programGroups: programGroups,
                triggerLocked: campaign.status != .draft, action: SiteRoute.vendorCampaign(slug: program.slug, campaign: id).path,
                submitLabel: "Save changes", preview: preview
            )
        ), status: status)
    }

    static func explanation(_ campaign: Campaign) -> String {
        switch (campaign.trigger, campaign.status) {
        case (.broadcast, .sent): "Sent \(DateText.day(campaign.sentAt ?? campaign.createdAt)) to the partners its groups had then."
        case (.broadcast, _): "A broadcast goes to the active partners of its groups when you send it, once each."
        case (_, .draft): "A draft sends nothing. Turn it on to mail partners the trigger reaches from then on."
        case (_, .active): "On since \(DateText.day(campaign.activatedAt ?? campaign.createdAt)): each partner the trigger reaches gets it once."
        case (_, .paused): "Paused: nothing is sent. Turned on again, it reaches what happens from then on."
        case (_, .sent): ""
        }
    }
}
