import FluentKit
import Foundation
import SQLKit
import TandemDomain

/// Making and changing links, with the program's rules.
public enum LinkQueries {
    public static let customLinkLimit = 50

    public enum Failure: Error, Equatable {
        case customLinksDisabled
        case limitReached
        case slugTaken
    }

    /// Every active partnership has exactly one default link, to the program's default destination.
    @discardableResult
    public static func ensureDefaultLink(for partnership: Partnership, program: Program, now: Date, on db: any Database) async throws -> Link {
        let partnershipID = try partnership.requireID()
        if let existing = try await Link.query(on: db).filter(\.$partnership.$id == partnershipID).filter(\.$isDefault == true).first() {
            return existing
        }
        let link = Link(
            programID: try program.requireID(), partnershipID: partnershipID, key: partnership.partnerKey,
            slug: nil, destination: program.defaultDestination, isDefault: true, createdAt: now
        )
        try await link.create(on: db)
        return link
    }

    /// A custom link; the 51st is refused. Counting and inserting happen in one transaction
    /// with the partnership row locked (PostgreSQL), so two requests cannot both make the 50th.
    public static func createCustom(
        partnership: Partnership, program: Program, slug: String, destination: String, now: Date, on db: any Database
    ) async throws -> Link {
        guard program.featureCustomLinks else { throw Failure.customLinksDisabled }
        let partnershipID = try partnership.requireID()
        return try await db.transaction { db in
            let sql = db as! any SQLDatabase
            if sql.dialect.name == "postgresql" {
                _ = try await sql.raw("SELECT id FROM partnerships WHERE id = \(bind: partnershipID) FOR UPDATE").all()
            }
            let count = try await Link.query(on: db)
                .filter(\.$partnership.$id == partnershipID).filter(\.$isDefault == false).filter(\.$archivedAt == nil)
                .count()
            guard count < customLinkLimit else { throw Failure.limitReached }
            let programID = try program.requireID()
            if try await Link.query(on: db).filter(\.$program.$id == programID).filter(\.$slug == slug).count() > 0 {
                throw Failure.slugTaken
            }
            let link = Link(
                programID: programID, partnershipID: partnershipID, key: db.identifiers.key(10),
                slug: slug, destination: destination, isDefault: false, createdAt: now
            )
            do {
                try await link.create(on: db)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                throw Failure.slugTaken
            }
            return link
        }
    }
}
