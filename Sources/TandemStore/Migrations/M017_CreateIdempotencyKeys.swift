import FluentKit

struct M017_CreateIdempotencyKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IdempotencyRecord.schema)
            .id()
            .field("scope", .string, .required)
            .field("key", .string, .required)
            .field("fingerprint", .string, .required)
            .field("status", .int)
            .field("body", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "scope", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IdempotencyRecord.schema).delete()
    }
}
