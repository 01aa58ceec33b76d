import HummingbirdBcrypt
import NIOPosix

/// bcrypt, off the event loops: a hash at cost 12 takes a noticeable fraction of a second.
public struct PasswordHasher: Sendable {
    public let cost: UInt8

    public init(cost: UInt8) { self.cost = cost }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Checked when the email is unknown, so that a wrong email takes as long as a wrong password.
    static let decoyHash = Bcrypt.hash("decoy password for timing", cost: 10)
}
