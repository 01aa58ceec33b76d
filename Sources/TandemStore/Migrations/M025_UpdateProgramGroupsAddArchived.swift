import FluentKit
import SQLKit

/// A group is archived, never deleted: rules and rewards made under it keep pointing at it.
/// An archived group takes no partners and leaves the lists.
struct M025_UpdateProgramGroupsAddArchived: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.alter(table: ProgramGroup.schema).column("archived_at", type: ColumnTypes(sql).timestamp).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).alter(table: ProgramGroup.schema).dropColumn("archived_at").run()
    }
}
