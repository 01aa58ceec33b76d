import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// Every reward of the company's programs, filtered by program, partner, status and date;
/// the selected rows approved, held or declined at once (`RewardReview`, as the API's bulk
/// call), and a manual reward given. Read-only teammates see the list without the controls.
struct VendorRewardsPage: WebPages {
    let env: WebEnvironment
    static let pageSize = 50
    /// How many partners the manual reward's picker lists when the page is not filtered by one.
    static let pickerLimit = 200

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Row {
        let id: String
        let created: String
        let partner: String
        let partnerURL: String
        let program: String
        let customer: String
        let description: String
        let amount: String
        let state: String
        let badge: String
        let reason: String?
        let reviewable: Bool
    }

    struct Filters {
        var programText = ""
        var statusText = ""
        var partnershipText = ""
        var fromText = ""
        var toText = ""
        var page = 1
        var program: Program?
        var status: RewardStatus?
        var partnershipID: UUID?
        var from: Date?
        var toExclusive: Date?
        var errors: [String] = []

        /// The filters as a query string, to come back to after an action.
        var query: String {
            SiteRoute.query([("program", programText), ("status", statusText), ("partnership", partnershipText), ("from", fromText), ("to", toText)])
        }
    }

    struct Model {
        let shell: Shell
        let programs: [Option]
        let statuses: [Option]
        let filters: Filters
        let partnerFilter: String?
        let clearPartnerURL: String
        let counts: [Option]
        let rows: [Row]
        let hasRows: Bool
        let errors: [String]
        let hasErrors: Bool
        let canReview: Bool
        let review: FormState
        let manual: FormState
        let partnerships: [Option]
        let hasPartnerships: Bool
        let morePartners: Bool
        let pickerLimit: Int
        let previousURL: String?
        let nextURL: String?
        let pageNumber: Int
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.vendorRewards.routerPath) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let query = request.uri.queryParameters
            let values = Dictionary(query.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { _, last in last })
            let filters = Self.filters(values, scope: scope)
            let notice = Self.notice(values)
            return try await page(scope, filters, context, notice: notice, status: filters.errors.isEmpty ? .ok : .badRequest)
        }

        router.post(SiteRoute.vendorRewardsReview.routerPath) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.runPrograms)
            let form = context.form
            let filters = Self.filters(Dictionary(["program", "status", "partnership", "from", "to"].map { ($0, form.string($0)) }, uniquingKeysWith: { a, _ in a }), scope: scope)
            guard let action = RewardLifecycle.Action(rawValue: form.string("action")), action != .release else {
                return try await page(scope, filters, context, review: FormState(values: ["reason": form.string("reason")], formError: "Choose approve, hold or decline."), status: .unprocessableContent)
            }
            // A malformed id cannot be one of ours: it is skipped like another company's.
            let ids = form.all("reward").compactMap(UUID.init(uuidString:))
            let outcome: RewardReview.Outcome
            do {
                outcome = try await RewardReview.act(action, rewardIDs: ids, companyID: scope.companyID, reason: form["reason"],
                                                     actor: .user(scope.identity.userID), now: now(), on: store.db)
            } catch let refusal as OperationError {
                return try await page(scope, filters, context, review: FormState(values: ["action": action.rawValue, "reason": form.string("reason")], refusal: refusal),
                                      status: .init(refusal: refusal))
            }
            var query = filters.query
            query += (query.isEmpty ? "" : "&") + "done=\(action.rawValue)&changed=\(outcome.changed.count)"
            if let first = outcome.refused.first {
                query += "&" + SiteRoute.query([("refused", String(outcome.refused.count)), ("why", first.refusal.code)])
            }
            return Response.seeOther(.vendorRewards, query: query)
        }

        router.post(SiteRoute.vendorRewardsManual.routerPath) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.runPrograms)
            let form = context.form
            let values = ["partnership": form.string("partnership"), "amount": form.string("amount"), "description": form.string("description")]
            var errors = FieldErrors()
            let choice = try await UUID(uuidString: values["partnership"] ?? "").asyncFlatMap {
                try await PartnershipReads.choice(id: $0, companyID: scope.companyID, on: store.sql)
            }
            let program = choice.flatMap { c in scope.programs.first { $0.id == c.program_id } }
            if program == nil { errors.add("partnership", "Choose a partner of one of your programs.") }
            let money = program.flatMap { Money.parse(values["amount"] ?? "", currency: $0.currency) }
            if program != nil, money == nil || money!.amount <= 0 {
                errors.add("amount", "Enter a positive amount such as 25 or 25.00.")
            } else if let money, !AmountLimit.contains(money.amount) {
                errors.add("amount", AmountLimit.message(field: "amount"))
            }
            guard errors.isEmpty, let choice, let money else {
                return try await page(scope, Filters(), context, manual: FormState(values: values, errors: errors), status: .unprocessableContent)
            }
            do {
                _ = try await RewardReview.manual(partnershipID: choice.id, companyID: scope.companyID, amount: money.amount, currency: money.currency.code,
                                                  description: values["description"], actor: .user(scope.identity.userID), now: now(), on: store.db)
            } catch let refusal as OperationError {
                return try await page(scope, Filters(), context, manual: FormState(values: values, refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorRewards, query: "done=manual&changed=1")
        }
    }

    static func notice(_ query: [String: String]) -> Shell.Notice? {
        let changed = Int(query["changed"] ?? "") ?? 0
        let noun = changed == 1 ? "reward" : "rewards"
        let verb: String? = switch query["done"] {
        case "approve": "Approved"
        case "hold": "Held"
        case "decline": "Declined"
        case "manual": "Created the manual reward; it is pending like any other."
        default: nil
        }
        guard let verb else { return nil }
        if query["done"] == "manual" { return .init(kind: "success", message: verb) }
        var message = "\(verb) \(changed) \(noun)."
        if let refused = Int(query["refused"] ?? ""), refused > 0 {
            // The URL carries a code, never a sentence: a crafted link cannot put words on our page.
            let why = switch query["why"] {
            case "reward_in_withdrawal": "they are part of a withdrawal."
            case "invalid_transition": "their status does not allow it (paid and declined rewards stay as they are)."
            default: "they are not rewards of your programs."
            }
            message += " \(refused) could not change: \(why)"
            return .init(kind: changed > 0 ? "info" : "error", message: message)
        }
        return .init(kind: "success", message: message)
    }

    static func filters(_ query: [String: String], scope: VendorScope) -> Filters {
        var filters = Filters()
        func value(_ name: String) -> String { (query[name] ?? "").trimmingCharacters(in: .whitespaces) }
        filters.programText = value("program")
        filters.statusText = value("status")
        filters.partnershipText = value("partnership")
        filters.fromText = value("from")
        filters.toText = value("to")
        filters.page = max(1, min(Int(value("page")) ?? 1, 10_000))
        if !filters.programText.isEmpty {
            filters.program = scope.program(filter: filters.programText)
            if filters.program == nil { filters.errors.append("That program is not one of yours.") }
        }
        if !filters.statusText.isEmpty {
            filters.status = RewardStatus(rawValue: filters.statusText)
            if filters.status == nil { filters.errors.append("Status must be one of: \(RewardStatus.allCases.map(\.rawValue).joined(separator: ", ")).") }
        }
        if !filters.partnershipText.isEmpty {
            filters.partnershipID = UUID(uuidString: filters.partnershipText)
            if filters.partnershipID == nil { filters.errors.append("That partner is not one of yours.") }
        }
        if !filters.fromText.isEmpty {
            filters.from = ReportFilters.day(filters.fromText)
            if filters.from == nil { filters.errors.append("“From” must be a date written YYYY-MM-DD.") }
        }
        if !filters.toText.isEmpty {
            let to = ReportFilters.day(filters.toText)
            filters.toExclusive = to.map { ReportFilters.utc.date(byAdding: .day, value: 1, to: $0)! }
            if to == nil { filters.errors.append("“To” must be a date written YYYY-MM-DD.") }
        }
        if let from = filters.from, let to = filters.toExclusive, from >= to {
            filters.errors.append("“From” is after “To”. Choose a start date on or before the end date.")
        }
        return filters
    }

    func page(
        _ scope: VendorScope, _ filters: Filters, _ context: AppRequestContext, review: FormState = FormState(), manual: FormState = FormState(),
        notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let programIDs = filters.program.flatMap(\.id).map { [$0] } ?? scope.programs.compactMap(\.id)
        var rows: [CompanyRewardReads.Row] = []
        var partnerFilter: String?
        if filters.errors.isEmpty {
            let filter = CompanyRewardReads.Filter(programIDs: programIDs, partnershipID: filters.partnershipID, status: filters.status,
                                                   from: filters.from, toExclusive: filters.toExclusive)
            rows = try await CompanyRewardReads.page(filter, limit: Self.pageSize + 1, offset: (filters.page - 1) * Self.pageSize, on: store.sql)
            if let id = filters.partnershipID {
                partnerFilter = try await PartnershipReads.choice(id: id, companyID: scope.companyID, on: store.sql).map { "\($0.partner_name) · \($0.program_name)" }
                    ?? "a partner who is not yours"
            }
        }
        let hasNext = rows.count > Self.pageSize
        rows = Array(rows.prefix(Self.pageSize))
        let counts = try await CompanyRewardReads.statusCounts(programIDs: programIDs, on: store.sql)
        let canReview = scope.role.may(.runPrograms)
        // The manual reward's picker: the partner the page is filtered by, else the first
        // `pickerLimit` by name (a program may have any number of partners; the page stays small).
        var choices: [PartnershipReads.Choice] = []
        var morePartners = false
        if canReview {
            if let id = filters.partnershipID, let one = try await PartnershipReads.choice(id: id, companyID: scope.companyID, on: store.sql) {
                choices = [one]
            } else {
                choices = try await PartnershipReads.choices(companyID: scope.companyID, status: .active, limit: Self.pickerLimit + 1, on: store.sql)
                morePartners = choices.count > Self.pickerLimit
                choices = Array(choices.prefix(Self.pickerLimit))
            }
        }
        func pageURL(_ n: Int) -> String {
            let query = filters.query
            return SiteRoute.vendorRewards.path + "?" + query + (query.isEmpty ? "" : "&") + "page=\(n)"
        }
        var clearPartner = filters
        clearPartner.partnershipText = ""
        let shown = rows.map { row in
            Row(
                id: row.id.pathText, created: DateText.day(row.created_at), partner: row.partner_name,
                partnerURL: SiteRoute.vendorPartner(id: row.partnership_id).path, program: row.program_name, customer: row.customer,
                description: row.description, amount: row.money.formatted, state: row.state.label, badge: row.state.badge,
                reason: row.decline_reason, reviewable: canReview && row.reviewable
            )
        }
        return try renderer.html("vendor_rewards", Model(
            shell: scope.shell("Rewards", tab: .rewards, context: context, renderer: renderer, notice: notice),
            programs: [Option(value: "", label: "All programs", selected: filters.program == nil)]
                + scope.programs.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == filters.program?.slug) },
            statuses: [Option(value: "", label: "Any status", selected: filters.status == nil)]
                + RewardStatus.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == filters.status) },
            filters: filters, partnerFilter: partnerFilter,
            clearPartnerURL: SiteRoute.vendorRewards.path + (clearPartner.query.isEmpty ? "" : "?" + clearPartner.query),
            counts: RewardStatus.allCases.map { Option(value: $0.rawValue, label: "\($0.label): \(Money.grouped(counts[$0] ?? 0))", selected: $0 == filters.status) },
            rows: shown, hasRows: !shown.isEmpty, errors: filters.errors, hasErrors: !filters.errors.isEmpty,
            canReview: canReview, review: review, manual: manual,
            partnerships: choices.map { Option(value: $0.id.pathText, label: "\($0.partner_name) · \($0.program_name)", selected: $0.id.pathText == manual.values["partnership"]) },
            hasPartnerships: !choices.isEmpty, morePartners: morePartners, pickerLimit: Self.pickerLimit,
            previousURL: filters.page > 1 ? pageURL(filters.page - 1) : nil, nextURL: hasNext ? pageURL(filters.page + 1) : nil,
            pageNumber: filters.page
        ), status: status)
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
