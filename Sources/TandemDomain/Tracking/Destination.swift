import Foundation

/// Where a link may send people: http(s) on one of the program's allowed domains,
/// the exact host or a subdomain of it. Anything else would make Tandem an open redirect.
public enum Destination {
    public enum Problem: Equatable, Sendable {
        case notAURL
        case scheme
        case host(allowed: [String])

        public var message: String {
            switch self {
            case .notAURL: "Enter a full address starting with https://."
            case .scheme: "Only http:// and https:// addresses are allowed."
            case .host(let allowed):
                allowed.isEmpty
                    ? "This program has no allowed domains yet."
                    : "The address must be on \(allowed.joined(separator: ", ")) or one of its subdomains."
            }
        }
    }

    public static func check(_ raw: String, allowedDomains: [String]) -> Problem? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.count <= 2000, !text.contains(where: { $0.isWhitespace || $0 == "\\" }),
              let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else { return .notAURL }
        guard scheme == "https" || scheme == "http" else { return .scheme }
        guard let host = components.host?.lowercased(), !host.isEmpty, components.user == nil, components.password == nil else { return .notAURL }
        guard isAllowed(host: host, allowedDomains: allowedDomains) else { return .host(allowed: allowedDomains) }
        return nil
    }

    public static func isAllowed(host: String, allowedDomains: [String]) -> Bool {
        let host = host.hasSuffix(".") ? String(host.dropLast()) : host
        return allowedDomains.contains { domain in
            let domain = domain.lowercased()
            return host == domain || host.hasSuffix("." + domain)
        }
    }

    /// A domain as a vendor types it ("Example.com", "https://shop.example.com/") reduced to a host, or nil.
    public static func normalizeDomain(_ raw: String) -> String? {
        var text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if let range = text.range(of: "://") { text = String(text[range.upperBound...]) }
        if let slash = text.firstIndex(of: "/") { text = String(text[..<slash]) }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, text.count <= 253, labels.allSatisfy({ label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        }) else { return nil }
        return text
    }

    /// The destination with `tdm_click=ID` added, keeping its own query and fragment.
    /// Byte-level on purpose: it runs on every redirect, and Foundation's `contains` showed in profiles.
    public static func withClickID(_ destination: String, clickID: String) -> String {
        let utf8 = destination.utf8
        let fragmentStart = utf8.firstIndex(of: UInt8(ascii: "#")) ?? utf8.endIndex
        let base = destination[..<fragmentStart]
        let separator: String
        if base.utf8.contains(UInt8(ascii: "?")) {
            let last = base.utf8.last
            separator = last == UInt8(ascii: "?") || last == UInt8(ascii: "&") ? "" : "&"
        } else {
            separator = "?"
        }
        var result = String()
        result.reserveCapacity(utf8.count + clickID.utf8.count + 11)
        result += base
        result += separator
        result += "tdm_click="
        result += clickID
        result += destination[fragmentStart...]
        return result
    }
}
