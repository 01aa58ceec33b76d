import Foundation

/// One of each answer, every field filled: the API document reads each answer's fields and
/// types from encoding its example (`ResponseContract`), and shows it.
public enum Examples {
    public static let date = Date(timeIntervalSince1970: 1_795_000_000)
    public static let programSlug = "acme-pro"
    public static func id(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", n))! }
}

extension RewardObject {
    public static let example = RewardObject(
        id: Examples.id(1), program: Examples.programSlug, partnershipId: Examples.id(2), kind: "rule", status: "pending",
        amount: 2_000, originalAmount: 2_000, currency: "USD", description: "20% of a payment", source: "transaction:\(Examples.id(3))",
        declineReason: "Refunded in full.", transactionId: Examples.id(3), customerId: Examples.id(4), withdrawalId: Examples.id(5),
        availableAt: Examples.date, createdAt: Examples.date
    )
}

extension RewardChangeObject {
    public static let example = RewardChangeObject(reward: .example, previousStatus: "pending", reason: "Refunded in full.")
}

extension TransactionObject {
    public static let example = TransactionObject(
        id: Examples.id(3), program: Examples.programSlug, customerKey: "cus_1042", partnershipId: Examples.id(2), externalId: "in_1042",
        amount: 10_000, currency: "USD", refundedAmount: 0, description: "Pro plan, December", occurredAt: Examples.date,
        createdAt: Examples.date, rewards: [.example]
    )
}

extension RefundObject {
    public static let example = RefundObject(id: Examples.id(6), transaction: "in_1042", amount: 2_500, currency: "USD", createdAt: Examples.date)
}

extension CustomerObject {
    public static let example = CustomerObject(
        id: Examples.id(4), program: Examples.programSlug, key: "cus_1042", email: "dana@example.com", name: "Dana Reyes",
        partnershipId: Examples.id(2), clickId: "clk_8f2a1c", attributionNote: "no_referral", signedUpAt: Examples.date, createdAt: Examples.date
    )
}

extension PartnerCustomerObject {
    public static let example = PartnerCustomerObject(
        id: Examples.id(4), program: Examples.programSlug, name: "Dana Reyes", email: "d***@example.com", signedUpAt: Examples.date
    )
}

extension LeadObject {
    public static let example = LeadObject(
        id: Examples.id(7), program: Examples.programSlug, partnershipId: Examples.id(2), email: "ops@globex.example", name: "Hank Scorpio",
        company: "Globex", status: "new", createdAt: Examples.date, updatedAt: Examples.date
    )
}

extension DealObject {
    public static let example = DealObject(
        id: Examples.id(8), program: Examples.programSlug, partnershipId: Examples.id(2), name: "Globex, 50 seats", amount: 1_200_000,
        currency: "USD", stage: "open", createdAt: Examples.date, updatedAt: Examples.date
    )
}

extension MessageObject {
    public static let example = MessageObject(
        id: Examples.id(9), partnership: Examples.id(2), sender: "partner", senderName: "Sam Lee", body: "Is there a banner for the new plan?",
        readAt: Examples.date, createdAt: Examples.date
    )
}

extension PartnershipObject {
    public static let example = PartnershipObject(
        id: Examples.id(2), program: Examples.programSlug, partnerName: "Sam Lee", status: "active", group: Examples.id(10),
        partnerKey: "sam-lee", defaultLink: "https://tandem.example/r/k7Qp2x", createdAt: Examples.date
    )
}

extension WithdrawalObject {
    public static let example = WithdrawalObject(
        id: Examples.id(5), amount: 12_500, currency: "USD", provider: "paypal", recipient: "sam@example.com", status: "paid",
        failureReason: "The PayPal account cannot receive payments.", providerReference: "PAYOUT-5KQ2", rewards: [Examples.id(1)],
        requestedAt: Examples.date, paidAt: Examples.date
    )
}
