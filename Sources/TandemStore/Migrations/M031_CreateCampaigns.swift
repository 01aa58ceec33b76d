import FluentKit
import SQLKit

/// Email campaigns: automated (by trigger) and one-off broadcasts, the groups each one
/// reaches, and one send per (campaign, partnership) — the unique index is what makes a
/// campaign reach a partner at most once, whichever node or restart sends it. Partnerships
/// learn when they joined (the triggers count from it) and whether they unsubscribed.
struct M031_CreateCampaigns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Campaign.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, "id"))
            .field("name", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("trigger", .string, .required)
            .field("days", .int)
            .field("status", .string, .required)
            .field("activated_at", .datetime)
            .field("sent_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(CampaignGroup.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("group_id", .uuid, .required, .references(ProgramGroup.schema, "id"))
            .unique(on: "campaign_id", "group_id")
            .create()
        try await database.schema(CampaignSend.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("partnership_id", .uuid, .required, .references(Partnership.schema, "id"))
            .field("email_id", .uuid, .references(OutboxEmail.schema, "id"))
            .field("unsubscribe_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "campaign_id", "partnership_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "campaigns_program").on(Campaign.schema).column("program_id").run()
        try await sql.create(index: "campaigns_status").on(Campaign.schema).column("status").run()
        try await sql.create(index: "campaign_sends_unsubscribe").on(CampaignSend.schema).column("unsubscribe_hash").run()
        let types = ColumnTypes(sql)
        try await sql.alter(table: Partnership.schema).column("joined_at", type: types.timestamp).run()
        try await sql.alter(table: Partnership.schema).column("campaigns_unsubscribed_at", type: types.timestamp).run()
        // Partnerships that were ever active joined when they were made (the best we know).
        try await sql.raw("UPDATE partnerships SET joined_at = created_at WHERE status IN ('active', 'archived')").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.alter(table: Partnership.schema).dropColumn("campaigns_unsubscribed_at").run()
        try await sql.alter(table: Partnership.schema).dropColumn("joined_at").run()
        try await database.schema(CampaignSend.schema).delete()
        try await database.schema(CampaignGroup.schema).delete()
        try await database.schema(Campaign.schema).delete()
    }
}
