import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// A program's reward rules per group: create, edit (a new version; rewards already made
/// keep the rule they came from) and archive, through `RewardRules` as the API's calls are.
struct ProgramRulesPage: WebPages {
    let env: WebEnvironment

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct RuleForm {
        let values: [String: String]
        let errors: [String: String]
        let formError: String?
        let groups: [Option]
        let triggers: [Option]
        let kinds: [Option]
        let durations: [Option]
    }

    struct Row {
        let id: String
        let group: String
        let summary: String
        let description: String
        let trigger: String
        let created: String
        let archived: String?
        let editAction: String
        let archiveAction: String
        let form: RuleForm
        let editing: Bool
    }

    struct Model {
        let shell: Shell
        let name: String
        let currency: String
        let tabs: [VendorProgramTab.Link]
        let live: [Row]
        let archived: [Row]
        let hasArchived: Bool
        let canEdit: Bool
        let create: RuleForm
        let action: String
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.vendorProgramRules, "slug")) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            let notice: Shell.Notice? = switch request.uri.queryParameters["done"] {
            case "created": .init(kind: "success", message: "The rule was created; it pays for events from now on.")
            case "saved": .init(kind: "success", message: "Saved as a new version; rewards already made keep the rule they came from.")
            case "archived": .init(kind: "success", message: "The rule was archived; it pays nothing new.")
            default: nil
            }
            return try await page(scope, program, context, notice: notice)
        }

        router.post(SiteRoute.pattern(SiteRoute.vendorProgramRules, "slug")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            try scope.require(.runPrograms)
            let (values, input, errors) = Self.read(context.form, currency: program.currency)
            guard errors.isEmpty else {
                return try await page(scope, program, context, create: FormState(values: values, errors: errors), status: .unprocessableContent)
            }
            do {
                _ = try await RewardRules.create(program: program, input, now: now(), on: store.db)
            } catch let refusal as OperationError {
                return try await page(scope, program, context, create: FormState(values: values, refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorProgramRules(slug: program.slug), query: "done=created")
        }

        router.post(SiteRoute.pattern(SiteRoute.vendorProgramRule, "slug", "rule")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            try scope.require(.runPrograms)
            let ruleID = try context.parameters.id("rule")
            let (values, input, errors) = Self.read(context.form, currency: program.currency)
            guard errors.isEmpty else {
                return try await page(scope, program, context, editing: (ruleID, FormState(values: values, errors: errors)), status: .unprocessableContent)
            }
            do {
                _ = try await RewardRules.update(program: program, ruleID: ruleID, input, now: now(), on: store.db)
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                return try await page(scope, program, context, editing: (ruleID, FormState(values: values, refusal: refusal)), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorProgramRules(slug: program.slug), query: "done=saved")
        }

        router.post(SiteRoute.pattern(SiteRoute.vendorProgramRuleArchive, "slug", "rule")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            try scope.require(.runPrograms)
            do {
                _ = try await RewardRules.archive(program: program, ruleID: try context.parameters.id("rule"), now: now(), on: store.db)
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                return try await page(scope, program, context, notice: .init(refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorProgramRules(slug: program.slug), query: "done=archived")
        }
    }

    /// The form as typed and the rule it asks for; amounts are typed in the program's currency.
    static func read(_ form: FormFields, currency: Currency) -> ([String: String], RewardRules.Input, FieldErrors) {
        var values: [String: String] = [:]
        for name in ["group", "trigger", "kind", "amount", "percent", "duration", "months", "min_transaction", "description"] {
            values[name] = form.string(name).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var errors = FieldErrors()
        var input = RewardRules.Input()
        input.group = values["group"]
        input.trigger = values["trigger"]
        input.kind = values["kind"]
        input.description = values["description"]
        if input.kind == "flat" {
            if let money = Money.parse(values["amount"] ?? "", currency: currency), money.amount > 0, AmountLimit.contains(money.amount) {
                input.amount = money.amount
            } else {
                errors.add("amount", "Enter a positive amount such as 50 or 12.50.")
            }
        } else {
            input.percent = values["percent"]
        }
        switch values["duration"] {
        case "once": input.durationMonths = 0
        case "months":
            if let months = Int(values["months"] ?? ""), (1...120).contains(months) { input.durationMonths = months } else {
                errors.add("months", "Enter a number of months from 1 to 120.")
            }
        default: input.durationMonths = nil
        }
        if let text = values["min_transaction"], !text.isEmpty {
            if let money = Money.parse(text, currency: currency), money.amount >= 0, AmountLimit.contains(money.amount) {
                input.minTransactionAmount = money.amount
            } else {
                errors.add("min_transaction", "Enter an amount such as 100, or leave it empty.")
            }
        }
        return (values, input, errors)
    }

    /// A stored rule as its edit form shows it.
    static func values(_ record: RewardRuleRecord, currency: Currency) -> [String: String] {
        var values = ["group": record.$group.id?.pathText ?? "", "trigger": record.trigger, "kind": record.kind, "description": record.description]
        if record.kind == "flat" { values["amount"] = Money(amount: record.value, currency: currency).plain } else { values["percent"] = RewardMath.percentText(record.value) }
        switch record.durationMonths {
        case 0?: values["duration"] = "once"
        case let months?: values["duration"] = "months"; values["months"] = String(months)
        case nil: values["duration"] = "lifetime"
        }
        values["min_transaction"] = record.minTransactionAmount.map { Money(amount: $0, currency: currency).plain } ?? ""
        return values
    }

    func page(_ scope: VendorScope, _ program: Program, _ context: AppRequestContext, create: FormState? = nil,
              editing: (UUID, FormState)? = nil, notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let programID = try program.requireID()
        let groups = try await ProgramReads.groups(programID: programID, on: store.db)
        let names = Dictionary(groups.compactMap { g in g.id.map { ($0, g.name) } }, uniquingKeysWith: { a, _ in a })
        let currency = program.currency
        func ruleForm(_ state: FormState) -> RuleForm {
            let v = state.values
            return RuleForm(
                values: v, errors: state.errors, formError: state.formError,
                groups: [Option(value: "", label: "Every group", selected: (v["group"] ?? "").isEmpty)]
                    + groups.compactMap { g in g.id.map { Option(value: $0.pathText, label: g.name, selected: $0.pathText == v["group"]) } },
                triggers: [("signup", "A customer signs up"), ("transaction", "A customer pays"), ("lead_qualified", "A lead is qualified"),
                           ("deal_won", "A deal is won"), ("partner_joined", "The partner joins")]
                    .map { Option(value: $0.0, label: $0.1, selected: $0.0 == (v["trigger"] ?? "transaction")) },
                kinds: [("flat", "A flat amount"), ("percent", "A percentage")].map { Option(value: $0.0, label: $0.1, selected: $0.0 == (v["kind"] ?? "percent")) },
                durations: [("once", "The first payment only"), ("months", "Payments in the first N months"), ("lifetime", "Every payment, for life")]
                    .map { Option(value: $0.0, label: $0.1, selected: $0.0 == (v["duration"] ?? "lifetime")) }
            )
        }
        let rows = try await ProgramReads.rules(programID: programID, on: store.db).map { record in
            let id = try record.requireID()
            let failed = editing.flatMap { $0.0 == id ? $0.1 : nil }
            return Row(
                id: id.pathText, group: record.$group.id.flatMap { names[$0] } ?? "Every group",
                summary: record.rule?.summary(currency: currency) ?? record.trigger, description: record.description, trigger: record.trigger,
                created: DateText.day(record.createdAt), archived: record.archivedAt.map(DateText.day),
                editAction: SiteRoute.vendorProgramRule(slug: program.slug, rule: id).path,
                archiveAction: SiteRoute.vendorProgramRuleArchive(slug: program.slug, rule: id).path,
                form: ruleForm(failed ?? FormState(values: Self.values(record, currency: currency))), editing: failed != nil
            )
        }
        let archived = rows.filter { $0.archived != nil }
        return try renderer.html("vendor_program_rules", Model(
            shell: scope.shell("Reward rules · \(program.name)", tab: .none, context: context, renderer: renderer, notice: notice),
            name: program.name, currency: currency.code, tabs: VendorProgramTab.links(slug: program.slug, active: .rules),
            live: rows.filter { $0.archived == nil }, archived: archived, hasArchived: !archived.isEmpty,
            canEdit: scope.role.may(.runPrograms), create: ruleForm(create ?? FormState()),
            action: SiteRoute.vendorProgramRules(slug: program.slug).path
        ), status: status)
    }
}
