import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
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
        var reason: String?
    }

    static let createContract = BodyContract(CreateBody.self, name: "PartnershipCreate", required: ["program", "email"], notes: [
        "program": .programSlug,
        "email": .email("The partner's email: an existing partner joins; a new one is invited to choose a password."),
        "name": .text("For a new partner account (the part of the email before @ when left out).", max: 100),
        "group": .id("A group id of the program; the default group when left out."),
    ])
    static let updateContract = BodyContract(UpdateBody.self, name: "PartnershipUpdate", notes: [
        "group": .id("A group id of the program."),
        "status": .oneOf(["active", "declined", "archived"]),
        "reason": .text("Approving or declining an application mails the partner; this note goes with it.", max: 500),
    ])

    typealias PartnershipDTO = PartnershipObject

    struct CouponBody: Decodable {
        var code: String?
    }

    static let couponContract = BodyContract(CouponBody.self, name: "CouponCodeCreate", required: ["code"], notes: [
        "code": .pattern(
            "^ *[A-Za-z0-9_-]{3,40} *$", "3 to 40 letters, digits, dashes or underscores; unique in the program whatever its case.", example: "SPRING-25",
            refusal: "`code` must be 3 to 40 letters, digits, dashes or underscores."),
    ])

    static let statusFilter = QueryParameter.oneOf("status", PartnershipStatus.self, "Only this status.")

    struct CouponCodeDTO: Encodable {
        let id: UUID
        let object = "coupon_code"
        let code: String
        let program: String
        let partnership: UUID
        let createdAt: Date
    }

    static func partnershipID(_ context: AppRequestContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("partnership") }
        return id
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("partnerships") { _, context in try await create(context) }
        api.get("partnerships") { request, context in try await list(request, context) }
        api.patch("partnerships/:id") { _, context in try await update(context) }
        api.get("partnerships/:id/coupon-codes") { request, context in
            let companyID = try context.vendorCompanyID()
            let partnership = try await CouponCodes.partnership(try Self.partnershipID(context), companyID: companyID, on: env.store.db)
            let codes = try await CouponCodes.list(partnershipID: try partnership.requireID(), companyID: companyID, on: env.store.db)
            let slug = partnership.program.slug
            return try APIJSON.response(try PageRequest(request).page(codes, id: \.id).map { try CouponCodeDTO($0, program: slug) })
        }
        api.post("partnerships/:id/coupon-codes") { _, context in
            let companyID = try context.vendorCompanyID()
            let body = try APIJSON.decode(Self.couponContract, from: context)
            let partnership = try await CouponCodes.partnership(try Self.partnershipID(context), companyID: companyID, on: env.store.db)
            let code = try await CouponCodes.assign(partnershipID: try partnership.requireID(), companyID: companyID, code: body.code, now: env.now(), on: env.store.db)
            let slug = partnership.program.slug
            return try APIJSON.response(try CouponCodeDTO(code, program: slug), status: .created)
        }
        api.delete("partnerships/:id/coupon-codes/:code") { _, context in
            let companyID = try context.vendorCompanyID()
            guard let codeID = context.parameters.get("code").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("coupon code") }
            try await CouponCodes.remove(partnershipID: try Self.partnershipID(context), codeID: codeID, companyID: companyID, on: env.store.db)
            return Response(status: .noContent)
        }
    }

    func dto(_ partnership: Partnership, program: Program, account: PartnerAccount) async throws -> PartnershipDTO {
        let link = try await LinkReads.defaultLink(partnershipID: partnership.requireID(), activeOnly: true, on: env.store.db)
        return try PartnershipDTO(partnership, programSlug: program.slug, partnerName: account.name, linkKey: link?.key, baseURL: env.config.baseURL)
    }

    /// A group id as sent: absent or blank means the default group; anything else must be an id.
    static func groupID(_ raw: String?) throws -> UUID? {
        guard let raw = raw.nonBlank else { return nil }
        guard let id = UUID(uuidString: raw) else {
            throw APIError(status: .notFound, code: "not_found", message: "`group` is not a group of this program.", field: "group")
        }
        return id
    }

    /// Enrols a partner by email: an existing partner account joins; a new email gets an
    /// account and an invitation to choose a password. Enrolling twice returns the first.
    func create(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let body = try APIJSON.decode(Self.createContract, from: context)
        let program = try await APILookups.program(slug: body.program, companyID: companyID, on: env.store)
        let baseURL = env.config.baseURL
        let enrolled = try await Partnerships.invite(
            program: program, email: body.email ?? "", name: body.name, groupID: try Self.groupID(body.group), now: env.now(),
            invitationURL: { baseURL + SiteRoute.resetPassword(token: $0).path },
            joinURL: { baseURL + SiteRoute.partnerProgram(id: $0).path }, on: env.store.db
        )
        return try APIJSON.response(try await dto(enrolled.partnership, program: program, account: enrolled.account), status: enrolled.created ? .created : .ok)
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let (programSlug, status) = (try QueryFilters.program.read(request), try Self.statusFilter.read(request))
        let page = try await APILookups.page(request) { after, limit in
            try await PartnershipReads.pageOfCompany(companyID, programSlug: programSlug, status: status, after: after, limit: limit, on: env.store.db)
        }
        return try APIJSON.response(try await page.asyncMap { try await dto($0, program: $0.program, account: $0.partnerAccount) })
    }

    func update(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("partnership") }
        let body = try APIJSON.decode(Self.updateContract, from: context)
        let partnership = try await Partnerships.review(
            partnershipID: id, companyID: companyID, status: body.status, groupID: try Self.groupID(body.group),
            reason: body.reason, actor: .vendor(companyID: companyID), now: env.now(), dashboardURL: env.config.baseURL + SiteRoute.partnerHome.path, on: env.store.db
        )
        // An archived or declined partnership's links stop at once on this node.
        links.invalidateAll()
        return try APIJSON.response(try await dto(partnership, program: partnership.program, account: partnership.partnerAccount))
    }
}

// From the stored rows; the memberwise initializer builds the document's example.
extension PartnershipsAPI.CouponCodeDTO {
    init(_ coupon: CouponCode, program: String) throws {
        id = try coupon.requireID()
        code = coupon.code
        self.program = program
        partnership = coupon.$partnership.id
        createdAt = coupon.createdAt
    }
}

// The answers (`ResponseContract`).
extension PartnershipsAPI {
    static let partnershipResponse = ResponseContract(PartnershipObject.example, name: "Partnership", notes: [
        "program": .programSlug,
        "status": .oneOf(["applied", "active", "declined", "archived"]),
        "partner_key": .text("Names this partner in `POST /customers`, leads and deals."),
        "default_link": FieldNote(description: "The partner's default tracking link, while the partnership is active.", format: .url),
    ])

    static let couponResponse = ResponseContract(
        CouponCodeDTO(id: Examples.id(12), code: "SAM20", program: Examples.programSlug, partnership: Examples.id(2), createdAt: Examples.date),
        name: "CouponCode", notes: ["program": .programSlug]
    )
}
