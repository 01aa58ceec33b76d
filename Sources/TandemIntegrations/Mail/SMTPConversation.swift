import Foundation
import Logging
import NIOCore
import NIOSSL

/// The command sequence of one delivery over an already connected channel.
struct SMTPConversation {
    let channel: any Channel
    let configuration: SMTPConfiguration
    let tlsContext: NIOSSLContext?
    let timeout: TimeAmount
    let logger: Logger

    func deliver(_ message: MIMEMessage, greeting: EventLoopFuture<SMTPReply>) async throws {
        try check(await reply(to: greeting, step: "greeting"), step: "greeting", accept: [220])
        var extensions = try await hello(step: "EHLO")
        var encrypted = configuration.security == .tls

        if !encrypted, configuration.security == .startTLS || (configuration.opportunisticStartTLS && extensions["STARTTLS"] != nil) {
            guard extensions["STARTTLS"] != nil else {
                throw SMTPError(step: "STARTTLS", message: "the server does not offer STARTTLS, which SMTP_URL requires (starttls=required)")
            }
            try await command("STARTTLS", step: "STARTTLS", accept: [220])
            try await upgradeToTLS()
            encrypted = true
            // What the server said before encryption may have been tampered with; ask again.
            extensions = try await hello(step: "EHLO after STARTTLS")
        }

        if let username = configuration.username {
            if !encrypted {
                logger.warning("Sending SMTP credentials without TLS", metadata: ["host": "\(configuration.host)"])
            }
            try await authenticate(username: username, password: configuration.password ?? "", offered: extensions["AUTH"] ?? [])
        }

        try await command("MAIL FROM:<\(message.sender)>", step: "MAIL FROM", accept: [250])
        try await command("RCPT TO:<\(message.recipient)>", step: "RCPT TO", accept: [250, 251])
        try await command("DATA", step: "DATA", accept: [354])
        try check(await request(ByteBuffer(bytes: message.dataPayload), step: "message", log: "<message>"), step: "message", accept: [250])
    }

    /// Politeness only: the message is already accepted (or already refused), so a failed QUIT changes nothing.
    func quit() async {
        do {
            try await command("QUIT", step: "QUIT", accept: [221])
        } catch {
            logger.debug("SMTP QUIT failed", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Steps

    private func hello(step: String) async throws -> [String: [String]] {
        let ehlo = try await request("EHLO \(configuration.heloName)", step: step)
        if ehlo.code == 250 {
            return Self.extensions(in: ehlo)
        }
        // Old servers refuse EHLO outright; HELO gets them talking without extensions.
        guard (500..<600).contains(ehlo.code) else {
            throw SMTPError(step: step, code: ehlo.code, message: ehlo.text)
        }
        try await command("HELO \(configuration.heloName)", step: "HELO", accept: [250])
        return [:]
    }

    private func upgradeToTLS() async throws {
        guard let tlsContext else {
            throw SMTPError(step: "STARTTLS", message: "no TLS context was prepared")
        }
        let channel = self.channel
        let host = configuration.host
        do {
            // Checked and installed in one event-loop turn so no plaintext byte can slip in between.
            try await channel.eventLoop.submit {
                let handler = try channel.pipeline.syncOperations.handler(type: SMTPClientHandler.self)
                guard !handler.hasUnreadInput else {
                    throw SMTPProtocolViolation(description: "the server sent data after agreeing to STARTTLS, before encryption began")
                }
                let tls = try NIOSSLClientHandler(context: tlsContext, serverHostname: host)
                try channel.pipeline.syncOperations.addHandler(tls, position: .first)
            }.get()
        } catch {
            throw describe(error, step: "STARTTLS")
        }
    }

    private func authenticate(username: String, password: String, offered: [String]) async throws {
        if offered.contains("PLAIN") {
            let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            try await command("AUTH PLAIN \(token)", step: "AUTH PLAIN", accept: [235], log: "AUTH PLAIN <redacted>")
        } else if offered.contains("LOGIN") {
            try await command("AUTH LOGIN", step: "AUTH LOGIN", accept: [334])
            try await command(Data(username.utf8).base64EncodedString(), step: "AUTH LOGIN (user name)", accept: [334], log: "<user name>")
            try await command(Data(password.utf8).base64EncodedString(), step: "AUTH LOGIN (password)", accept: [235], log: "<password>")
        } else if offered.isEmpty {
            throw SMTPError(step: "AUTH", message: "SMTP_URL has a user name but the server does not offer AUTH (on this port, or before STARTTLS)")
        } else {
            throw SMTPError(step: "AUTH", message: "the server offers AUTH \(offered.joined(separator: " ")), but this client speaks only PLAIN and LOGIN")
        }
    }

    /// EHLO keywords (upper-cased) with their parameters. Accepts the obsolete "AUTH=LOGIN" form too.
    static func extensions(in reply: SMTPReply) -> [String: [String]] {
        var found: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map { $0.uppercased() }
            guard let keyword = words.first else { continue }
            found[keyword, default: []] += words.dropFirst()
        }
        return found
    }

    // MARK: - Plumbing

    @discardableResult
    private func command(_ line: String, step: String, accept: Set<Int>, log: String? = nil) async throws -> SMTPReply {
        let reply = try await request(ByteBuffer(string: line + "\r\n"), step: step, log: log ?? line)
        return try check(reply, step: step, accept: accept)
    }

    private func request(_ line: String, step: String) async throws -> SMTPReply {
        try await request(ByteBuffer(string: line + "\r\n"), step: step, log: line)
    }

    private func request(_ bytes: ByteBuffer, step: String, log: String) async throws -> SMTPReply {
        logger.trace("SMTP >>> \(log)")
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        // If the write never reaches the handler (channel already closed), nobody else would complete the promise.
        channel.writeAndFlush(SMTPRequest(line: bytes, reply: promise)).whenFailure { promise.fail($0) }
        return try await reply(to: promise.futureResult, step: step)
    }

    private func reply(to future: EventLoopFuture<SMTPReply>, step: String) async throws -> SMTPReply {
        do {
            let reply = try await future.get()
            logger.trace("SMTP <<< \(reply.code) \(reply.text)")
            return reply
        } catch {
            throw describe(error, step: step)
        }
    }

    @discardableResult
    private func check(_ reply: SMTPReply, step: String, accept: Set<Int>) throws -> SMTPReply {
        guard accept.contains(reply.code) else {
            throw SMTPError(step: step, code: reply.code, message: reply.text)
        }
        return reply
    }

    private func describe(_ error: any Error, step: String) -> SMTPError {
        switch error {
        case let error as SMTPError:
            return error
        case is SMTPTimedOut:
            return SMTPError(step: step, message: "no answer within \(Self.describe(timeout)) (the whole exchange must finish in that time)")
        case is SMTPConnectionClosed, ChannelError.ioOnClosedChannel, ChannelError.eof, ChannelError.alreadyClosed:
            return SMTPError(step: step, message: "the server closed the connection")
        case let error as NIOSSLError:
            return SMTPError(step: step, message: "TLS failed: \(error)")
        default:
            return SMTPError(step: step, message: "\(error)")
        }
    }

    static func describe(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) seconds" : "\(milliseconds) ms"
    }
}
