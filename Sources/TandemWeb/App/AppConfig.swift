import Foundation
import Logging
import TandemIntegrations
import TandemStore

/// Every setting Tandem reads from its environment, read here and nowhere else.
/// Each has a default that needs nothing set; a bad value stops start-up with a
/// sentence that names the variable.
public struct AppConfig: Sendable {
    public enum Mode: String, Sendable {
        case development, production
    }

    public var mode: Mode
    public var hostname: String
    public var port: Int
    /// The public address, used in emails and links; decides whether cookies are Secure.
    public var baseURL: String
    public var database: DatabaseLocation
    /// Signs CSRF tokens. Never logged.
    public var secretKey: String
    public var smtp: SMTPConfiguration?
    public var logLevel: Logger.Level
    /// Whether `tandem serve` also runs the background job runner (the default), or
    /// leaves that to separate `tandem worker` processes.
    public var runJobsInProcess: Bool
    /// Where "Technical support" messages are sent.
    public var supportEmail: String
    public var mailFrom: String
    /// Registers `/bench/bare/{key}`, the redirect benchmark's baseline. Off unless asked for.
    public var benchmarkRoutes: Bool = false
    /// How long counted clicks wait in memory before being written (the spool keeps them through
    /// a crash meanwhile). 500 ms on PostgreSQL was tried and not kept: README, redirect measurements.
    public var clickFlushInterval: Duration = .milliseconds(250)
    /// Where answered clicks wait on disk until written (`ClickSpool`); nil: in memory only
    /// (tests). `tandem serve` spools by default, into `tandem-clicks/`.
    public var clickSpoolDirectory: String?
    /// `fsync` each spooled click: survives a lost machine, not only a killed process; slower.
    public var clickSpoolFsync = false
    /// Payouts through PayPal's Payouts API when its credentials are set; otherwise PayPal withdrawals are manual.
    public var paypal: PayPalConfiguration?
    /// Payouts as Stripe transfers when a secret key is set; otherwise Stripe withdrawals are manual.
    public var stripe: StripeConfiguration?
    /// Requests per API key per minute (a token bucket per node); 0 turns the limit off.
    public var apiRateLimitPerMinute: Int = 6000
    /// File uploads a node reads at once (`UploadGate`); more wait for a 503's `Retry-After`.
    public var uploadsAtOnce: Int = 4
    /// Log-in, sign-up and password-reset requests per client address per 10 minutes; 0 turns it off.
    public var authRateLimitPer10Minutes: Int = 20
    /// Whether `/dev/mail` is served: set explicitly by `DEV_MAILBOX`, otherwise only in
    /// development on a loopback address, where nobody else can read the mail.
    public var devMailboxSetting: Bool?
    /// Where webhooks and postbacks may go: https to public addresses unless
    /// `OUTBOUND_ALLOW_HTTP` / `OUTBOUND_ALLOW_PRIVATE` say otherwise.
    public var outbound = OutboundPolicy.strict
    public var devMailbox: Bool {
        devMailboxSetting ?? (mode == .development && AppConfig.isLoopback(hostname))
    }

    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    public var secureCookies: Bool { baseURL.lowercased().hasPrefix("https://") }
    public var isProduction: Bool { mode == .production }

    public init(
        mode: Mode = .development, hostname: String = "127.0.0.1", port: Int = 8080, baseURL: String? = nil,
        database: DatabaseLocation = .sqliteFile(path: "tandem.sqlite"), secretKey: String, smtp: SMTPConfiguration? = nil,
        logLevel: Logger.Level = .info, runJobsInProcess: Bool = true, supportEmail: String = "support@localhost",
        mailFrom: String = "Tandem <tandem@localhost>"
    ) {
        self.mode = mode
        self.hostname = hostname
        self.port = port
        self.baseURL = baseURL ?? "http://\(hostname == "0.0.0.0" ? "localhost" : hostname):\(port)"
        self.database = database
        self.secretKey = secretKey
        self.smtp = smtp
        self.logLevel = logLevel
        self.runJobsInProcess = runJobsInProcess
        self.supportEmail = supportEmail
        self.mailFrom = mailFrom
    }
}

