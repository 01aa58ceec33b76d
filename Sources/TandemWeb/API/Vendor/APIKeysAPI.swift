import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// `/api/v1/api-keys`: the company's keys, as the console's API keys page shows them. The
/// secret is in the 201 only; lists show its first characters (`prefix`).
struct APIKeysAPI {
    let env: WebEnvironment

    struct CreateBody: Decodable {
        var label: String?
    }

    static let contract = BodyContract(CreateBody.self, name: "APIKeyCreate", required: ["label"], notes: [
        "label": .text("To know the key by later.", max: 100),
    ])

    struct KeyDTO: Encodable {
        let id: UUID
        let object = "api_key"
        let label: String
        let prefix: String
        /// Only in the answer to the POST that made the key.
        @NullEncoded var secret: String?
        @NullEncoded var lastUsedAt: Date?
        @NullEncoded var revokedAt: Date?
        let createdAt: Date
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("api-keys") { request, context in
            let keys = try await APIKeyQueries.ofCompany(try context.vendorCompanyID(), on: env.store.db)
            return try APIJSON.response(try PageRequest(request).page(keys, id: \.id).map { try KeyDTO($0) })
        }
        api.post("api-keys") { _, context in
            let companyID = try context.vendorCompanyID()
            let body = try APIJSON.decode(Self.contract, from: context)
            let secret = try await AccountKeys.create(for: .company(companyID), label: body.label, now: env.now(), on: env.store.db)
            guard let key = try await APIKeyQueries.find(secret: secret, on: env.store.db) else { throw APIError.notFound("API key") }
            return try APIJSON.response(try KeyDTO(key, secret: secret), status: .created)
        }
        api.delete("api-keys/:id") { _, context in
            let companyID = try context.vendorCompanyID()
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("API key") }
            try await AccountKeys.revoke(for: .company(companyID), keyID: id, now: env.now(), on: env.store.db)
            guard let key = try await APIKeyQueries.ofCompany(companyID, on: env.store.db).first(where: { $0.id == id }) else {
                throw APIError.notFound("API key")
            }
            return try APIJSON.response(try KeyDTO(key))
        }
    }
}

// From the stored rows; the memberwise initializer builds the document's example.
extension APIKeysAPI.KeyDTO {
    init(_ key: APIKey, secret: String? = nil) throws {
        id = try key.requireID()
        label = key.label
        prefix = key.prefix
        self.secret = secret
        lastUsedAt = key.lastUsedAt
        revokedAt = key.revokedAt
        createdAt = key.createdAt
    }
}

// The answer (`ResponseContract`).
extension APIKeysAPI {
    static let keyResponse = ResponseContract(
        KeyDTO(
            id: Examples.id(17), label: "CRM sync", prefix: "tdm_sk_ab12", secret: "tdm_sk_ab12cd34ef56gh78ij90kl12mn34op56",
            lastUsedAt: Examples.date, revokedAt: Examples.date, createdAt: Examples.date
        ),
        name: "APIKey", notes: [
            "prefix": .text("The first characters of the secret, e.g. `tdm_sk_ab12`."),
            "secret": .text("The secret: only in the answer to the POST that made the key."),
        ]
    )
}
