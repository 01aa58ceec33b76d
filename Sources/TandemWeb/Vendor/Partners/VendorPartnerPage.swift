import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// One partner of one program: their numbers, links, customers, newest rewards and
/// withdrawals, and (for managers and admins) approve, decline, archive or move group.
struct VendorPartnerPage: WebPages {
    let env: WebEnvironment

    struct Stat {
        let label: String
        let value: String
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct LinkRow {
        let url: String
        let destination: String
        let clicks: String
    }

    struct CustomerRow {
        let name: String
        let signedUp: String
        let revenue: String
    }

    struct RewardRow {
        let created: String
        let description: String
        let amount: String
        let state: String
        let badge: String
    }

    struct WithdrawalRow {
        let requested: String
        let amount: String
        let state: String
        let badge: String
    }

    struct CodeRow {
        let code: String
        let removeAction: String
    }

    struct Model {
        let shell: Shell
        let codes: [CodeRow]
        let hasCodes: Bool
        let couponAction: String
        let coupon: FormState
        let messagesHref: String
        let partner: String
        let program: String
        let group: String
        let status: String
        let statusLabel: String
        let joined: String
        let stats: [Stat]
        let links: [LinkRow]
        let customers: [CustomerRow]
        let customerTotal: String
        let rewards: [RewardRow]
        let rewardsURL: String
        let withdrawals: [WithdrawalRow]
        let canManage: Bool
        let reviewAction: String
        let statuses: [Option]
        let groups: [Option]
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.vendorPartner, "id")) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let notice: Shell.Notice? = switch request.uri.queryParameters["done"] {
            case "approved": .init(kind: "success", message: "Approved; the partner was told by email.")
            case "declined": .init(kind: "success", message: "Declined; the partner was told by email.")
            case "saved": .init(kind: "success", message: "The partner was updated.")
            case "code-added": .init(kind: "success", message: "The code is the partner's: signups and payments that name it are attributed to them.")
            case "code-removed": .init(kind: "success", message: "The code was taken back; customers it attributed stay attributed.")
            default: VendorPartnersPage.refusalNotice(request.uri.queryParameters["error"].map(String.init))
            }
            return try await page(scope, try context.parameters.id("id"), context, notice: notice)
        }
        // Coupon codes: attribution without a click (POST /api/v1/partnerships/{id}/coupon-codes does the same).
        router.post(SiteRoute.pattern(SiteRoute.vendorPartnerCoupons, "id")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.runPrograms)
            let id = try context.parameters.id("id")
            let code = context.form.string("code")
            do {
                _ = try await CouponCodes.assign(partnershipID: id, companyID: scope.companyID, code: code, now: now(), on: store.db)
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                return try await page(scope, id, context, coupon: FormState(values: ["code": code], refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorPartner(id: id), query: "done=code-added")
        }
        router.post(SiteRoute.pattern({ SiteRoute.vendorPartnerCouponRemove(id: $0, code: $1) }, "id", "code")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.runPrograms)
            let id = try context.parameters.id("id")
            do {
                try await CouponCodes.remove(partnershipID: id, codeID: try context.parameters.id("code"), companyID: scope.companyID, on: store.db)
            } catch OperationError.notFound {
                throw HTTPError(.notFound)
            }
            return Response.seeOther(.vendorPartner(id: id), query: "done=code-removed")
        }
    }

    func page(_ scope: VendorScope, _ id: UUID, _ context: AppRequestContext, notice: Shell.Notice? = nil, coupon: FormState = FormState(),
              status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let row = try await CompanyPartnerReads.find(id: id, programIDs: scope.programs.compactMap(\.id), on: store.sql) else {
            throw HTTPError(.notFound)
        }
        let program = try scope.program(slug: scope.programs.first { $0.id == row.program_id }?.slug)
        let currency = program.currency
        func money(_ amount: Int64) -> String { Money(amount: amount, currency: currency).formatted }

        let figures = try await PartnershipDaily.totals(partnershipIDs: [id], on: store.sql)[id] ?? .init()
        let links = try await LinkReads.active(partnershipIDs: [id], on: store.db)
        let (clicks, _) = try await LinkReads.counts(partnershipID: id, on: store.sql)
        let customers = try await ReferralReads.customers(partnershipID: id, search: "", page: 1, pageSize: 10, on: store.db)
        let rewards = try await CompanyRewardReads.page(.init(programIDs: [program.requireID()], partnershipID: id), limit: 10, offset: 0, on: store.sql)
        let withdrawals = try await WithdrawalReads.ofCompany(
            companyID: scope.companyID, programSlug: program.slug, status: nil, partnerAccountID: row.partner_account_id, limit: 10, on: store.db)
        let groups = try await ProgramReads.groups(programID: program.requireID(), on: store.db)
        let base = config.baseURL
        let codes = try await CouponCodeReads.of(partnershipIDs: [id], on: store.db)[id] ?? []
        return try renderer.html("vendor_partner", Model(
            shell: scope.shell(row.partner_name, tab: .partners, context: context, renderer: renderer, notice: notice),
            codes: try codes.map { CodeRow(code: $0.code, removeAction: SiteRoute.vendorPartnerCouponRemove(id: id, code: try $0.requireID()).path) },
            hasCodes: !codes.isEmpty, couponAction: SiteRoute.vendorPartnerCoupons(id: id).path, coupon: coupon,
            messagesHref: SiteRoute.vendorThread(partnership: id).path,
            partner: row.partner_name, program: row.program_name, group: row.group_name, status: row.status.rawValue,
            statusLabel: row.status.label, joined: DateText.day(row.created_at),
            stats: [
                Stat(label: "Clicks", value: Money.grouped(try clicks.values.map { Int64($0) }.checkedSum())),
                Stat(label: "Signups", value: Money.grouped(figures.signups)),
                Stat(label: "Paying customers", value: Money.grouped(figures.payingCustomers)),
                Stat(label: "Revenue (net)", value: money(figures.net)),
                Stat(label: "Rewards earned, not paid", value: money(figures.rewardsPending)),
                Stat(label: "Rewards paid", value: money(figures.rewardsPaid)),
            ],
            links: try links.map { link in
                LinkRow(url: link.slug.map { base + "/r/\(program.slug)/\($0)" } ?? base + "/r/" + link.key, destination: link.destination,
                        clicks: Money.grouped(clicks[try link.requireID()] ?? 0))
            },
            customers: customers.customers.map { customer in
                CustomerRow(name: customer.name ?? customer.email ?? customer.key, signedUp: DateText.day(customer.signedUpAt),
                            revenue: customer.id.flatMap { customers.revenue[$0] }.map(money) ?? "—")
            },
            customerTotal: Money.grouped(customers.total),
            rewards: rewards.map { RewardRow(created: DateText.day($0.created_at), description: $0.description, amount: $0.money.formatted,
                                             state: $0.state.label, badge: $0.state.badge) },
            rewardsURL: SiteRoute.vendorRewards.path + "?" + SiteRoute.query([("partnership", id.pathText)]),
            withdrawals: withdrawals.map { WithdrawalRow(requested: DateText.day($0.requestedAt), amount: Money(amount: $0.amount, currency: $0.currency).formatted,
                                                         state: $0.state.label, badge: $0.state.badge) },
            canManage: scope.role.may(.runPrograms), reviewAction: SiteRoute.vendorPartnerReview(id: id).path,
            statuses: [PartnershipStatus.active, .declined, .archived].map { Option(value: $0.rawValue, label: $0.label, selected: $0 == row.status) },
            groups: groups.compactMap { g in g.id.map { Option(value: $0.pathText, label: g.name, selected: $0 == row.group_id) } }
        ), status: status)
    }
}
