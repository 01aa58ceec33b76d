import FluentKit
import NIOCore

/// Where this installation is reached (`BASE_URL`): the tracked links an event carries are
/// built from it, in the transaction that writes the event, so the store is told it when it
/// opens, as it is told its `Identifiers`.
struct PublicURLNote: AnyModelMiddleware {
    let url: String

    func handle(_ event: ModelEvent, _ model: any AnyModel, on db: any Database, chainingTo next: any AnyModelResponder) -> EventLoopFuture<Void> {
        next.handle(event, model, on: db)
    }
}

extension Database {
    /// `BASE_URL` without a trailing slash; the development default when the store was not told.
    public var publicURL: String {
        for middleware in configuration.middleware {
            if let note = middleware as? PublicURLNote { return note.url }
        }
        return "http://127.0.0.1:8080"
    }
}
