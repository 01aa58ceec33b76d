import Foundation
import Hummingbird
import TandemDomain
import TandemJobs
import TandemOperations
import TandemStore

/// Rewards & Withdrawals: the balances per currency, the payout provider, the withdraw
/// action with its minimum explained, the rewards (filterable) and the withdrawals.
struct RewardsPage: WebPages {
    let env: WebEnvironment
    /// Rewards a page shows; the rest are a "Next" away (and all in Reporting → Rewards).
    static let pageSize = 25
    /// Past this, Reporting → Rewards (with its filters) is the better tool; also bounds the offset.
    static let maxPage = 400

    struct CurrencyPanel {
        let currency: String
        let pending: String
        let available: String
        let declined: String
        let earned: String
        let inWithdrawal: String?
        let canWithdraw: Bool
        /// Why the button is off, or what it will do.
        let explanation: String
    }

    struct RewardRow {
        let program: String
        let description: String
        let amount: String
        let status: String
        let statusLabel: String
        let reason: String?
        let created: String
        let availableOn: String?
    }

    struct WithdrawalRow {
        let amount: String
        let date: String
        let provider: String
        let status: String
        let statusLabel: String
        let failure: String?
        let rewardCount: String
        /// This page listing only the rewards the withdrawal covered.
        let rewardsHref: String
    }

    struct StatusFilter {
        let href: String
        let label: String
        let selected: Bool

        init(value: String, label: String, selected: Bool) {
            // "All" is the bare page (an empty `status=` would be one more URL for it).
            href = SiteRoute.partnerRewards.path + (value.isEmpty ? "" : "?status=" + value)
            self.label = label
            self.selected = selected
        }
    }

    struct Model {
        let shell: Shell
        let panels: [CurrencyPanel]
        let hasMoney: Bool
        let method: MethodView?
        let methodForm: FormState
        let paypalChosen: Bool
        let stripeChosen: Bool
        let mayManageMoney: Bool
        let rewards: [RewardRow]
        let hasRewards: Bool
        let filters: [StatusFilter]
        let filtered: Bool
        let previous: String?
        let next: String?
        /// "Rewards 26–50", when there is more than one page.
        let pageLabel: String?
        /// Set when the list shows one withdrawal's rewards: what it was.
        let coveredBy: String?
        let withdrawals: [WithdrawalRow]
        let hasWithdrawals: Bool
    }

