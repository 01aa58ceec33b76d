import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// Tabs a vendor adds to a program's pages for the partners of chosen groups, or of every
/// group: a link (http or https only: it opens in a new tab) or a Markdown page. The
/// caller checks the role; these check everything typed and the group's program.
public enum CustomTabs {
    public static let maxTitle = 40
    public static let maxBody = 20_000
    public static let maxPerProgram = 20

    public static func create(
        program: Program, groupIDs rawGroups: [String], title raw: String, kind rawKind: String, url rawURL: String?, body rawBody: String?, now: Date, on db: any Database
    ) async throws -> CustomTab {
        let programID = try program.requireID()
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, title.count <= maxTitle, !TextRules.hasControlCharacter(title) else {
            throw OperationError.invalid(field: "title", message: "Give the tab a title of at most \(maxTitle) characters.")
        }
        guard let kind = CustomTab.Kind(rawValue: rawKind) else {
            throw OperationError.invalid(field: "kind", message: "Choose a link or a page.")
        }
        var url: String?
        var body: String?
        switch kind {
        case .link:
            guard let link = Destination.sharedLink(rawURL ?? "") else {
                throw OperationError.invalid(field: "url", message: "Enter an address that starts with https:// (or http://).")
            }
            url = link
        case .page:
            let text = (rawBody ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= maxBody else {
                throw OperationError.invalid(field: "body", message: "Write the page (at most \(maxBody) characters of Markdown).")
            }
            body = text
        }
        let groupIDs = try await ProgramGroupChoice.checked(rawGroups, programID: programID, field: "group", on: db)
        guard try await CustomTab.query(on: db).filter(\.$program.$id == programID).count() < maxPerProgram else {
            throw OperationError.conflict(code: "too_many_tabs", message: "A program has at most \(maxPerProgram) custom tabs; remove one first.")
        }
        let tab = CustomTab(programID: programID, title: title, kind: kind, url: url, body: body, createdAt: now)
        try await db.transaction { db in
            try await tab.create(on: db)
            try await AudienceGroups.set(try tab.requireID(), groups: groupIDs, on: db)
        }
        return tab
    }

    /// Removes one of the program's tabs; another program's is not found.
    public static func delete(programID: UUID, tabID: UUID, on db: any Database) async throws {
        guard let tab = try await CustomTab.query(on: db).filter(\.$id == tabID).filter(\.$program.$id == programID).first() else {
            throw OperationError.notFound(what: "tab")
        }
        try await db.transaction { db in
            try await AudienceGroups.clear(tabID, on: db)
            try await tab.delete(on: db)
        }
    }
}
