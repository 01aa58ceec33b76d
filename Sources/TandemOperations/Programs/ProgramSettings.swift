import FluentKit
import Foundation
import SQLKit
import TandemDomain
import TandemStore

/// Creating a program and changing its settings, with every rule checked once here for the
/// API and the vendor console alike.
public enum ProgramSettings {
    /// What a caller asks to set; nil leaves a setting as it is (or, creating, at its default).
    public struct Changes: Sendable {
        public var name: String?
        public var slug: String?
        public var currency: String?
        public var defaultDestination: String?
        public var allowedDomains: [String]?
        public var cookieWindowDays: Int?
        public var holdDays: Int?
        public var minWithdrawal: Int64?
        public var category: String?
        public var description: String?
        public var marketplace: Bool?
        public var autoApprove: Bool?
        public var couponWins: Bool?
        public var featureLinks: Bool?
        public var featureCustomLinks: Bool?
        public var featureLeads: Bool?
        public var featureDeals: Bool?

        public init() {}
    }

    /// A new program with its default group.
    public static func create(companyID: UUID, _ changes: Changes, now: Date, on db: any Database) async throws -> (Program, ProgramGroup) {
        let program = Program(
            companyID: companyID, name: "", slug: "", description: "", category: "Other", currency: .usd,
            defaultDestination: "", allowedDomains: [], minWithdrawal: 0, marketplace: false, autoApprove: false,
            features: ProgramFeatures(), createdAt: now
        )
        try apply(changes, to: program, creating: true)
        return try await db.transaction { db in
            try await requireFreeSlug(program.slug, on: db)
            try await program.create(on: db)
            let group = ProgramGroup(programID: try program.requireID(), name: "Default", isDefault: true, createdAt: now)
            try await group.create(on: db)
            return (program, group)
        }
    }

    /// Changes a program's settings; a refused change saves nothing. Changes that would strand
    /// what exists are refused with the reason: a new currency under rewards earned in the old
    /// one, a new slug under custom links partners have shared, a feature switched off while
    /// reward rules still wait for its events.
    public static func update(_ program: Program, _ changes: Changes, on db: any Database) async throws {
        let oldSlug = program.slug
        let oldCurrency = program.currencyCode
        let oldFeatures = program.features
        try apply(changes, to: program, creating: false)
        let programID = try program.requireID()
        if program.slug != oldSlug {
            try await requireFreeSlug(program.slug, on: db)
            if try await ProgramReads.hasCustomLinks(programID: programID, on: db) {
                throw OperationError.conflict(code: "slug_fixed", message: "The slug cannot change while partners have custom links: the links they shared contain /r/\(oldSlug)/.")
            }
        }
        if program.currencyCode != oldCurrency, try await ProgramReads.hasRewards(programID: programID, on: db) {
            throw OperationError.conflict(code: "currency_fixed", message: "The program's currency cannot change once it has rewards: they were earned in \(oldCurrency).")
        }
        let switchedOff = [(RewardTrigger.leadQualified, oldFeatures.leads && !program.featureLeads, "leads"),
                           (RewardTrigger.dealWon, oldFeatures.deals && !program.featureDeals, "deals")].filter { $0.1 }
        if !switchedOff.isEmpty {
            let triggers = try await ProgramReads.ruleTriggers(programID: programID, on: db)
            if let stranded = switchedOff.first(where: { triggers.contains($0.0.rawValue) }) {
                throw OperationError.conflict(code: "feature_in_use", message: "\(stranded.2.capitalized) cannot be switched off while a reward rule pays for \(stranded.0.rawValue); archive that rule first.")
            }
        }
        try await program.save(on: db)
    }

    /// A new group; made the default, it takes over from the previous default.
    public static func createGroup(programID: UUID, name rawName: String?, isDefault: Bool, now: Date, on db: any Database) async throws -> ProgramGroup {
        guard let name = rawName?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty, name.count <= 100 else {
            throw OperationError.invalid(field: "name", message: "`name` is required (at most 100 characters).")
        }
        let group = ProgramGroup(programID: programID, name: name, isDefault: isDefault, createdAt: now)
        try await db.transaction { db in
            if isDefault {
                try await ProgramGroup.query(on: db).filter(\.$program.$id == programID).set(\.$isDefault, to: false).update()
            }
            try await group.create(on: db)
        }
        return group
    }

    /// Renames a group, or makes it the program's default (new partners join it).
    public static func updateGroup(programID: UUID, groupID: UUID, name rawName: String?, makeDefault: Bool, on db: any Database) async throws -> ProgramGroup {
        guard let group = try await ProgramGroup.query(on: db).filter(\.$id == groupID).filter(\.$program.$id == programID)
            .filter(\.$archivedAt == nil).first() else {
            throw OperationError.notFound(what: "group")
        }
        if let rawName {
            let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= 100 else { throw OperationError.invalid(field: "name", message: "`name` is required (at most 100 characters).") }
            group.name = name
        }
        try await db.transaction { db in
            if makeDefault && !group.isDefault {
                try await ProgramGroup.query(on: db).filter(\.$program.$id == programID).set(\.$isDefault, to: false).update()
                group.isDefault = true
            }
            try await group.save(on: db)
        }
        return group
    }

