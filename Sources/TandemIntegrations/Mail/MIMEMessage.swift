import Foundation

/// A composed RFC 5322 message, ready for the DATA phase.
struct MIMEMessage: Sendable, Equatable {
    let sender: String
    let recipient: String
    /// Headers and body, 7-bit ASCII, every line ending in CRLF.
    let text: String

    /// Refuses line breaks in addresses and subject before anything touches the network,
    /// because they are how header injection gets in.
    init(email: OutgoingEmail, defaultSender: String, date: Date = Date(), messageID: String? = nil) throws(SMTPError) {
        let from = email.from.isEmpty ? defaultSender : email.from
        guard let parsed = MailSender(parsing: from) else {
            throw SMTPError(step: "compose", message: MailAddressRules.problem(with: from, role: "sender")
                ?? "the sender \(String(reflecting: from)) is neither an address nor a name and <address>")
        }
        let sender = parsed.address
        if let problem = MailAddressRules.problem(with: email.to, role: "recipient") {
            throw SMTPError(step: "compose", message: problem)
        }
        if email.subject.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw SMTPError(step: "compose", message: "the subject contains a line break, which could inject mail headers")
        }
        if let messageID, messageID.isEmpty || !messageID.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "-._".unicodeScalars.contains($0)) }) {
            throw SMTPError(step: "compose", message: "the Message-ID may hold only letters, digits, '-', '.' and '_'")
        }
        let domain = sender[sender.index(after: sender.lastIndex(of: "@")!)...]
        let headers = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(parsed.headerValue)",
            "To: \(email.to)",
            Self.subjectHeader(email.subject),
            "Message-ID: <\(messageID ?? UUID().uuidString.lowercased())@\(domain)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            // Quoted-printable keeps the message 7-bit with short lines, so it passes servers
            // without 8BITMIME and still reads as text in a raw dump.
            "Content-Transfer-Encoding: quoted-printable",
        ]
        self.sender = sender
        self.recipient = email.to
        self.text = headers.joined(separator: "\r\n") + "\r\n\r\n" + Self.quotedPrintable(email.textBody)
    }

    /// The DATA payload: dot-stuffed so a body line "." cannot end the message early,
    /// followed by the terminating "." line.
    var dataPayload: [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(text.utf8.count + 16)
        var atLineStart = true
        for byte in text.utf8 {
            if atLineStart, byte == UInt8(ascii: ".") { payload.append(byte) }
            payload.append(byte)
            atLineStart = byte == 10
        }
        return payload + Array(".\r\n".utf8)
    }

    // MARK: - Header encodings

    static func subjectHeader(_ subject: String) -> String {
        let plain = subject.unicodeScalars.allSatisfy { $0 == "\t" || (0x20..<0x7F).contains($0.value) }
        if plain, !subject.contains("=?"), subject.utf8.count <= 69 {
            return "Subject: \(subject)"
        }
        return "Subject: " + encodedWords(subject).joined(separator: "\r\n ")
    }

    /// RFC 2047 B-encoded words of at most 75 characters, never splitting a character
    /// across words (decoders handle each word on its own).
    static func encodedWords(_ text: String) -> [String] {
        let maxBytes = 45  // 60 base64 characters + 12 of "=?UTF-8?B?" and "?=" = 72
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
            chunk = []
        }
        for character in text {
            let pieces = character.utf8.count <= maxBytes ? [String(character)] : character.unicodeScalars.map { String($0) }
            for piece in pieces {
                if chunk.count + piece.utf8.count > maxBytes { flush() }
                chunk += piece.utf8
            }
        }
        flush()
        return words.isEmpty ? ["=?UTF-8?B??="] : words
    }

    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(days[parts.weekday! - 1]), \(parts.day!) \(months[parts.month! - 1]) \(parts.year!) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }

    // MARK: - Body encoding

    /// RFC 2045 quoted-printable with CRLF hard breaks. Any of CRLF, LF or CR in the
    /// input counts as a line break, because text/plain's canonical form is CRLF.
    static func quotedPrintable(_ body: String) -> String {
        let normalized = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for (index, line) in normalized.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { output += [13, 10] }
            let bytes = Array(line.utf8)
            var lineLength = 0
            for (position, byte) in bytes.enumerated() {
                let isLast = position == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == 0x20 || byte == 0x09) && !isLast)  // trailing blanks would be stripped in transit
                let token = literal ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                if lineLength + token.count > 75 {
                    output += Array("=\r\n".utf8)
                    lineLength = 0
                }
                output += token
                lineLength += token.count
            }
        }
        // The message must end in CRLF; a soft break supplies it without adding a
        // line break the sender never wrote.
        if !normalized.isEmpty, !normalized.hasSuffix("\n") { output += Array("=\r\n".utf8) }
        return String(decoding: output, as: UTF8.self)
    }
}