public struct ConfigError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension AppConfig {
    /// The variables, their defaults and what they mean: the README's configuration table mirrors this.
    public static let variables: [(name: String, defaultValue: String, meaning: String)] = [
        ("TANDEM_ENV", "development", "`production` requires SECRET_KEY"),
        ("HOST", "127.0.0.1", "address to listen on (`--hostname` overrides)"),
        ("PORT", "8080", "port to listen on (`--port` overrides)"),
        ("BASE_URL", "http://HOST:PORT", "public address for links in emails; https makes cookies Secure"),
        ("DATABASE_URL", "SQLite file tandem.sqlite", "`postgres://user:pass@host:5432/db` for PostgreSQL, or a `sqlite:` path"),
        ("SECRET_KEY", "generated into tandem.secret", "at least 32 characters; signs CSRF tokens and seals webhook secrets"),
        ("SMTP_URL", "none: mail kept for /dev/mail", "`smtp://user:pass@host:587` or `smtps://…`"),
        ("MAIL_FROM", "Tandem <tandem@localhost>", "sender of Tandem's emails"),
        ("SUPPORT_EMAIL", "support@localhost", "where Technical support messages go"),
        ("LOG_LEVEL", "info", "trace, debug, info, notice, warning, error, critical"),
        ("RUN_JOBS", "true", "`false` leaves background jobs to `tandem worker`"),
        ("CLICK_FLUSH_MS", "250", "how often buffered clicks are written (and their spool segment emptied for reuse); keep it well under 1000"),
        ("CLICK_SPOOL_DIR", "tandem-clicks", "where each answered click is appended before its 302 (replayed at the next start after a crash); one per node; `off` keeps clicks in memory only"),
        ("CLICK_SPOOL_FSYNC", "false", "`true` fsyncs every spooled click, so a power loss loses none either (slower: see README)"),
        ("PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET", "none: PayPal withdrawals are paid by hand", "PayPal Payouts API credentials"),
        ("PAYPAL_BASE_URL", "https://api-m.paypal.com", "PayPal API address (sandbox: https://api-m.sandbox.paypal.com)"),
        ("STRIPE_SECRET_KEY", "none: Stripe withdrawals are paid by hand", "`sk_…` for transfers to connected accounts"),
        ("STRIPE_BASE_URL", "https://api.stripe.com", "Stripe API address"),
        ("BENCH_ROUTES", "false", "`true` adds /bench/bare/{key}, the redirect benchmark's baseline"),
        ("DEV_MAILBOX", "on only in development on a loopback address", "`true` serves /dev/mail (every email sent, reset links included) anywhere; `false` never"),
        ("API_RATE_LIMIT_PER_MINUTE", "6000", "requests per API key per minute, per node; `0` turns it off"),
        ("OUTBOUND_ALLOW_HTTP", "false", "`true` lets webhooks and postbacks go to http:// URLs, not only https://"),
        ("OUTBOUND_ALLOW_PRIVATE", "false", "`true` lets webhooks and postbacks reach loopback and private addresses (tests, local development)"),
        ("AUTH_RATE_LIMIT", "20", "log-in, sign-up and reset requests per client address per 10 minutes, per node; `0` turns it off"),
    ]

