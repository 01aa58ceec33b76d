import TandemDomain
import Testing

@Suite struct ClickPolicyTests {
    @Test(arguments: [
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36", false),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", true),
        ("SLACKBOT-LinkExpanding 1.0", true),
        ("my-agent curl", true),
        ("my-agent cur", false),
        ("python-request", false),
        ("python-requests/2.31", true),
        ("WhatsApp/2.23", true),
        ("", true),
    ])
    func botsAreFoundAnywhereInTheAgentWhateverTheirCase(agent: String, isBot: Bool) {
        #expect(ClickPolicy.isBot(userAgent: agent) == isBot)
    }

    @Test func noAgentIsABot() {
        #expect(ClickPolicy.isBot(userAgent: nil))
    }
}
