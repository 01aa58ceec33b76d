import FluentKit
import Foundation

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
}
