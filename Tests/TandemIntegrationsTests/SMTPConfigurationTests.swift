import Testing
import TandemIntegrations

@Suite("SMTP_URL parsing")
struct SMTPConfigurationTests {
    @Test func plainURLGetsDefaults() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mail.example.com")
        #expect(configuration.host == "mail.example.com")
        #expect(configuration.port == 25)
        #expect(configuration.security == .plain)
        #expect(configuration.opportunisticStartTLS)
        #expect(configuration.username == nil)
        #expect(configuration.password == nil)
        #expect(configuration.from == "tandem@localhost")
        #expect(configuration.heloName == "localhost")
    }

    @Test func portFromAndHeloAreRead() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mail.example.com:587?from=noreply%40tandem.test&helo=app.tandem.test")
        #expect(configuration.port == 587)
        #expect(configuration.from == "noreply@tandem.test")
        #expect(configuration.heloName == "app.tandem.test")
    }

    @Test func smtpsMeansImplicitTLSOnPort465() throws {
        let configuration = try SMTPConfiguration(url: "smtps://user:pw@smtp.example.com")
        #expect(configuration.security == .tls)
        #expect(configuration.port == 465)
        #expect(!configuration.opportunisticStartTLS)
        #expect(configuration.username == "user")
        #expect(configuration.password == "pw")
    }

    @Test func startTLSRequiredAndTLSOff() throws {
        let required = try SMTPConfiguration(url: "smtp://mail.example.com:587?starttls=required")
        #expect(required.security == .startTLS)
        #expect(!required.opportunisticStartTLS)

        let off = try SMTPConfiguration(url: "smtp://localhost:1025?tls=off")
        #expect(off.security == .plain)
        #expect(!off.opportunisticStartTLS)
        #expect(off.port == 1025)
    }

    @Test func ipv6HostLosesItsBrackets() throws {
        let configuration = try SMTPConfiguration(url: "smtp://[::1]:2525")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 2525)
    }

    @Test func userAndPasswordArePercentDecoded() throws {
        let configuration = try SMTPConfiguration(url: "smtp://apikey%40example.com:p%40ss%3Aw%2F0rd%25@smtp.example.com:2525")
        #expect(configuration.username == "apikey@example.com")
        #expect(configuration.password == "p@ss:w/0rd%")
        #expect(configuration.host == "smtp.example.com")
        #expect(configuration.port == 2525)
    }

    @Test(arguments: [
        ("http://mail.example.com", "smtp://"),
        ("mail.example.com", "smtp://"),
        ("", "empty"),
        ("smtp://", "no host"),
        ("smtp://:2525", "no host"),
        ("smtp://user:pw@:25", "no host"),
        ("smtp://mail.example.com:70000", "65535"),
        ("smtp://mail.example.com?tls=maybe", "tls=off"),
        ("smtp://mail.example.com?startls=required", "unknown parameter"),
        ("smtp://mail.example.com?from=not-an-address", "from="),
        ("smtps://mail.example.com?tls=off", "smtps://"),
        ("smtp://mail.example.com?tls=off&starttls=required", "both"),
        ("smtp://mail.example.com/inbox", "path"),
        ("smtp://:secret@mail.example.com", "no user name"),
    ])
    func badURLsAreExplainedInASentence(url: String, mentions: String) throws {
        let error = try #require(throws: SMTPConfigurationError.self) { try SMTPConfiguration(url: url) }
        #expect(error.description.contains(mentions), "\(error.description)")
        #expect(error.description.hasPrefix("SMTP_URL"))
        #expect(error.description.hasSuffix("."))
    }

    @Test func errorsNeverRepeatThePassword() throws {
        for url in ["smtp://u:hunter2@", "smtp://u:hunter2@mail.example.com?bogus=1", "smtp://u:hunter2@mail.example.com:99999"] {
            let error = try #require(throws: SMTPConfigurationError.self) { try SMTPConfiguration(url: url) }
            #expect(!error.description.contains("hunter2"))
        }
    }
}
