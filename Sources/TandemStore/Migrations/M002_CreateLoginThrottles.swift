import FluentKit

struct M002_CreateLoginThrottles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginThrottleRecord.schema)
            .id()
            .field("email", .string, .required)
            .field("failures", .int, .required)
            .field("locked_until", .datetime)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginThrottleRecord.schema).delete()
    }
}
