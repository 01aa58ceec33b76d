import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// The reward lists pages and the API show. Every function is scoped by the caller's
/// partnerships, account or company: a reward of another tenant is never returned.
public enum RewardReads {
    /// The newest rewards of these partnerships, at most `limit`.
    public static func newest(
        partnershipIDs: [UUID], status: RewardStatus?, withdrawalID: UUID?, limit: Int, offset: Int = 0, on db: any Database
    ) async throws -> [Reward] {
        let query = Reward.query(on: db).filter(\.$partnership.$id ~~ partnershipIDs).sort(\.$createdAt, .descending).sort(\.$id)
            .offset(offset).limit(limit)
        if let status { query.filter(\.$status == status) }
        if let withdrawalID { query.filter(\.$withdrawalID == withdrawalID) }
        return try await query.all()
    }

    /// A partner account's rewards with their program loaded, newest first.
    public static func ofAccount(
        accountID: UUID, programSlug: String?, status: RewardStatus?, after: UUID?, limit: Int, on db: any Database
    ) async throws -> (rows: [Reward], hasMore: Bool) {
        let partnerships = Partnership.query(on: db).filter(\.$partnerAccount.$id == accountID)
        if let programSlug {
            partnerships.join(Program.self, on: \Partnership.$program.$id == \Program.$id).filter(Program.self, \.$slug == programSlug)
        }
        let parts = try await partnerships.all().map { partnership throws in
            let part = Reward.query(on: db).filter(\.$partnership.$id == (try partnership.requireID())).with(\.$program)
            if let status { part.filter(\.$status == status) }
            return part
        }
        return try await KeysetPaging.page(parts, order: \.$createdAt, after: after, limit: limit)
    }

    /// A company's rewards, newest first, a page at a time.
    public static func ofCompany(
        companyID: UUID, programSlug: String?, status: RewardStatus?, partnershipID: UUID? = nil, after: UUID?, limit: Int, on db: any Database
    ) async throws -> (rows: [Reward], hasMore: Bool) {
        let programs = Program.query(on: db).filter(\.$company.$id == companyID)
        if let programSlug { programs.filter(\.$slug == programSlug) }
        let parts = try await programs.all().map { program throws in
            let part = Reward.query(on: db).filter(\.$program.$id == (try program.requireID()))
            if let status { part.filter(\.$status == status) }
            if let partnershipID { part.filter(\.$partnership.$id == partnershipID) }
            return part
        }
        return try await KeysetPaging.page(parts, order: \.$createdAt, after: after, limit: limit)
    }

    /// The rewards a rule made for one payment (not its clawbacks), oldest first.
    public static func ofTransaction(_ transactionID: UUID, on db: any Database) async throws -> [Reward] {
        try await Reward.query(on: db).filter(\.$transaction.$id == transactionID).filter(\.$kind == .rule).sort(\.$createdAt).all()
    }

    /// The rule rewards of each of these transactions (a page of the API's list), in one read.
    public static func ofTransactions(_ transactionIDs: [UUID], on db: any Database) async throws -> [UUID: [Reward]] {
        guard !transactionIDs.isEmpty else { return [:] }
        let rewards = try await Reward.query(on: db).filter(\.$transaction.$id ~~ transactionIDs).filter(\.$kind == .rule).sort(\.$createdAt).all()
        return Dictionary(grouping: rewards.filter { $0.$transaction.id != nil }, by: { $0.$transaction.id! })
    }

    /// Each withdrawal's reward ids (only the two columns are read, not whole rewards).
    public static func ids(withdrawalIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [UUID]] {
        guard !withdrawalIDs.isEmpty else { return [:] }
        struct Row: Decodable { let id: UUID; let withdrawal_id: UUID }
        let ids: [any Encodable & Sendable] = withdrawalIDs
        var result: [UUID: [UUID]] = [:]
        for row in try await sql.raw("""
            SELECT id, withdrawal_id FROM rewards WHERE withdrawal_id IN (\(binds: ids)) ORDER BY created_at, id
            """).all(decoding: Row.self) {
            result[row.withdrawal_id, default: []].append(row.id)
        }
        return result
    }
}
