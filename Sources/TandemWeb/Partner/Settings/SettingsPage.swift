import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// Settings → Profile: name, login address (confirmed from the new address), password, and
/// the browsers logged in, each of which can be ended. Team and API keys are their own tabs.
struct SettingsPage: WebPages {
    let env: WebEnvironment

    struct Session {
        let started: String
        let expires: String
        let isThis: Bool
        let endAction: String
    }

    struct ProgramEmails {
        let program: String
        let partnership: String
        let receiving: Bool
    }

    struct Model {
        let shell: Shell
        let tabs: [ProgramTab.Link]
        let profile: FormState
        let password: FormState
        let emailForm: FormState
        let email: String
        let accountName: String
        let role: String
        let sessions: [Session]
        let otherSessions: Bool
        let programEmails: [ProgramEmails]
        let canChangeProgramEmails: Bool
        let hasProgramEmails: Bool
        let programEmailsAction = SiteRoute.partnerProgramEmails.path
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerSettings.routerPath) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let notice: Shell.Notice? = switch request.uri.queryParameters["saved"] {
            case "profile": .init(kind: "success", message: "Your profile was saved.")
            case "password": .init(kind: "success", message: "Your password was changed. Other browsers were signed out.")
            case "email": .init(kind: "success", message: "Check your new inbox: the change happens when you open the link we sent there.")
            case "session": .init(kind: "success", message: "That browser was logged out.")
            case "emails": .init(kind: "success", message: "Your program emails were changed.")
            default: nil
            }
            return try await page(scope, context, notice: notice)
        }
        router.post(SiteRoute.partnerSettings.routerPath) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let name = context.form.string("name").trimmingCharacters(in: .whitespacesAndNewlines)
            var errors = FieldErrors()
            Validate.name(name, into: &errors)
            guard errors.isEmpty else {
                return try await page(scope, context, profile: FormState(values: ["name": name], errors: errors), status: .unprocessableContent)
            }
            try await AccountQueries.rename(userID: scope.identity.userID, to: name, on: store.db)
            return Response.seeOther(.partnerSettings, query: "saved=profile")
        }
        router.post(SiteRoute.partnerPassword.routerPath) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let current = context.form.string("current_password")
            let new = context.form.string("new_password")
            var errors = FieldErrors()
            if current.isEmpty {
                errors.add("current_password", "Enter your current password.")
            } else if try await !hasher.verify(current, against: scope.identity.user.passwordHash) {
                errors.add("current_password", "That is not your current password.")
            }
            Validate.password(new, field: "new_password", into: &errors)
            if errors["new_password"] == nil && new != context.form.string("new_password_confirmation") {
                errors.add("new_password_confirmation", "The two passwords are not the same.")
            }
            guard errors.isEmpty else {
                return try await page(scope, context, password: FormState(errors: errors), status: .unprocessableContent)
            }
            let hash = try await hasher.hash(new)
            try await AccountQueries.changePassword(userID: scope.identity.userID, hash: hash, keepingSession: scope.identity.sessionID, on: store.db)
            return Response.seeOther(.partnerSettings, query: "saved=password")
        }
        router.post(SiteRoute.partnerEmail.routerPath) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            let newEmail = context.form.string("new_email")
            let password = context.form.string("password")
            let typed = ["new_email": newEmail]
            var errors = FieldErrors()
            if password.isEmpty {
                errors.add("password", "Enter your password: it confirms that you are the one changing your login.")
            } else if try await !hasher.verify(password, against: scope.identity.user.passwordHash) {
                errors.add("password", "That is not your password.")
            }
            guard errors.isEmpty else {
                return try await page(scope, context, emailForm: FormState(values: typed, errors: errors), status: .unprocessableContent)
            }
            let base = config.baseURL
            do {
                try await EmailChanges.request(
                    userID: scope.identity.userID, currentEmail: scope.identity.user.email, newEmail: newEmail, now: now(),
                    confirmURL: { base + SiteRoute.confirmEmail(token: $0).path }, on: store.db
                )
            } catch let refusal as OperationError {
                return try await page(scope, context, emailForm: FormState(values: typed, refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.partnerSettings, query: "saved=email")
        }
        // Stops or resumes one program's campaign emails (the mails' unsubscribe link does the
        // same without a login). The owner and admins decide, as for the team.
        router.post(SiteRoute.partnerProgramEmails.routerPath) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            guard scope.member.role.canManageTeam else { throw HTTPError(.forbidden) }
            guard let id = UUID(uuidString: context.form.string("partnership")),
                  let membership = scope.memberships.first(where: { $0.partnership.id == id }) else { throw HTTPError(.notFound) }
            try await CampaignUnsubscribe.set(partnershipID: try membership.partnership.requireID(), receiving: context.form.string("receive") == "1",
                                              now: now(), on: store.db)
            return Response.seeOther(.partnerSettings, query: "saved=emails")
        }
        router.post(SiteRoute.pattern(SiteRoute.partnerSessionEnd, "id")) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            // Another user's session id is a 404, as if it did not exist.
            guard try await SessionQueries.end(id: try context.parameters.id("id"), userID: scope.identity.userID, on: store.db) else {
                throw HTTPError(.notFound)
            }
            return Response.seeOther(.partnerSettings, query: "saved=session")
        }
    }

    func page(
        _ scope: PartnerScope, _ context: AppRequestContext, profile: FormState? = nil, password: FormState = FormState(),
        emailForm: FormState = FormState(), notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let sessions = try await SessionQueries.ofUser(scope.identity.userID, now: now(), on: store.db)
        let active = scope.memberships.filter { $0.partnership.status == .active }
        let stopped = try await CampaignReads.unsubscribed(partnershipIDs: active.compactMap(\.partnership.id), on: store.sql)
        return try renderer.html("partner_settings", Model(
            shell: scope.shell("Settings", tab: .none, context: context, renderer: renderer, notice: notice),
            tabs: SettingsTab.links(for: scope.member.role, active: .profile),
            profile: profile ?? FormState(values: ["name": scope.identity.user.name]),
            password: password,
            emailForm: emailForm,
            email: scope.identity.user.email,
            accountName: scope.member.account.name,
            role: scope.member.role.label,
            sessions: try sessions.map { session in
                let id = try session.requireID()
                return Session(started: DateText.minute(session.createdAt), expires: DateText.day(session.expiresAt),
                               isThis: id == scope.identity.sessionID, endAction: SiteRoute.partnerSessionEnd(id: id).path)
            },
            otherSessions: sessions.count > 1,
            programEmails: try active.map { membership in
                let id = try membership.partnership.requireID()
                return ProgramEmails(program: membership.program.name, partnership: id.pathText, receiving: !stopped.contains(id))
            },
            canChangeProgramEmails: scope.member.role.canManageTeam, hasProgramEmails: !active.isEmpty
        ), status: status)
    }
}
