import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// `/api/v1/partner/messages?program=` (a partner key) and `/api/v1/messages?partnership=`
/// (a vendor key): a thread, newest first and paged, and a new message in it, through the
/// same workflow as the pages (so the other side is mailed the same way). Reading through
/// the API marks nothing read: that is what a person opening the thread does.
struct MessagesAPI {
    let env: WebEnvironment

    struct PartnerBody: Decodable {
        var program: String?
        var body: String?
    }

    struct VendorBody: Decodable {
        var partnership: String?
        var body: String?
    }

    static let partnerContract = BodyContract(PartnerBody.self, name: "PartnerMessageCreate", required: ["program", "body"], notes: [
        "program": .text("The program (its slug)."),
        "body": .text("The message: 1 to 5,000 characters; line breaks kept.", max: 5000),
    ])
    static let vendorContract = BodyContract(VendorBody.self, name: "MessageCreate", required: ["partnership", "body"], notes: [
        "partnership": .id("The partnership (its id)."),
        "body": .text("The message: 1 to 5,000 characters; line breaks kept.", max: 5000),
    ])

    typealias MessageDTO = MessageObject

    static let listLimit = 1000
    static let threadProgram = QueryParameter.text("program", "The program (its slug).").isRequired
    static let threadPartnership = QueryParameter.id("partnership", "The partnership (its id).", what: "a partnership").isRequired

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("partner/messages") { request, context in
            let partnership = try await partnerThread(context, slug: try Self.threadProgram.value(request))
            return try await list(request, partnershipID: try partnership.requireID())
        }
        api.post("partner/messages") { _, context in
            let body = try APIJSON.decode(Self.partnerContract, from: context)
            let partnership = try await partnerThread(context, slug: body.program)
            return try await post(partnership, program: partnership.program, from: .partner, text: body.body, context: context)
        }
        api.get("messages") { request, context in
            let partnership = try await vendorThread(context, id: try Self.threadPartnership.value(request).uuidString)
            return try await list(request, partnershipID: try partnership.requireID())
        }
        api.post("messages") { _, context in
            let body = try APIJSON.decode(Self.vendorContract, from: context)
            let partnership = try await vendorThread(context, id: body.partnership)
            return try await post(partnership, program: partnership.program, from: .vendor, text: body.body, context: context)
        }
    }

    func partnerThread(_ context: AppRequestContext, slug: String?) async throws -> Partnership {
        let accountID = try context.partnerAccountID()
        guard let slug = slug.nonBlank else {
            throw APIError(status: .badRequest, code: "missing_field", message: "`program` (the program's slug) is required.", field: "program")
        }
        guard let partnership = try await PartnershipReads.ofAccount(accountID, programSlug: slug, on: env.store.db).first else {
            throw APIError.notFound("program")
        }
        return partnership
    }

    func vendorThread(_ context: AppRequestContext, id raw: String?) async throws -> Partnership {
        let companyID = try context.vendorCompanyID()
        guard let raw = raw.nonBlank else {
            throw APIError(status: .badRequest, code: "missing_field", message: "`partnership` (its id) is required.", field: "partnership")
        }
        guard let id = UUID(uuidString: raw), let partnership = try await PartnershipReads.find(id: id, companyID: companyID, on: env.store.db) else {
            throw APIError.notFound("partnership")
        }
        return partnership
    }

    func list(_ request: Request, partnershipID: UUID) async throws -> Response {
        let messages = try await MessageReads.thread(partnershipID: partnershipID, limit: Self.listLimit, on: env.store.db).reversed()
        return try APIJSON.response(try PageRequest(request).page(Array(messages), id: \.id).map { try MessageDTO($0) })
    }

    func post(_ partnership: Partnership, program: Program, from side: Message.Side, text: String?, context: AppRequestContext) async throws -> Response {
        let message = try await Messages.post(
            partnership: partnership, program: program, from: side, senderUserID: nil, senderName: "\(try await keyLabel(context)) (API)",
            body: text ?? "", links: MessageThread.links(partnershipID: try partnership.requireID(), baseURL: env.config.baseURL),
            now: env.now(), on: env.store.db
        )
        return try APIJSON.response(try MessageDTO(message), status: .created)
    }

    /// The key's label names the sender (the person behind a key is not known).
    func keyLabel(_ context: AppRequestContext) async throws -> String {
        guard let keyID = context.apiKeyID, let key = try await APIKeyQueries.find(id: keyID, on: env.store.db) else { return "API" }
        return key.label
    }
}

// The answer (`ResponseContract`).
extension MessagesAPI {
    static let messageResponse = ResponseContract(MessageObject.example, name: "Message", notes: [
        "sender": .oneOf(["partner", "vendor"]),
        "sender_name": .text("Who wrote it, or the key's label with \"(API)\"."),
    ])
}
