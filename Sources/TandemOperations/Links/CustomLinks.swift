import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// A partner's custom links: a slug of their own and a destination on one of the program's
/// allowed domains, at most `LinkQueries.customLinkLimit` per partnership. The Links tab and
/// `/partner/links` share these rules and these steps.
public enum CustomLinks {
    public static let maxSlug = 50

    /// Every problem with the fields, for a form that shows them all, and the destination as
    /// it would be stored ("" for the program's default).
    public static func check(slug: String, destination: String, program: Program) -> (errors: FieldErrors, destination: String) {
        var errors = FieldErrors()
        if slug.isEmpty {
            errors.add("slug", "Enter a slug.")
        } else if slug.count > maxSlug || !Slug.isValid(slug) {
            errors.add("slug", "Use letters, digits and dashes only (at most \(maxSlug)), not starting or ending with a dash.")
        }
        guard !destination.isEmpty else { return (errors, "") }
        switch Destination.validated(destination, allowedDomains: program.allowedDomains) {
        case .success(let stored): return (errors, stored)
        case .failure(let problem):
            errors.add("destination", problem.message)
            return (errors, "")
        }
    }

    public static func create(partnership: Partnership, program: Program, slug rawSlug: String, destination rawDestination: String, now: Date, on db: any Database) async throws -> Link {
        guard program.featureLinks, program.featureCustomLinks else {
            throw OperationError.conflict(code: "custom_links_disabled", message: "\(program.name) does not allow custom links.")
        }
        let slug = rawSlug.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let (errors, destination) = check(slug: slug, destination: rawDestination.trimmingCharacters(in: .whitespacesAndNewlines), program: program)
        if let first = errors.items.first { throw OperationError.invalid(field: first.field, message: first.message) }
        do {
            return try await LinkQueries.createCustom(
                partnership: partnership, program: program, slug: slug, destination: destination.isEmpty ? program.defaultDestination : destination, now: now, on: db
            )
        } catch let failure as LinkQueries.Failure {
            switch failure {
            case .limitReached:
                throw OperationError.conflict(code: "link_limit_reached", message: "You have \(LinkQueries.customLinkLimit) custom links in this program, the most allowed. Delete one first.")
            case .slugTaken: throw OperationError.taken(field: "slug", message: "That slug is taken in this program. Try another.")
            case .customLinksDisabled: throw OperationError.conflict(code: "custom_links_disabled", message: "\(program.name) does not allow custom links.")
            }
        }
    }

    public static func update(_ link: Link, program: Program, slug rawSlug: String, destination rawDestination: String, on db: any Database) async throws {
        let slug = rawSlug.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let (errors, destination) = check(slug: slug, destination: rawDestination.trimmingCharacters(in: .whitespacesAndNewlines), program: program)
        if let first = errors.items.first { throw OperationError.invalid(field: first.field, message: first.message) }
        let linkID = try link.requireID()
        if slug != link.slug, try await Link.query(on: db).filter(\.$program.$id == program.requireID()).filter(\.$slug == slug).filter(\.$id != linkID).count() > 0 {
            throw OperationError.taken(field: "slug", message: "That slug is taken in this program. Try another.")
        }
        link.slug = slug
        link.destination = destination.isEmpty ? program.defaultDestination : destination
        do {
            try await link.save(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw OperationError.taken(field: "slug", message: "That slug is taken in this program. Try another.")
        }
    }

    /// Archived, not deleted: its clicks stay counted; its slug is free again. The default link stays.
    public static func archive(_ link: Link, now: Date, on db: any Database) async throws {
        guard !link.isDefault else { throw OperationError.conflict(code: "default_link", message: "The default link cannot be deleted.") }
        link.archivedAt = now
        link.slug = nil
        try await link.save(on: db)
    }
}
