/// Which requests to a referral link count as clicks.
public enum ClickPolicy {
    /// Link-preview fetchers, crawlers and scripted clients: redirected, never counted.
    public static let botMarkers = [
        "slackbot", "twitterbot", "facebookexternalhit", "linkedinbot", "discordbot", "whatsapp",
        "telegrambot", "googlebot", "bingbot", "curl", "python-requests",
    ]

    public static func isBot(userAgent: String?) -> Bool {
        guard let userAgent, !userAgent.isEmpty else { return true }
        // ASCII case-insensitive byte search: this runs on every redirect.
        let haystack = Array(userAgent.utf8)
        return markerBytes.contains { containsIgnoringASCIICase(haystack, $0) }
    }

    static let markerBytes = botMarkers.map { Array($0.utf8) }

    static func containsIgnoringASCIICase(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        let first = needle[0]
        var start = 0
        while start <= haystack.count - needle.count {
            if lower(haystack[start]) == first {
                var matched = true
                for offset in 1..<needle.count where lower(haystack[start + offset]) != needle[offset] {
                    matched = false
                    break
                }
                if matched { return true }
            }
            start += 1
        }
        return false
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
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
