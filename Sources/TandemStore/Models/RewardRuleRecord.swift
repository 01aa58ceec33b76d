import FluentKit
import Foundation
import TandemDomain

public final class RewardRuleRecord: Model, @unchecked Sendable {
    public static let schema = "reward_rules"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "program_id") public var program: Program
    @OptionalParent(key: "group_id") public var group: ProgramGroup?
    @Field(key: "trigger") public var trigger: String
    /// "flat" or "percent".
    @Field(key: "kind") public var kind: String
    /// Minor units for flat rules, basis points (hundredths of a percent) for percent rules.
    @Field(key: "value") public var value: Int64
    @OptionalField(key: "duration_months") public var durationMonths: Int?
    @OptionalField(key: "min_transaction_amount") public var minTransactionAmount: Int64?
    @Field(key: "description") public var description: String
    @Field(key: "created_at") public var createdAt: Date
    /// Set when the rule stops paying (archived, or replaced by a new version).
    @OptionalField(key: "archived_at") public var archivedAt: Date?
    /// The rule's first version; nil for a first version.
    @OptionalField(key: "version_of") public var versionOf: UUID?

    public init() {}

    /// The id shared by every version of this rule.
    public var lineage: UUID? { versionOf ?? id }

    public init(programID: UUID, groupID: UUID?, trigger: RewardTrigger, amount: RewardAmount, durationMonths: Int?,
                minTransactionAmount: Int64?, description: String, createdAt: Date) {
        self.$program.id = programID
        self.$group.id = groupID
        self.trigger = trigger.rawValue
        switch amount {
        case .flat(let minor): kind = "flat"; value = minor
        case .percent(let bp): kind = "percent"; value = bp
        }
        self.durationMonths = durationMonths
        self.minTransactionAmount = minTransactionAmount
        self.description = description
        self.createdAt = createdAt
    }

    public var rule: RewardRule? {
        guard let id, let trigger = RewardTrigger(rawValue: trigger) else { return nil }
        let amount: RewardAmount = kind == "percent" ? .percent(basisPoints: value) : .flat(value)
        return RewardRule(id: id, trigger: trigger, amount: amount, durationMonths: durationMonths, minTransactionAmount: minTransactionAmount,
                          groupID: $group.id, createdAt: createdAt)
    }
}
