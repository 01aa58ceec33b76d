import Foundation
import SQLKit
import TandemDomain

/// The numbers of the vendor's Overview, summed from the rollups (clicks from `click_daily`,
/// the rest from `partnership_daily`) and `reward_balances`: never a scan of events.
public enum CompanyOverviewReads {
    public struct ProgramFigures: Sendable {
        public var clicks: Int64 = 0
        public var signups: Int64 = 0
        public var payingCustomers: Int64 = 0
        public var net: Int64 = 0
        /// Pending or held: earned, not yet reviewed or released.
        public var rewardsPending: Int64 = 0
        public var rewardsAvailable: Int64 = 0
        public var rewardsPaid: Int64 = 0

        public init() {}
    }

    public static func programFigures(programIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: ProgramFigures] {
        guard !programIDs.isEmpty else { return [:] }
        let ids: [any Encodable & Sendable] = programIDs
        var result: [UUID: ProgramFigures] = [:]
        struct Clicks: Decodable { let program_id: UUID; let total: Int64? }
        for row in try await sql.raw("""
            SELECT program_id, CAST(SUM(unique_clicks) AS BIGINT) AS total FROM click_daily WHERE program_id IN (\(binds: ids)) GROUP BY program_id
            """).all(decoding: Clicks.self) {
            result[row.program_id, default: .init()].clicks = row.total ?? 0
        }
        struct Daily: Decodable { let program_id: UUID; let signups: Int64?; let paying_customers: Int64?; let net: Int64?; let rewards_paid: Int64? }
        for row in try await sql.raw("""
            SELECT s.program_id, CAST(SUM(d.signups) AS BIGINT) AS signups, CAST(SUM(d.paying_customers) AS BIGINT) AS paying_customers,
                   CAST(SUM(d.net) AS BIGINT) AS net, CAST(SUM(d.rewards_paid) AS BIGINT) AS rewards_paid
            FROM partnership_daily d JOIN partnerships s ON s.id = d.partnership_id WHERE s.program_id IN (\(binds: ids)) GROUP BY s.program_id
            """).all(decoding: Daily.self) {
            var figures = result[row.program_id] ?? .init()
            figures.signups = row.signups ?? 0
            figures.payingCustomers = row.paying_customers ?? 0
            figures.net = row.net ?? 0
            figures.rewardsPaid = row.rewards_paid ?? 0
            result[row.program_id] = figures
        }
        for (programID, states) in try await RewardBalances.of(programIDs: programIDs, on: sql) {
            var figures = result[programID] ?? .init()
            for (state, tally) in states {
                switch state {
                case .pending, .held: figures.rewardsPending = try figures.rewardsPending.addingChecked(tally.amount)
                case .available, .inWithdrawal: figures.rewardsAvailable = try figures.rewardsAvailable.addingChecked(tally.amount)
                case .paid, .declined: break
                }
            }
            result[programID] = figures
        }
        return result
    }

    /// What waits for the vendor: counts for the to-do box.
    public struct ToDo: Sendable {
        public var applications: Int64 = 0
        public var rewardsPending: Int64 = 0
        public var rewardsHeld: Int64 = 0
        public var withdrawalsToPay: Int64 = 0
        public var newLeads: Int64 = 0
        public var openDeals: Int64 = 0
    }

    public static func toDo(companyID: UUID, programIDs: [UUID], on sql: any SQLDatabase) async throws -> ToDo {
        var todo = ToDo()
        guard !programIDs.isEmpty else { return todo }
        let ids: [any Encodable & Sendable] = programIDs
        struct Count: Decodable { let total: Int64 }
        func count(_ query: SQLQueryString) async throws -> Int64 { try await sql.raw(query).first(decoding: Count.self)?.total ?? 0 }
        todo.applications = try await count("SELECT CAST(COUNT(*) AS BIGINT) AS total FROM partnerships WHERE program_id IN (\(binds: ids)) AND status = 'applied'")
        let rewards = try await CompanyRewardReads.statusCounts(programIDs: programIDs, on: sql)
        todo.rewardsPending = rewards[.pending] ?? 0
        todo.rewardsHeld = rewards[.held] ?? 0
        todo.withdrawalsToPay = try await count("""
            SELECT CAST(COUNT(DISTINCT w.id) AS BIGINT) AS total FROM withdrawal_programs p JOIN withdrawals w ON w.id = p.withdrawal_id
            WHERE p.company_id = \(bind: companyID) AND w.provider = 'manual' AND w.status IN ('requested', 'processing')
            """)
        todo.newLeads = try await count("SELECT CAST(COUNT(*) AS BIGINT) AS total FROM leads WHERE program_id IN (\(binds: ids)) AND status = 'new'")
        todo.openDeals = try await count("SELECT CAST(COUNT(*) AS BIGINT) AS total FROM deals WHERE program_id IN (\(binds: ids)) AND stage = 'open'")
        return todo
    }

    /// The programs' Overview by bucket (`ReportQueries.overview(partnershipsWhere:)`, summed in SQL).
    public static func overview(programIDs: [UUID], starts: [Date], end: Date, on sql: any SQLDatabase) async throws -> ReportQueries.Overview {
        guard !programIDs.isEmpty else { return ReportQueries.Overview(count: starts.count) }
        let ids: [any Encodable & Sendable] = programIDs
        return try await ReportQueries.overview(partnershipsWhere: "s.program_id IN (\(binds: ids))", starts: starts, end: end, on: sql)
    }
}
