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
            let notice: String? = request.uri.queryParameters["reset"] == "1" ? "Your password has been changed. Log in with the new one."
                : request.uri.queryParameters["email"] == "1" ? "Your login address was changed. Log in with the new one." : nil
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

    /// Only a local path may be a `next`: a relative path starting with exactly one `/`,
    /// with no backslash and no control character (a browser drops a tab or newline, so
    /// `/<TAB>/evil.example` would become `//evil.example`). Anything else goes home.
    static func safeNext(_ next: String) -> String? {
        guard next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
              !TextRules.hasControlCharacter(next), !next.unicodeScalars.contains(where: { $0.properties.isWhitespace }) else { return nil }
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
        if let refused = try limitedByAddress(context, render: { message in
            try showLogin(context: context, form: FormState(values: ["email": email], formError: message), next: next, notice: nil, status: .tooManyRequests)
        }) { return refused }

        // Counted before the password is checked: parallel guesses each take a number, and
        // only the first few are ever checked (`LoginThrottleQueries`).
        let at = now()
        let throttle = try await LoginThrottleQueries.countAttempt(email: email, now: at, on: store.db)
        let lockedMessage = "Too many failed attempts. Log in is locked for 15 minutes; you can reset your password meanwhile."
        func locked() throws -> Response {
            var response = try showLogin(context: context, form: FormState(values: ["email": email], formError: lockedMessage), next: next, notice: nil, status: .tooManyRequests)
            response.headers[.retryAfter] = String(throttle.retryAfter(at: at))
            return response
        }
        guard throttle.mayCheckPassword else { return try locked() }

        let user = try await AccountQueries.user(email: email, on: store.db)
        let valid = try await hasher.verify(password, against: user?.passwordHash ?? PasswordHasher.decoyHash)
        guard let user, valid else {
            if throttle.isLocked(at: at) { return try locked() }
            return try showLogin(
                context: context, form: FormState(values: ["email": email], formError: "That email and password do not match an account."),
                next: next, notice: nil, status: .unauthorized
            )
        }
        try await LoginThrottleQueries.clear(email: email, on: store.db)
        return try await startSession(for: user, next: Self.safeNext(next))
    }

    /// The per-client-address limit on log-in, sign-up and reset requests: nil when the
    /// request may go on, otherwise the page `render` makes, as a 429 with `Retry-After`.
    func limitedByAddress(_ context: AppRequestContext, render: (String) throws -> Response) throws -> Response? {
        guard let limiter = env.limits.authByAddress else { return nil }
        let decision = limiter.take(RequestLimits.address(context))
        guard !decision.allowed else { return nil }
        let minutes = max(1, (decision.retryAfterSeconds + 59) / 60)
        var response = try render("Too many attempts from your network. Try again in \(minutes) minute\(minutes == 1 ? "" : "s").")
        response.headers[.retryAfter] = String(decision.retryAfterSeconds)
        return response
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
        if let refused = try limitedByAddress(context, render: { message in
            try renderer.html("signup", Page(shell: shell("Create your partner account", context), form: FormState(values: values, formError: message), next: "", notice: nil), status: .tooManyRequests)
        }) { return refused }
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