    /// Archives a group: not the default (new partners join it), and not while partners are
    /// in it (move them first); its rules are archived with it, so it earns nothing new. Rules
    /// and rewards made under it keep pointing at it.
    public static func archiveGroup(programID: UUID, groupID: UUID, now: Date, on db: any Database) async throws -> ProgramGroup {
        guard let group = try await ProgramGroup.query(on: db).filter(\.$id == groupID).filter(\.$program.$id == programID).first() else {
            throw OperationError.notFound(what: "group")
        }
        // Archiving twice changes nothing and answers as the first time did (a retried DELETE,
        // or an idempotent replay of the group's creation, finds it archived, not missing).
        if group.archivedAt != nil { return group }
        guard !group.isDefault else {
            throw OperationError.conflict(code: "default_group", message: "New partners join the default group; make another group the default first.")
        }
        let members: Int64 = try await ProgramReads.groupSizes(programID: programID, on: db as! any SQLDatabase)[groupID] ?? 0
        guard members == 0 else {
            throw OperationError.conflict(
                code: "group_in_use", message: "\(members) partner\(members == 1 ? " is" : "s are") in this group; move them to another group first.")
        }
        try await db.transaction { db in
            try await RewardRuleRecord.query(on: db).filter(\.$group.$id == groupID).filter(\.$archivedAt == nil).set(\.$archivedAt, to: now).update()
            group.archivedAt = now
            try await group.save(on: db)
        }
        return group
    }

    static func requireFreeSlug(_ slug: String, on db: any Database) async throws {
        if try await Program.query(on: db).filter(\.$slug == slug).count() > 0 {
            throw OperationError.taken(field: "slug", message: "The slug `\(slug)` is taken; choose another.")
        }
    }

    /// Applies the changes to a program, checking every rule; `creating` makes the required fields required.
    static func apply(_ changes: Changes, to program: Program, creating: Bool) throws(OperationError) {
        func text(_ value: String?) -> String? {
            guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        // A required field given blank is refused on an edit too: clearing it is not "unchanged".
        if let name = text(changes.name) {
            guard name.count <= 100 else { throw .invalid(field: "name", message: "`name` must be at most 100 characters.") }
            program.name = name
        } else if creating || changes.name != nil {
            throw .missing(field: "name", message: "`name` is required.")
        }
        if let slug = text(changes.slug) {
            guard Slug.isValid(slug.lowercased()) else { throw .invalid(field: "slug", message: "`slug` may hold letters, digits and dashes only.") }
            program.slug = slug.lowercased()
        } else if creating {
            program.slug = Slug.make(from: program.name)
            guard Slug.isValid(program.slug) else { throw .invalid(field: "slug", message: "Give the program a `slug` of letters, digits and dashes.") }
        }
        if let code = text(changes.currency) {
            guard let currency = Currency(code: code), code.count == 3 else {
                throw .invalid(field: "currency", message: "`currency` must be an ISO 4217 code such as USD or EUR.")
            }
            program.currencyCode = currency.code
        } else if creating || changes.currency != nil {
            // (The settings page leaves the currency out when it is blank and already set.)
            throw .missing(field: "currency", message: "`currency` is required.")
        }
        if let domains = changes.allowedDomains {
            var normalized: [String] = []
            for (index, raw) in domains.enumerated() {
                guard let domain = Destination.normalizeDomain(raw) else {
                    throw .invalid(field: "allowed_domains[\(index)]", message: "`allowed_domains[\(index)]` is not a domain name like example.com.")
                }
                if !normalized.contains(domain) { normalized.append(domain) }
            }
            guard normalized.count <= 50 else { throw .invalid(field: "allowed_domains", message: "At most 50 allowed domains.") }
            program.allowedDomains = normalized
        }
        if let destination = text(changes.defaultDestination) {
            if program.allowedDomains.isEmpty, let host = URLComponents(string: Destination.percentEncoded(destination))?.host.flatMap(Destination.normalizeDomain) {
                program.allowedDomains = [host]
            }
            switch Destination.validated(destination, allowedDomains: program.allowedDomains) {
            case .success(let stored): program.defaultDestination = stored
            case .failure(let problem): throw .invalid(field: "default_destination", message: "`default_destination`: \(problem.message)")
            }
        } else if creating {
            throw .missing(field: "default_destination", message: "`default_destination` is required.")
        } else if let problem = Destination.check(program.defaultDestination, allowedDomains: program.allowedDomains) {
            throw .invalid(field: "allowed_domains", message: "The default destination would no longer be allowed: \(problem.message)")
        }
        if let days = changes.cookieWindowDays {
            guard (1...730).contains(days) else { throw .invalid(field: "cookie_window_days", message: "`cookie_window_days` must be from 1 to 730.") }
            program.cookieWindowDays = days
        }
        if let days = changes.holdDays {
            guard (0...365).contains(days) else { throw .invalid(field: "hold_days", message: "`hold_days` must be from 0 to 365.") }
            program.holdDays = days
        }
        if let minimum = changes.minWithdrawal {
            guard minimum >= 0 else { throw .invalid(field: "min_withdrawal", message: "`min_withdrawal` cannot be negative.") }
            program.minWithdrawal = minimum
        }
        if let category = text(changes.category) {
            guard category.count <= 50 else { throw .invalid(field: "category", message: "`category` must be at most 50 characters.") }
            program.category = category
        }
        if let description = changes.description {
            guard description.count <= 2000 else { throw .invalid(field: "description", message: "`description` must be at most 2000 characters.") }
            program.description = description
        }
        if let marketplace = changes.marketplace { program.marketplace = marketplace }
        if let autoApprove = changes.autoApprove { program.autoApprove = autoApprove }
        if let couponWins = changes.couponWins { program.couponWins = couponWins }
        if let links = changes.featureLinks { program.featureLinks = links }
        if let custom = changes.featureCustomLinks { program.featureCustomLinks = custom }
        if let leads = changes.featureLeads { program.featureLeads = leads }
        if let deals = changes.featureDeals { program.featureDeals = deals }
    }
}
