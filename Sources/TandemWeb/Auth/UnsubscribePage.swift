import Foundation
import Hummingbird
import TandemOperations

/// The unsubscribe link of a campaign mail. Opening it asks (mail scanners open links; a
/// question they do not answer); the button stops that program's campaigns for the partner.
/// No login: the link's token is the proof.
struct UnsubscribePage: WebPages {
    let env: WebEnvironment

    struct Model {
        let shell: Shell
        let program: String
        let done: Bool
        let action: String
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        let pattern = SiteRoute.pattern(SiteRoute.unsubscribe, "token")
        router.get(pattern) { _, context in
            let token = context.parameters.get("token") ?? ""
            guard let target = try await CampaignUnsubscribe.target(token: token, on: store.db) else { return try invalid(context) }
            return try render(context, program: target.programName, done: target.unsubscribed, token: token)
        }
        router.post(pattern) { _, context in
            let token = context.parameters.get("token") ?? ""
            guard let target = try await CampaignUnsubscribe.confirm(token: token, now: now(), on: store.db) else { return try invalid(context) }
            return try render(context, program: target.programName, done: true, token: token)
        }
    }

    func render(_ context: AppRequestContext, program: String, done: Bool, token: String) throws -> Response {
        try renderer.html("unsubscribe", Model(
            shell: Shell.make(title: done ? "Unsubscribed" : "Unsubscribe", area: .bare, context: context, renderer: renderer),
            program: program, done: done, action: SiteRoute.unsubscribe(token: token).path
        ))
    }

    func invalid(_ context: AppRequestContext) throws -> Response {
        try renderer.html("reset_invalid", PasswordResetPages.Invalid(
            shell: Shell.make(title: "Link not valid", area: .bare, context: context, renderer: renderer),
            heading: "This unsubscribe link is not valid", message: "Copy the whole link from the email, or log in and write to the program.",
            actionHref: SiteRoute.login.path, actionLabel: "Log in"
        ), status: .notFound)
    }
}