    /// Reads the environment. `secretFile` is where a generated key is kept when SECRET_KEY is absent
    /// outside production.
    public static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment,
        hostname: String? = nil, port: Int? = nil, secretFile: String? = nil
    ) throws -> AppConfig {
        func value(_ name: String) -> String? {
            guard let raw = env[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }

        let mode: Mode
        switch value("TANDEM_ENV")?.lowercased() {
        case nil, "development", "dev": mode = .development
        case "production", "prod": mode = .production
        case let other?: throw ConfigError("TANDEM_ENV must be development or production, not \"\(other)\".")
        }

        let host = hostname ?? value("HOST") ?? "127.0.0.1"
        var resolvedPort = 8080
        if let port {
            resolvedPort = port
        } else if let raw = value("PORT") {
            guard let parsed = Int(raw), (1...65535).contains(parsed) else {
                throw ConfigError("PORT must be a number from 1 to 65535, not \"\(raw)\".")
            }
            resolvedPort = parsed
        }

        var baseURL: String? = nil
        if let raw = value("BASE_URL") {
            guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
                throw ConfigError("BASE_URL must be an http:// or https:// address like https://partners.example.com, not \"\(raw)\".")
            }
            baseURL = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        }

        let database = try databaseLocation(value("DATABASE_URL"))

        let logLevel: Logger.Level
        if let raw = value("LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: raw.lowercased()) else {
                throw ConfigError("LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical, not \"\(raw)\".")
            }
            logLevel = level
        } else {
            logLevel = .info
        }

        var smtp: SMTPConfiguration? = nil
        if let raw = value("SMTP_URL") {
            do {
                smtp = try SMTPConfiguration(url: raw)
            } catch {
                throw ConfigError("SMTP_URL is not usable: \(error)")
            }
        }

        let secretKey: String
        if let raw = value("SECRET_KEY") {
            guard raw.count >= 32 else { throw ConfigError("SECRET_KEY must be at least 32 characters long.") }
            secretKey = raw
        } else if mode == .production {
            throw ConfigError("SECRET_KEY must be set in production (at least 32 random characters).")
        } else {
            secretKey = try loadOrCreateSecret(at: secretFile ?? defaultSecretFile(for: database))
        }

        var runJobs = true
        if let raw = value("RUN_JOBS") {
            switch raw.lowercased() {
            case "true", "1", "yes": runJobs = true
            case "false", "0", "no": runJobs = false
            default: throw ConfigError("RUN_JOBS must be true or false, not \"\(raw)\".")
            }
        }

        let mailFrom = value("MAIL_FROM") ?? "Tandem <tandem@localhost>"
        guard MailSender(parsing: mailFrom) != nil else {
            throw ConfigError("MAIL_FROM must be an address like tandem@example.com or a name and address like \"Tandem <tandem@example.com>\" (ASCII address, no line breaks), not \"\(mailFrom)\".")
        }
        var config = AppConfig(
            mode: mode, hostname: host, port: resolvedPort, baseURL: baseURL, database: database, secretKey: secretKey,
            smtp: smtp, logLevel: logLevel, runJobsInProcess: runJobs,
            supportEmail: value("SUPPORT_EMAIL") ?? "support@localhost",
            mailFrom: mailFrom
        )
        config.benchmarkRoutes = ["true", "1", "yes"].contains(value("BENCH_ROUTES")?.lowercased() ?? "")
        if let id = value("PAYPAL_CLIENT_ID") {
            guard let secret = value("PAYPAL_CLIENT_SECRET") else { throw ConfigError("PAYPAL_CLIENT_SECRET must be set with PAYPAL_CLIENT_ID.") }
            config.paypal = PayPalConfiguration(baseURL: try httpURL("PAYPAL_BASE_URL", value("PAYPAL_BASE_URL") ?? "https://api-m.paypal.com"), clientID: id, clientSecret: secret)
        }
        if let key = value("STRIPE_SECRET_KEY") {
            guard key.hasPrefix("sk_") || key.hasPrefix("rk_") else { throw ConfigError("STRIPE_SECRET_KEY must be a Stripe secret key (sk_…).") }
            config.stripe = StripeConfiguration(baseURL: try httpURL("STRIPE_BASE_URL", value("STRIPE_BASE_URL") ?? "https://api.stripe.com"), secretKey: key)
        }
        if let raw = value("CLICK_FLUSH_MS") {
            guard let ms = Int(raw), (1...60_000).contains(ms) else {
                throw ConfigError("CLICK_FLUSH_MS must be a number of milliseconds from 1 to 60000 (250 by default), not \"\(raw)\".")
            }
            config.clickFlushInterval = .milliseconds(ms)
        }
        switch value("CLICK_SPOOL_DIR") {
        case nil: config.clickSpoolDirectory = "tandem-clicks"
        case let raw? where raw.lowercased() == "off": config.clickSpoolDirectory = nil
        case let raw?: config.clickSpoolDirectory = raw
        }
        config.clickSpoolFsync = try flag("CLICK_SPOOL_FSYNC", value("CLICK_SPOOL_FSYNC"))
        config.apiRateLimitPerMinute = try count("API_RATE_LIMIT_PER_MINUTE", value("API_RATE_LIMIT_PER_MINUTE"), default: 6000)
        config.authRateLimitPer10Minutes = try count("AUTH_RATE_LIMIT", value("AUTH_RATE_LIMIT"), default: 20)
        if let raw = value("DEV_MAILBOX") {
            switch raw.lowercased() {
            case "true", "1", "yes": config.devMailboxSetting = true
            case "false", "0", "no": config.devMailboxSetting = false
            default: throw ConfigError("DEV_MAILBOX must be true or false, not \"\(raw)\".")
            }
        }
        config.outbound.allowHTTP = try flag("OUTBOUND_ALLOW_HTTP", value("OUTBOUND_ALLOW_HTTP"))
        config.outbound.allowPrivate = try flag("OUTBOUND_ALLOW_PRIVATE", value("OUTBOUND_ALLOW_PRIVATE"))
        return config
    }

    static func flag(_ name: String, _ raw: String?) throws -> Bool {
        switch raw?.lowercased() {
        case nil, "false", "0", "no": return false
        case "true", "1", "yes": return true
        case let other?: throw ConfigError("\(name) must be true or false, not \"\(other)\".")
        }
    }

    static func count(_ name: String, _ raw: String?, default defaultValue: Int) throws -> Int {
        guard let raw else { return defaultValue }
        guard let value = Int(raw), (0...1_000_000).contains(value) else {
            throw ConfigError("\(name) must be a whole number from 0 (off) to 1000000, not \"\(raw)\".")
        }
        return value
    }

    static func httpURL(_ name: String, _ raw: String) throws -> String {
        guard let url = URL(string: raw), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw ConfigError("\(name) must be an http(s) address, not \"\(raw)\".")
        }
        return raw.hasSuffix("/") ? String(raw.dropLast()) : raw
    }

    static func databaseLocation(_ raw: String?) throws -> DatabaseLocation {
        guard let raw else { return .sqliteFile(path: "tandem.sqlite") }
        let lower = raw.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: raw), let host = components.host, !host.isEmpty, components.user != nil else {
                throw ConfigError("DATABASE_URL must look like postgres://user:password@host:5432/database.")
            }
            return .postgres(url: raw)
        }
        if lower.hasPrefix("sqlite://") || lower.hasPrefix("sqlite:") {
            let path = String(raw.drop(while: { $0 != ":" }).dropFirst()).replacingOccurrences(of: "//", with: "", options: .anchored)
            if path == ":memory:" || path == "memory" { return .sqliteMemory }
            guard !path.isEmpty else { throw ConfigError("DATABASE_URL sqlite: needs a file path, like sqlite:tandem.sqlite.") }
            return .sqliteFile(path: path)
        }
        // The value is not echoed: it may hold a password.
        throw ConfigError("DATABASE_URL must start with postgres:// or sqlite:.")
    }

    static func defaultSecretFile(for database: DatabaseLocation) -> String {
        if case .sqliteFile(let path) = database {
            return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("tandem.secret").path
        }
        return "tandem.secret"
    }

    /// A development convenience: the key survives restarts (so sessions do) without anyone choosing one.
    static func loadOrCreateSecret(at path: String) throws -> String {
        if let existing = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), existing.count >= 32 {
            return existing
        }
        let secret = SecureToken.generate(bytes: 48)
        do {
            try secret.write(toFile: path, atomically: true, encoding: .utf8)
            _ = try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw ConfigError("SECRET_KEY is not set and \(path) could not be written to keep a generated one: \(error.localizedDescription)")
        }
        return secret
    }
}
