import FluentKit
import Foundation
import SQLKit
import TandemDomain
import TandemOperations
@testable import TandemStore
import TandemTestSupport
import Testing

/// Searching customers by a piece of their name, email or key, through the substring index on
/// both databases (trigram table on SQLite, pg_trgm on PostgreSQL) and the scan it falls back to.
@Suite struct CustomerSearchTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    func signUp(_ key: String, email: String?, name: String?, partnerKey: String?, program: Program, at offset: Double, store: Store) async throws {
        _ = try await Signups.record(
            Signups.Input(key: key, email: email, name: name, partnerKey: partnerKey, signedUpAt: start.addingTimeInterval(offset)),
            program: program, recorder: ClickRecorder(store: store), actor: .system("test"), now: start.addingTimeInterval(offset), on: store.db
        )
    }

    @Test func findsPiecesOfNamesEmailsAndKeysOnBothSides() async throws {
        try await TestDatabase.withStore { store in
            let w = try await ReferralWorkflowTests().world(store)
            let partnershipID = try w.partnership.requireID(), programID = try w.program.requireID()
            let key = w.partnership.partnerKey
            try await signUp("cus_alpha", email: "dana.buyer@shop.example", name: "Dana O\"Brien", partnerKey: key, program: w.program, at: 1, store: store)
            try await signUp("cus_beta", email: "c4999@large.example", name: "Unal 100%_off", partnerKey: key, program: w.program, at: 2, store: store)
            try await signUp("zz_secret_key", email: "other@shop.example", name: nil, partnerKey: key, program: w.program, at: 3, store: store)
            try await signUp("cus_gamma", email: "walkin@shop.example", name: "Dana Walk-in", partnerKey: nil, program: w.program, at: 4, store: store)

            func partner(_ q: String) async throws -> [String] {
                try await ReferralReads.customers(partnershipID: partnershipID, search: q, page: 1, pageSize: 25, on: store.db).customers.map(\.key)
            }
            func vendor(_ q: String) async throws -> [String] {
                try await CompanyReferralReads.customers(programIDs: [programID], search: q, limit: 25, offset: 0, on: store.sql).map(\.key)
            }
            #expect(try await partner("DANA") == ["cus_alpha"], "case-insensitive, and only this partnership's")
            #expect(try await vendor("dana") == ["cus_gamma", "cus_alpha"], "newest first, attributed or not")
            #expect(try await partner("4999@lar") == ["cus_beta"], "inside an email")
            #expect(try await partner("o\"bri") == ["cus_alpha"], "a quote is searched for, not parsed")
            #expect(try await partner("100%_") == ["cus_beta"], "% and _ are literal")
            #expect(try await partner("0%x").isEmpty)
            #expect(try await partner("secret").isEmpty, "a partner does not search the vendor's keys")
            #expect(try await vendor("secret") == ["zz_secret_key"])
            #expect(try await partner("%_") == ["cus_beta"], "two characters: the scan")
            #expect(try await partner("z").isEmpty)
            #expect(try await ReferralReads.customers(partnershipID: partnershipID, search: "shop.ex", page: 1, pageSize: 25, on: store.db).total == 2)

            // The index follows a change and a deletion.
            try await store.sql.raw("UPDATE customers SET email = 'renamed@new.example' WHERE \"key\" = 'cus_alpha'").run()
            #expect(try await partner("dana.buyer").isEmpty)
            #expect(try await partner("renamed@new") == ["cus_alpha"])
            try await store.sql.raw("DELETE FROM customers WHERE \"key\" = 'cus_gamma'").run()
            #expect(try await vendor("walkin").isEmpty)
        }
    }

    /// The trigram table holds every tenant's customers: a needle common across the instance is
    /// searched by the caller's own customers instead, with the same answer.
    @Test func aNeedleCommonAcrossTheInstanceWalksOnlyTheCallersCustomers() async throws {
        try await TestDatabase.withStore { store in
            let w = try await ReferralWorkflowTests().world(store)
            let partnershipID = try w.partnership.requireID(), programID = try w.program.requireID()
            try await signUp("cus_mine", email: "me@common.example", name: "Mine", partnerKey: w.partnership.partnerKey, program: w.program, at: 1, store: store)
            try await signUp("cus_rare", email: "rare@solo.example", name: "Rare", partnerKey: w.partnership.partnerKey, program: w.program, at: 2, store: store)
            // Another vendor's program with more matching customers than the limit.
            let (_, other) = try await AccountQueries.createVendor(company: "Other", name: "O", email: "o@other.example", passwordHash: "x", now: start, on: store.db)
            var settings = ProgramSettings.Changes()
            settings.name = "Other"; settings.currency = "USD"; settings.defaultDestination = "https://other.example/"
            let (otherProgram, _) = try await ProgramSettings.create(companyID: try other.requireID(), settings, now: start, on: store.db)
            let otherID = try otherProgram.requireID()
            for chunk in Array(0..<CustomerSearch.trigramMatchLimit).chunked(400) {
                let insert = store.sql.insert(into: "customers").columns("id", "program_id", "key", "email", "name", "signed_up_at", "created_at")
                for n in chunk {
                    insert.values(SQLBind(UUID()), SQLBind(otherID), SQLBind("o\(n)"), SQLBind("o\(n)@common.example"), SQLBind("O \(n)"), SQLBind(start), SQLBind(start))
                }
                try await insert.run()
            }

            let fields: [CustomerSearch.Field] = [.name, .email]
            #expect(try await CustomerSearch.plan("", in: fields, on: store.sql) == .everything)
            let common = try await CustomerSearch.plan("common.ex", in: fields, on: store.sql)
            let rare = try await CustomerSearch.plan("solo.ex", in: fields, on: store.sql)
            if store.isPostgres {
                #expect(common == .scan && rare == .scan, "pg_trgm serves the LIKE itself")
            } else {
                #expect(common == .scan, "past the limit: the caller's own customers")
                #expect(rare == .trigram)
            }
            let page = try await ReferralReads.customers(partnershipID: partnershipID, search: "common.ex", page: 1, pageSize: 25, on: store.db)
            #expect(page.customers.map(\.key) == ["cus_mine"] && page.total == 1)
            #expect(try await ReferralReads.customers(partnershipID: partnershipID, search: "solo.ex", page: 1, pageSize: 25, on: store.db).customers.map(\.key) == ["cus_rare"])
            let vendor = try await CompanyReferralReads.customers(programIDs: [programID], search: "common.ex", limit: 25, offset: 0, on: store.sql)
            #expect(vendor.map(\.key) == ["cus_mine"])
            let theirs = try await CompanyReferralReads.customers(programIDs: [otherID], search: "o1999@common", limit: 25, offset: 0, on: store.sql)
            #expect(theirs.map(\.key) == ["o1999"])
        }
    }
}
