import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemJobs
import TandemStore

/// `/api/v1/partnerships`: enrolling partners in a vendor's programs.
struct PartnershipsAPI {
    let env: WebEnvironment
    let links: LinkDirectory

    struct CreateBody: Decodable {
        var program: String?
        var email: String?
        var name: String?
        var group: String?
    }

    struct UpdateBody: Decodable {
        var group: String?
        var status: String?
    }

    struct PartnershipDTO: Encodable {
        let id: UUID
        let object = "partnership"
        let program: String
        let partnerName: String
        let status: String
        let group: UUID
        let partnerKey: String
        @NullEncoded var defaultLink: String?
        let createdAt: Date
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("partnerships") { _, context in try await create(context) }
        api.get("partnerships") { request, context in try await list(request, context) }
        api.patch("partnerships/:id") { _, context in try await update(context) }
    }

    func dto(_ partnership: Partnership, program: Program, account: PartnerAccount) async throws -> PartnershipDTO {
        let link = try await Link.query(on: env.store.db).filter(\.$partnership.$id == partnership.requireID()).filter(\.$isDefault == true).filter(\.$archivedAt == nil).first()
        return PartnershipDTO(
            id: try partnership.requireID(), program: program.slug, partnerName: account.name, status: partnership.status.rawValue,
            group: partnership.$group.id, partnerKey: partnership.partnerKey,
            defaultLink: partnership.status == .active ? link.map { env.config.baseURL + "/r/" + $0.key } : nil,
            createdAt: partnership.createdAt
        )
    }

    func group(_ raw: String?, program: Program, on db: any Database) async throws -> ProgramGroup {
        let programID = try program.requireID()
        if let raw = raw.nonBlank {
            guard let id = UUID(uuidString: raw),
                  let group = try await ProgramGroup.query(on: db).filter(\.$id == id).filter(\.$program.$id == programID).first() else {
                throw APIError(status: .notFound, code: "not_found", message: "`group` is not a group of this program.", field: "group")
            }
            return group
        }
        guard let group = try await ProgramGroup.query(on: db).filter(\.$program.$id == programID).filter(\.$isDefault == true).first() else {
            throw APIError(status: .conflict, code: "no_default_group", message: "The program has no default group; name a `group`.")
        }
        return group
    }

    /// Enrols a partner by email: an existing partner account joins; a new email gets an
    /// account and an invitation to choose a password. Enrolling twice returns the first.
    func create(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let body = try APIJSON.decode(CreateBody.self, from: context)
        let program = try await APILookups.program(slug: body.program, companyID: companyID, on: env.store.db)
        var errors = FieldErrors()
        Validate.email(body.email ?? "", into: &errors)
        if let message = errors["email"] { throw APIError.invalid("email", message) }
        let email = Validate.normalizedEmail(body.email ?? "")
        let name = body.name.nonBlank ?? String(email.split(separator: "@").first ?? "Partner")
        guard name.count <= 100 else { throw APIError.invalid("name", "`name` must be at most 100 characters.") }
        let group = try await group(body.group, program: program, on: env.store.db)
        let now = env.now()
        let programID = try program.requireID()

        let (partnership, account, created) = try await env.store.db.transaction { db -> (Partnership, PartnerAccount, Bool) in
            let account: PartnerAccount
            if let user = try await AccountQueries.user(email: email, on: db),
               let member = try await PartnerMember.query(on: db).filter(\.$user.$id == user.requireID()).with(\.$account).first() {
                account = member.account
            } else if try await AccountQueries.user(email: email, on: db) != nil {
                throw APIError(status: .conflict, code: "email_not_a_partner", message: "\(email) belongs to a user who is not a partner.", field: "email")
            } else {
                // Nobody can log in with this random password; the invitation link sets a real one.
                let (user, newAccount) = try await AccountQueries.createPartner(
                    name: name, email: email, passwordHash: "!" + SecureToken.generate(), now: now, on: db
                )
                let token = try await PasswordResetQueries.issue(userID: user.requireID(), now: now, lifetime: PasswordResetQueries.invitationLifetime, on: db)
                try await Outbox.send(
                    to: email, subject: "You are invited to the \(program.name) partner program",
                    body: """
                    Hello \(name),

                    You have been added as a partner of \(program.name) on Tandem.
                    Choose a password to open your partner dashboard (the link works once, for 7 days):

                    \(env.config.baseURL + SiteRoute.resetPassword(token: token).path)
                    """,
                    now: now, on: db
                )
                account = newAccount
            }
            let accountID = try account.requireID()
            if let existing = try await Partnership.query(on: db).filter(\.$program.$id == programID).filter(\.$partnerAccount.$id == accountID).first() {
                return (existing, account, false)
            }
            let partnership = try await PartnershipQueries.create(
                program: program, accountID: accountID, groupID: try group.requireID(), status: .active, now: now, on: db
            )
            return (partnership, account, true)
        }
        return try APIJSON.response(try await dto(partnership, program: program, account: account), status: created ? .created : .ok)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let query = Partnership.query(on: env.store.db)
            .join(Program.self, on: \Partnership.$program.$id == \Program.$id)
            .filter(Program.self, \.$company.$id == companyID)
            .with(\.$program).with(\.$partnerAccount)
            .sort(\.$createdAt, .descending).sort(\.$id)
        if let slug = request.uri.queryParameters["program"].map(String.init) {
            query.filter(Program.self, \.$slug == slug)
        }
        if let raw = request.uri.queryParameters["status"].map(String.init) {
            guard let status = PartnershipStatus(rawValue: raw) else {
                throw APIError.invalid("status", "`status` must be one of applied, active, declined, archived.")
            }
            query.filter(\.$status == status)
        }
        let page = try PageRequest(request).page(try await query.all(), id: \.id)
        return try APIJSON.response(try await page.asyncMap { try await dto($0, program: $0.program, account: $0.partnerAccount) })
    }

    func update(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let partnership = try await Partnership.query(on: env.store.db).filter(\.$id == id).with(\.$program).with(\.$partnerAccount).first(),
              partnership.program.$company.id == companyID else {
            throw APIError.notFound("partnership")
        }
        let body = try APIJSON.decode(UpdateBody.self, from: context)
        if body.group != nil {
            partnership.$group.id = try await group(body.group, program: partnership.program, on: env.store.db).requireID()
        }
        if let raw = body.status {
            guard let status = PartnershipStatus(rawValue: raw), status != .applied else {
                throw APIError.invalid("status", "`status` must be one of active, declined, archived.")
            }
            partnership.status = status
        }
        try await env.store.db.transaction { db in
            try await partnership.save(on: db)
            if partnership.status == .active {
                try await PartnershipQueries.activated(partnership, program: partnership.program, actor: "vendor:\(companyID.uuidString)", now: env.now(), on: db)
            }
        }
        // An archived or declined partnership's links stop at once on this node.
        links.invalidateAll()
        return try APIJSON.response(try await dto(partnership, program: partnership.program, account: partnership.partnerAccount))
    }
}
