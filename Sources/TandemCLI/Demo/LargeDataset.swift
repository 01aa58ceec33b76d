import FluentKit
import Foundation
import SQLKit
import TandemDomain
import TandemOperations
import TandemStore
import TandemWeb

/// One busy partnership over 12 months — by default 1,000,000 clicks, 50,000 customers and
/// 200,000 payments — made through the same workflows the API and the demo use: clicks go
/// through the redirect's recorder, customers through `Signups.recordMany`, payments through
/// `Payments.recordMany` (rewards, rollups and money events with them), and each month's
/// available rewards are withdrawn and paid through `WithdrawalRequests` and `ManualPayouts`.
/// Operations are grouped into transactions of `batch` so the database commits rarely.
enum LargeDataset {
    static let email = "large@example.com"

    struct Size: Sendable {
        var clicks = 1_000_000
        var customers = 50_000
        var transactions = 200_000
    }

    static let batch = 2_000

    /// The program, its partnership and link, made on the first run; found on a later one.
    struct World {
        let accountID: UUID
        let companyID: UUID
        let program: Program
        let partnership: Partnership
        let linkID: UUID
    }

    static func world(store: Store, hasher: PasswordHasher, yearAgo: Date) async throws -> World? {
        if try await AccountQueries.user(email: email, on: store.db) != nil {
            guard let program = try await Program.query(on: store.db).filter(\.$slug == "large-program").first(),
                  let partnership = try await Partnership.query(on: store.db).filter(\.$program.$id == program.requireID()).first(),
                  let link = try await LinkReads.defaultLink(partnershipID: try partnership.requireID(), on: store.db) else { return nil }
            return World(accountID: partnership.$partnerAccount.id, companyID: program.$company.id, program: program, partnership: partnership, linkID: try link.requireID())
        }
        let hash = try await hasher.hash(DemoData.password)
        let (_, account) = try await AccountQueries.createPartner(name: "Lara Large", email: email, passwordHash: hash, accountName: "Large Media", now: yearAgo, on: store.db)
        let (_, company) = try await AccountQueries.createVendor(company: "Large Co", name: "Owner", email: "owner@large.example", passwordHash: hash, now: yearAgo, on: store.db)
        let companyID = try company.requireID(), accountID = try account.requireID()

        var settings = ProgramSettings.Changes()
        settings.name = "Large Program"
        settings.slug = "large-program"
        settings.description = "A busy program for measuring pages."
        settings.category = "Software"
        settings.currency = "USD"
        settings.defaultDestination = "https://large.example/"
        settings.minWithdrawal = 5000
        settings.autoApprove = true
        settings.featureLeads = true
        settings.featureDeals = true
        let (program, group) = try await ProgramSettings.create(companyID: companyID, settings, now: yearAgo, on: store.db)
        var rule = RewardRules.Input()
        rule.trigger = "transaction"
        rule.kind = "percent"
        rule.percent = "20"
        _ = try await RewardRules.create(program: program, rule, now: yearAgo, on: store.db)
        let partnership = try await PartnershipQueries.create(
            program: program, accountID: accountID, groupID: try group.requireID(), status: .active, now: yearAgo, on: store.db
        )
        _ = try await PayoutMethods.set(accountID: accountID, provider: "paypal", paypalEmail: "lara@large.example", stripeAccount: nil, now: yearAgo, on: store.db)
        guard let link = try await LinkReads.defaultLink(partnershipID: try partnership.requireID(), on: store.db) else { return nil }
        return World(accountID: accountID, companyID: companyID, program: program, partnership: partnership, linkID: try link.requireID())
    }

