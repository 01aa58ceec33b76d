import FluentKit
import Foundation

/// The custom tabs of programs, oldest first (the order the vendor added them).
public enum CustomTabReads {
    public static func of(programIDs: [UUID], on db: any Database) async throws -> [CustomTab] {
        guard !programIDs.isEmpty else { return [] }
        return try await CustomTab.query(on: db).filter(\.$program.$id ~~ programIDs).sort(\.$createdAt).sort(\.$id).all()
    }
}
