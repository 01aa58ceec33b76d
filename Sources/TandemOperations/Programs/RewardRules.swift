import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// Reward rules: what a program pays, per group. The API and the vendor console create
/// them through here, so a rule is checked one way.
public enum RewardRules {
    public struct Input: Sendable {
        public var group: String?
        public var trigger: String?
        /// "flat" or "percent".
        public var kind: String?
        /// Minor units, for a flat rule.
        public var amount: Int64?
        /// A percentage as written ("12.5"), for a percent rule.
        public var percent: String?
        public var durationMonths: Int?
        public var minTransactionAmount: Int64?
        public var description: String?

        public init() {}
    }

    public static func create(program: Program, _ input: Input, now: Date, on db: any Database) async throws -> RewardRuleRecord {
        let record = try await draft(program: program, input, now: now, on: db)
        try await record.create(on: db)
        return record
    }

    /// An edit makes a new version and archives the old one, in one transaction: rewards
    /// already made keep pointing at the version that made them, and an event the old version
    /// paid is not paid again by the new one.
    public static func update(program: Program, ruleID: UUID, _ input: Input, now: Date, on db: any Database) async throws -> RewardRuleRecord {
        let old = try await live(ruleID, program: program, on: db)
        let record = try await draft(program: program, input, now: now, on: db)
        record.versionOf = old.lineage
        try await db.transaction { db in
            old.archivedAt = now
            try await old.save(on: db)
            try await record.create(on: db)
        }
        return record
    }

    /// The rule stops paying; what it already paid stays.
    public static func archive(program: Program, ruleID: UUID, now: Date, on db: any Database) async throws -> RewardRuleRecord {
        let rule = try await live(ruleID, program: program, on: db)
        rule.archivedAt = now
        try await rule.save(on: db)
        return rule
    }

    /// A live rule of this program, or not found.
    static func live(_ id: UUID, program: Program, on db: any Database) async throws -> RewardRuleRecord {
        guard let rule = try await RewardRuleRecord.query(on: db).filter(\.$id == id).filter(\.$program.$id == program.requireID()).first() else {
            throw OperationError.notFound(what: "reward rule")
        }
        guard rule.archivedAt == nil else {
            throw OperationError.conflict(code: "rule_archived", message: "This rule is archived (or was replaced by a newer version); change the live one.")
        }
        return rule
    }

    /// A checked, unsaved rule.
    static func draft(program: Program, _ input: Input, now: Date, on db: any Database) async throws -> RewardRuleRecord {
        let (trigger, amount) = try parse(input)
        if (trigger == .leadQualified && !program.featureLeads) || (trigger == .dealWon && !program.featureDeals) {
            let feature = trigger == .leadQualified ? "Leads" : "Deals"
            throw OperationError.invalid(field: "trigger", message: "\(feature) are switched off in this program, so a \(trigger.rawValue) rule would never pay: switch \(feature.lowercased()) on first.")
        }
        var groupID: UUID?
        if let raw = input.group?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty {
            guard let id = UUID(uuidString: raw), try await ProgramReads.hasGroup(id, programID: program.requireID(), on: db) else {
                throw OperationError.unknownReference(code: "not_found", field: "group", message: "`group` is not a group of this program.")
            }
            groupID = id
        }
        let description = input.description?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let record = RewardRuleRecord(
            programID: try program.requireID(), groupID: groupID, trigger: trigger, amount: amount,
            durationMonths: trigger == .transaction ? input.durationMonths : nil,
            minTransactionAmount: trigger == .transaction ? input.minTransactionAmount : nil, description: description, createdAt: now
        )
        return record
    }

    /// The trigger and amount, or the first thing wrong with the input.
    static func parse(_ input: Input) throws(OperationError) -> (RewardTrigger, RewardAmount) {
        guard let trigger = input.trigger.flatMap(RewardTrigger.init(rawValue:)) else {
            throw .invalid(field: "trigger", message: "`trigger` must be one of signup, transaction, lead_qualified, deal_won, partner_joined.")
        }
        let amount: RewardAmount
        switch input.kind {
        case "flat"?:
            guard let minor = input.amount else { throw .missing(field: "amount", message: "`amount` (minor units) is required for a flat rule.") }
            guard minor > 0 else { throw .invalid(field: "amount", message: "`amount` must be a positive number of minor units.") }
            amount = .flat(minor)
        case "percent"?:
            guard let text = input.percent else { throw .missing(field: "percent", message: "`percent` is required for a percent rule.") }
            guard let bp = RewardMath.basisPoints(fromPercent: text) else { throw .invalid(field: "percent", message: "`percent` may have at most two decimals (e.g. 12.5).") }
            guard bp > 0, bp <= 10_000 else { throw .invalid(field: "percent", message: "`percent` must be more than 0 and at most 100.") }
            guard [RewardTrigger.transaction, .dealWon].contains(trigger) else {
                throw .invalid(field: "kind", message: "A percent rule needs an amount to take a percentage of: use it with transaction or deal_won.")
            }
            amount = .percent(basisPoints: bp)
        default:
            throw .invalid(field: "kind", message: "`kind` must be flat or percent.")
        }
        if let months = input.durationMonths, !(0...120).contains(months) {
            throw .invalid(field: "duration_months", message: "`duration_months` must be from 0 (first transaction only) to 120, or null for lifetime.")
        }
        if let minimum = input.minTransactionAmount, minimum < 0 {
            throw .invalid(field: "min_transaction_amount", message: "`min_transaction_amount` cannot be negative.")
        }
        guard (input.description?.count ?? 0) <= 300 else { throw .invalid(field: "description", message: "`description` must be at most 300 characters.") }
        return (trigger, amount)
    }
}