    /// Seeds what is missing: a run that was stopped goes on where it stopped. Clicks and customers
    /// are counted; payments are recorded in a fixed order, a batch a transaction, so those stored
    /// are a prefix of that order and the run goes on after it (the month-end payouts before it
    /// find nothing left to pay, or finish the one a stop interrupted). `progress` hears each step
    /// and about every tenth of the payments. false: the whole dataset is already there.
    /// `payout` hears each month's end when the partner's withdrawal is requested (before the
    /// vendor pays it) and when it is paid: where the tests stop a run to see the next one go on.
    static func seed(
        store: Store, hasher: PasswordHasher, now: Date, size: Size = Size(), progress: (String) throws -> Void = { _ in },
        payout: (Date, PayoutStep) throws -> Void = { _, _ in }
    ) async throws -> Bool {
        guard let world = try await world(store: store, hasher: hasher, yearAgo: now.addingTimeInterval(-365 * 86_400)) else {
            throw SeedError(description: "The database holds \(email) but not the large program: seed an empty database.")
        }
        // A stopped run goes on in the year the first run began (its program's): the same times,
        // so the payments keep their order and the month ends their dates.
        let yearAgo = world.program.createdAt, now = world.program.createdAt.addingTimeInterval(365 * 86_400)
        let (program, partnership, accountID, companyID) = (world.program, world.partnership, world.accountID, world.companyID)
        let programID = try program.requireID(), partnershipID = try partnership.requireID(), linkID = world.linkID
        struct Count: Decodable { let total: Int64 }
        func count(_ table: String) async throws -> Int {
            Int(try await store.sql.raw("SELECT CAST(COUNT(*) AS BIGINT) AS total FROM \(unsafeRaw: table) WHERE program_id = \(bind: programID)")
                .first(decoding: Count.self)?.total ?? 0)
        }
        // Clicks from their daily rollup: counting ten million rows takes a minute.
        let clicksBefore = Int(try await store.sql.raw("SELECT CAST(COALESCE(SUM(clicks), 0) AS BIGINT) AS total FROM click_daily WHERE program_id = \(bind: programID)")
            .first(decoding: Count.self)?.total ?? 0), customersBefore = try await count("customers"), paymentsBefore = try await count("transactions")
        if clicksBefore >= size.clicks, customersBefore >= size.customers, paymentsBefore >= size.transactions {
            // Every row is there, but the month ends after the last payment (a seed with fewer
            // payments than customers has some) may be unfinished: a withdrawal requested and not
            // paid, or rewards due by `now` still on hold (the run's last step releases them). They go
            // on from the unpaid withdrawal's month, else from the month after the last one paid, as
            // the run would have. With neither the dataset is whole, and the month ends must not run
            // again: they would withdraw, at their own dates, what that last step released.
            func monthEnd(of date: Date) -> Date {
                yearAgo.addingTimeInterval((date.timeIntervalSince(yearAgo) / (30 * 86_400)).rounded() * 30 * 86_400)
            }
            let start: Date
            if let unpaid = try await unpaidWithdrawal(accountID: accountID, before: now, store: store) {
                start = monthEnd(of: unpaid.requestedAt)
            } else if try await Reward.query(on: store.db).filter(\.$partnership.$id == partnershipID).filter(\.$status == .pending)
                .filter(\.$availableAt <= now).count() > 0 {
                let last = try await Withdrawal.query(on: store.db).filter(\.$partnerAccount.$id == accountID).sort(\.$requestedAt, .descending).first()
                start = last.map { monthEnd(of: $0.requestedAt).addingTimeInterval(30 * 86_400) } ?? yearAgo.addingTimeInterval(30 * 86_400)
            } else {
                return false
            }
            try await finishPayouts(from: start, now: now, accountID: accountID, companyID: companyID, store: store, payout: payout)
            return true
        }
        var random = DemoHistory.Generator(state: 42 &+ UInt64(clicksBefore))

        // Clicks through the same writer as the redirect, so rollups and the uniqueness ledger are right.
        let recorder = ClickRecorder(store: store)
        for n in min(clicksBefore, size.clicks)..<size.clicks {
            let at = yearAgo.addingTimeInterval(Double(n) / Double(size.clicks) * 365 * 86_400)
            recorder.record(RecordedClick(
                id: String(format: "%012llx%020llx", UInt64(at.timeIntervalSince1970 * 1000), random.next() >> 48), linkID: linkID,
                partnershipID: partnershipID, programID: programID, visitor: String(format: "%016llx%016llx", random.next() % 400_000, 0), at: at
            ))
            if n % 50_000 == 49_999 { try await recorder.flush() }
        }
        try await recorder.flush()
        try progress("clicks: \(size.clicks)")

        // Customers in bulk (`Signups.recordMany`), a batch per transaction, so a stopped run
        // leaves whole batches and the next one starts at the first key not made.
        let signups = (0..<size.customers).map { n in (n, yearAgo.addingTimeInterval(Double(n) / Double(max(1, size.customers)) * 360 * 86_400)) }
        for chunk in Array(signups[min(customersBefore, size.customers)...]).chunked(5_000) {
            _ = try await Signups.recordMany(
                chunk.map { Signups.Input(key: "large_\($0.0)", email: "c\($0.0)@large.example", name: DemoNames.name($0.0), partnerKey: partnership.partnerKey, signedUpAt: $0.1) },
                partnership: partnership, program: program, actor: .system("seed"), now: chunk.last?.1 ?? now, on: store.db
            )
        }
        try progress("customers: \(size.customers)")
        guard paymentsBefore < size.transactions else { return true }

        // Payments in the order they happened; at each month's end the partner withdraws what is
        // available and the vendor pays it, so the history holds paid, available and pending money.
        guard size.customers > 0 else { return true }
        let payments = (0..<size.transactions).map { n -> (n: Int, at: Date) in
            let signedUp = signups[n % size.customers].1
            return (n, min(now, signedUp.addingTimeInterval(Double(n / size.customers) * 30 * 86_400 + 3600)))
        }.sorted { ($0.at, $0.n) < ($1.at, $1.n) }
        var index = paymentsBefore
        if index > 0 {
            // The stored ones must be the order's prefix: its last is there, the next is not.
            func stored(_ n: Int) async throws -> Bool {
                try await SaleTransaction.query(on: store.db).filter(\.$program.$id == programID).filter(\.$externalID == "large_tx_\(n)").count() > 0
            }
            guard try await stored(payments[index - 1].n), try await !stored(payments[index].n) else {
                throw SeedError(description: "The program's payments are not the ones a stopped seed leaves: seed an empty database.")
            }
            try progress("payments: going on after \(index) of \(payments.count)")
        }
        var monthEnd = yearAgo.addingTimeInterval(30 * 86_400)
        var reported = index * 10 / payments.count
        while index < payments.count {
            let end = min(payments.count, index + batch)
            let window = payments[index..<end]
            let chunk = window.firstIndex(where: { $0.at >= monthEnd }).map { window[index..<$0] } ?? window
            if chunk.isEmpty {
                try await payOut(accountID: accountID, companyID: companyID, at: monthEnd, store: store, payout: payout)
                monthEnd = monthEnd.addingTimeInterval(30 * 86_400)
                continue
            }
            // In bulk, as the same workflow: each chunk is at most a day or so of payments, and its
            // rewards start their hold at the chunk's last payment.
            _ = try await Payments.recordMany(
                chunk.map { Payments.BulkInput(customerKey: "large_\($0.n % size.customers)", externalID: "large_tx_\($0.n)",
                                               amount: Int64([1900, 4900, 9900][$0.n % 3]), occurredAt: $0.at) },
                program: program, currency: .usd, actor: .system("seed"), now: chunk.last?.at ?? now, on: store.db
            )
            index += chunk.count
            if index * 10 / payments.count > reported, index < payments.count {
                reported = index * 10 / payments.count
                try progress("payments: \(index) of \(payments.count)")
            }
        }
        try await finishPayouts(from: monthEnd, now: now, accountID: accountID, companyID: companyID, store: store, payout: payout)
        try progress("payments: \(size.transactions)")
        return true
    }

