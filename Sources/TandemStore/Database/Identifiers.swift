import FluentKit
import Foundation
import NIOCore
import Synchronization

/// Where new row ids and secret tokens come from: random in production; a counter in tests,
/// so a page renders the same bytes on every run and snapshots need no scrubbing. The store
/// is given one when it opens, and every database handle reaches it (`db.identifiers`), so
/// queries and workflows need no extra parameter.
public struct Identifiers: Sendable {
    public let uuid: @Sendable () -> UUID
    /// URL-safe text of `bytes` bytes.
    public let token: @Sendable (_ bytes: Int) -> String
    /// Letters and digits people copy by hand (partner and link keys).
    public let key: @Sendable (_ length: Int) -> String

    public init(uuid: @escaping @Sendable () -> UUID, token: @escaping @Sendable (Int) -> String, key: @escaping @Sendable (Int) -> String) {
        self.uuid = uuid
        self.token = token
        self.key = key
    }

    public static let random = Identifiers(uuid: { UUID() }, token: { SecureToken.generate(bytes: $0) }, key: { SecureToken.alphanumeric(length: $0) })

    /// 00000000-0000-4000-8000-000000000001, …; tokens `tok1…`, keys `k1xxx…`: readable and repeatable.
    public static func sequential() -> Identifiers {
        let counter = Mutex(0)
        @Sendable func next() -> Int { counter.withLock { $0 += 1; return $0 } }
        return Identifiers(
            uuid: { UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", next()))! },
            token: { bytes in
                let text = "tok\(next())"
                return text + String(repeating: "x", count: max(0, (bytes * 4 + 2) / 3 - text.count))
            },
            key: { length in
                let text = "k\(next())"
                return text + String(repeating: "x", count: max(0, length - text.count))
            }
        )
    }
}

/// Gives each new model its id from the store's `Identifiers` (FluentKit keeps an id that is set).
struct IdentifierAssignment: AnyModelMiddleware {
    let identifiers: Identifiers

    func handle(_ event: ModelEvent, _ model: any AnyModel, on db: any Database, chainingTo next: any AnyModelResponder) -> EventLoopFuture<Void> {
        // Fluent's own migration log is left to Fluent: a new migration must not move every
        // id a test sees (the page snapshots hold them).
        if case .create = event, !(model is MigrationLog), let model = model as? any Model { assign(model) }
        return next.handle(event, model, on: db)
    }

    private func assign<M: Model>(_ model: M) {
        if model.id == nil, let id = identifiers.uuid() as? M.IDValue { model.id = id }
    }
}

extension Database {
    /// The store's source of ids and tokens.
    public var identifiers: Identifiers {
        for middleware in configuration.middleware {
            if let assignment = middleware as? IdentifierAssignment { return assignment.identifiers }
        }
        return .random
    }
}
