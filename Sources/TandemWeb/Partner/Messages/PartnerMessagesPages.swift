import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// A partner's side of the messages: every program's thread (the top bar's Messages, unread
/// first) and one program's thread in its Messages tab, where opening it reads the vendor's
/// messages and the form writes to the vendor.
struct PartnerMessagesPages: WebPages {
    let env: WebEnvironment

    struct ThreadLink {
        let program: String
        let company: String
        let href: String
        /// "2 unread", or nil (a Mustache section would open for 0).
        let unread: String?
    }

    struct ListModel {
        let shell: Shell
        let threads: [ThreadLink]
        let hasThreads: Bool
    }

    struct ThreadModel {
        let shell: Shell
        let name: String
        let company: String
        let tabs: [ProgramTab.Link]
        let thread: MessageThread
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerMessages.routerPath) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let threads = scope.memberships.filter { $0.partnership.status == .active }
                .sorted { ($0.unread > 0 ? 0 : 1, $0.program.name) < ($1.unread > 0 ? 0 : 1, $1.program.name) }
                .map { ThreadLink(program: $0.program.name, company: $0.companyName, href: SiteRoute.partnerProgramMessages(id: $0.id).path,
                                  unread: $0.unread > 0 ? "\($0.unread) unread" : nil) }
            return try renderer.html("partner_messages", ListModel(
                shell: scope.shell("Messages", tab: .messages, context: context, renderer: renderer), threads: threads, hasThreads: !threads.isEmpty
            ))
        }
        router.get(SiteRoute.pattern(SiteRoute.partnerProgramMessages, "program")) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            var membership = try scope.membership(id: context.parameters.id("program"))
            if membership.unread > 0 {
                try await MessageReads.markRead(partnershipID: membership.id, sentBy: .vendor, now: now(), on: store.sql)
                membership.unread = 0
            }
            let notice: Shell.Notice? = request.uri.queryParameters["sent"] == "1" ? .init(kind: "success", message: "Sent to \(membership.companyName).") : nil
            return try await page(scope, membership, context, notice: notice)
        }
        router.post(SiteRoute.pattern(SiteRoute.partnerProgramMessages, "program")) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let membership = try scope.membership(id: context.parameters.id("program"))
            let body = context.form.string("body")
            do {
                _ = try await Messages.post(
                    partnership: membership.partnership, program: membership.program, from: .partner, senderUserID: scope.identity.userID,
                    senderName: scope.identity.user.name, body: body, links: MessageThread.links(partnershipID: membership.id, baseURL: config.baseURL),
                    now: now(), on: store.db
                )
            } catch let refusal as OperationError {
                return try await page(scope, membership, context, form: FormState(values: ["body": body], refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.partnerProgramMessages(id: membership.id), query: "sent=1")
        }
    }

    func page(_ scope: PartnerScope, _ membership: PartnerScope.Membership, _ context: AppRequestContext, form: FormState = FormState(),
              notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let messages = try await MessageReads.thread(partnershipID: membership.id, limit: MessageThread.shown, on: store.db)
        return try renderer.html("partner_program_messages", ThreadModel(
            shell: scope.shell("Messages · \(membership.program.name)", tab: .none, context: context, renderer: renderer, notice: notice),
            name: membership.program.name, company: membership.companyName,
            tabs: ProgramTab.links(for: membership, active: .messages),
            thread: MessageThread(messages, reader: .partner, otherName: membership.companyName,
                                  action: SiteRoute.partnerProgramMessages(id: membership.id).path, form: form)
        ), status: status)
    }
}
