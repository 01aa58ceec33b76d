import FluentKit
import Foundation
import SQLKit

/// The groups of a program that see a resource or a custom tab (its subject). A subject
/// with none is seen by every group.
public enum AudienceGroups {
    public static let table = "audience_groups"

    /// Replaces the subject's groups (on the caller's transaction).
    public static func set(_ subjectID: UUID, groups: [UUID], on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.delete(from: table).where("subject_id", .equal, subjectID).run()
        guard !groups.isEmpty else { return }
        let insert = sql.insert(into: table).columns("subject_id", "group_id")
        for group in groups { insert.values(SQLBind(subjectID), SQLBind(group)) }
        try await insert.run()
    }

    /// Each subject's groups; a subject missing from the answer is seen by every group.
    public static func of(_ subjectIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [UUID]] {
        guard !subjectIDs.isEmpty else { return [:] }
        struct Row: Decodable {
            let subject_id: UUID
            let group_id: UUID
        }
        let rows = try await sql.raw("SELECT subject_id, group_id FROM audience_groups WHERE subject_id IN (\(binds: subjectIDs))").all(decoding: Row.self)
        return Dictionary(grouping: rows, by: \.subject_id).mapValues { $0.map(\.group_id) }
    }

    /// Whether a partner of `group` sees a subject with `groups`.
    public static func sees(_ groups: [UUID]?, group: UUID) -> Bool {
        guard let groups, !groups.isEmpty else { return true }
        return groups.contains(group)
    }

    /// Removes a subject's groups (with the subject).
    public static func clear(_ subjectID: UUID, on db: any Database) async throws {
        try await (db as! any SQLDatabase).delete(from: table).where("subject_id", .equal, subjectID).run()
    }
}
