import Foundation

/// Where and how to deliver mail, usually parsed from the `SMTP_URL` setting.
public struct SMTPConfiguration: Sendable, Equatable {
    public enum Security: Sendable, Equatable {
        /// Unencrypted, unless `opportunisticStartTLS` upgrades the connection.
        case plain
        /// STARTTLS is required: the send fails if the server does not offer it.
        case startTLS
        /// Implicit TLS from the first byte (smtps, usually port 465).
        case tls
    }

    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var security: Security
    /// Only meaningful with `.plain`: upgrade with STARTTLS when the server advertises it.
    /// `smtp://` turns this on; `?tls=off` turns it off (e.g. for a local catcher with a broken certificate).
    public var opportunisticStartTLS: Bool
    /// Sender used when an `OutgoingEmail` has an empty `from`.
    public var from: String
    public var heloName: String

    public static let defaultFrom = "tandem@localhost"

    /// Parses SMTP_URL:
    /// - `smtp://[user:pass@]host[:port]` — port 25; STARTTLS if the server advertises it.
    /// - `smtp://…?starttls=required` — STARTTLS or fail; `smtp://…?tls=off` — never encrypt.
    /// - `smtps://[user:pass@]host[:port]` — implicit TLS, port 465.
    /// - `?from=addr` sets the default sender (`tandem@localhost`), `?helo=name` the EHLO name (`localhost`).
    /// User and password are percent-decoded.
    public init(url: String) throws {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw SMTPConfigurationError("SMTP_URL is empty; expected something like smtp://user:password@mail.example.com:587.")
        }
        // The URL may hold a password, so no message below repeats it.
        guard let components = URLComponents(string: trimmed) else {
            throw SMTPConfigurationError("SMTP_URL is not a valid URL; expected smtp://[user:password@]host[:port] or smtps://…, with special characters in the password percent-encoded.")
        }
        let scheme = components.scheme?.lowercased()
        guard scheme == "smtp" || scheme == "smtps" else {
            let found = scheme.map { "“\($0)://”" } ?? "no scheme"
            throw SMTPConfigurationError("SMTP_URL must start with smtp:// or smtps://, but it has \(found).")
        }
        let implicitTLS = scheme == "smtps"

        // Brackets belong to the URL syntax of IPv6 literals, not to the address NIO resolves.
        let host = components.host.map { $0.hasPrefix("[") && $0.hasSuffix("]") ? String($0.dropFirst().dropLast()) : $0 }
        guard let host, !host.isEmpty else {
            throw SMTPConfigurationError("SMTP_URL has no host; expected smtp://host or smtp://user:password@host:port.")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw SMTPConfigurationError("SMTP_URL has port \(port), which is not between 1 and 65535.")
        }
        guard components.percentEncodedPath.isEmpty || components.percentEncodedPath == "/" else {
            throw SMTPConfigurationError("SMTP_URL must not have a path after the host; put options in the query, e.g. ?from=noreply@example.com.")
        }

        let username = try Self.decode(components.percentEncodedUser, what: "user name")
        let password = try Self.decode(components.percentEncodedPassword, what: "password")
        if (username ?? "").isEmpty, password != nil {
            throw SMTPConfigurationError("SMTP_URL has a password but no user name.")
        }

        var tlsOff = false
        var startTLSRequired = false
        var from = Self.defaultFrom
        var heloName = "localhost"
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name.lowercased() {
            case "from":
                guard MailAddressRules.isAcceptable(value) else {
                    throw SMTPConfigurationError("SMTP_URL has from=\(value), which is not a plain email address like noreply@example.com.")
                }
                from = value
            case "helo":
                guard !value.isEmpty, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else {
                    throw SMTPConfigurationError("SMTP_URL has helo=\(value), which is not a host name.")
                }
                heloName = value
            case "tls":
                guard value.lowercased() == "off" else {
                    throw SMTPConfigurationError("SMTP_URL has tls=\(value); the only accepted value is tls=off (use smtps:// for implicit TLS).")
                }
                tlsOff = true
            case "starttls":
                guard value.lowercased() == "required" else {
                    throw SMTPConfigurationError("SMTP_URL has starttls=\(value); the only accepted value is starttls=required.")
                }
                startTLSRequired = true
            default:
                throw SMTPConfigurationError("SMTP_URL has an unknown parameter “\(item.name)”; the known ones are from, helo, tls=off and starttls=required.")
            }
        }
        if tlsOff, startTLSRequired {
            throw SMTPConfigurationError("SMTP_URL says both tls=off and starttls=required; choose one.")
        }
        if implicitTLS, tlsOff {
            throw SMTPConfigurationError("SMTP_URL says tls=off but uses smtps://, which is always encrypted; use smtp:// instead.")
        }
        if implicitTLS, startTLSRequired {
            throw SMTPConfigurationError("SMTP_URL says starttls=required but uses smtps://, which already starts with TLS; use one or the other.")
        }

        self.host = host
        self.port = components.port ?? (implicitTLS ? 465 : 25)
        self.username = (username ?? "").isEmpty ? nil : username
        self.password = self.username == nil ? nil : (password ?? "")
        self.security = implicitTLS ? .tls : (startTLSRequired ? .startTLS : .plain)
        self.opportunisticStartTLS = !implicitTLS && !startTLSRequired && !tlsOff
        self.from = from
        self.heloName = heloName
    }

    private static func decode(_ encoded: String?, what: String) throws -> String? {
        guard let encoded else { return nil }
        guard let decoded = encoded.removingPercentEncoding else {
            throw SMTPConfigurationError("SMTP_URL has a \(what) with invalid percent-encoding.")
        }
        return decoded
    }
}

/// Why SMTP_URL could not be used, as a sentence for the operator.
public struct SMTPConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
