import Foundation
import Hummingbird
import TandemDomain
import TandemStore

/// Settings: the profile and the password. Team, API keys and postbacks come later.
struct SettingsPage: WebPages {
    let env: WebEnvironment

    struct Model {
        let shell: Shell
        let profile: FormState
        let password: FormState
        let email: String
        let accountName: String
        let role: String
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerSettings.routerPath) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let notice: Shell.Notice? = switch request.uri.queryParameters["saved"] {
            case "profile": .init(kind: "success", message: "Your profile was saved.")
            case "password": .init(kind: "success", message: "Your password was changed. Other browsers were signed out.")
            default: nil
            }
            return try page(scope, context, notice: notice)
        }
        router.post(SiteRoute.partnerSettings.routerPath) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let name = context.form.string("name").trimmingCharacters(in: .whitespacesAndNewlines)
            var errors = FieldErrors()
            Validate.name(name, into: &errors)
            guard errors.isEmpty else {
                return try page(scope, context, profile: FormState(values: ["name": name], errors: errors), status: .unprocessableContent)
            }
            try await AccountQueries.rename(userID: scope.identity.userID, to: name, on: store.db)
            return Response.seeOther(.partnerSettings, query: "saved=profile")
        }
        router.post(SiteRoute.partnerPassword.routerPath) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let current = context.form.string("current_password")
            let new = context.form.string("new_password")
            var errors = FieldErrors()
            if try await !hasher.verify(current, against: scope.identity.user.passwordHash) {
                errors.add("current_password", "That is not your current password.")
            }
            Validate.password(new, field: "new_password", into: &errors)
            if errors["new_password"] == nil && new != context.form.string("new_password_confirmation") {
                errors.add("new_password_confirmation", "The two passwords are not the same.")
            }
            guard errors.isEmpty else {
                return try page(scope, context, password: FormState(errors: errors), status: .unprocessableContent)
            }
            let hash = try await hasher.hash(new)
            let userID = scope.identity.userID
            let sessionID = scope.identity.sessionID
            try await AccountQueries.changePassword(userID: userID, hash: hash, keepingSession: sessionID, on: store.db)
            return Response.seeOther(.partnerSettings, query: "saved=password")
        }
    }

    func page(
        _ scope: PartnerScope, _ context: AppRequestContext, profile: FormState? = nil, password: FormState = FormState(),
        notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        try renderer.html("partner_settings", Model(
            shell: scope.shell("Settings", tab: .none, context: context, renderer: renderer, notice: notice),
            profile: profile ?? FormState(values: ["name": scope.identity.user.name]),
            password: password,
            email: scope.identity.user.email,
            accountName: scope.member.account.name,
            role: scope.member.role.rawValue.capitalized
        ), status: status)
    }
}
