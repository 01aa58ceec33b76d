import Hummingbird
import HummingbirdBcrypt
import NIOCore
import NIOPosix
import Synchronization

/// bcrypt, off the event loops and off the thread pool the database uses.
///
/// A hash at cost 12 takes a noticeable fraction of a second of CPU. SQLite runs its
/// queries on `NIOThreadPool.singleton`; if bcrypt ran there too, a burst of logins would
/// queue every query behind the hashes until the connection pool timed out (30 parallel
/// logins gave 500s). So bcrypt has a pool of its own, and a bounded queue: past
/// `maxWaiting` hashes waiting, a request is shed with 503 and `Retry-After` instead of
/// waiting for seconds.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    let maxWaiting: Int

    /// Shared by every hasher of the process; as many threads as cores.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(2, System.coreCount))
        pool.start()
        return pool
    }()
    /// Hashes waiting or running for this hasher (the app has one; the CLI and tests their own).
    let inFlight = InFlight()

    final class InFlight: Sendable {
        let count = Atomic<Int>(0)
    }

    public init(cost: UInt8, maxWaiting: Int = 64) {
        self.cost = cost
        self.maxWaiting = maxWaiting
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await run { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await run { Bcrypt.verify(password, hash: hash) }
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        let waiting = inFlight.count.wrappingAdd(1, ordering: .relaxed).newValue
        defer { inFlight.count.wrappingSubtract(1, ordering: .relaxed) }
        guard waiting <= maxWaiting else { throw Overloaded() }
        return try await Self.pool.runIfActive(work)
    }

    /// Too many passwords are waiting to be checked: 503, try again shortly.
    struct Overloaded: HeaderCarryingError, HTTPResponseError {
        var status: HTTPResponse.Status { .serviceUnavailable }
        var headers: HTTPFields { [.retryAfter: ErrorMiddleware.overloadRetryAfter] }
        func response(from request: Request, context: some RequestContext) throws -> Response {
            Response(status: status, headers: headers)
        }
    }

    /// Checked when the email is unknown, so that a wrong email takes as long as a wrong password.
    static let decoyHash = Bcrypt.hash("decoy password for timing", cost: 10)
}
