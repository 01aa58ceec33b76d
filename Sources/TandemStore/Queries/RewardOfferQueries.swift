import FluentKit
import Foundation
import TandemDomain

/// What a program pays a group, in words ("20% of every payment for 12 months").
public enum RewardOfferQueries {
    /// The rules that pay members of `groupID` (the program's default group when nil), oldest first, per program.
    public static func offers(programIDs: [UUID], groupIDs: [UUID: UUID], on db: any Database) async throws -> [UUID: [String]] {
        guard !programIDs.isEmpty else { return [:] }
        let records = try await RewardRuleRecord.query(on: db).filter(\.$program.$id ~~ programIDs).filter(\.$archivedAt == nil).with(\.$program).sort(\.$createdAt).all()
        var result: [UUID: [String]] = [:]
        for record in records {
            let programID = record.$program.id
            guard let rule = record.rule, rule.groupID == nil || rule.groupID == groupIDs[programID] else { continue }
            // A rule whose trigger needs a switched-off feature can pay nothing: it is not offered.
            let program = record.program
            if (rule.trigger == .leadQualified && !program.featureLeads) || (rule.trigger == .dealWon && !program.featureDeals) { continue }
            let text = record.description.isEmpty ? rule.summary(currency: record.program.currency) : record.description
            result[programID, default: []].append(text)
        }
        return result
    }
}
