import Foundation
import Hummingbird
import NIOCore
import TandemStore

/// Per-request state: who is signed in, and the parsed, CSRF-checked form body.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    /// Fields of a urlencoded POST, present once `FormMiddleware` has checked its CSRF token.
    public var form: FormFields = FormFields()
    /// A `multipart/form-data` POST (an upload), parsed once its CSRF field has been checked.
    var multipart: MultipartForm?
    /// The value of the CSRF cookie for this browser (set by `CSRFCookieMiddleware`).
    public var csrfSeed: String = ""
    /// Set by `APIMiddleware` under /api/v1.
    public var principal: APIPrincipal?
    /// The API key the request came with (its label names what it writes, e.g. a message).
    public var apiKeyID: UUID?
    public var apiBody: ByteBuffer?
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Forms are small; anything bigger is refused with 413 before it is read whole.
    public var maxUploadSize: Int { 64 * 1024 }

    public func requireIdentity() throws -> Identity {
        guard let identity else { throw HTTPError(.unauthorized) }
        return identity
    }
}

/// The signed-in user and what they belong to.
public struct Identity: Sendable {
    public let user: User
    public let sessionID: UUID
    public let partnerMemberships: [PartnerMember]
    public let companyMemberships: [CompanyMember]

    public var userID: UUID { user.id! }
    public var partnerMembership: PartnerMember? { partnerMemberships.first }
    public var companyMembership: CompanyMember? { companyMemberships.first }
}
