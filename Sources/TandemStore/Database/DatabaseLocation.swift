import Foundation

/// Where the data lives: a SQLite file (the default), SQLite in memory (tests), or PostgreSQL.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(url: String, schema: String? = nil)

    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// Never prints a password.
    public var description: String {
        switch self {
        case .sqliteFile(let path): return "SQLite file \(path)"
        case .sqliteMemory: return "SQLite in memory"
        case .postgres(let url, _):
            guard var components = URLComponents(string: url) else { return "PostgreSQL" }
            if components.password != nil { components.password = "***" }
            return "PostgreSQL \(components.string ?? "")"
        }
    }
}
