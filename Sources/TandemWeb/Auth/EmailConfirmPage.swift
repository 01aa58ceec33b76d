import Foundation
import Hummingbird
import TandemStore

/// The link mailed to a new login address. Opening it makes that address the login and logs
/// every browser out (so whoever asked must log in with the new address); it needs no login,
/// since the link itself proves the inbox.
struct EmailConfirmPage: WebPages {
    let env: WebEnvironment

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.pattern(SiteRoute.confirmEmail, "token")) { _, context in
            let token = context.parameters.get("token") ?? ""
            switch try await EmailChangeQueries.confirm(token: token, now: now(), on: store.db) {
            case .changed:
                return Response.seeOther(.login, query: "email=1")
            case .unusable:
                return try invalid(context, "This link works once, for 24 hours. Ask again from Settings → Profile.")
            case .taken(let email):
                return try invalid(context, "\(email) became someone else's login in the meantime, so your login did not change.")
            }
        }
    }

    func invalid(_ context: AppRequestContext, _ message: String) throws -> Response {
        try renderer.html("reset_invalid", PasswordResetPages.Invalid(
            shell: Shell.make(title: "Link no longer valid", area: .bare, context: context, renderer: renderer),
            heading: "Your login address was not changed", message: message,
            actionHref: SiteRoute.partnerSettings.path, actionLabel: "Go to Settings"
        ), status: .gone)
    }
}
