import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// `POST /api/v1/customers`: a signup on the vendor's side, attributed to the partner
/// whose link the visitor clicked last within the cookie window.
struct CustomersAPI {
    let env: WebEnvironment
    let tracking: Tracking

    struct CreateBody: Decodable {
        var program: String?
        var key: String?
        var email: String?
        var name: String?
        var clickId: String?
        var partnerKey: String?
        var signedUpAt: Date?
        var couponCode: String?
    }

    typealias CustomerDTO = CustomerObject

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("customers") { _, context in try await create(context) }
        api.get("customers") { request, context in try await list(request, context) }
    }

    func create(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let body = try APIJSON.decode(CreateBody.self, from: context)
        let program = try await APILookups.program(slug: body.program, companyID: companyID, on: env.store)
        let input = Signups.Input(
            key: body.key.nonBlank ?? "", email: body.email.nonBlank, name: body.name.nonBlank, clickID: body.clickId.nonBlank,
            partnerKey: body.partnerKey.nonBlank, signedUpAt: body.signedUpAt, couponCode: body.couponCode.nonBlank
        )
        let recorded = try await Signups.record(
            input, program: program, recorder: tracking.recorder, actor: .vendor(companyID: companyID), now: env.now(), on: env.store.db
        )
        return try APIJSON.response(try CustomerDTO(recorded.customer, programSlug: program.slug), status: recorded.created ? .created : .ok)
    }

    /// `program`, `partnership`; newest signup first.
    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = try await APILookups.listPage(request, companyID: context.vendorCompanyID(), on: env.store)
        let (rows, hasMore) = try await APILookups.listed { try await CompanyListReads.customers(page, on: env.store.sql) }
        return try APIJSON.response(ListPage(data: rows.map(CustomerDTO.init), hasMore: hasMore))
    }
}

extension CustomerObject {
    init(_ item: CompanyListReads.CustomerItem) {
        self.init(
            id: item.id, program: item.program, key: item.key, email: item.email, name: item.name, partnershipId: item.partnership_id,
            clickId: item.click_id, attributionNote: item.attribution_note, signedUpAt: item.signed_up_at, createdAt: item.created_at
        )
    }
}
