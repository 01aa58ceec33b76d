import FluentKit
import Foundation
import SQLKit

/// Resources of programs (without their bytes), newest first, and one file's bytes.
public enum ResourceReads {
    public static func of(programIDs: [UUID], on db: any Database) async throws -> [Resource] {
        guard !programIDs.isEmpty else { return [] }
        return try await Resource.query(on: db).filter(\.$program.$id ~~ programIDs).sort(\.$createdAt, .descending).sort(\.$id).all()
    }

    public static func find(id: UUID, programID: UUID, on db: any Database) async throws -> Resource? {
        try await Resource.query(on: db).filter(\.$id == id).filter(\.$program.$id == programID).first()
    }

    public static func data(resourceID: UUID, on db: any Database) async throws -> Data? {
        try await ResourceFile.query(on: db).filter(\.$resource.$id == resourceID).first()?.data
    }

    /// The program's resources a partner of `groupID` sees (those for every group, or for theirs).
    public static func visible(programID: UUID, toGroup groupID: UUID, on db: any Database) async throws -> [Resource] {
        let resources = try await of(programIDs: [programID], on: db)
        let audiences = try await AudienceGroups.of(resources.compactMap(\.id), on: db as! any SQLDatabase)
        return resources.filter { $0.id.map { AudienceGroups.sees(audiences[$0], group: groupID) } ?? false }
    }

    /// One of the program's files, if a partner of `groupID` sees it.
    public static func visibleFile(id: UUID, programID: UUID, toGroup groupID: UUID, on db: any Database) async throws -> Resource? {
        guard let resource = try await find(id: id, programID: programID, on: db), resource.kind == .file else { return nil }
        let audiences = try await AudienceGroups.of([id], on: db as! any SQLDatabase)
        return AudienceGroups.sees(audiences[id], group: groupID) ? resource : nil
    }
}
