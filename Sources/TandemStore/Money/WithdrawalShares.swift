import Foundation
import SQLKit
import TandemDomain

/// A withdrawal's share per program: written with the withdrawal, kept when it fails.
public enum WithdrawalShares {
    static let table = "withdrawal_programs"

    public struct Share: Decodable, Sendable {
        public let withdrawal_id: UUID
        public let program_id: UUID
        public let company_id: UUID
        public let amount: Int64
        public let rewards: Int64
    }

    /// Records how much of the new withdrawal each program owes (inside its transaction).
    static func record(withdrawalID: UUID, claimed: [(programID: UUID, companyID: UUID, amount: Int64)], on sql: any SQLDatabase) async throws {
        var byProgram: [UUID: (companyID: UUID, amount: Int64, rewards: Int64)] = [:]
        for item in claimed {
            var share = byProgram[item.programID] ?? (item.companyID, 0, 0)
            share.amount = try share.amount.addingChecked(item.amount)
            share.rewards += 1
            byProgram[item.programID] = share
        }
        for (programID, share) in byProgram.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            try await sql.insert(into: table)
                .columns("withdrawal_id", "program_id", "company_id", "amount", "rewards")
                .values(SQLBind(withdrawalID), SQLBind(programID), SQLBind(share.companyID), SQLBind(share.amount), SQLBind(share.rewards))
                .run()
        }
    }

    /// Each withdrawal's shares.
    public static func of(withdrawalIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [Share]] {
        guard !withdrawalIDs.isEmpty else { return [:] }
        let ids: [any Encodable & Sendable] = withdrawalIDs
        return Dictionary(grouping: try await sql.raw("""
            SELECT withdrawal_id, program_id, company_id, amount, rewards FROM withdrawal_programs WHERE withdrawal_id IN (\(binds: ids))
            """).all(decoding: Share.self), by: \.withdrawal_id)
    }
}
