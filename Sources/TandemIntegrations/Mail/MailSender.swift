/// A sender as operators write it in `MAIL_FROM`: `tandem@example.com` or
/// `Tandem Partners <tandem@example.com>`. The bare address goes in the envelope
/// (`MAIL FROM:<…>`), the name only in the `From:` header.
public struct MailSender: Sendable, Equatable {
    public let name: String?
    public let address: String

    /// Nil when the text is neither shape, or the address is not one this client sends from.
    public init?(parsing text: String) {
        let trimmed = text.trimmingSpaces
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            var name = String(trimmed[..<open]).trimmingSpaces
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
                // A quoted string: its backslashes escape the next character.
                var unquoted = "", escaped = false
                for character in name.dropFirst().dropLast() {
                    if !escaped, character == "\\" { escaped = true; continue }
                    unquoted.append(character)
                    escaped = false
                }
                name = unquoted
            }
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            // A name is text for people: no line breaks, controls or angle brackets that would start a second address.
            guard name.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F && $0 != "<" && $0 != ">" }) else { return nil }
            self.name = name.isEmpty ? nil : name
            self.address = address
        } else {
            self.name = nil
            self.address = trimmed
        }
        guard MailAddressRules.isAcceptable(address) else { return nil }
    }

    /// The `From:` header's value: the name quoted (RFC 5322) or, when it is not ASCII, RFC 2047-encoded.
    var headerValue: String {
        guard let name else { return address }
        if name.unicodeScalars.allSatisfy({ $0.isASCII }) {
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\" <\(address)>"
        }
        return MIMEMessage.encodedWords(name).joined(separator: " ") + " <\(address)>"
    }
}

private extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " || scalars.first == "\t" { scalars.removeFirst() }
        while scalars.last == " " || scalars.last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
