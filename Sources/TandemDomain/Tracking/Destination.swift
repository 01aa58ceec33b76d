import Foundation

/// Where a link may send people: http(s) on one of the program's allowed domains,
/// the exact host or a subdomain of it. Anything else would make Tandem an open redirect.
public enum Destination {
    public enum Problem: Error, Equatable, Sendable {
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

    /// The problem with `raw` as a destination, or nil.
    public static func check(_ raw: String, allowedDomains: [String]) -> Problem? {
        if case .failure(let problem) = validated(raw, allowedDomains: allowedDomains) { return problem }
        return nil
    }

    /// `raw` as it is stored: parsed, checked against the allowed domains, and re-serialised
    /// with every character a URL may not hold percent-encoded (`"`, `<`, `>`, spaces inside,
    /// non-ASCII), so what reaches a `Location` header or a page is one unambiguous address.
    public static func validated(_ raw: String, allowedDomains: [String]) -> Result<String, Problem> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.count <= 2000, !TextRules.hasControlCharacter(text), !text.contains("\\") else { return .failure(.notAURL) }
        let encoded = percentEncoded(text)
        guard let components = URLComponents(string: encoded), let scheme = components.scheme?.lowercased() else { return .failure(.notAURL) }
        guard scheme == "https" || scheme == "http" else { return .failure(.scheme) }
        guard let host = components.host?.lowercased(), !host.isEmpty, components.user == nil, components.password == nil,
              !host.contains("%") else { return .failure(.notAURL) }
        guard isAllowed(host: host, allowedDomains: allowedDomains) else { return .failure(.host(allowed: allowedDomains)) }
        return .success(encoded)
    }

    /// A link a vendor shows partners (a resource, a custom tab): any http(s) address with a
    /// host, not limited to the program's domains (it is opened, never redirected to), stored
    /// percent-encoded. Nil when it is not one.
    public static func sharedLink(_ raw: String) -> String? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= 2000, !TextRules.hasControlCharacter(text), let parsed = URL(string: text),
              let scheme = parsed.scheme?.lowercased(), scheme == "https" || scheme == "http", parsed.host?.isEmpty == false else { return nil }
        return percentEncoded(text)
    }

    /// Percent-encodes every byte outside RFC 3986's unreserved and reserved characters; a `%`
    /// already followed by two hex digits is kept, any other `%` is encoded.
    public static func percentEncoded(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        let hex = Array("0123456789ABCDEF".utf8)
        func isHex(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
        }
        for (index, byte) in bytes.enumerated() {
            let isEscape = byte == UInt8(ascii: "%") && index + 2 < bytes.count
                && isHex(bytes[index + 1]) && isHex(bytes[index + 2])
            if isEscape || allowedInURL.contains(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Unreserved and reserved characters of RFC 3986 (not `%`, which `percentEncoded` judges itself).
    static let allowedInURL: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=".utf8))

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
