import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemStore

/// `/api/v1/programs`: a vendor's programs and their groups.
struct ProgramsAPI {
    let env: WebEnvironment
    /// Redirects read the program's allowed domains: a change to them applies on this node at once.
    let links: LinkDirectory

    struct FeaturesBody: Codable {
        var links: Bool?
        var customLinks: Bool?
        var leads: Bool?
        var deals: Bool?
    }

    struct ProgramBody: Decodable {
        var name: String?
        var slug: String?
        var currency: String?
        var defaultDestination: String?
        var allowedDomains: [String]?
        var cookieWindowDays: Int?
        var holdDays: Int?
        var minWithdrawal: Int64?
        var category: String?
        var description: String?
        var marketplace: Bool?
        var autoApprove: Bool?
        var features: FeaturesBody?
    }

    struct ProgramDTO: Encodable {
        let id: UUID
        let object = "program"
        let name: String
        let slug: String
        let currency: String
        let defaultDestination: String
        let allowedDomains: [String]
        let cookieWindowDays: Int
        let holdDays: Int
        let minWithdrawal: Int64
        let category: String
        let description: String
        let marketplace: Bool
        let autoApprove: Bool
        let features: FeaturesBody
        let groups: [GroupDTO]
        let createdAt: Date

        init(_ program: Program, groups: [ProgramGroup]) throws {
            id = try program.requireID()
            name = program.name
            slug = program.slug
            currency = program.currencyCode
            defaultDestination = program.defaultDestination
            allowedDomains = program.allowedDomains
            cookieWindowDays = program.cookieWindowDays
            holdDays = program.holdDays
            minWithdrawal = program.minWithdrawal
            category = program.category
            description = program.description
            marketplace = program.marketplace
            autoApprove = program.autoApprove
            features = FeaturesBody(links: program.featureLinks, customLinks: program.featureCustomLinks, leads: program.featureLeads, deals: program.featureDeals)
            self.groups = try groups.map(GroupDTO.init)
            createdAt = program.createdAt
        }
    }

    struct GroupBody: Decodable {
        var name: String?
        var `default`: Bool?
    }

    struct GroupDTO: Encodable {
        let id: UUID
        let object = "group"
        let name: String
        let `default`: Bool

