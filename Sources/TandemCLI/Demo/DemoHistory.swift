import FluentKit
import Foundation
import TandemDomain
import TandemOperations
import TandemStore

/// A year of believable activity for the demo partner: clicks through the same writer
/// the redirect uses (so rollups are right); signups, payments, refunds and withdrawals
/// through the same operations the API calls (so the money steps exist once).
/// Deterministic: the same seed makes the same year.
enum DemoHistory {
    /// A small deterministic generator (SplitMix64); the demo must look the same on every machine.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func seed(store: Store, now: Date) async throws {
        try await seedActivity(store: store, now: now)
        // Two months ago the partner cashed out what was available then; what became
        // available since is waiting for the next withdrawal.
        let cashedOut = now.addingTimeInterval(-60 * 86_400)
        try await RewardLedger.releaseDue(now: cashedOut, on: store.db)
        try await seedWithdrawals(store: store, at: cashedOut)
        try await RewardLedger.releaseDue(now: now, on: store.db)
    }

    /// A PayPal payout method and a paid withdrawal per currency, so the history shows money leaving.
    static func seedWithdrawals(store: Store, at now: Date) async throws {
        guard let account = try await PartnerAccount.query(on: store.db).filter(\.$name == "Reyes Media").first() else { return }
        let accountID = try account.requireID()
        _ = try await PayoutMethods.set(accountID: accountID, provider: "paypal", paypalEmail: "dana.reyes@example.com", stripeAccount: nil, now: now, on: store.db)
        let currencies = Set(try await Balances.of(accountID: accountID, on: store.sql).filter { $0.available > 0 }.map(\.currency))
        for code in currencies.sorted() {
            guard let currency = Currency(code: code) else { continue }
            // The same request a partner makes; paid by hand (the demo has no PayPal credentials),
            // so the ledger marks it paid as the vendor's "mark paid" would.
            let withdrawal = try await WithdrawalRequests.request(
                accountID: accountID, currency: currency, liveProviders: [], actor: .system("system"), now: now, on: store.db
            )
            try await store.db.transaction { db in
                try await WithdrawalLedger.markPaid(withdrawal.requireID(), reference: "demo", actor: "system", now: now.addingTimeInterval(2 * 86_400), on: db)
            }
        }
    }

    static func seedActivity(store: Store, now: Date) async throws {
        var random = Generator(state: 2026)
        let partnerships = try await Partnership.query(on: store.db).filter(\.$status == .active).with(\.$program).sort(\.$createdAt).all()
        let recorder = ClickRecorder(store: store)
        let today = (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        var customerNumber = 0
        for (index, partnership) in partnerships.enumerated() where partnership.program.featureLinks {
            let program = partnership.program
            let links = try await Link.query(on: store.db).filter(\.$partnership.$id == partnership.requireID()).all()
            guard let link = links.first else { continue }
            let prices: [Int64] = program.currencyCode == "EUR" ? [2900, 4900, 9900] : [1900, 4900, 14900]
            var customers: [(Customer, Int64)] = []
            for daysAgo in stride(from: 364, through: 0, by: -1) {
                let dayStart = today - Double(daysAgo) * 86_400
                // Grows over the year, with weekly dips and some noise.
                let trend = 6 + Double(364 - daysAgo) / 364 * Double(18 + index * 6)
                let weekday = Int(dayStart / 86_400) % 7
                let base = trend * (weekday >= 5 ? 0.6 : 1.0)
                let clicks = max(0, Int(base + Double(Int.random(in: -4...6, using: &random))))
                var visitors: [String] = []
                // Each visitor's last click of the day: a signup is attributed through it, as
                // the tracking script would, so the link's signups add up to the program's.
                var lastClick: [String: String] = [:]
                for n in 0..<clicks {
                    let returning = !visitors.isEmpty && Int.random(in: 0..<10, using: &random) < 2
                    let visitor = returning ? visitors.randomElement(using: &random)! : String(format: "%016llx%016llx", random.next(), random.next())
                    if !returning { visitors.append(visitor) }
                    let at = Date(timeIntervalSince1970: dayStart + Double(n) * (80_000 / Double(max(clicks, 1))) + 300)
                    let clickID = String(format: "%016llx%016llx", random.next(), random.next())
                    if at.timeIntervalSince1970 < dayStart + 60_000 { lastClick[visitor] = clickID }  // before the signup below
                    recorder.record(RecordedClick(
                        id: clickID, linkID: try link.requireID(),
                        partnershipID: try partnership.requireID(), programID: try program.requireID(), visitor: visitor, at: at
                    ))
                }
                // About one visitor in twenty-five signs up; a third of them pay.
                for visitor in visitors where Int.random(in: 0..<25, using: &random) == 0 {
                    customerNumber += 1
                    let signedUp = Date(timeIntervalSince1970: dayStart + 60_000)
                    let customer = try await Signups.record(
                        Signups.Input(key: "demo_cus_\(customerNumber)", email: "customer\(customerNumber)@example.net",
                                      name: DemoNames.name(customerNumber), clickID: lastClick[visitor],
                                      partnerKey: lastClick[visitor] == nil ? partnership.partnerKey : nil, signedUpAt: signedUp),
                        program: program, recorder: recorder, actor: .system("system"), now: signedUp, on: store.db
                    ).customer
                    if Int.random(in: 0..<3, using: &random) == 0 {
                        customers.append((customer, prices.randomElement(using: &random)!))
                    }
                }
            }
            try await recorder.flush()
            // Paying customers pay monthly from their signup until today; a few refund once.
            var paymentNumber = 0
            for (customer, price) in customers {
                var paidAt = customer.signedUpAt.addingTimeInterval(3600)
                while paidAt <= now {
                    paymentNumber += 1
                    let externalID = "demo_pay_\(program.slug)_\(paymentNumber)"
                    _ = try await Payments.record(
                        program: program, customerKey: customer.key, externalID: externalID, amount: price, currency: program.currency,
                        occurredAt: paidAt, description: "Monthly plan", actor: .system("system"), now: paidAt, on: store.db
                    )
                    if Int.random(in: 0..<40, using: &random) == 0 {
                        _ = try await Payments.refund(
                            program: program, externalID: externalID, amount: price, actor: .system("system"), now: paidAt.addingTimeInterval(86_400), on: store.db
                        )
                    }
                    paidAt = paidAt.addingTimeInterval(30 * 86_400)
                }
            }
        }
    }
}

enum DemoNames {
    static let first = ["Alex", "Bea", "Chen", "Dev", "Elif", "Farah", "Gus", "Hana", "Ivo", "Jun", "Kemi", "Lars", "Mia", "Noor", "Otto", "Priya"]
    static let last = ["Adams", "Berg", "Costa", "Diaz", "Eze", "Fox", "Gray", "Hall", "Ito", "Jensen", "Khan", "Lopez", "Moreau", "Novak", "Okoro", "Park"]

    static func name(_ n: Int) -> String { first[n % first.count] + " " + last[(n / first.count) % last.count] }
}
