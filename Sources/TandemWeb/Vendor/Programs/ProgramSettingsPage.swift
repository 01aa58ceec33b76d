import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// Creating a program and changing its settings: every setting the API has, checked by
/// `ProgramSettings` exactly as the API's calls are. Read-only teammates see the settings
/// and no Save button; a POST from them is refused.
struct ProgramSettingsPage: WebPages {
    let env: WebEnvironment
    /// Redirects read the program's allowed domains: a change applies on this node at once.
    let links: LinkDirectory

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Model {
        let shell: Shell
        let heading: String
        let creating: Bool
        let canEdit: Bool
        let currencyFixed: Bool
        let action: String
        let currencies: [Option]
        let form: FormState
        let slugPrefix: String
        let tabs: [VendorProgramTab.Link]
    }

    /// The form's text fields and check boxes, by name.
    static let textFields = ["name", "slug", "description", "category", "currency", "default_destination", "allowed_domains",
                             "cookie_window_days", "hold_days", "min_withdrawal"]
    static let switches = ["marketplace", "auto_approve", "coupon_wins", "feature_links", "feature_custom_links", "feature_leads", "feature_deals"]

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.vendorProgramNew.routerPath) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.runPrograms)
            let defaults = ["currency": "USD", "category": "Other", "cookie_window_days": "90", "hold_days": "30", "min_withdrawal": "0",
                            "feature_links": "on", "feature_custom_links": "on"]
            return try page(scope, nil, context, form: FormState(values: defaults))
        }

        router.post(SiteRoute.vendorProgramNew.routerPath) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.runPrograms)
            let (values, changes, errors) = Self.read(context.form, currency: nil)
            guard errors.isEmpty else {
                return try page(scope, nil, context, form: FormState(values: values, errors: errors), status: .unprocessableContent)
            }
            do {
                let (program, _) = try await ProgramSettings.create(companyID: scope.companyID, changes, now: now(), on: store.db)
                return Response.seeOther(.vendorProgramSettings(slug: program.slug), query: "done=created")
            } catch let refusal as OperationError {
                return try page(scope, nil, context, form: FormState(values: values, refusal: refusal), status: .init(refusal: refusal))
            }
        }

        router.get(SiteRoute.pattern(SiteRoute.vendorProgramSettings, "slug")) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            let notice: Shell.Notice? = switch request.uri.queryParameters["done"] {
            case "created": .init(kind: "success", message: "\(program.name) was created with a Default group. Add reward rules next.")
            case "saved": .init(kind: "success", message: "The settings were saved.")
            default: nil
            }
            return try await settings(scope, program, context, notice: notice)
        }

        router.post(SiteRoute.pattern(SiteRoute.vendorProgramSettings, "slug")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            let program = try scope.program(slug: context.parameters.get("slug"))
            try scope.require(.runPrograms)
            let (values, changes, errors) = Self.read(context.form, currency: program.currency)
            guard errors.isEmpty else {
                return try await settings(scope, program, context, form: FormState(values: values, errors: errors), status: .unprocessableContent)
            }
            do {
                try await ProgramSettings.update(program, changes, on: store.db)
            } catch let refusal as OperationError {
                // The refused change was applied to the loaded row only; show what was typed.
                return try await settings(scope, program, context, form: FormState(values: values, refusal: refusal), status: .init(refusal: refusal))
            }
            links.invalidateAll()
            return Response.seeOther(.vendorProgramSettings(slug: program.slug), query: "done=saved")
        }
    }

    /// The form as typed, the changes it asks for, and what cannot even be read (a number that is not one).
    static func read(_ form: FormFields, currency: Currency?) -> ([String: String], ProgramSettings.Changes, FieldErrors) {
        var values: [String: String] = [:]
        for name in textFields { values[name] = form.string(name).trimmingCharacters(in: .whitespacesAndNewlines) }
        for name in switches where !form.string(name).isEmpty { values[name] = "on" }
        var errors = FieldErrors()
        var changes = ProgramSettings.Changes()
        changes.name = values["name"]
        changes.slug = values["slug"]
        changes.description = values["description"]
        changes.category = values["category"]
        if currency == nil || !(values["currency"] ?? "").isEmpty { changes.currency = values["currency"] }
        changes.defaultDestination = values["default_destination"]
        changes.allowedDomains = (values["allowed_domains"] ?? "")
            .split(whereSeparator: { $0 == "," || $0.isNewline || $0 == " " }).map(String.init)
        func number(_ name: String, _ range: ClosedRange<Int>) -> Int? {
            guard let value = Int(values[name] ?? ""), range.contains(value) else {
                errors.add(name, "Enter a whole number from \(range.lowerBound) to \(range.upperBound).")
                return nil
            }
            return value
        }
        changes.cookieWindowDays = number("cookie_window_days", 1...730)
        changes.holdDays = number("hold_days", 0...365)
        let moneyCurrency = currency ?? Currency(code: values["currency"] ?? "") ?? .usd
        if let minimum = Money.parse(values["min_withdrawal"] ?? "", currency: moneyCurrency), minimum.amount >= 0, AmountLimit.contains(minimum.amount) {
            changes.minWithdrawal = minimum.amount
        } else {
            errors.add("min_withdrawal", "Enter an amount such as 50 or 50.00 (0 for no minimum).")
        }
        changes.marketplace = values["marketplace"] != nil
        changes.autoApprove = values["auto_approve"] != nil
        changes.couponWins = values["coupon_wins"] != nil
        changes.featureLinks = values["feature_links"] != nil
        changes.featureCustomLinks = values["feature_custom_links"] != nil
        changes.featureLeads = values["feature_leads"] != nil
        changes.featureDeals = values["feature_deals"] != nil
        return (values, changes, errors)
    }

    /// A program's settings as the form shows them.
    static func values(_ program: Program) -> [String: String] {
        var values = [
            "name": program.name, "slug": program.slug, "description": program.description, "category": program.category,
            "currency": program.currencyCode, "default_destination": program.defaultDestination,
            "allowed_domains": program.allowedDomains.joined(separator: "\n"),
            "cookie_window_days": String(program.cookieWindowDays), "hold_days": String(program.holdDays),
            "min_withdrawal": Money(amount: program.minWithdrawal, currency: program.currency).plain,
        ]
        let on: [(String, Bool)] = [
            ("marketplace", program.marketplace), ("auto_approve", program.autoApprove), ("coupon_wins", program.couponWins), ("feature_links", program.featureLinks),
            ("feature_custom_links", program.featureCustomLinks), ("feature_leads", program.featureLeads), ("feature_deals", program.featureDeals),
        ]
        for (name, isOn) in on where isOn { values[name] = "on" }
        return values
    }

    func settings(_ scope: VendorScope, _ program: Program, _ context: AppRequestContext, form: FormState? = nil,
                  notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let fixed = try await ProgramReads.hasRewards(programID: program.requireID(), on: store.db)
        return try page(scope, program, context, form: form ?? FormState(values: Self.values(program)), currencyFixed: fixed, notice: notice, status: status)
    }

    func page(_ scope: VendorScope, _ program: Program?, _ context: AppRequestContext, form: FormState, currencyFixed: Bool = false,
              notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let chosen = form.values["currency"] ?? "USD"
        let title = program.map { "Settings · \($0.name)" } ?? "New program"
        return try renderer.html("vendor_program_settings", Model(
            shell: scope.shell(title, tab: .none, context: context, renderer: renderer, notice: notice),
            heading: program?.name ?? "New program", creating: program == nil, canEdit: scope.role.may(.runPrograms),
            currencyFixed: currencyFixed,
            action: program.map { SiteRoute.vendorProgramSettings(slug: $0.slug).path } ?? SiteRoute.vendorProgramNew.path,
            currencies: Currency.all.map { Option(value: $0.code, label: $0.code, selected: $0.code == chosen) },
            form: form, slugPrefix: config.baseURL + "/r/",
            tabs: program.map { VendorProgramTab.links(slug: $0.slug, active: .settings) } ?? []
        ), status: status)
    }
}
