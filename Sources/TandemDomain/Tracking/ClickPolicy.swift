/// Which requests to a referral link count as clicks.
public enum ClickPolicy {
    /// Link-preview fetchers, crawlers and scripted clients: redirected, never counted.
    public static let botMarkers = [
        "slackbot", "twitterbot", "facebookexternalhit", "linkedinbot", "discordbot", "whatsapp",
        "telegrambot", "googlebot", "bingbot", "curl", "python-requests",
    ]

    public static func isBot(userAgent: String?) -> Bool {
        guard let userAgent, !userAgent.isEmpty else { return true }
        let lower = userAgent.lowercased()
        return botMarkers.contains { lower.contains($0) }
    }

    /// HEAD requests are how previewers and monitors probe links; they are not visits.
    public static func counts(method: String, userAgent: String?) -> Bool {
        method != "HEAD" && !isBot(userAgent: userAgent)
    }

    /// A visitor id from a cookie is ours only if it has the shape we issue.
    public static func isValidVisitorID(_ value: String) -> Bool {
        value.utf8.count == 32 && value.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}
