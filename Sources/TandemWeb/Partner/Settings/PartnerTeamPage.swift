import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// Settings → Team: everyone sees who is on the account and in which role; the owner and
/// admins invite, change roles and remove (checked here on every POST, not only hidden).
struct PartnerTeamPage: WebPages {
    let env: WebEnvironment

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Member {
        let id: String
        let name: String
        let email: String
        let role: String
        let isYou: Bool
        let roles: [Option]
        let roleAction: String
        let removeAction: String
    }

    struct RoleHelp {
        let label: String
        let summary: String
    }

    struct Model {
        let shell: Shell
        let tabs: [ProgramTab.Link]
        let canEdit: Bool
        let members: [Member]
        let invite: FormState
        let roles: [Option]
        let help: [RoleHelp]
        let inviteAction = SiteRoute.partnerTeam.path
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerTeam.routerPath) { request, context in
            let scope = try await PartnerScope.load(context, store: store)
            let notice: Shell.Notice? = switch request.uri.queryParameters["done"] {
            case "invited": .init(kind: "success", message: "The invitation was sent.")
            case "saved": .init(kind: "success", message: "The role was changed.")
            case "removed": .init(kind: "success", message: "The teammate was removed and logged out.")
            default: nil
            }
            return try await page(scope, context, notice: notice)
        }
        router.post(SiteRoute.partnerTeam.routerPath) { _, context in
            let scope = try await requireManager(context)
            let form = context.form
            let values = ["email": form.string("email"), "name": form.string("name"), "role": form.string("role")]
            let base = config.baseURL
            do {
                _ = try await PartnerTeam.invite(
                    accountID: scope.accountID, accountName: scope.member.account.name, invitedBy: scope.identity.user.name,
                    email: values["email"] ?? "", name: values["name"], role: values["role"], now: now(),
                    invitationURL: { base + SiteRoute.resetPassword(token: $0).path }, loginURL: base + SiteRoute.login.path, on: store.db
                )
            } catch let refusal as OperationError {
                return try await page(scope, context, invite: FormState(values: values, refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.partnerTeam, query: "done=invited")
        }
        router.post(SiteRoute.pattern(SiteRoute.partnerTeamMember, "id")) { _, context in
            let scope = try await requireManager(context)
            do {
                try await PartnerTeam.changeRole(accountID: scope.accountID, memberID: try context.parameters.id("id"), role: context.form["role"], on: store.db)
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                return try await page(scope, context, notice: .init(refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.partnerTeam, query: "done=saved")
        }
        router.post(SiteRoute.pattern(SiteRoute.partnerTeamMemberRemove, "id")) { _, context in
            let scope = try await requireManager(context)
            do {
                try await PartnerTeam.remove(accountID: scope.accountID, memberID: try context.parameters.id("id"), on: store.db)
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                return try await page(scope, context, notice: .init(refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.partnerTeam, query: "done=removed")
        }
    }

    func requireManager(_ context: AppRequestContext) async throws -> PartnerScope {
        let scope = try await PartnerScope.load(context, store: store)
        guard scope.member.role.canManageTeam else { throw HTTPError(.forbidden) }
        return scope
    }

    func page(_ scope: PartnerScope, _ context: AppRequestContext, invite: FormState = FormState(), notice: Shell.Notice? = nil,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let members = try await AccountQueries.team(partnerAccountID: scope.accountID, on: store.db)
        let chosen = invite.values["role"] ?? PartnerRole.member.rawValue
        return try renderer.html("partner_settings_team", Model(
            shell: scope.shell("Team", tab: .none, context: context, renderer: renderer, notice: notice),
            tabs: SettingsTab.links(for: scope.member.role, active: .team),
            canEdit: scope.member.role.canManageTeam,
            members: try members.map { member in
                let id = try member.requireID()
                return Member(
                    id: id.pathText, name: member.user.name, email: member.user.email, role: member.role.label,
                    isYou: member.$user.id == scope.identity.userID,
                    roles: PartnerRole.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == member.role) },
                    roleAction: SiteRoute.partnerTeamMember(id: id).path, removeAction: SiteRoute.partnerTeamMemberRemove(id: id).path
                )
            },
            invite: invite,
            roles: PartnerRole.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosen) },
            help: PartnerRole.allCases.map { RoleHelp(label: $0.label, summary: $0.summary) }
        ), status: status)
    }
}
