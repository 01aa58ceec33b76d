import FluentKit
import Foundation
import SQLKit

/// The custom tabs of programs, oldest first (the order the vendor added them).
public enum CustomTabReads {
    public static func of(programIDs: [UUID], on db: any Database) async throws -> [CustomTab] {
        guard !programIDs.isEmpty else { return [] }
        return try await CustomTab.query(on: db).filter(\.$program.$id ~~ programIDs).sort(\.$createdAt).sort(\.$id).all()
    }

    /// The tabs of the partnerships' programs each partnership sees (for every group, or for its group).
    public static func visible(to partnerships: [Partnership], on db: any Database) async throws -> [UUID: [CustomTab]] {
        let tabs = try await of(programIDs: partnerships.map(\.$program.id), on: db)
        let audiences = try await AudienceGroups.of(tabs.compactMap(\.id), on: db as! any SQLDatabase)
        var seen: [UUID: [CustomTab]] = [:]
        for partnership in partnerships {
            guard let id = partnership.id else { continue }
            seen[id] = tabs.filter { tab in
                tab.$program.id == partnership.$program.id && tab.id.map { AudienceGroups.sees(audiences[$0], group: partnership.$group.id) } == true
            }
        }
        return seen
    }
}
