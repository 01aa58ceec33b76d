/// Which requests to a referral link count as clicks.
public enum ClickPolicy {
    /// Link-preview fetchers, crawlers and scripted clients: redirected, never counted.
    public static let botMarkers = [
        "slackbot", "twitterbot", "facebookexternalhit", "linkedinbot", "discordbot", "whatsapp",
        "telegrambot", "googlebot", "bingbot", "curl", "python-requests",
    ]

    public static func isBot(userAgent: String?) -> Bool {
        guard var userAgent, !userAgent.isEmpty else { return true }
        // One ASCII case-insensitive pass over the bytes, trying only the markers that
        // start with the byte at hand: this runs on every redirect.
        return userAgent.withUTF8 { haystack in
            for start in haystack.indices where startsAMarker[Int(lower(haystack[start]))] {
                for marker in markerBytes where marker[0] == lower(haystack[start]) && matches(haystack, at: start, marker) {
                    return true
                }
            }
            return false
        }
    }

    static let markerBytes = botMarkers.map { Array($0.utf8) }

    /// Indexed by byte: does some marker start with it?
    static let startsAMarker: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for marker in markerBytes { table[Int(marker[0])] = true }
        return table
    }()

    static func matches(_ haystack: UnsafeBufferPointer<UInt8>, at start: Int, _ needle: [UInt8]) -> Bool {
        guard start + needle.count <= haystack.count else { return false }
        for offset in 1..<needle.count where lower(haystack[start + offset]) != needle[offset] {
            return false
        }
        return true
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
