import FluentKit
import Foundation
import Hummingbird
import TandemDomain
import TandemJobs
import TandemStore

/// Sign up, log in, log out. One login serves partners, vendor teammates and operators;
/// where they land depends on what they belong to.
struct AuthPages: WebPages {
    let env: WebEnvironment

    struct Page {
        let shell: Shell
        let form: FormState
        let next: String
        let notice: String?
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.root.routerPath) { _, context in
            guard let identity = context.identity else { return Response.seeOther(.login) }
            return Response.seeOther(Self.landing(for: identity))
        }
        router.get(SiteRoute.login.routerPath) { request, context in
            if let identity = context.identity { return Response.seeOther(Self.landing(for: identity)) }
            let notice = request.uri.queryParameters["reset"] == "1" ? "Your password has been changed. Log in with the new one." : nil
            return try showLogin(context: context, form: FormState(), next: request.uri.queryParameters["next"].map(String.init) ?? "", notice: notice)
        }
        router.post(SiteRoute.login.routerPath) { _, context in try await login(context: context) }
        router.post(SiteRoute.logout.routerPath) { request, _ in
            if let token = request.cookies[SessionMiddleware.cookieName]?.value {
                try await SessionQueries.delete(token: token, on: store.db)
            }
            var response = Response.seeOther(.login)
            response.setCookie(SessionMiddleware.expiredCookie(secure: config.secureCookies))
            return response
        }
        router.get(SiteRoute.signup.routerPath) { _, context in
            try renderer.html("signup", Page(shell: shell("Create your partner account", context), form: FormState(), next: "", notice: nil))
        }
        router.post(SiteRoute.signup.routerPath) { _, context in try await signup(context: context) }
    }

    func shell(_ title: String, _ context: AppRequestContext) -> Shell {
        Shell.make(title: title, area: .bare, context: context, renderer: renderer)
    }

    func showLogin(context: AppRequestContext, form: FormState, next: String, notice: String?, status: HTTPResponse.Status = .ok) throws -> Response {
        try renderer.html("login", Page(shell: shell("Log in", context), form: form, next: next, notice: notice), status: status)
    }

    static func landing(for identity: Identity) -> SiteRoute {
        if identity.partnerMembership != nil { return .partnerHome }
        if identity.companyMembership != nil { return .vendorHome }
        return .partnerHome
    }

    /// Only a local path may be a `next`: anything else would be an open redirect.
    static func safeNext(_ next: String) -> String? {
        guard next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !next.contains("\n"), !next.contains("\r") else { return nil }
        return next
    }

    func login(context: AppRequestContext) async throws -> Response {
        let form = context.form
        let email = Validate.normalizedEmail(form.string("email"))
        let password = form.string("password")
        let next = form.string("next")
        var errors = FieldErrors()
        Validate.email(email, into: &errors)
        if password.isEmpty { errors.add("password", "Enter your password.") }
        guard errors.isEmpty else {
            return try showLogin(context: context, form: FormState(values: ["email": email], errors: errors), next: next, notice: nil, status: .unprocessableContent)
        }

        let at = now()
        let throttleRecord = try await LoginThrottleRecord.query(on: store.db).filter(\.$email == email).first()
        let throttle = LoginThrottle(failures: throttleRecord?.failures ?? 0, lockedUntil: throttleRecord?.lockedUntil)
        let lockedMessage = "Too many failed attempts. Log in is locked for 15 minutes; you can reset your password meanwhile."
        if throttle.isLocked(at: at) {
            return try showLogin(context: context, form: FormState(values: ["email": email], formError: lockedMessage), next: next, notice: nil, status: .tooManyRequests)
        }

        let user = try await AccountQueries.user(email: email, on: store.db)
        let valid = try await hasher.verify(password, against: user?.passwordHash ?? PasswordHasher.decoyHash)
        guard let user, valid else {
            let after = throttle.recordingFailure(at: at)
            let record = throttleRecord ?? LoginThrottleRecord(email: email, failures: 0, lockedUntil: nil)
            record.failures = after.failures
            record.lockedUntil = after.lockedUntil
            // Two failures racing on a new address can collide on the unique email;
            // losing one count there is harmless, answering 500 is not.
            try? await record.save(on: store.db)
            let message = after.isLocked(at: at) ? lockedMessage : "That email and password do not match an account."
            return try showLogin(
                context: context, form: FormState(values: ["email": email], formError: message), next: next, notice: nil,
                status: after.isLocked(at: at) ? .tooManyRequests : .unauthorized
            )
        }
        if let throttleRecord { try await throttleRecord.delete(on: store.db) }
        return try await startSession(for: user, next: Self.safeNext(next))
    }

    func startSession(for user: User, next: String?) async throws -> Response {
        let token = try await SessionQueries.create(userID: user.requireID(), now: now(), on: store.db)
        let (partner, vendor) = try await AccountQueries.memberships(userID: user.requireID(), on: store.db)
        let destination = next ?? (partner.isEmpty && !vendor.isEmpty ? SiteRoute.vendorHome.path : SiteRoute.partnerHome.path)
        var response = Response.redirect(to: destination, type: .normal)
        response.setCookie(SessionMiddleware.cookie(token: token, secure: config.secureCookies))
        return response
    }

    func signup(context: AppRequestContext) async throws -> Response {
        let form = context.form
        let name = form.string("name").trimmingCharacters(in: .whitespacesAndNewlines)
        let email = Validate.normalizedEmail(form.string("email"))
        let password = form.string("password")
        var errors = FieldErrors()
        Validate.name(name, into: &errors)
        Validate.email(email, into: &errors)
        Validate.password(password, into: &errors)
        let values = ["name": name, "email": email]
        func again(_ errors: FieldErrors) throws -> Response {
            try renderer.html("signup", Page(shell: shell("Create your partner account", context), form: FormState(values: values, errors: errors), next: "", notice: nil), status: .unprocessableContent)
        }
        guard errors.isEmpty else { return try again(errors) }
        let hash = try await hasher.hash(password)
        let user: User
        do {
            (user, _) = try await AccountQueries.createPartner(name: name, email: email, passwordHash: hash, now: now(), on: store.db)
        } catch is AccountQueries.EmailTaken {
            errors.add("email", "An account with this email already exists. Log in or reset your password.")
            return try again(errors)
        }
        return try await startSession(for: user, next: nil)
    }
}
