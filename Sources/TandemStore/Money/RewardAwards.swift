import FluentKit
import Foundation
import SQLKit
import TandemDomain

extension RewardLedger {
    /// Something that may earn rewards: the event the rules judge, and the source that makes
    /// each rule pay it once.
    public struct Earning: Sendable {
        public let event: RewardEngine.Event
        public let source: String
        public let customerID: UUID?
        public let transactionID: UUID?

        public init(_ event: RewardEngine.Event, source: String, customerID: UUID? = nil, transactionID: UUID? = nil) {
            self.event = event
            self.source = source
            self.customerID = customerID
            self.transactionID = transactionID
        }
    }

    /// Evaluates the program's rules for an event and stores the rewards it earns.
    @discardableResult
    public static func award(
        _ event: RewardEngine.Event, source: String, partnership: Partnership, program: Program,
        customerID: UUID? = nil, transactionID: UUID? = nil, actor: String, now: Date, on db: any Database
    ) async throws -> [Reward] {
        try await awardMany([Earning(event, source: source, customerID: customerID, transactionID: transactionID)],
                            partnership: partnership, program: program, actor: actor, now: now, on: db).first ?? []
    }

    /// `award` for many events of one partnership (the bulk forms of signups and payments): the
    /// rules are read once and the rewards, their audit rows, their `reward.created` events and
    /// the rollups written in a few inserts. Returns each earning's rewards, in order.
    public static func awardMany(
        _ earnings: [Earning], partnership: Partnership, program: Program, actor: String, now: Date, on db: any Database
    ) async throws -> [[Reward]] {
        guard partnership.status == .active, !earnings.isEmpty else { return earnings.map { _ in [] } }
        let programID = try program.requireID(), partnershipID = try partnership.requireID()
        let records = try await RewardRuleRecord.query(on: db).filter(\.$program.$id == programID).all()
        // Archived rules (and replaced versions) pay nothing new.
        let rules = records.filter { $0.archivedAt == nil }.compactMap(\.rule)
        // An event reported again (a lead re-qualified, a deal won twice) pays each rule once,
        // counting every version of a rule as the same rule.
        let lineage = Dictionary(records.compactMap { record in record.id.map { ($0, record.lineage ?? $0) } }, uniquingKeysWith: { a, _ in a })
        var alreadyPaid: [String: Set<UUID>] = [:]
        for chunk in Array(Set(earnings.map(\.source))).chunked(500) {
            for reward in try await Reward.query(on: db).filter(\.$source ~~ Array(chunk)).all() {
                if let rule = reward.$rule.id { alreadyPaid[reward.source, default: []].insert(lineage[rule] ?? rule) }
            }
        }
        var earned: [[Reward]] = []
        for earning in earnings {
            var rewards: [Reward] = []
            for draft in RewardEngine.evaluate(earning.event, rules: rules, groupID: partnership.$group.id) {
                let rule = lineage[draft.ruleID] ?? draft.ruleID
                guard alreadyPaid[earning.source, default: []].insert(rule).inserted else { continue }
                let ruleRecord = records.first { $0.id == draft.ruleID }
                let reward = Reward(
                    programID: programID, partnershipID: partnershipID, kind: .rule, ruleID: draft.ruleID,
                    source: earning.source, customerID: earning.customerID, transactionID: earning.transactionID, amount: draft.amount,
                    currency: program.currency, status: .pending, availableAt: now.addingTimeInterval(Double(program.holdDays) * 86_400),
                    description: ruleRecord.map { $0.description.isEmpty ? ($0.rule?.summary(currency: program.currency) ?? "Reward") : $0.description } ?? "Reward",
                    now: now
                )
                reward.id = db.identifiers.uuid()
                rewards.append(reward)
            }
            earned.append(rewards)
        }
        let all = earned.flatMap { $0 }
        guard !all.isEmpty else { return earned }
        for chunk in all.chunked(500) {
            try await Array(chunk).create(on: db)
            try await chunk.map {
                MoneyEvent(subject: "reward", subjectID: try $0.requireID(), from: nil, to: RewardStatus.pending.rawValue,
                           actor: actor, reason: "earned: \($0.source)", at: now)
            }.create(on: db)
        }
        // Every reward's webhook event is written with it, in the same transaction.
        try await EventOutbox.rewardsCreated(all, programSlug: program.slug, companyID: program.$company.id,
                                             partnerAccountID: partnership.$partnerAccount.id, at: now, on: db)
        let sql = db as! any SQLDatabase
        var pending: Int64 = 0
        for reward in all { pending = try pending.addingChecked(reward.amount) }
        try await PartnershipDaily.add([(partnershipID, ClickDay.string(now), PartnershipDaily.Figures(rewardsPending: pending))], on: sql)
        try await RewardBalances.apply(all.map { RewardBalances.Move(partnershipID: partnershipID, from: nil, to: .init(status: .pending, claimed: false), amount: $0.amount) }, on: sql)
        return earned
    }
}
