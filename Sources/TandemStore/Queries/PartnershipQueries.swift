import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// Creating partnerships, the one way: a fresh partner key, and a default link when active.
public enum PartnershipQueries {
    public static func create(
        program: Program, accountID: UUID, groupID: UUID, status: PartnershipStatus, now: Date, on db: any Database
    ) async throws -> Partnership {
        let partnership = Partnership(
            programID: try program.requireID(), partnerAccountID: accountID, groupID: groupID, status: status,
            partnerKey: db.identifiers.key(12), createdAt: now
        )
        try await partnership.create(on: db)
        if status == .active {
            try await activated(partnership, program: program, actor: "system", now: now, on: db)
        }
        try await EventOutbox.partnership(partnership, created: true, at: now, on: db)
        return partnership
    }

    /// What becoming active brings: the default link, the `partner_joined` rewards (once), and
    /// the moment of joining the campaigns count from (the first time only).
    public static func activated(_ partnership: Partnership, program: Program, actor: String, now: Date, on db: any Database) async throws {
        try await (db as! any SQLDatabase).update(Partnership.schema).set("joined_at", to: SQLBind(now))
            .where("id", .equal, try partnership.requireID()).where("joined_at", .is, SQLLiteral.null).run()
        try await LinkQueries.ensureDefaultLink(for: partnership, program: program, now: now, on: db)
        try await RewardLedger.award(.partnerJoined, source: "join:\(try partnership.requireID().uuidString)", partnership: partnership,
                                     program: program, actor: actor, now: now, on: db)
    }
}
