import FluentKit
import Foundation
import SQLKit
import TandemStore

/// The unsubscribe link in every campaign mail: its token names one send; following it stops
/// that program's campaigns for that partner. No login: the unguessable token is the proof
/// (stored hashed, as every token).
public enum CampaignUnsubscribe {
    public struct Target: Sendable {
        public let programName: String
        public let partnershipID: UUID
        public let unsubscribed: Bool
    }

    /// What a link points at, or nil for a token that names nothing.
    public static func target(token: String, on db: any Database) async throws -> Target? {
        guard !token.isEmpty, token.count < 200 else { return nil }
        guard let send = try await CampaignSend.query(on: db).filter(\.$unsubscribeHash == SecureToken.hash(token))
            .with(\.$partnership) { $0.with(\.$program) }.first() else { return nil }
        struct Row: Decodable { let campaigns_unsubscribed_at: Date? }
        let row = try await (db as! any SQLDatabase).select().column("campaigns_unsubscribed_at").from(Partnership.schema)
            .where("id", .equal, send.$partnership.id).first(decoding: Row.self)
        return Target(programName: send.partnership.program.name, partnershipID: send.$partnership.id, unsubscribed: row?.campaigns_unsubscribed_at != nil)
    }

    /// Stops the program's campaigns for the partner (doing it twice changes nothing).
    public static func confirm(token: String, now: Date, on db: any Database) async throws -> Target? {
        guard let target = try await target(token: token, on: db) else { return nil }
        try await (db as! any SQLDatabase).update(Partnership.schema).set("campaigns_unsubscribed_at", to: SQLBind(now))
            .where("id", .equal, target.partnershipID).where("campaigns_unsubscribed_at", .is, SQLLiteral.null).run()
        return Target(programName: target.programName, partnershipID: target.partnershipID, unsubscribed: true)
    }

    /// A logged-in partner stops or resumes a program's campaigns (Settings → Profile). The
    /// caller checks the partnership is the account's and the role.
    public static func set(partnershipID: UUID, receiving: Bool, now: Date, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        if receiving {
            try await sql.update(Partnership.schema).set("campaigns_unsubscribed_at", to: SQLLiteral.null).where("id", .equal, partnershipID).run()
        } else {
            try await sql.update(Partnership.schema).set("campaigns_unsubscribed_at", to: SQLBind(now))
                .where("id", .equal, partnershipID).where("campaigns_unsubscribed_at", .is, SQLLiteral.null).run()
        }
    }
}
