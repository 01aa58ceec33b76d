import FluentKit
import SQLKit

/// The groups that see a resource or a custom tab: a set (none: every group) instead of the
/// one `group_id` each row had. The rows' own `group_id` is copied here, then cleared and
/// no longer read (SQLite cannot drop a column another table's key points at).
struct M032_CreateAudienceGroups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let types = ColumnTypes(sql)
        try await sql.create(table: AudienceGroups.table)
            .column("subject_id", type: types.uuid, .notNull)
            .column("group_id", type: types.uuid, .notNull, .references(ProgramGroup.schema, "id"))
            .primaryKey("subject_id", "group_id")
            .run()
        for table in [Resource.schema, CustomTab.schema] {
            try await sql.raw("INSERT INTO audience_groups (subject_id, group_id) SELECT id, group_id FROM \(unsafeRaw: table) WHERE group_id IS NOT NULL").run()
            try await sql.raw("UPDATE \(unsafeRaw: table) SET group_id = NULL").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(table: AudienceGroups.table).run()
    }
}
