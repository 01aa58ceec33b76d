import Foundation
import TandemStore

/// A program's groups as the vendor picks them for what partners see (campaigns, resources,
/// custom tabs): checkboxes, none checked meaning every group; and the chosen ones as a list reads.
enum GroupChoices {
    struct Option {
        let value: String
        let label: String
        let checked: Bool
    }

    /// The program's groups as checkboxes, the chosen ones checked.
    static func options(_ programGroups: [ProgramGroup], chosen: [String]) -> [Option] {
        programGroups.compactMap { group in
            group.id.map { Option(value: $0.pathText, label: group.name, checked: chosen.contains { UUID(uuidString: $0) == group.id }) }
        }
    }

    /// "Gold, VIP", or "Every group" for none.
    static func names(_ ids: [UUID], names: [UUID: String]) -> String {
        ids.isEmpty ? "Every group" : ids.compactMap { names[$0] }.sorted().joined(separator: ", ")
    }
}