        init(_ group: ProgramGroup) throws {
            id = try group.requireID()
            name = group.name
            self.default = group.isDefault
        }
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("programs") { _, context in try await create(context) }
        api.get("programs") { request, context in
            let companyID = try context.vendorCompanyID()
            let programs = try await Program.query(on: env.store.db).filter(\.$company.$id == companyID).sort(\.$createdAt, .descending).sort(\.$id).all()
            let page = try PageRequest(request).page(programs, id: \.id)
            return try APIJSON.response(try await page.asyncMap { try await dto($0) })
        }
        api.get("programs/:slug") { _, context in
            let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: context.vendorCompanyID(), on: env.store.db)
            return try APIJSON.response(try await dto(program))
        }
        api.patch("programs/:slug") { _, context in try await update(context) }
        api.post("programs/:slug/groups") { _, context in try await createGroup(context) }
    }

    func dto(_ program: Program) async throws -> ProgramDTO {
        let groups = try await ProgramGroup.query(on: env.store.db).filter(\.$program.$id == program.requireID()).sort(\.$createdAt).all()
        return try ProgramDTO(program, groups: groups)
    }

    /// Applies a body to a program, checking every rule; `creating` makes the required fields required.
    func apply(_ body: ProgramBody, to program: Program, creating: Bool) throws {
        if let name = body.name.nonBlank ?? (creating ? nil : program.name) {
            guard name.count <= 100 else { throw APIError.invalid("name", "`name` must be at most 100 characters.") }
            program.name = name
        } else {
            throw APIError(status: .badRequest, code: "missing_field", message: "`name` is required.", field: "name")
        }
        if let slug = body.slug.nonBlank {
            guard Slug.isValid(slug.lowercased()) else { throw APIError.invalid("slug", "`slug` may hold letters, digits and dashes only.") }
            program.slug = slug.lowercased()
        } else if creating {
            program.slug = Slug.make(from: program.name)
            guard Slug.isValid(program.slug) else { throw APIError.invalid("slug", "Give the program a `slug` of letters, digits and dashes.") }
        }
        if let code = body.currency.nonBlank {
            guard let currency = Currency(code: code), code.count == 3 else { throw APIError.invalid("currency", "`currency` must be an ISO 4217 code such as USD or EUR.") }
            program.currencyCode = currency.code
        } else if creating {
            throw APIError(status: .badRequest, code: "missing_field", message: "`currency` is required.", field: "currency")
        }
        if let domains = body.allowedDomains {
            var normalized: [String] = []
            for (index, raw) in domains.enumerated() {
                guard let domain = Destination.normalizeDomain(raw) else {
                    throw APIError.invalid("allowed_domains[\(index)]", "`allowed_domains[\(index)]` is not a domain name like example.com.")
                }
                if !normalized.contains(domain) { normalized.append(domain) }
            }
            guard normalized.count <= 50 else { throw APIError.invalid("allowed_domains", "At most 50 allowed domains.") }
            program.allowedDomains = normalized
        }
        if let destination = body.defaultDestination.nonBlank {
            if program.allowedDomains.isEmpty, let host = URLComponents(string: Destination.percentEncoded(destination))?.host.flatMap(Destination.normalizeDomain) {
                program.allowedDomains = [host]
            }
            switch Destination.validated(destination, allowedDomains: program.allowedDomains) {
            case .success(let stored): program.defaultDestination = stored
            case .failure(let problem): throw APIError.invalid("default_destination", "`default_destination`: \(problem.message)")
            }
        } else if creating {
            throw APIError(status: .badRequest, code: "missing_field", message: "`default_destination` is required.", field: "default_destination")
        } else if let problem = Destination.check(program.defaultDestination, allowedDomains: program.allowedDomains) {
            throw APIError.invalid("allowed_domains", "The default destination would no longer be allowed: \(problem.message)")
        }
        if let days = body.cookieWindowDays {
            guard (1...730).contains(days) else { throw APIError.invalid("cookie_window_days", "`cookie_window_days` must be from 1 to 730.") }
            program.cookieWindowDays = days
        }
        if let days = body.holdDays {
            guard (0...365).contains(days) else { throw APIError.invalid("hold_days", "`hold_days` must be from 0 to 365.") }
            program.holdDays = days
        }
        if let minimum = body.minWithdrawal {
            guard minimum >= 0 else { throw APIError.invalid("min_withdrawal", "`min_withdrawal` cannot be negative.") }
            program.minWithdrawal = minimum
        }
        if let category = body.category.nonBlank {
            guard category.count <= 50 else { throw APIError.invalid("category", "`category` must be at most 50 characters.") }
            program.category = category
        }
        if let description = body.description {
            guard description.count <= 2000 else { throw APIError.invalid("description", "`description` must be at most 2000 characters.") }
            program.description = description
        }
        if let marketplace = body.marketplace { program.marketplace = marketplace }
        if let autoApprove = body.autoApprove { program.autoApprove = autoApprove }
        if let features = body.features {
            if let links = features.links { program.featureLinks = links }
            if let custom = features.customLinks { program.featureCustomLinks = custom }
            if let leads = features.leads { program.featureLeads = leads }
            if let deals = features.deals { program.featureDeals = deals }
        }
    }

    func create(_ context: AppRequestContext) async throws -> Response {
        let companyID = try context.vendorCompanyID()
        let body = try APIJSON.decode(ProgramBody.self, from: context)
        let now = env.now()
        let program = Program(
            companyID: companyID, name: "", slug: "", description: "", category: "Other", currency: .usd,
            defaultDestination: "", allowedDomains: [], minWithdrawal: 0, marketplace: false, autoApprove: false,
            features: ProgramFeatures(), createdAt: now
        )
        try apply(body, to: program, creating: true)
        let group = try await env.store.db.transaction { db -> ProgramGroup in
            if try await Program.query(on: db).filter(\.$slug == program.slug).count() > 0 {
                throw APIError(status: .conflict, code: "slug_taken", message: "The slug `\(program.slug)` is taken; choose another.", field: "slug")
            }
            try await program.create(on: db)
            let group = ProgramGroup(programID: try program.requireID(), name: "Default", isDefault: true, createdAt: now)
            try await group.create(on: db)
            return group
        }
        return try APIJSON.response(try ProgramDTO(program, groups: [group]), status: .created)
    }

    func update(_ context: AppRequestContext) async throws -> Response {
        let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: context.vendorCompanyID(), on: env.store.db)
        let body = try APIJSON.decode(ProgramBody.self, from: context)
        let oldSlug = program.slug
        try apply(body, to: program, creating: false)
        if program.slug != oldSlug, try await Program.query(on: env.store.db).filter(\.$slug == program.slug).count() > 0 {
            throw APIError(status: .conflict, code: "slug_taken", message: "The slug `\(program.slug)` is taken; choose another.", field: "slug")
        }
        try await program.save(on: env.store.db)
        links.invalidateAll()
        return try APIJSON.response(try await dto(program))
    }

    func createGroup(_ context: AppRequestContext) async throws -> Response {
        let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: context.vendorCompanyID(), on: env.store.db)
        let body = try APIJSON.decode(GroupBody.self, from: context)
        guard let name = body.name.nonBlank, name.count <= 100 else {
            throw APIError.invalid("name", "`name` is required (at most 100 characters).")
        }
        let programID = try program.requireID()
        let group = ProgramGroup(programID: programID, name: name, isDefault: body.default ?? false, createdAt: env.now())
        try await env.store.db.transaction { db in
            if group.isDefault {
                try await ProgramGroup.query(on: db).filter(\.$program.$id == programID).set(\.$isDefault, to: false).update()
            }
            try await group.create(on: db)
        }
        return try APIJSON.response(try GroupDTO(group), status: .created)
    }
}

