import FluentKit

struct M010_CreateOutboxEmails: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxEmail.schema)
            .id()
            .field("to_address", .string, .required)
            .field("subject", .string, .required)
            .field("text_body", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("last_error", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxEmail.schema).delete()
    }
}
