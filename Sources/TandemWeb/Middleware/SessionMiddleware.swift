import Foundation
import Hummingbird
import TandemStore

/// Finds the signed-in user from the session cookie. Sessions live in the database,
/// so any node serves any user.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "tdm_session"

    let store: Store
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty, token.count < 200,
           let (session, user) = try await SessionQueries.find(token: token, now: now(), on: store.db) {
            let (partner, vendor) = try await AccountQueries.memberships(userID: user.requireID(), on: store.db)
            context.identity = Identity(user: user, sessionID: try session.requireID(), partnerMemberships: partner, companyMemberships: vendor)
        }
        return try await next(request, context)
    }

    static func cookie(token: String, secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: token, maxAge: Int(SessionQueries.lifetime), path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    static func expiredCookie(secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
