import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// Settings → API keys: a partner account's keys for `/api/v1/partner`. A key acts for the
/// whole account (withdrawals included), so only an owner sees, makes or revokes them; the
/// secret is in the answer to the POST that made it and nowhere else.
struct PartnerKeysPage: WebPages {
    let env: WebEnvironment

    struct Key {
        let id: String
        let label: String
        let prefix: String
        let created: String
        let lastUsed: String
        let revoked: String?
        let revokeAction: String
    }

    struct Model {
        let shell: Shell
        let tabs: [ProgramTab.Link]
        let keys: [Key]
        let hasKeys: Bool
        let create: FormState
        let secret: String?
        let createAction = SiteRoute.partnerAPIKeys.path
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerAPIKeys.routerPath) { request, context in
            let scope = try await requireOwner(context)
            let notice: Shell.Notice? = request.uri.queryParameters["done"] == "revoked" ? .init(kind: "success", message: "The key was revoked; it no longer works.") : nil
            return try await page(scope, context, notice: notice)
        }
        router.post(SiteRoute.partnerAPIKeys.routerPath) { _, context in
            let scope = try await requireOwner(context)
            let label = context.form.string("label")
            do {
                let secret = try await AccountKeys.create(for: .partnerAccount(scope.accountID), label: label, now: now(), on: store.db)
                return try await page(scope, context, secret: secret, status: .created)
            } catch let refusal as OperationError {
                return try await page(scope, context, create: FormState(values: ["label": label], refusal: refusal), status: .init(refusal: refusal))
            }
        }
        router.post(SiteRoute.pattern(SiteRoute.partnerAPIKeyRevoke, "id")) { _, context in
            let scope = try await requireOwner(context)
            do {
                try await AccountKeys.revoke(for: .partnerAccount(scope.accountID), keyID: try context.parameters.id("id"), now: now(), on: store.db)
            } catch OperationError.notFound {
                throw HTTPError(.notFound)
            }
            return Response.seeOther(.partnerAPIKeys, query: "done=revoked")
        }
    }

    func requireOwner(_ context: AppRequestContext) async throws -> PartnerScope {
        let scope = try await PartnerScope.load(context, store: store)
        guard scope.member.role.canManageKeys else { throw HTTPError(.forbidden) }
        return scope
    }

    func page(_ scope: PartnerScope, _ context: AppRequestContext, create: FormState = FormState(), secret: String? = nil,
              notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let keys = try await APIKeyQueries.ofPartnerAccount(scope.accountID, on: store.db)
        return try renderer.html("partner_settings_keys", Model(
            shell: scope.shell("API keys", tab: .none, context: context, renderer: renderer, notice: notice),
            tabs: SettingsTab.links(for: scope.member.role, active: .keys),
            keys: try keys.map { key in
                let id = try key.requireID()
                return Key(id: id.pathText, label: key.label, prefix: key.prefix, created: DateText.day(key.createdAt),
                           lastUsed: key.lastUsedAt.map(DateText.minute) ?? "Never", revoked: key.revokedAt.map(DateText.day),
                           revokeAction: SiteRoute.partnerAPIKeyRevoke(id: id).path)
            },
            hasKeys: !keys.isEmpty, create: create, secret: secret
        ), status: status)
    }
}
