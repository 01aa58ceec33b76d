import FluentKit
import Foundation
import TandemStore

/// What a job handler is told about the job it runs.
public struct JobContext: Sendable {
    public let id: UUID
    public let attempt: Int
    public let maxAttempts: Int
    public let store: Store
    public let now: @Sendable () -> Date

    public var isLastAttempt: Bool { attempt >= maxAttempts }

    public func decode<Payload: Decodable>(_ type: Payload.Type, from payload: String) throws -> Payload {
        try JSONDecoder().decode(type, from: Data(payload.utf8))
    }
}

/// One kind of background work.
public protocol JobHandler: Sendable {
    var kind: String { get }
    func run(payload: String, context: JobContext) async throws
}
