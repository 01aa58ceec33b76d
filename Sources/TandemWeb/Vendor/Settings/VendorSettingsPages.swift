import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// The company's settings, team and API keys. Everyone sees the company and the team; only an
/// admin changes them (`VendorWork.manageCompany`), and only an admin sees the API keys.
struct VendorSettingsPages: WebPages {
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

    struct Key {
        let id: String
        let label: String
        let prefix: String
        let created: String
        let lastUsed: String
        let revoked: String?
        let revokeAction: String
    }

    struct CompanyModel {
        let shell: Shell
        let canEdit: Bool
        let form: FormState
        let slug: String
    }

    struct TeamModel {
        let shell: Shell
        let canEdit: Bool
        let members: [Member]
        let invite: FormState
        let roles: [Option]
        let inviteAction = SiteRoute.vendorTeam.path
    }

    struct KeysModel {
        let shell: Shell
        let keys: [Key]
        let hasKeys: Bool
        let create: FormState
        let secret: String?
        let createAction = SiteRoute.vendorAPIKeys.path
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.vendorCompanySettings.routerPath) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let notice: Shell.Notice? = request.uri.queryParameters["done"] == "saved" ? .init(kind: "success", message: "The company was renamed.") : nil
            return try company(scope, context, form: FormState(values: ["name": scope.companyName]), notice: notice)
        }
        router.post(SiteRoute.vendorCompanySettings.routerPath) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.manageCompany)
            let name = context.form.string("name")
            do {
                try await CompanyTeam.rename(companyID: scope.companyID, name: name, on: store.db)
            } catch let refusal as OperationError {
                return try company(scope, context, form: FormState(values: ["name": name], refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorCompanySettings, query: "done=saved")
        }

        router.get(SiteRoute.vendorTeam.routerPath) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            let notice: Shell.Notice? = switch request.uri.queryParameters["done"] {
            case "invited": .init(kind: "success", message: "The invitation was sent.")
            case "saved": .init(kind: "success", message: "The role was changed.")
            case "removed": .init(kind: "success", message: "The teammate was removed.")
            default: nil
            }
            return try await team(scope, context, notice: notice)
        }
        router.post(SiteRoute.vendorTeam.routerPath) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.manageCompany)
            let form = context.form
            let values = ["email": form.string("email"), "name": form.string("name"), "role": form.string("role")]
            let base = config.baseURL
            do {
                _ = try await CompanyTeam.invite(
                    companyID: scope.companyID, companyName: scope.companyName, email: values["email"] ?? "", name: values["name"], role: values["role"],
                    now: now(), invitationURL: { base + SiteRoute.resetPassword(token: $0).path }, on: store.db
                )
            } catch let refusal as OperationError {
                return try await team(scope, context, invite: FormState(values: values, refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorTeam, query: "done=invited")
        }
        router.post(SiteRoute.pattern(SiteRoute.vendorTeamMember, "id")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.manageCompany)
            do {
                try await CompanyTeam.changeRole(companyID: scope.companyID, memberID: try context.parameters.id("id"), role: context.form["role"], on: store.db)
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                return try await team(scope, context, notice: .init(refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorTeam, query: "done=saved")
        }
        router.post(SiteRoute.pattern(SiteRoute.vendorTeamMemberRemove, "id")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.manageCompany)
            do {
                try await CompanyTeam.remove(companyID: scope.companyID, memberID: try context.parameters.id("id"), on: store.db)
            } catch let refusal as OperationError {
                if case .notFound = refusal { throw HTTPError(.notFound) }
                return try await team(scope, context, notice: .init(refusal: refusal), status: .init(refusal: refusal))
            }
            return Response.seeOther(.vendorTeam, query: "done=removed")
        }

        router.get(SiteRoute.vendorAPIKeys.routerPath) { request, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.manageCompany)
            let notice: Shell.Notice? = request.uri.queryParameters["done"] == "revoked" ? .init(kind: "success", message: "The key was revoked; it no longer works.") : nil
            return try await keys(scope, context, notice: notice)
        }
        router.post(SiteRoute.vendorAPIKeys.routerPath) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.manageCompany)
            let label = context.form.string("label")
            do {
                let secret = try await AccountKeys.create(for: .company(scope.companyID), label: label, now: now(), on: store.db)
                // Shown once, in this answer only (never in a URL or a later page).
                return try await keys(scope, context, secret: secret, status: .created)
            } catch let refusal as OperationError {
                return try await keys(scope, context, create: FormState(values: ["label": label], refusal: refusal), status: .init(refusal: refusal))
            }
        }
        router.post(SiteRoute.pattern(SiteRoute.vendorAPIKeyRevoke, "id")) { _, context in
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.manageCompany)
            do {
                try await AccountKeys.revoke(for: .company(scope.companyID), keyID: try context.parameters.id("id"), now: now(), on: store.db)
            } catch OperationError.notFound {
                throw HTTPError(.notFound)
            }
            return Response.seeOther(.vendorAPIKeys, query: "done=revoked")
        }
    }

    func company(_ scope: VendorScope, _ context: AppRequestContext, form: FormState, notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        try renderer.html("vendor_settings_company", CompanyModel(
            shell: scope.shell("Company settings", tab: .none, context: context, renderer: renderer, notice: notice),
            canEdit: scope.role.may(.manageCompany), form: form, slug: scope.member.company.slug
        ), status: status)
    }

    func team(_ scope: VendorScope, _ context: AppRequestContext, invite: FormState = FormState(), notice: Shell.Notice? = nil,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let members = try await AccountQueries.team(companyID: scope.companyID, on: store.db)
        let chosen = invite.values["role"] ?? VendorRole.manager.rawValue
        return try renderer.html("vendor_settings_team", TeamModel(
            shell: scope.shell("Team", tab: .none, context: context, renderer: renderer, notice: notice),
            canEdit: scope.role.may(.manageCompany),
            members: try members.map { member in
                let id = try member.requireID()
                return Member(
                    id: id.pathText, name: member.user.name, email: member.user.email, role: member.role.label,
                    isYou: member.$user.id == scope.identity.userID,
                    roles: VendorRole.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == member.role) },
                    roleAction: SiteRoute.vendorTeamMember(id: id).path, removeAction: SiteRoute.vendorTeamMemberRemove(id: id).path
                )
            },
            invite: invite, roles: VendorRole.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosen) }
        ), status: status)
    }

    func keys(_ scope: VendorScope, _ context: AppRequestContext, create: FormState = FormState(), secret: String? = nil,
              notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let keys = try await APIKeyQueries.ofCompany(scope.companyID, on: store.db)
        return try renderer.html("vendor_settings_keys", KeysModel(
            shell: scope.shell("API keys", tab: .none, context: context, renderer: renderer, notice: notice),
            keys: try keys.map { key in
                let id = try key.requireID()
                return Key(id: id.pathText, label: key.label, prefix: key.prefix, created: DateText.day(key.createdAt),
                           lastUsed: key.lastUsedAt.map(DateText.minute) ?? "Never", revoked: key.revokedAt.map(DateText.day),
                           revokeAction: SiteRoute.vendorAPIKeyRevoke(id: id).path)
            },
            hasKeys: !keys.isEmpty, create: create, secret: secret
        ), status: status)
    }
}