    /// The month ends from `monthEnd` on that the payments did not reach, then the rewards due by
    /// `now`; and the seed's events, which no endpoint hears, dropped rather than left to the
    /// server's first passes.
    static func finishPayouts(
        from monthEnd: Date, now: Date, accountID: UUID, companyID: UUID, store: Store, payout: (Date, PayoutStep) throws -> Void
    ) async throws {
        var monthEnd = monthEnd
        while monthEnd < now.addingTimeInterval(-30 * 86_400) {
            try await payOut(accountID: accountID, companyID: companyID, at: monthEnd, store: store, payout: payout)
            monthEnd = monthEnd.addingTimeInterval(30 * 86_400)
        }
        _ = try await RewardLedger.releaseDue(now: now, on: store.db)
        while try await WebhookDispatch.fanOut(now: now, limit: 10_000, on: store.db) > 0 {}
    }

    /// The partner's withdrawal a stopped seed requested before `at` and did not pay (the second
    /// is a margin for the database's rounding of the time).
    static func unpaidWithdrawal(accountID: UUID, before at: Date, store: Store) async throws -> Withdrawal? {
        try await Withdrawal.query(on: store.db).filter(\.$partnerAccount.$id == accountID).filter(\.$status == .requested)
            .filter(\.$requestedAt < at.addingTimeInterval(1)).first()
    }

    /// Month's end: rewards past their hold become available, the partner withdraws them (a manual
    /// payout: no provider is configured for the seed) and the vendor marks the withdrawal paid.
    static func payOut(accountID: UUID, companyID: UUID, at: Date, store: Store, payout: (Date, PayoutStep) throws -> Void) async throws {
        _ = try await RewardLedger.releaseDue(now: at, on: store.db)
        let withdrawal: Withdrawal
        // A stopped seed may have requested this month's and not paid it.
        if let unpaid = try await unpaidWithdrawal(accountID: accountID, before: at, store: store) {
            withdrawal = unpaid
        } else {
            do {
                withdrawal = try await WithdrawalRequests.request(accountID: accountID, currency: .usd, liveProviders: [], actor: .partner(accountID: accountID), now: at, on: store.db)
            } catch is OperationError {
                return  // nothing available yet, or below the minimum: next month
            }
        }
        try payout(at, .requested)
        _ = try await ManualPayouts.markPaid(
            withdrawalID: try withdrawal.requireID(), companyID: companyID, actor: .vendor(companyID: companyID), now: at.addingTimeInterval(86_400), on: store.db
        )
        try payout(at, .paid)
    }
}

/// Where `LargeDataset.seed` is in a month's payout when it tells its `payout` closure.
enum PayoutStep: Sendable { case requested, paid }

struct SeedError: Error, CustomStringConvertible {
    let description: String
}
