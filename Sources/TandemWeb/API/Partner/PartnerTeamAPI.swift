import Foundation
import Hummingbird
import TandemOperations
import TandemStore

/// The partner account's team through the API, the same workflow as Settings → Team:
/// `GET/POST /api/v1/partner/team`, `PATCH/DELETE /api/v1/partner/team/{id}`. Only the owner
/// makes partner keys, so a key manages the team as the owner does; the last owner stays.
struct PartnerTeamAPI {
    let env: WebEnvironment

    struct InviteBody: Decodable {
        var email: String?
        var name: String?
        var role: String?
    }

    struct RoleBody: Decodable {
        var role: String?
    }

    static let roles = ["owner", "admin", "finance", "member"]
    static let inviteContract = BodyContract(InviteBody.self, name: "TeammateCreate", required: ["email", "role"], notes: [
        "email": .email(),
        "name": .text("Shown to the team; the address's first part when left out.", max: 100),
        "role": .oneOf(roles, "owner: everything; admin: the team; finance: payouts; member: the numbers."),
    ])
    static let roleContract = BodyContract(RoleBody.self, name: "TeammateUpdate", required: ["role"], notes: ["role": .oneOf(roles)])

    struct TeammateDTO: Encodable {
        let id: UUID
        let object = "teammate"
        let name: String
        let email: String
        let role: String
        let createdAt: Date
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("partner/team") { _, context in
            let members = try await AccountQueries.team(partnerAccountID: try context.partnerAccountID(), on: env.store.db)
            return try APIJSON.response(ListPage(data: try members.map(TeammateDTO.init), hasMore: false))
        }
        api.post("partner/team") { _, context in
            let accountID = try context.partnerAccountID()
            let body = try APIJSON.decode(Self.inviteContract, from: context)
            guard let account = try await PartnerAccount.find(accountID, on: env.store.db) else { throw APIError.notFound("account") }
            let base = env.config.baseURL
            let member = try await PartnerTeam.invite(
                accountID: accountID, accountName: account.name, invitedBy: "A teammate", email: body.email ?? "", name: body.name, role: body.role,
                now: env.now(), invitationURL: { base + SiteRoute.resetPassword(token: $0).path }, loginURL: base + SiteRoute.login.path, on: env.store.db
            )
            return try APIJSON.response(try TeammateDTO(try await teammate(try member.requireID(), accountID: accountID)), status: .created)
        }
        api.patch("partner/team/:id") { _, context in
            let accountID = try context.partnerAccountID()
            let id = try memberID(context)
            let body = try APIJSON.decode(Self.roleContract, from: context)
            try await PartnerTeam.changeRole(accountID: accountID, memberID: id, role: body.role, on: env.store.db)
            return try APIJSON.response(try TeammateDTO(try await teammate(id, accountID: accountID)))
        }
        api.delete("partner/team/:id") { _, context in
            try await PartnerTeam.remove(accountID: try context.partnerAccountID(), memberID: try memberID(context), on: env.store.db)
            return Response(status: .noContent)
        }
    }

    func memberID(_ context: AppRequestContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("teammate") }
        return id
    }

    /// One of the account's teammates with their login; anyone else's is a 404.
    func teammate(_ id: UUID, accountID: UUID) async throws -> PartnerMember {
        guard let member = try await AccountQueries.team(partnerAccountID: accountID, on: env.store.db).first(where: { $0.id == id }) else {
            throw APIError.notFound("teammate")
        }
        return member
    }
}

// From the stored rows; the memberwise initializer builds the document's example.
extension PartnerTeamAPI.TeammateDTO {
    init(_ member: PartnerMember) throws {
        id = try member.requireID()
        name = member.user.name
        email = member.user.email
        role = member.role.rawValue
        createdAt = member.createdAt
    }
}

// The answer (`ResponseContract`).
extension PartnerTeamAPI {
    static let teammateResponse = ResponseContract(
        TeammateDTO(id: Examples.id(22), name: "Sam Lee", email: "sam@example.com", role: "owner", createdAt: Examples.date),
        name: "Teammate", notes: ["role": .oneOf(["owner", "admin", "finance", "member"])]
    )
}
