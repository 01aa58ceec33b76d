import FluentKit
import Foundation
import TandemDomain
import TandemOperations
import TandemStore
import TandemTestSupport
import Testing

/// Program settings, groups and reward rules called as the API and the console call them.
@Suite struct ProgramSettingsTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func company(_ store: Store) async throws -> UUID {
        let (_, company) = try await AccountQueries.createVendor(company: "Acme", name: "A", email: "a@acme.example", passwordHash: "x", now: now, on: store.db)
        return try company.requireID()
    }

    func changes(_ edit: (inout ProgramSettings.Changes) -> Void) -> ProgramSettings.Changes {
        var changes = ProgramSettings.Changes()
        edit(&changes)
        return changes
    }

    @Test func aProgramIsCreatedWithItsDefaultGroupAndASlugIsTakenOnce() async throws {
        try await TestDatabase.withStore { store in
            let companyID = try await company(store)
            let (program, group) = try await ProgramSettings.create(companyID: companyID, changes {
                $0.name = "Acme Partners"; $0.currency = "eur"; $0.defaultDestination = "https://acme.example/"
            }, now: now, on: store.db)
            #expect(program.slug == "acme-partners")
            #expect(program.currencyCode == "EUR")
            #expect(program.allowedDomains == ["acme.example"], "the destination's host is allowed")
            #expect(group.isDefault && group.name == "Default")
            await #expect(throws: OperationError.taken(field: "slug", message: "The slug `acme-partners` is taken; choose another.")) {
                _ = try await ProgramSettings.create(companyID: companyID, changes {
                    $0.name = "Acme Partners"; $0.currency = "USD"; $0.defaultDestination = "https://acme.example/"
                }, now: now, on: store.db)
            }
            #expect(try await Program.query(on: store.db).count() == 1)
        }
    }

    @Test func requiredFieldsAndBadValuesNameTheirField() async throws {
        try await TestDatabase.withStore { store in
            let companyID = try await company(store)
            let cases: [(ProgramSettings.Changes, String)] = [
                (changes { $0.currency = "USD"; $0.defaultDestination = "https://a.example/" }, "name"),
                (changes { $0.name = "A"; $0.defaultDestination = "https://a.example/" }, "currency"),
                (changes { $0.name = "A"; $0.currency = "XXX"; $0.defaultDestination = "https://a.example/" }, "currency"),
                (changes { $0.name = "A"; $0.currency = "USD" }, "default_destination"),
                (changes { $0.name = "A"; $0.currency = "USD"; $0.defaultDestination = "https://a.example/"; $0.holdDays = 400 }, "hold_days"),
            ]
            for (input, field) in cases {
                do {
                    _ = try await ProgramSettings.create(companyID: companyID, input, now: now, on: store.db)
                    Issue.record("accepted; expected a refusal of \(field)")
                } catch let refusal as OperationError {
                    #expect(refusal.field == field)
                }
            }
            #expect(try await Program.query(on: store.db).count() == 0)
        }
    }

    @Test func theCurrencyIsFixedOnceRewardsExist() async throws {
        try await TestDatabase.withStore { store in
            let companyID = try await company(store)
            let (program, group) = try await ProgramSettings.create(companyID: companyID, changes {
                $0.name = "Acme"; $0.currency = "USD"; $0.defaultDestination = "https://acme.example/"
            }, now: now, on: store.db)
            try await ProgramSettings.update(program, changes { $0.currency = "EUR" }, on: store.db)
            #expect(try await Program.find(program.id, on: store.db)?.currencyCode == "EUR", "no rewards yet: it may change")

            let (_, account) = try await AccountQueries.createPartner(name: "Pat", email: "pat@example.com", passwordHash: "x", now: now, on: store.db)
            let partnership = try await PartnershipQueries.create(
                program: program, accountID: try account.requireID(), groupID: try group.requireID(), status: .active, now: now, on: store.db
            )
            _ = try await RewardLedger.manual(partnership: partnership, program: program, amount: 500, description: "Bonus", actor: "test", now: now, on: store.db)
            await #expect(throws: OperationError.self) {
                try await ProgramSettings.update(program, changes { $0.currency = "GBP" }, on: store.db)
            }
            #expect(try await Program.find(program.id, on: store.db)?.currencyCode == "EUR")
        }
    }

    @Test func aRuleIsCheckedOnceAndItsGroupMustBeTheProgramsOwn() async throws {
        try await TestDatabase.withStore { store in
            let companyID = try await company(store)
            let (program, _) = try await ProgramSettings.create(companyID: companyID, changes {
                $0.name = "Acme"; $0.currency = "USD"; $0.defaultDestination = "https://acme.example/"
            }, now: now, on: store.db)
            let (other, otherGroup) = try await ProgramSettings.create(companyID: companyID, changes {
                $0.name = "Other"; $0.currency = "USD"; $0.defaultDestination = "https://acme.example/"
            }, now: now, on: store.db)
            _ = other
            var input = RewardRules.Input()
            input.trigger = "transaction"; input.kind = "percent"; input.percent = "12.5"
            let rule = try await RewardRules.create(program: program, input, now: now, on: store.db)
            #expect(rule.rule?.amount == .percent(basisPoints: 1250))

            input.group = try otherGroup.requireID().uuidString
            await #expect(throws: OperationError.unknownReference(code: "not_found", field: "group", message: "`group` is not a group of this program.")) {
                _ = try await RewardRules.create(program: program, input, now: now, on: store.db)
            }
            var signupPercent = RewardRules.Input()
            signupPercent.trigger = "signup"; signupPercent.kind = "percent"; signupPercent.percent = "10"
            await #expect(throws: OperationError.self) { _ = try await RewardRules.create(program: program, signupPercent, now: now, on: store.db) }
            #expect(try await RewardRuleRecord.query(on: store.db).count() == 1)
        }
    }
}
