/// The narrow address shape this client sends: anything wider could smuggle
/// extra recipients or SMTP commands through `MAIL FROM:<…>` and the headers.
enum MailAddressRules {
    static func isAcceptable(_ address: String) -> Bool {
        guard address.utf8.count <= 254,
              let at = address.lastIndex(of: "@"),
              at != address.startIndex,
              address.index(after: at) != address.endIndex
        else { return false }
        // Non-ASCII addresses would need SMTPUTF8, which this client does not speak.
        return address.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && scalar.value > 0x20 && scalar.value < 0x7F && !"<>,;\"()[]\\".unicodeScalars.contains(scalar)
        }
    }

    /// Why an address is refused, or nil when it is fine. Line breaks get their own
    /// sentence because they are the header-injection case operators should recognise.
    static func problem(with address: String, role: String) -> String? {
        if address.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
            return "the \(role) address \(String(reflecting: address)) contains a line break, which could inject mail headers"
        }
        if !isAcceptable(address) {
            return "the \(role) address \(String(reflecting: address)) is not a plain ASCII address like name@example.com"
        }
        return nil
    }
}
