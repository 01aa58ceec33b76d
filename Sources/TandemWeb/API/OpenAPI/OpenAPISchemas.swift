import Foundation
import TandemDomain
import TandemIntegrations

/// The shapes the API reads and writes, as `components.schemas` (keys in snake_case, as
/// `APIJSON` encodes them). Request bodies are rendered from the contracts the handlers
/// decode with (`BodyContract`), so what the document says of them is what the server checks;
/// answers from examples of the types the handlers encode (`ResponseContract`).
enum OpenAPISchemas {
    typealias Object = OpenAPIDocument.Object

    /// Every request body, from the contract its handler decodes with.
    static let requestBodies: [any DocumentedBody] = [
        ProgramsAPI.createContract, ProgramsAPI.updateContract, ProgramsAPI.groupCreateContract, ProgramsAPI.groupUpdateContract,
        PartnershipsAPI.createContract, PartnershipsAPI.updateContract, PartnershipsAPI.couponContract,
        CustomersAPI.contract, TransactionsAPI.createContract, TransactionsAPI.refundContract,
        LeadsAndDealsAPI.leadContract, LeadsAndDealsAPI.leadStatusContract, LeadsAndDealsAPI.dealContract, LeadsAndDealsAPI.dealStageContract,
        RewardsAPI.ruleContract, RewardsAPI.manualContract, RewardsAPI.actionContract, RewardsAPI.declineContract, RewardsAPI.reviewContract,
        CampaignsAPI.createContract, CampaignsAPI.updateContract, APIKeysAPI.contract,
        PartnerTeamAPI.inviteContract, PartnerTeamAPI.roleContract, PartnerAPI.linkContract,
        WithdrawalsAPI.methodContract, WithdrawalsAPI.withdrawContract, WithdrawalsAPI.markPaidContract,
        MessagesAPI.partnerContract, MessagesAPI.vendorContract, WebhooksAPI.contract,
    ]

    /// Every answer, from an example of the type its handler encodes.
    static let responseBodies: [any DocumentedResponse] = [
        ProgramsAPI.programResponse, ProgramsAPI.featuresResponse, ProgramsAPI.groupResponse,
        PartnershipsAPI.partnershipResponse, PartnershipsAPI.couponResponse, CustomersAPI.customerResponse,
        TransactionsAPI.transactionResponse, TransactionsAPI.refundResponse, LeadsAndDealsAPI.leadResponse, LeadsAndDealsAPI.dealResponse,
        RewardsAPI.ruleResponse, RewardsAPI.reviewResponse, RewardsAPI.rewardResponse, CampaignsAPI.campaignResponse,
        ResourcesAPI.resourceResponse, PartnerTeamAPI.teammateResponse, MessagesAPI.messageResponse,
        WebhooksAPI.endpointResponse, WebhooksAPI.deliveryResponse, APIKeysAPI.keyResponse,
        WithdrawalsAPI.methodResponse, WithdrawalsAPI.withdrawalResponse,
        PartnerAPI.statsResponse, PartnerAPI.programResponse, PartnerAPI.linkResponse, PartnerAPI.customerResponse, PartnerAPI.marketplaceResponse,
        PartnerStatsAPI.figuresResponse, PartnerStatsAPI.statsResponse,
    ]

    static func all(outbound: OutboundPolicy) -> Object {
        var schemas: Object = ["Error": error]
        for body in requestBodies {
            guard schemas[body.name] == nil else { preconditionFailure("The request body \(body.name) is defined twice.") }
            schemas[body.name] = body.schema(outbound: outbound)
        }
        var names: [ObjectIdentifier: String] = [:]
        for answer in responseBodies {
            guard names.updateValue(answer.name, forKey: answer.type) == nil else { preconditionFailure("\(answer.name)'s type has two schemas.") }
        }
        for answer in responseBodies {
            guard schemas[answer.name] == nil else { preconditionFailure("The schema \(answer.name) is defined twice.") }
            schemas[answer.name] = answer.schema(names: names)
        }
        return schemas
    }

    static var error: Object {
        OpenAPIDocument.object([
            "error": OpenAPIDocument.object([
                "code": OpenAPIDocument.string("snake_case, e.g. `invalid_field`, `not_found`, `idempotency_key_reused`."),
                "message": OpenAPIDocument.string("A sentence for a person."),
                "field": OpenAPIDocument.string("The input at fault, when there is one, e.g. `allowed_domains[2]`."),
            ], required: ["code", "message"]),
        ], required: ["error"])
    }
}
