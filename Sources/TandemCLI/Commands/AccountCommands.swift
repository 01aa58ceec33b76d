import ArgumentParser
import Foundation
import TandemDomain
import TandemOperations
import TandemStore
import TandemWeb

struct VendorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vendor", abstract: "Manage vendor companies.", subcommands: [Create.self, Key.self])

    /// `tandem vendor key create --company SLUG`: a key for a company that exists already
    /// (the console's API keys page does the same).
    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "key", abstract: "Manage a company's API keys.", subcommands: [CreateKey.self])
    }

    struct CreateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a vendor API key for an existing company; prints the key (last line).")

        @Option(help: "The company's slug (printed by `tandem vendor create`).") var company: String
        @Option(help: "What the key is for, to know it by later.") var label: String = "Created by tandem vendor key create"

        func run() async throws {
            let config = try loadConfig()
            try await withStore(config, migrate: true) { store in
                guard let found = try await AccountQueries.company(slug: company, on: store.db) else {
                    throw ValidationError("No company with the slug \(company).")
                }
                do {
                    let key = try await AccountKeys.create(for: .company(try found.requireID()), label: label, now: Date(), on: store.db)
                    print("Company: \(found.name)")
                    print("Vendor API key (shown once):")
                    print(key)
                } catch let refusal as OperationError {
                    throw ValidationError("--label: \(refusal.sentence)")
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a company and its first admin; prints the company slug and a vendor API key (last line).")

        @Option var company: String
        @Option var email: String
        @Option var password: String
        @Option(help: "The admin's name (default: the part of the email before @).") var name: String?

        func run() async throws {
            let config = try loadConfig()
            var errors = FieldErrors()
            Validate.name(company, field: "company", label: "a company name", into: &errors)
            Validate.email(email, into: &errors)
            Validate.password(password, into: &errors)
            try check(errors)
            try await withStore(config, migrate: true) { store in try await create(store) }
        }

        func create(_ store: Store) async throws {
            let now = Date()
            let hash = try await PasswordHasher(cost: 12).hash(password)
            let adminName = name ?? String(email.split(separator: "@").first ?? "Admin")
            do {
                let (_, created) = try await AccountQueries.createVendor(company: company, name: adminName, email: email, passwordHash: hash, now: now, on: store.db)
                let key = try await APIKeyQueries.create(owner: .vendor, companyID: created.requireID(), label: "Created by tandem vendor create", now: now, on: store.db)
                print("Company: \(created.name)")
                print("Slug: \(created.slug)")
                print("Admin login: \(Validate.normalizedEmail(email))")
                print("Vendor API key (shown once):")
                print(key)
            } catch is AccountQueries.EmailTaken {
                throw ValidationError("An account with the email \(email) already exists.")
            }
        }
    }
}

struct PartnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "partner", abstract: "Manage partner accounts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a partner account; prints a partner API key (last line).")

        @Option var name: String
        @Option var email: String
        @Option var password: String

        func run() async throws {
            let config = try loadConfig()
            var errors = FieldErrors()
            Validate.name(name, into: &errors)
            Validate.email(email, into: &errors)
            Validate.password(password, into: &errors)
            try check(errors)
            try await withStore(config, migrate: true) { store in try await create(store) }
        }

        func create(_ store: Store) async throws {
            let now = Date()
            let hash = try await PasswordHasher(cost: 12).hash(password)
            do {
                let (_, account) = try await AccountQueries.createPartner(name: name, email: email, passwordHash: hash, now: now, on: store.db)
                let key = try await APIKeyQueries.create(owner: .partner, partnerAccountID: account.requireID(), label: "Created by tandem partner create", now: now, on: store.db)
                print("Partner account: \(account.name)")
                print("Login: \(Validate.normalizedEmail(email))")
                print("Partner API key (shown once):")
                print(key)
            } catch is AccountQueries.EmailTaken {
                throw ValidationError("An account with the email \(email) already exists.")
            }
        }
    }
}

func check(_ errors: FieldErrors) throws {
    guard errors.isEmpty else {
        throw ValidationError(errors.items.map { "--\($0.field.replacingOccurrences(of: "_", with: "-")): \($0.message)" }.joined(separator: "\n"))
    }
}