    struct MethodView {
        let provider: String
        /// Nil for a teammate who may not see payout details (an admin or a member).
        let recipient: String?
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerRewards.routerPath) { request, context in
            let notice: Shell.Notice? = switch request.uri.queryParameters["done"] {
            case "method": .init(kind: "success", message: "Your payout provider was saved.")
            case "withdrawn": .init(kind: "success", message: "Your withdrawal was requested. Its status is below.")
            default: nil
            }
            let pageNumber = request.uri.queryParameters["page"].flatMap { Int(String($0)) }.map { min(max($0, 1), Self.maxPage) } ?? 1
            return try await page(
                context, status: request.uri.queryParameters["status"].map(String.init), notice: notice,
                withdrawal: request.uri.queryParameters["withdrawal"].flatMap { UUID(uuidString: String($0)) }, pageNumber: pageNumber
            )
        }
        router.post(SiteRoute.partnerPayoutMethod.routerPath) { _, context in try await saveMethod(context) }
        router.post(SiteRoute.partnerWithdraw.routerPath) { _, context in try await withdraw(context) }
    }

    func page(
        _ context: AppRequestContext, status: String? = nil, notice: Shell.Notice? = nil, methodForm: FormState? = nil,
        httpStatus: HTTPResponse.Status = .ok, withdrawal withdrawalFilter: UUID? = nil, pageNumber: Int = 1
    ) async throws -> Response {
        let scope = try await PartnerScope.load(context, store: store)
        let balances = try await Balances.of(accountID: scope.accountID, on: store.sql)
        let minimums = try await WithdrawalMinimums.of(accountID: scope.accountID, on: store.sql)
        let method = try await WithdrawalReads.payoutMethod(accountID: scope.accountID, on: store.db)
        let mayManage = scope.member.role.canWithdraw

        let panels = balances.compactMap { balance -> CurrencyPanel? in
            guard let currency = Currency(code: balance.currency) else { return nil }
            func money(_ amount: Int64) -> String { Money(amount: amount, currency: currency).formatted }
            let minimum = minimums[balance.currency] ?? 0
            let (can, why): (Bool, String)
            if !mayManage {
                (can, why) = (false, "Only the account's owner and finance members can withdraw.")
            } else if method == nil {
                (can, why) = (false, "Choose a payout provider first.")
            } else if balance.available <= 0 {
                (can, why) = (false, balance.available < 0
                    ? "Your balance is \(money(balance.available)) after clawbacks; new rewards must cover it first."
                    : "Nothing is available yet. Rewards become available when their hold period ends.")
            } else if balance.available < minimum {
                (can, why) = (false, "The minimum withdrawal is \(money(minimum)); you have \(money(balance.available)) available.")
            } else {
                (can, why) = (true, "Withdraws \(money(balance.available)) to your \(method!.provider.label) account.")
            }
            return CurrencyPanel(
                currency: balance.currency, pending: money(balance.pending + balance.held), available: money(balance.available),
                declined: money(balance.declined), earned: money(balance.paid),
                inWithdrawal: balance.inWithdrawal != 0 ? money(balance.inWithdrawal) : nil, canWithdraw: can, explanation: why
            )
        }

        let statusFilter = status.flatMap(RewardStatus.init(rawValue:))
        var coveredBy: String?
        if let withdrawalFilter {
            guard let covering = try await WithdrawalReads.find(id: withdrawalFilter, accountID: scope.accountID, on: store.db) else {
                throw HTTPError(.notFound)
            }
            let amount = Money(amount: covering.amount, currency: covering.currency).formatted
            coveredBy = "The rewards of your withdrawal of \(amount) requested \(DateText.day(covering.requestedAt)) (\(covering.state.label.lowercased()))."
        }
        let partnershipIDs = scope.memberships.compactMap(\.partnership.id)
        // A page at a time, newest first; Reporting → Rewards filters and exports all of them.
        // Another account's withdrawal id finds nothing: the rewards are limited to this partner's partnerships.
        let found = try await RewardReads.newest(
            partnershipIDs: partnershipIDs, status: statusFilter, withdrawalID: withdrawalFilter,
            limit: Self.pageSize + 1, offset: (pageNumber - 1) * Self.pageSize, on: store.db
        )
        func pageHref(_ number: Int) -> String {
            let query = SiteRoute.query([("status", statusFilter?.rawValue), ("withdrawal", withdrawalFilter?.uuidString.lowercased()),
                                         ("page", number > 1 ? String(number) : nil)].compactMap { name, value in value.map { (name, $0) } })
            return SiteRoute.partnerRewards.path + (query.isEmpty ? "" : "?" + query) + "#rewards"
        }
        let hasNext = found.count > Self.pageSize && pageNumber < Self.maxPage
        let shownCount = min(found.count, Self.pageSize)
        let firstShown = (pageNumber - 1) * Self.pageSize + 1
        let programNames = Dictionary(uniqueKeysWithValues: scope.memberships.map { ($0.program.id!, $0.program.name) })
        let rewards = found.prefix(Self.pageSize).map { reward in
            let currency = reward.currency
            return RewardRow(
                program: programNames[reward.$program.id] ?? "", description: reward.description,
                amount: Money(amount: reward.amount, currency: currency).formatted,
                status: reward.state.badge, statusLabel: reward.state.label,
                reason: reward.declineReason, created: DateText.day(reward.createdAt),
                availableOn: reward.status == .pending ? DateText.day(reward.availableAt) : nil
            )
        }
        let withdrawals = try await WithdrawalReads.ofAccount(accountID: scope.accountID, limit: 100, on: store.db)
        let withdrawalRows = withdrawals.map { withdrawal in
            WithdrawalRow(
                amount: Money(amount: withdrawal.amount, currency: withdrawal.currency).formatted,
                date: DateText.day(withdrawal.requestedAt),
                provider: mayManage ? Self.providerLabel(withdrawal.provider, recipient: withdrawal.recipient) : withdrawal.provider.label,
                status: withdrawal.state.badge, statusLabel: withdrawal.state.label,
                failure: withdrawal.failureReason, rewardCount: Money.grouped(Int64(withdrawal.rewardCount)),
                rewardsHref: SiteRoute.partnerRewards.path + "?withdrawal=" + withdrawal.id!.uuidString.lowercased() + "#rewards"
            )
        }
        let form = methodForm ?? FormState(values: [
            "provider": method?.provider.rawValue ?? "paypal",
            "paypal_email": method?.provider == .paypal ? method!.recipient : "",
            "stripe_account": method?.provider == .stripe ? method!.recipient : "",
        ])
        return try renderer.html("partner_rewards", Model(
            shell: scope.shell("Rewards & Withdrawals", tab: .rewards, context: context, renderer: renderer, notice: notice),
            panels: panels, hasMoney: !panels.isEmpty,
            method: method.map { MethodView(provider: $0.provider.label, recipient: mayManage ? $0.recipient : nil) },
            methodForm: form, paypalChosen: form.values["provider"] != "stripe", stripeChosen: form.values["provider"] == "stripe",
            mayManageMoney: mayManage, rewards: rewards, hasRewards: !rewards.isEmpty,
            filters: [("", "All")].map { StatusFilter(value: $0.0, label: $0.1, selected: statusFilter == nil) }
                + RewardStatus.allCases.map { StatusFilter(value: $0.rawValue, label: $0.label, selected: $0 == statusFilter) },
            filtered: statusFilter != nil || withdrawalFilter != nil,
            previous: pageNumber > 1 ? pageHref(pageNumber - 1) : nil, next: hasNext ? pageHref(pageNumber + 1) : nil,
            pageLabel: pageNumber > 1 || hasNext ? (shownCount > 0 ? "Rewards \(firstShown)–\(firstShown + shownCount - 1)" : "No rewards on this page") : nil,
            coveredBy: coveredBy, withdrawals: withdrawalRows, hasWithdrawals: !withdrawalRows.isEmpty
        ), status: httpStatus)
    }

    static func providerLabel(_ provider: PayoutProviderID, recipient: String) -> String {
        switch provider {
        case .paypal, .stripe: "\(provider.label) · \(recipient)"
        // Where the money goes first; who sends it second (true in every state, requested included).
        case .manual: "\(recipient.replacingOccurrences(of: "paypal:", with: "PayPal ").replacingOccurrences(of: "stripe:", with: "Stripe ")) · sent by the vendor by hand"
        }
    }

    /// Choosing or changing the payout provider needs the current password.
    func saveMethod(_ context: AppRequestContext) async throws -> Response {
        let scope = try await PartnerScope.load(context, store: store)
        guard scope.member.role.canWithdraw else { throw HTTPError(.forbidden) }
        let form = context.form
        let values = ["provider": form.string("provider"), "paypal_email": form.string("paypal_email"), "stripe_account": form.string("stripe_account")]
        var errors = FieldErrors()
        if form.string("password").isEmpty {
            errors.add("password", "Enter your password: it confirms that you are the one changing where your money goes.")
        } else if try await !hasher.verify(form.string("password"), against: scope.identity.user.passwordHash) {
            errors.add("password", "That is not your password.")
        }
        if errors.isEmpty {
            do {
                _ = try await PayoutMethods.set(
                    accountID: scope.accountID, provider: values["provider"], paypalEmail: values["paypal_email"], stripeAccount: values["stripe_account"],
                    now: now(), on: store.db
                )
            } catch let refusal as OperationError {
                errors.add(refusal.field ?? "provider", refusal.sentence)
            }
        } else {
            // The password is wrong: still say what else is wrong with the form, but save nothing.
            do throws(OperationError) {
                _ = try PayoutMethods.validate(provider: values["provider"], paypalEmail: values["paypal_email"], stripeAccount: values["stripe_account"])
            } catch {
                errors.add(error.field ?? "provider", error.sentence)
            }
        }
        guard errors.isEmpty else {
            return try await page(context, methodForm: FormState(values: values, errors: errors), httpStatus: .unprocessableContent)
        }
        return Response.seeOther(.partnerRewards, query: "done=method")
    }

    func withdraw(_ context: AppRequestContext) async throws -> Response {
        let scope = try await PartnerScope.load(context, store: store)
        guard scope.member.role.canWithdraw else { throw HTTPError(.forbidden) }
        guard let currency = Currency(code: context.form.string("currency")) else {
            return try await page(context, notice: .init(kind: "error", message: "Choose a currency to withdraw."), httpStatus: .badRequest)
        }
        do {
            _ = try await WithdrawalRequests.request(
                accountID: scope.accountID, currency: currency, liveProviders: env.liveProviders,
                actor: .user(scope.identity.userID), now: now(), on: store.db
            )
        } catch let refusal as OperationError {
            return try await page(context, notice: .init(kind: "error", message: refusal.sentence), httpStatus: .conflict)
        }
        return Response.seeOther(.partnerRewards, query: "done=withdrawn")
    }
}
