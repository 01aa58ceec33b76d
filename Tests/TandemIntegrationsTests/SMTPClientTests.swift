import Glibc
import Foundation
import NIOCore
import TandemTestSupport
import Testing
@testable import TandemIntegrations

@Suite("SMTPClient against a fake server")
struct SMTPClientTests {
    private func client(_ server: FakeSMTPServer, userinfo: String = "", query: String = "", timeout: TimeAmount = .seconds(10)) throws -> SMTPClient {
        let configuration = try SMTPConfiguration(url: "smtp://\(userinfo)127.0.0.1:\(server.port)\(query)")
        return SMTPClient(configuration: configuration, timeout: timeout)
    }

    private let email = OutgoingEmail(
        from: "billing@tandem.test",
        to: "partner@example.com",
        subject: "Grüße – your payout is on its way ✓ 💸 (a subject long enough to need two encoded words)",
        textBody: """
            Hello Ana,
            .this line starts with a dot
            .
            ..and this with two
            Ünïcödé, an = sign, a trailing space \n\
            \(String(repeating: "long line ", count: 30))
            last line without newline
            """
    )

    @Test func fullSendRecordsEnvelopeAndARoundTrippingMessage() async throws {
        let server = try await FakeSMTPServer.start()
        defer { Task { await server.stop() } }

        try await client(server).send(email)

        let commands = server.recording.commands
        #expect(commands == [
            "EHLO localhost",
            "MAIL FROM:<billing@tandem.test>",
            "RCPT TO:<partner@example.com>",
            "DATA",
            "QUIT",
        ])
        let raw = try #require(server.recording.messages.first)
        let wire = try #require(server.recording.rawData.first)
        #expect(!wire.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "bare LF on the wire")
        #expect(wire.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(wire.contains("\r\n..this line starts with a dot\r\n"))
        #expect(wire.contains("\r\n..\r\n"))
        #expect(wire.contains("\r\n...and this with two\r\n"))

        let message = try ReceivedMessage(raw)
        #expect(message.header("From") == "billing@tandem.test")
        #expect(message.header("To") == "partner@example.com")
        #expect(try message.decodedSubject() == email.subject)
        #expect(message.header("MIME-Version") == "1.0")
        #expect(message.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(message.header("Content-Transfer-Encoding") == "quoted-printable")
        let messageID = try #require(message.header("Message-ID"))
        #expect(messageID.hasPrefix("<") && messageID.hasSuffix("@tandem.test>"))

        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        let date = try #require(message.header("Date").flatMap(formatter.date(from:)))
        #expect(abs(date.timeIntervalSinceNow) < 120)

        #expect(message.body == email.textBody.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func aGivenMessageIDIsSentAsItIsAndAnUnsafeOneIsRefused() async throws {
        let server = try await FakeSMTPServer.start()
        defer { Task { await server.stop() } }
        var mail = email
        mail.messageID = "tandem-6f1c2d3e-0000-4000-8000-000000000001"
        try await client(server).send(mail)
        try await client(server).send(mail)
        let ids = try server.recording.messages.map { try ReceivedMessage($0).header("Message-ID") }
        #expect(ids == Array(repeating: "<tandem-6f1c2d3e-0000-4000-8000-000000000001@tandem.test>", count: 2), "a resend is recognisably the same mail")

        mail.messageID = "x>\r\nBcc: everyone@example.com"
        await #expect(throws: SMTPError.self) { try await client(server).send(mail) }
        #expect(server.recording.messages.count == 2)
    }

    /// MAIL_FROM's default is "Tandem <tandem@localhost>": the name goes in the header, the bare address in the envelope.
    @Test(arguments: [
        ("Tandem <tandem@localhost>", "tandem@localhost", "\"Tandem\" <tandem@localhost>"),
        ("\"Acme \\\"Partners\\\"\" <noreply@acme.example>", "noreply@acme.example", "\"Acme \\\"Partners\\\"\" <noreply@acme.example>"),
        ("Grüße GmbH <hi@acme.example>", "hi@acme.example", "=?UTF-8?B?R3LDvMOfZSBHbWJI?= <hi@acme.example>"),
        ("plain@acme.example", "plain@acme.example", "plain@acme.example"),
    ])
    func aNamedSenderGoesInTheHeaderAndItsAddressInTheEnvelope(from: String, envelope: String, header: String) async throws {
        let server = try await FakeSMTPServer.start()
        defer { Task { await server.stop() } }
        var mail = email
        mail.from = from
        try await client(server).send(mail)
        #expect(server.recording.commands.contains("MAIL FROM:<\(envelope)>"))
        #expect(try ReceivedMessage(try #require(server.recording.messages.first)).header("From") == header)
    }

    @Test(arguments: ["Eve <eve@example.com>\r\nBcc: x@example.com", "Eve\n <eve@example.com>", "Eve <eve@example.com", "<>", "A <b@c> <d@e>"])
    func aSenderThatIsNotOneAddressIsRefusedBeforeConnecting(from: String) async throws {
        let server = try await FakeSMTPServer.start()
        defer { Task { await server.stop() } }
        var mail = email
        mail.from = from
        await #expect(throws: SMTPError.self) { try await client(server).send(mail) }
        #expect(server.recording.commands.isEmpty)
    }

    @Test func authPlainSendsPercentDecodedCredentialsFromAMultiLineEHLO() async throws {
        var behaviour = FakeSMTPServer.Behaviour()
        // AUTH sits in the middle of the multi-line reply, so finding it proves continuation lines are read.
        behaviour.extensions = ["PIPELINING", "AUTH PLAIN LOGIN CRAM-MD5", "SIZE 1000", "8BITMIME"]
        let server = try await FakeSMTPServer.start(behaviour)
        defer { Task { await server.stop() } }

        try await client(server, userinfo: "ana%40corp.test:p%40ss%3Aw%2F0rd%20x@").send(email)

        #expect(server.recording.credentials == [.init(mechanism: "PLAIN", username: "ana@corp.test", password: "p@ss:w/0rd x")])
        #expect(server.recording.commands.contains("MAIL FROM:<billing@tandem.test>"))
        #expect(server.recording.messages.count == 1)
    }

    @Test func authLoginIsUsedWhenItIsTheOnlyMechanism() async throws {
        var behaviour = FakeSMTPServer.Behaviour()
        behaviour.extensions = ["AUTH=LOGIN", "8BITMIME"]
        let server = try await FakeSMTPServer.start(behaviour)
        defer { Task { await server.stop() } }

        try await client(server, userinfo: "ana:secret@").send(email)

        #expect(server.recording.credentials == [.init(mechanism: "LOGIN", username: "ana", password: "secret")])
        #expect(server.recording.messages.count == 1)
    }

    @Test func refusedRecipientThrowsWithTheServersReply() async throws {
        var behaviour = FakeSMTPServer.Behaviour()
        behaviour.rcptReply = "550 5.1.1 <partner@example.com>: Recipient address rejected: User unknown"
        let server = try await FakeSMTPServer.start(behaviour)
        defer { Task { await server.stop() } }

        let error = try await #require(throws: SMTPError.self) { try await client(server).send(email) }

        #expect(error.step == "RCPT TO")
        #expect(error.code == 550)
        #expect(error.description.contains("RCPT TO"))
        #expect(error.description.contains("550 5.1.1 <partner@example.com>: Recipient address rejected: User unknown"))
        #expect(!server.recording.commands.contains("DATA"))
        #expect(server.recording.commands.last == "QUIT")
        #expect(server.recording.messages.isEmpty)
    }

    @Test(arguments: [
        OutgoingEmail(from: "billing@tandem.test", to: "partner@example.com\r\nBcc: everyone@example.com", subject: "Hi", textBody: "x"),
        OutgoingEmail(from: "billing@tandem.test\nBcc: x@example.com", to: "partner@example.com", subject: "Hi", textBody: "x"),
        OutgoingEmail(from: "billing@tandem.test", to: "partner@example.com", subject: "Hi\r\nBcc: everyone@example.com", textBody: "x"),
        OutgoingEmail(from: "billing@tandem.test", to: "partner@example.com", subject: "Hi\nX-Injected: 1", textBody: "x"),
    ])
    func headerInjectionIsRefusedBeforeConnecting(_ hostile: OutgoingEmail) async throws {
        let server = try await FakeSMTPServer.start()
        defer { Task { await server.stop() } }

        let error = try await #require(throws: SMTPError.self) { try await client(server).send(hostile) }

        #expect(error.step == "compose")
        #expect(error.code == nil)
        #expect(error.description.contains("line break"))
        #expect(server.recording.connections == 0)
    }

    @Test func refusedEHLOFallsBackToHELO() async throws {
        var behaviour = FakeSMTPServer.Behaviour()
        behaviour.refuseEHLO = true
        let server = try await FakeSMTPServer.start(behaviour)
        defer { Task { await server.stop() } }

        try await client(server).send(email)

        #expect(Array(server.recording.commands.prefix(3)) == ["EHLO localhost", "HELO localhost", "MAIL FROM:<billing@tandem.test>"])
        #expect(server.recording.messages.count == 1)
    }

    @Test func requiredSTARTTLSThatIsNotOfferedStopsBeforeTheEnvelope() async throws {
        let server = try await FakeSMTPServer.start()
        defer { Task { await server.stop() } }

        let error = try await #require(throws: SMTPError.self) {
            try await client(server, query: "?starttls=required").send(email)
        }

        #expect(error.step == "STARTTLS")
        #expect(error.description.contains("does not offer STARTTLS"))
        #expect(!server.recording.commands.contains { $0.hasPrefix("MAIL") })
    }

    @Test func silentServerTimesOut() async throws {
        var behaviour = FakeSMTPServer.Behaviour()
        behaviour.silent = true
        let server = try await FakeSMTPServer.start(behaviour)
        defer { Task { await server.stop() } }

        let started = ContinuousClock.now
        let error = try await #require(throws: SMTPError.self) {
            try await client(server, timeout: .milliseconds(300)).send(email)
        }

        #expect(error.step == "greeting")
        #expect(error.description.contains("no answer within 300 ms"))
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func unreachableServerFailsAtConnect() async throws {
        // A socket bound but not listening: connecting is refused, and the port stays ours while
        // the test runs (a stopped server's port was taken by another test's server in CI).
        let (socket, port) = try #require(LoopbackSocket.bind())
        defer { close(socket) }
        let configuration = try SMTPConfiguration(url: "smtp://127.0.0.1:\(port)")

        let error = try await #require(throws: SMTPError.self) {
            try await SMTPClient(configuration: configuration, timeout: .seconds(5)).send(email)
        }

        #expect(error.step == "connect")
        #expect(error.description.contains("127.0.0.1:\(port)"))
    }
}
