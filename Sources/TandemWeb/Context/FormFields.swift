import Foundation
import TandemDomain

/// The fields of an `application/x-www-form-urlencoded` body. Last value wins for
/// repeated names, except through `all(_:)`.
public struct FormFields: Sendable {
    private var pairs: [(String, String)] = []

    public init() {}

    /// The text fields of a multipart form (its files are read from `MultipartForm`).
    init(pairs: [(String, String)]) {
        self.pairs = pairs
    }

    public init(urlEncoded body: String) {
        for part in body.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = FormFields.decode(kv[0])
            let value = kv.count > 1 ? FormFields.decode(kv[1]) : ""
            pairs.append((name, value))
        }
    }

    public subscript(name: String) -> String? {
        pairs.last { $0.0 == name }?.1
    }

    /// The value, or "" when absent: most handlers validate emptiness themselves.
    public func string(_ name: String) -> String { self[name] ?? "" }

    /// Whether any name or value holds a control character other than the line breaks and
    /// tabs a text area sends.
    public var containsControlCharacters: Bool {
        pairs.contains { TextRules.hasControlCharacter($0.0) || TextRules.hasControlCharacter($0.1, allowingLineBreaks: true) }
    }

    public func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
