import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// The vendor's inbox: every partner's thread, unread first, per program; a thread opened
/// reads the partner's messages. Everyone on the team reads; read-only teammates do not write.
struct VendorMessagesPages: WebPages {
    let env: WebEnvironment
    static let pageSize = 50

    struct Row {
        let partner: String
        let program: String
        let last: String
        let total: String
        let unread: String?
        let href: String
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct InboxModel {
        let shell: Shell
        let programs: [Option]
        let rows: [Row]
        let hasRows: Bool
        let previous: String?
        let next: String?
    }

    struct ThreadModel {
        let shell: Shell
        let partner: String
        let program: String
        let partnerHref: String
        let thread: MessageThread
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.vendorMessages.routerPath) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let chosen = scope.program(filter: request.uri.queryParameters["program"].map(String.init))
            let pageNumber = request.uri.queryParameters["page"].flatMap { Int(String($0)) }.map { min(max($0, 1), 1000) } ?? 1
            let threads = try await MessageReads.inbox(
                companyID: scope.companyID, programID: chosen?.id, limit: Self.pageSize + 1, offset: (pageNumber - 1) * Self.pageSize, on: store.sql
            )
            func href(_ page: Int) -> String {
                let query = SiteRoute.query([("program", chosen?.slug ?? ""), ("page", page > 1 ? String(page) : "")])
                return SiteRoute.vendorMessages.path + (query.isEmpty ? "" : "?" + query)
            }
            let rows = threads.prefix(Self.pageSize).map { thread in
                Row(partner: thread.partner_name, program: thread.program_name, last: DateText.minute(thread.last_at),
                    total: Money.grouped(thread.total), unread: thread.unread > 0 ? "\(thread.unread) unread" : nil,
                    href: SiteRoute.vendorThread(partnership: thread.partnership_id).path)
            }
            return try renderer.html("vendor_messages", InboxModel(
                shell: scope.shell("Messages", tab: .messages, context: context, renderer: renderer),
                programs: [Option(value: "", label: "All programs", selected: chosen == nil)]
                    + scope.programs.map { Option(value: $0.slug, label: $0.name, selected: $0.id == chosen?.id) },
                rows: Array(rows), hasRows: !rows.isEmpty,
                previous: pageNumber > 1 ? href(pageNumber - 1) : nil, next: threads.count > Self.pageSize ? href(pageNumber + 1) : nil
            ))
        }
        router.get(SiteRoute.pattern(SiteRoute.vendorThread, "id")) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let partnership = try await find(scope, context)
            try await MessageReads.markRead(partnershipID: try partnership.requireID(), sentBy: .partner, now: now(), on: store.sql)
            // Reload the scope so the top bar's count no longer includes this thread.
            let fresh = try await VendorScope.load(context, store: store)
            let notice: Shell.Notice? = request.uri.queryParameters["sent"] == "1" ? .init(kind: "success", message: "Sent to \(partnership.partnerAccount.name).") : nil
            return try await page(fresh, partnership, context, notice: notice)
        }
        router.post(SiteRoute.pattern(SiteRoute.vendorThread, "id")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.runPrograms)
            let partnership = try await find(scope, context)
            let body = context.form.string("body")
            let id = try partnership.requireID()
            do {
                _ = try await Messages.post(
                    partnership: partnership, program: partnership.program, from: .vendor, senderUserID: scope.identity.userID,
                    senderName: scope.identity.user.name, body: body, links: MessageThread.links(partnershipID: id, baseURL: config.baseURL),
                    now: now(), on: store.db
                )
            } catch let refusal as OperationError {
                return try await page(scope, partnership, context, form: FormState(values: ["body": body], refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorThread(partnership: id), query: "sent=1")
        }
    }

    /// The company's partnership the path names; anyone else's is a 404.
    func find(_ scope: VendorScope, _ context: AppRequestContext) async throws -> Partnership {
        guard let partnership = try await PartnershipReads.find(id: try context.parameters.id("id"), companyID: scope.companyID, on: store.db) else {
            throw HTTPError(.notFound)
        }
        return partnership
    }

    func page(_ scope: VendorScope, _ partnership: Partnership, _ context: AppRequestContext, form: FormState = FormState(),
              notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let id = try partnership.requireID()
        let messages = try await MessageReads.thread(partnershipID: id, limit: MessageThread.shown, on: store.db)
        return try renderer.html("vendor_thread", ThreadModel(
            shell: scope.shell("Messages · \(partnership.partnerAccount.name)", tab: .messages, context: context, renderer: renderer, notice: notice),
            partner: partnership.partnerAccount.name, program: partnership.program.name,
            partnerHref: SiteRoute.vendorPartner(id: id).path,
            thread: MessageThread(messages, reader: .vendor, otherName: partnership.partnerAccount.name,
                                  action: SiteRoute.vendorThread(partnership: id).path, form: form,
                                  canWrite: scope.role.may(.runPrograms) && partnership.status == .active)
        ), status: status)
    }
}
