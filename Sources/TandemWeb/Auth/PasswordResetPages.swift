import Foundation
import Hummingbird
import TandemDomain
import TandemJobs
import TandemStore

/// "Forgot password": a single-use link, valid for one hour, stored hashed, sent by email.
struct PasswordResetPages: WebPages {
    let env: WebEnvironment

    struct Page {
        let shell: Shell
        let form: FormState
        let token: String
        let sent: Bool
    }

    struct Invalid {
        let shell: Shell
        let heading: String
        let message: String
        var actionHref = SiteRoute.forgotPassword.path
        var actionLabel = "Send a new link"
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.forgotPassword.routerPath) { _, context in
            try renderer.html("forgot", Page(shell: shell("Reset your password", context), form: FormState(), token: "", sent: false))
        }
        router.post(SiteRoute.forgotPassword.routerPath) { _, context in try await requestReset(context: context) }
        let resetPattern = SiteRoute.pattern(SiteRoute.resetPassword, "token")
        router.get(resetPattern) { _, context in
            let token = context.parameters.get("token") ?? ""
            guard try await usableReset(token: token) != nil else { return try invalid(context) }
            return try renderer.html("reset", Page(shell: shell("Choose a new password", context), form: FormState(), token: token, sent: false))
        }
        router.post(resetPattern) { _, context in try await reset(context: context) }
    }

    func shell(_ title: String, _ context: AppRequestContext) -> Shell {
        Shell.make(title: title, area: .bare, context: context, renderer: renderer)
    }

    func requestReset(context: AppRequestContext) async throws -> Response {
        let email = Validate.normalizedEmail(context.form.string("email"))
        var errors = FieldErrors()
        Validate.email(email, into: &errors)
        guard errors.isEmpty else {
            return try renderer.html("forgot", Page(shell: shell("Reset your password", context), form: FormState(values: ["email": email], errors: errors), token: "", sent: false), status: .unprocessableContent)
        }
        func refused(_ message: String, _ retryAfter: Int) throws -> Response {
            var response = try renderer.html("forgot", Page(shell: shell("Reset your password", context), form: FormState(values: ["email": email], formError: message), token: "", sent: false), status: .tooManyRequests)
            response.headers[.retryAfter] = String(retryAfter)
            return response
        }
        if let limiter = env.limits.authByAddress {
            let decision = limiter.take(RequestLimits.address(context))
            if !decision.allowed { return try refused("Too many requests from your network. Try again in a few minutes.", decision.retryAfterSeconds) }
        }
        // A few mails an hour per address, whether or not it has an account (so the answer
        // reveals nothing): nobody can flood an inbox through us.
        let perEmail = env.limits.resetMailsByEmail.take(email)
        if !perEmail.allowed {
            return try refused("We already sent \(RequestLimits.resetMailsPerHour) reset links to this address in the last hour. Use the newest one, or try again later.", perEmail.retryAfterSeconds)
        }
        if let user = try await AccountQueries.user(email: email, on: store.db) {
            let at = now()
            try await store.db.transaction { db in
                let token = try await PasswordResetQueries.issue(userID: user.requireID(), now: at, on: db)
                let link = config.baseURL + SiteRoute.resetPassword(token: token).path
                try await Outbox.send(
                    to: user.email, subject: "Reset your Tandem password",
                    body: """
                    Hello \(user.name),

                    Someone (we hope you) asked to reset the password of your Tandem account.
                    Choose a new password here within the next hour:

                    \(link)

                    The link works once. If you did not ask for it, ignore this email: your password stays as it is.
                    """,
                    now: at, on: db
                )
            }
        }
        // The same answer whether or not the address has an account.
        return try renderer.html("forgot", Page(shell: shell("Check your email", context), form: FormState(values: ["email": email]), token: "", sent: true))
    }

    func usableReset(token: String) async throws -> PasswordReset? {
        try await PasswordResetQueries.usable(token: token, now: now(), on: store.db)
    }

    func invalid(_ context: AppRequestContext) throws -> Response {
        try renderer.html("reset_invalid", Invalid(
            shell: shell("Link no longer valid", context),
            heading: "This reset link can no longer be used",
            message: "Reset links work once and for one hour. Ask for a new one below."
        ), status: .gone)
    }

    func reset(context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let password = context.form.string("password")
        let confirmation = context.form.string("password_confirmation")
        guard let reset = try await usableReset(token: token) else { return try invalid(context) }
        var errors = FieldErrors()
        Validate.password(password, into: &errors)
        if errors.isEmpty && password != confirmation { errors.add("password_confirmation", "The two passwords are not the same.") }
        guard errors.isEmpty else {
            return try renderer.html("reset", Page(shell: shell("Choose a new password", context), form: FormState(errors: errors), token: token, sent: false), status: .unprocessableContent)
        }
        let hash = try await hasher.hash(password)
        let claimed = try await PasswordResetQueries.complete(reset, passwordHash: hash, now: now(), on: store.db)
        guard claimed else { return try invalid(context) }
        return Response.seeOther(.login, query: "reset=1")
    }
}
