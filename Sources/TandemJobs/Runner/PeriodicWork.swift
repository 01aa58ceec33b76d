import Logging
import ServiceLifecycle

/// Work a node repeats every `interval` until shutdown (the hold-period release, the
/// campaigns). Each pass must be safe on every node at once (a conditional UPDATE, a unique
/// claim), so there is no leader to elect; a failed pass is logged and the next one retries.
public protocol PeriodicWork: Service {
    var interval: Duration { get }
    var logger: Logger { get }
    /// What a pass that did something logs, with its count.
    var doneMessage: Logger.Message { get }
    /// One pass; how many things it did.
    func runOnce() async throws -> Int
}

extension PeriodicWork {
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let count = try await runOnce()
                if count > 0 { logger.info(doneMessage, metadata: ["count": .stringConvertible(count)]) }
            } catch {
                logger.error("\(doneMessage) failed", metadata: ["error": .string(String(describing: error))])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }
}
