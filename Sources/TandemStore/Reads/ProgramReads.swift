import FluentKit
import SQLKit
import Foundation
import TandemDomain

/// Programs and their groups as pages and the API read them.
public enum ProgramReads {
    /// A company's programs; `byName` for the console, else newest first (the API's order).
    public static func ofCompany(_ companyID: UUID, byName: Bool = false, on db: any Database) async throws -> [Program] {
        let query = Program.query(on: db).filter(\.$company.$id == companyID)
        if byName { query.sort(\.$name) } else { query.sort(\.$createdAt, .descending).sort(\.$id) }
        return try await query.all()
    }

    /// A company's program by slug; another company's program is not found.
    public static func find(slug: String, companyID: UUID, on db: any Database) async throws -> Program? {
        try await Program.query(on: db).filter(\.$slug == slug).filter(\.$company.$id == companyID).first()
    }

    /// Programs listed in the marketplace, by name, with their company.
    public static func listed(on db: any Database) async throws -> [Program] {
        try await Program.query(on: db).filter(\.$marketplace == true).with(\.$company).sort(\.$name).all()
    }

    /// A listed program by slug.
    public static func listed(slug: String, on db: any Database) async throws -> Program? {
        try await Program.query(on: db).filter(\.$slug == slug).filter(\.$marketplace == true).first()
    }

    /// A program's groups, oldest first; archived ones only when asked for.
    public static func groups(programID: UUID, archived: Bool = false, on db: any Database) async throws -> [ProgramGroup] {
        let query = ProgramGroup.query(on: db).filter(\.$program.$id == programID)
        if !archived { query.filter(\.$archivedAt == nil) }
        return try await query.sort(\.$createdAt).all()
    }


    /// Each program's default group id.
    public static func defaultGroupIDs(programIDs: [UUID], on db: any Database) async throws -> [UUID: UUID] {
        let groups = try await ProgramGroup.query(on: db).filter(\.$program.$id ~~ programIDs).filter(\.$isDefault == true).all()
        return Dictionary(groups.compactMap { group in group.id.map { (group.$program.id, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    /// Whether `groupID` is a group of this program.
    public static func hasGroup(_ groupID: UUID, programID: UUID, on db: any Database) async throws -> Bool {
        try await ProgramGroup.query(on: db).filter(\.$id == groupID).filter(\.$program.$id == programID).filter(\.$archivedAt == nil).count() == 1
    }

    /// Whether any reward was earned in the program (its currency is then fixed).
    public static func hasRewards(programID: UUID, on db: any Database) async throws -> Bool {
        try await Reward.query(on: db).filter(\.$program.$id == programID).first() != nil
    }

    /// Whether partners of the program have custom links, whose shared URLs hold its slug.
    public static func hasCustomLinks(programID: UUID, on db: any Database) async throws -> Bool {
        try await Link.query(on: db).join(Partnership.self, on: \Link.$partnership.$id == \Partnership.$id)
            .filter(Partnership.self, \.$program.$id == programID).filter(\.$slug != nil).filter(\.$archivedAt == nil).first() != nil
    }

    /// The triggers of the program's live (not archived) reward rules.
    public static func ruleTriggers(programID: UUID, on db: any Database) async throws -> Set<String> {
        Set(try await RewardRuleRecord.query(on: db).filter(\.$program.$id == programID).filter(\.$archivedAt == nil).all().map(\.trigger))
    }

    /// The program's reward rules, live ones first, each group's oldest first.
    public static func rules(programID: UUID, on db: any Database) async throws -> [RewardRuleRecord] {
        try await RewardRuleRecord.query(on: db).filter(\.$program.$id == programID).sort(\.$createdAt).sort(\.$id).all()
            .sorted { ($0.archivedAt == nil ? 0 : 1) < ($1.archivedAt == nil ? 0 : 1) }
    }

    /// How many partners each group of the program has (applied, invited or active: not
    /// archived or declined).
    public static func groupSizes(programID: UUID, on sql: any SQLDatabase) async throws -> [UUID: Int64] {
        struct Row: Decodable { let group_id: UUID; let total: Int64 }
        return Dictionary(try await sql.raw("""
            SELECT group_id, CAST(COUNT(*) AS BIGINT) AS total FROM partnerships
            WHERE program_id = \(bind: programID) AND status NOT IN ('archived', 'declined') GROUP BY group_id
            """).all(decoding: Row.self).map { ($0.group_id, $0.total) }, uniquingKeysWith: { a, _ in a })
    }
}
