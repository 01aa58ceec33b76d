import FluentKit
import Foundation
import TandemStore

/// The groups a vendor chose for something partners see (a resource, a tab, a campaign),
/// as typed: each must be a live group of the program; none chosen means every group.
enum ProgramGroupChoice {
    static func checked(_ raw: [String], programID: UUID, field: String, on db: any Database) async throws -> [UUID] {
        var ids: [UUID] = []
        for text in raw where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let id = UUID(uuidString: text.trimmingCharacters(in: .whitespaces)) else {
                throw OperationError.invalid(field: field, message: "Choose the program's groups, or none for every group.")
            }
            if !ids.contains(id) { ids.append(id) }
        }
        guard !ids.isEmpty else { return [] }
        let known = try await ProgramGroup.query(on: db).filter(\.$id ~~ ids).filter(\.$program.$id == programID).filter(\.$archivedAt == nil).count()
        guard known == ids.count else { throw OperationError.invalid(field: field, message: "Choose the program's groups, or none for every group.") }
        return ids
    }
}
