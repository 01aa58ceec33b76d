import Foundation
import Hummingbird
import TandemDomain
import TandemStore

/// Technical support: a message that reaches the platform operator by email.
struct SupportPage: WebPages {
    let env: WebEnvironment

    struct Model {
        let shell: Shell
        let form: FormState
        let sent: Bool
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerSupport.routerPath) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let sent = request.uri.queryParameters["sent"] == "1"
            return try renderer.html("partner_support", Model(
                shell: scope.shell("Technical support", tab: .none, context: context, renderer: renderer,
                                   notice: sent ? .init(kind: "success", message: "Your message was sent. We answer by email, usually within a working day.") : nil),
                form: FormState(), sent: sent
            ))
        }
        router.post(SiteRoute.partnerSupport.routerPath) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let subject = context.form.string("subject").trimmingCharacters(in: .whitespacesAndNewlines)
            let message = context.form.string("message").trimmingCharacters(in: .whitespacesAndNewlines)
            var errors = FieldErrors()
            if subject.isEmpty { errors.add("subject", "Say in a few words what it is about.") }
            if subject.count > 150 { errors.add("subject", "Keep the subject under 150 characters.") }
            if subject.contains(where: { $0 == "\n" || $0 == "\r" }) { errors.add("subject", "Keep the subject on one line.") }
            if message.isEmpty { errors.add("message", "Describe the problem.") }
            if message.count > 10_000 { errors.add("message", "Keep the message under 10,000 characters.") }
            guard errors.isEmpty else {
                return try renderer.html("partner_support", Model(
                    shell: scope.shell("Technical support", tab: .none, context: context, renderer: renderer),
                    form: FormState(values: ["subject": subject, "message": message], errors: errors), sent: false
                ), status: .unprocessableContent)
            }
            let user = scope.identity.user
            try await Outbox.send(
                to: config.supportEmail, subject: "[Support] \(subject)",
                body: "From: \(user.name) <\(user.email)>\nPartner account: \(scope.member.account.name)\n\n\(message)",
                now: now(), on: store.db
            )
            return Response.seeOther(.partnerSupport, query: "sent=1")
        }
    }
}
