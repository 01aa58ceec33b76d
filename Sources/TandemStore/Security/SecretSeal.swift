import Crypto
import FluentKit
import Foundation
import NIOCore

/// Webhook signing secrets at rest. An API key is stored as a hash, but an HMAC is signed with
/// the secret itself, so the store must be able to read it back: it keeps it sealed (AES-GCM
/// under a key derived from `SECRET_KEY`), and a copy of the database alone (a backup, a dump,
/// a read replica) cannot sign events as this installation.
///
/// Every node and worker of one installation shares `SECRET_KEY` already (it signs CSRF
/// tokens and visitor ids); a secret sealed under another key cannot be opened, and its
/// endpoint's deliveries fail with that reason until the secret is rotated.
public struct SecretSeal: Sendable {
    static let prefix = "sealed:v1:"
    private let key: Data

    public init(secretKey: String) {
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secretKey.utf8)), info: Data("tandem webhook signing secrets v1".utf8), outputByteCount: 32)
        key = derived.withUnsafeBytes { Data($0) }
    }

    public struct CannotOpen: Error, CustomStringConvertible {
        public var description: String {
            "the endpoint's signing secret was sealed under another SECRET_KEY; rotate the secret to sign again"
        }
    }

    /// The stored form of `secret`: `sealed:v1:` and the base64 of nonce, ciphertext and tag.
    public func seal(_ secret: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: SymmetricKey(data: key))
        guard let combined = box.combined else { throw CannotOpen() }
        return Self.prefix + combined.base64EncodedString()
    }

    /// The secret a stored value holds. A value stored before secrets were sealed is the secret itself.
    public func open(_ stored: String) throws -> String {
        guard Self.isSealed(stored) else { return stored }
        guard let combined = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))),
              let box = try? AES.GCM.SealedBox(combined: combined),
              let plain = try? AES.GCM.open(box, using: SymmetricKey(data: key)) else { throw CannotOpen() }
        return String(decoding: plain, as: UTF8.self)
    }

    public static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(prefix) }
}

/// The store's seal, told when it opens (as it is told its `Identifiers`), so every database
/// handle reaches it.
struct SecretSealNote: AnyModelMiddleware {
    let seal: SecretSeal

    func handle(_ event: ModelEvent, _ model: any AnyModel, on db: any Database, chainingTo next: any AnyModelResponder) -> EventLoopFuture<Void> {
        next.handle(event, model, on: db)
    }
}

extension Database {
    /// Nil when the store was opened without a `SECRET_KEY` (a backup's copy, some tests):
    /// secrets are then kept as they are given.
    public var secretSeal: SecretSeal? {
        for middleware in configuration.middleware {
            if let note = middleware as? SecretSealNote { return note.seal }
        }
        return nil
    }

    /// The stored form of a new signing secret.
    public func sealedSecret(_ secret: String) throws -> String {
        try secretSeal?.seal(secret) ?? secret
    }
}
