import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// A program's email campaigns: the list with what each one sent and failed to send, and the
/// form for a new one (with a preview of its Markdown before anything is saved).
struct ProgramCampaignsPage: WebPages {
    let env: WebEnvironment

    struct Row {
        let name: String
        let href: String
        let when: String
        let groups: String
        let status: String
        let badge: String
        let sent: String
        let failed: String
        let waiting: String
    }

    struct Model {
        let shell: Shell
        let name: String
        let tabs: [VendorProgramTab.Link]
        let rows: [Row]
        let hasRows: Bool
        let canEdit: Bool
        let form: CampaignForm
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.vendorProgramCampaigns, "slug")) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            let notice: Shell.Notice? = request.uri.queryParameters["done"] == "deleted" ? .init(kind: "success", message: "The campaign was deleted.") : nil
            return try await page(scope, program, context, notice: notice)
        }
        router.post(SiteRoute.pattern(SiteRoute.vendorProgramCampaigns, "slug")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            try scope.require(.runPrograms)
            let typed = CampaignForm.typed(context.form)
            if context.form.string("intent") == "preview" {
                return try await page(scope, program, context, state: FormState(values: typed.values), chosenGroups: typed.groups,
                                      preview: CampaignForm.Preview(subject: typed.values["subject"] ?? "", html: MarkdownHTML.render(typed.draft.body)))
            }
            let campaign: Campaign
            do {
                campaign = try await Campaigns.save(typed.draft, program: program, now: now(), on: store.db)
            } catch let refusal as OperationError {
                return try await page(scope, program, context, state: FormState(values: typed.values, refusal: refusal), chosenGroups: typed.groups,
                                      status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorCampaign(slug: program.slug, campaign: try campaign.requireID()), query: "done=created")
        }
    }

    func page(_ scope: VendorScope, _ program: Program, _ context: AppRequestContext, state: FormState = FormState(), chosenGroups: [String] = [],
              preview: CampaignForm.Preview? = nil, notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let programID = try program.requireID()
        let programGroups = try await ProgramReads.groups(programID: programID, on: store.db)
        let names = Dictionary(uniqueKeysWithValues: programGroups.compactMap { group in group.id.map { ($0, group.name) } })
        let campaigns = try await CampaignReads.of(programID: programID, on: store.db)
        let ids = campaigns.compactMap(\.id)
        let groups = try await CampaignReads.groups(campaignIDs: ids, on: store.db)
        let counts = try await CampaignReads.counts(campaignIDs: ids, on: store.sql)
        return try renderer.html("vendor_campaigns", Model(
            shell: scope.shell("Campaigns · \(program.name)", tab: .none, context: context, renderer: renderer, notice: notice),
            name: program.name, tabs: VendorProgramTab.links(slug: program.slug, active: .campaigns),
            rows: try campaigns.map { campaign in
                let id = try campaign.requireID()
                let count = counts[id] ?? CampaignReads.Counts()
                let (label, badge) = CampaignForm.statusLabel(campaign)
                return Row(name: campaign.name, href: SiteRoute.vendorCampaign(slug: program.slug, campaign: id).path, when: CampaignForm.describe(campaign),
                           groups: GroupChoices.names(groups[id] ?? [], names: names), status: label, badge: badge,
                           sent: Money.grouped(count.sent), failed: Money.grouped(count.failed), waiting: Money.grouped(count.waiting))
            },
            hasRows: !campaigns.isEmpty, canEdit: scope.role.may(.runPrograms),
            form: CampaignForm(state: state, chosenGroups: chosenGroups, programGroups: programGroups, triggerLocked: false,
                               action: SiteRoute.vendorProgramCampaigns(slug: program.slug).path, submitLabel: "Save as draft", preview: preview)
        ), status: status)
    }
}
