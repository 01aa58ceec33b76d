import FluentKit
import Foundation
import SQLKit
import TandemDomain
import TandemStore
import TandemWeb
import ArgumentParser

/// One busy partnership — 1,000,000 clicks, 50,000 customers, 200,000 transactions and
/// their rewards over 12 months — written with batched SQL so seeding takes a minute, not an hour.
enum LargeDataset {
    static let email = "large@example.com"
    static let clicks = 1_000_000
    static let customers = 50_000
    static let transactions = 200_000

    static func seed(store: Store, hasher: PasswordHasher, now: Date) async throws -> Bool {
        if try await AccountQueries.user(email: email, on: store.db) != nil { return false }
        let hash = try await hasher.hash(DemoData.password)
        let yearAgo = now.addingTimeInterval(-365 * 86_400)
        let (_, account) = try await AccountQueries.createPartner(name: "Lara Large", email: email, passwordHash: hash, accountName: "Large Media", now: yearAgo, on: store.db)
        let (_, company) = try await AccountQueries.createVendor(company: "Large Co", name: "Owner", email: "owner@large.example", passwordHash: hash, now: yearAgo, on: store.db)
        let program = Program(
            companyID: try company.requireID(), name: "Large Program", slug: "large-program", description: "A busy program for measuring pages.",
            category: "Software", currency: .usd, defaultDestination: "https://large.example/", allowedDomains: ["large.example"],
            minWithdrawal: 5000, marketplace: false, autoApprove: true, features: ProgramFeatures(leads: true, deals: true), createdAt: yearAgo
        )
        try await program.create(on: store.db)
        let group = ProgramGroup(programID: try program.requireID(), name: "Default", isDefault: true, createdAt: yearAgo)
        try await group.create(on: store.db)
        try await RewardRuleRecord(programID: try program.requireID(), groupID: nil, trigger: .transaction, amount: .percent(basisPoints: 2000),
                                   durationMonths: nil, minTransactionAmount: nil, description: "", createdAt: yearAgo).create(on: store.db)
        let partnership = try await PartnershipQueries.create(
            program: program, accountID: try account.requireID(), groupID: try group.requireID(), status: .active, now: yearAgo, on: store.db
        )
        let link = try await requireLink(partnership, store)
        var random = DemoHistory.Generator(state: 42)
        let programID = try program.requireID(), partnershipID = try partnership.requireID(), linkID = try link.requireID()

        // Clicks through the same writer as the redirect, so rollups and the uniqueness ledger are right.
        let recorder = ClickRecorder(store: store)
        for n in 0..<clicks {
            let at = yearAgo.addingTimeInterval(Double(n) / Double(clicks) * 365 * 86_400)
            recorder.record(RecordedClick(
                id: String(format: "%012llx%020llx", UInt64(at.timeIntervalSince1970 * 1000), random.next() >> 48), linkID: linkID,
                partnershipID: partnershipID, programID: programID, visitor: String(format: "%016llx%016llx", random.next() % 400_000, 0), at: at
            ))
            if n % 50_000 == 49_999 { try await recorder.flush() }
        }
        try await recorder.flush()

        let sql = store.sql
        var customerRows: [(UUID, Date)] = []
        for chunk in Array(0..<customers).chunked(500) {
            let insert = sql.insert(into: Customer.schema).columns("id", "program_id", "key", "email", "name", "partnership_id", "signed_up_at", "created_at")
            for n in chunk {
                let id = UUID()
                let at = yearAgo.addingTimeInterval(Double(n) / Double(customers) * 360 * 86_400)
                customerRows.append((id, at))
                insert.values(id, programID, "large_\(n)", "c\(n)@large.example", DemoNames.name(n), partnershipID, at, at)
            }
            try await insert.run()
        }
        let transactionIDs = (0..<transactions).map { _ in UUID() }
        for chunk in Array(0..<transactions).chunked(400) {
            let insertTx = sql.insert(into: SaleTransaction.schema)
                .columns("id", "program_id", "customer_id", "partnership_id", "external_id", "amount", "currency", "refunded_amount", "occurred_at", "created_at")
            let insertReward = sql.insert(into: Reward.schema)
                .columns("id", "program_id", "partnership_id", "kind", "source", "customer_id", "transaction_id", "original_amount", "amount", "currency",
                         "status", "available_at", "description", "created_at", "updated_at")
            for n in chunk {
                let (customerID, signedUp) = customerRows[n % customers]
                let at = min(now, signedUp.addingTimeInterval(Double(n / customers) * 30 * 86_400 + 3600))
                let amount = Int64([1900, 4900, 9900][n % 3])
                let reward = RewardMath.percent(amount, basisPoints: 2000)
                let status = at < now.addingTimeInterval(-60 * 86_400) ? "paid" : (at < now.addingTimeInterval(-30 * 86_400) ? "available" : "pending")
                insertTx.values(transactionIDs[n], programID, customerID, partnershipID, "large_tx_\(n)", amount, "USD", Int64(0), at, at)
                insertReward.values(UUID(), programID, partnershipID, "rule", "transaction:\(transactionIDs[n].uuidString)", customerID, transactionIDs[n],
                                    reward, reward, "USD", status, at.addingTimeInterval(30 * 86_400), "20% of every payment", at, at)
            }
            try await insertTx.run()
            try await insertReward.run()
        }
        // The rows above bypassed the ledgers, so the daily rollup is computed once from them.
        try await PartnershipDaily.rebuild(partnershipID: partnershipID, on: store.db)
        return true
    }

    static func requireLink(_ partnership: Partnership, _ store: Store) async throws -> Link {
        guard let link = try await Link.query(on: store.db).filter(\.$partnership.$id == partnership.requireID()).first() else {
            throw ValidationError("The partnership has no default link.")
        }
        return link
    }
}
