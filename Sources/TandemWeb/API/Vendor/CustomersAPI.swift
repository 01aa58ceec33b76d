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

    static let contract = BodyContract(CreateBody.self, name: "CustomerCreate", required: ["program", "key"], notes: [
        "program": .programSlug,
        "key": .text("Your own id for this customer; unique per program. Sending it again returns the first customer.", max: 255),
        "email": .email(),
        "name": .text(max: 200),
        "click_id": .text("The `tdm_click` value the tracking script kept.", max: 64),
        "partner_key": .text("Attributes to this partner when there is no `click_id`."),
        "coupon_code": .text(
            "A partner's coupon code, any case: attributes the customer when no click does (always, with the program's `coupon_wins`).", max: 100),
        "signed_up_at": .text("Now when left out."),
    ])

    typealias CustomerDTO = CustomerObject

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("customers") { _, context in try await create(context) }
        api.get("customers") { request, context in try await list(request, context) }
    }

    func create(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let body = try APIJSON.decode(Self.contract, from: context)
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

// The answer (`ResponseContract`).
extension CustomersAPI {
    static let customerResponse = ResponseContract(CustomerObject.example, name: "Customer", notes: [
        "program": .programSlug,
        "partnership_id": .text("The partnership the customer is attributed to; null when unattributed."),
        "attribution_note": .text("""
            Why the customer is not attributed, when it is not: e.g. `no_referral`, `unknown_click`, \
            `click_outside_window`, `click_of_another_program`, `unknown_partner_key`, `partnership_not_active`, `self_referral`.
            """),
    ])
}
