import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// The company's withdrawals by status: a manual one marked paid with the vendor's own
/// reference, a failed one's reason and a retry, and each program's payout settings. Every
/// role sees the list; only an admin pays (`VendorWork.payOut`).
struct VendorPayoutsPage: WebPages {
    let env: WebEnvironment

    struct Tab {
        let label: String
        let href: String
        let active: Bool
    }

    struct Row {
        let id: String
        let requested: String
        let partner: String
        let amount: String
        let share: String?
        let provider: String
        let recipient: String
        let state: String
        let badge: String
        let reference: String?
        let failure: String?
        let canMarkPaid: Bool
        let canRetry: Bool
        let paidAction: String
        let retryAction: String
        let form: FormState
    }

    struct ProgramRow {
        let name: String
        let currency: String
        let holdDays: Int
        let minimum: String
        let settingsURL: String
    }

    struct Model {
        let shell: Shell
        let tabs: [Tab]
        let rows: [Row]
        let hasRows: Bool
        let canPay: Bool
        let programs: [ProgramRow]
        let hasPrograms: Bool
        let previousURL: String?
        let nextURL: String?
        let pageNumber: Int
    }

    static let pageSize = 50

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.vendorPayouts.routerPath) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let status = request.uri.queryParameters["status"].flatMap { WithdrawalStatus(rawValue: String($0)) }
            let notice: Shell.Notice? = switch request.uri.queryParameters["done"] {
            case "paid": .init(kind: "success", message: "The withdrawal is marked paid; its rewards are paid.")
            case "retried": .init(kind: "success", message: "A new withdrawal was made for the partner's available rewards.")
            default: nil
            }
            let pageNumber = max(1, min(request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1, 10_000))
            return try await page(scope, status: status, pageNumber: pageNumber, context, notice: notice)
        }

        router.post(SiteRoute.pattern(SiteRoute.vendorWithdrawalPaid, "id")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.payOut)
            let id = try context.parameters.id("id")
            let reference = context.form.string("reference")
            do {
                _ = try await ManualPayouts.markPaid(withdrawalID: id, companyID: scope.companyID, reference: reference,
                                                     actor: .user(scope.identity.userID), now: now(), on: store.db)
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                return try await page(scope, status: nil, context, failed: (id, FormState(values: ["reference": reference], refusal: refusal)),
                                      status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorPayouts, query: "done=paid")
        }

        router.post(SiteRoute.pattern(SiteRoute.vendorWithdrawalRetry, "id")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.payOut)
            let id = try context.parameters.id("id")
            do {
                _ = try await ManualPayouts.retry(withdrawalID: id, companyID: scope.companyID, liveProviders: env.liveProviders,
                                                  actor: .user(scope.identity.userID), now: now(), on: store.db)
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                return try await page(scope, status: nil, context, failed: (id, FormState(values: [:], refusal: refusal)), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorPayouts, query: "done=retried")
        }
    }

    func page(
        _ scope: VendorScope, status: WithdrawalStatus?, pageNumber: Int = 1, _ context: AppRequestContext, failed: (UUID, FormState)? = nil,
        notice: Shell.Notice? = nil, status httpStatus: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var withdrawals = try await WithdrawalReads.ofCompany(
            companyID: scope.companyID, programSlug: nil, status: status, limit: Self.pageSize + 1, offset: (pageNumber - 1) * Self.pageSize, on: store.db)
        let hasNext = withdrawals.count > Self.pageSize
        withdrawals = Array(withdrawals.prefix(Self.pageSize))
        func pageURL(_ n: Int) -> String { SiteRoute.vendorPayouts.path + "?" + SiteRoute.query([("status", status?.rawValue ?? ""), ("page", String(n))]) }
        let shares = try await WithdrawalShares.of(withdrawalIDs: withdrawals.compactMap(\.id), on: store.sql)
        let canPay = scope.role.may(.payOut)
        let rows = try withdrawals.map { withdrawal in
            let id = try withdrawal.requireID()
            let mine = shares[id] ?? []
            let shared = mine.contains { $0.company_id != scope.companyID }
            let ownShare = try mine.filter { $0.company_id == scope.companyID }.map(\.amount).checkedSum()
            let form = failed.flatMap { $0.0 == id ? $0.1 : nil }
            return Row(
                id: id.pathText, requested: DateText.day(withdrawal.requestedAt), partner: withdrawal.partnerAccount.name,
                amount: Money(amount: withdrawal.amount, currency: withdrawal.currency).formatted,
                share: shared ? "Your programs: \(Money(amount: ownShare, currency: withdrawal.currency).formatted); the rest is other companies'." : nil,
                provider: withdrawal.provider.label, recipient: withdrawal.recipient,
                state: withdrawal.state.label, badge: withdrawal.state.badge,
                reference: withdrawal.status == .paid ? withdrawal.providerReference : nil, failure: withdrawal.failureReason,
                canMarkPaid: canPay && !shared && withdrawal.provider == .manual && (withdrawal.status == .requested || withdrawal.status == .processing),
                canRetry: canPay && !shared && withdrawal.status == .failed,
                paidAction: SiteRoute.vendorWithdrawalPaid(id: id).path, retryAction: SiteRoute.vendorWithdrawalRetry(id: id).path,
                form: form ?? FormState()
            )
        }
        let tabs = [(nil, "All")] + WithdrawalStatus.allCases.map { (Optional($0), WithdrawalState($0).label) }
        return try renderer.html("vendor_payouts", Model(
            shell: scope.shell("Payouts", tab: .payouts, context: context, renderer: renderer, notice: notice),
            tabs: tabs.map { Tab(label: $0.1, href: SiteRoute.vendorPayouts.path + ($0.0.map { "?status=\($0.rawValue)" } ?? ""), active: $0.0 == status) },
            rows: rows, hasRows: !rows.isEmpty, canPay: canPay,
            programs: scope.programs.map {
                ProgramRow(name: $0.name, currency: $0.currencyCode, holdDays: $0.holdDays,
                           minimum: Money(amount: $0.minWithdrawal, currency: $0.currency).formatted,
                           settingsURL: SiteRoute.vendorProgramSettings(slug: $0.slug).path)
            },
            hasPrograms: !scope.programs.isEmpty,
            previousURL: pageNumber > 1 ? pageURL(pageNumber - 1) : nil, nextURL: hasNext ? pageURL(pageNumber + 1) : nil, pageNumber: pageNumber
        ), status: httpStatus)
    }
}
