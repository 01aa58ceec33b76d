import NIOCore

/// One complete server reply; multi-line replies ("250-…" then "250 …") are collected into `lines`.
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    var text: String { lines.joined(separator: " ") }
}

/// The server broke the protocol (garbage, out-of-turn replies, oversized replies).
struct SMTPProtocolViolation: Error, CustomStringConvertible {
    var description: String
}

/// Frames bytes into replies. Lenient about bare LF line ends, strict about the code format,
/// and bounded so a misbehaving server cannot make the client buffer without limit.
struct SMTPReplyDecoder {
    static let maximumReplyBytes = 64 * 1024

    private var lines: [String] = []
    private var code: Int?
    private var collectedBytes = 0

    var hasPartialReply: Bool { code != nil }

    mutating func decode(_ buffer: inout ByteBuffer) throws -> SMTPReply? {
        while true {
            let view = buffer.readableBytesView
            guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
                if collectedBytes + buffer.readableBytes > Self.maximumReplyBytes {
                    throw SMTPProtocolViolation(description: "the server sent a reply longer than \(Self.maximumReplyBytes) bytes")
                }
                return nil
            }
            let length = view.distance(from: view.startIndex, to: newline) + 1
            collectedBytes += length
            if collectedBytes > Self.maximumReplyBytes {
                throw SMTPProtocolViolation(description: "the server sent a reply longer than \(Self.maximumReplyBytes) bytes")
            }
            var line = Array(buffer.readBytes(length: length)!.dropLast())
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if let reply = try take(line) { return reply }
        }
    }

    private mutating func take(_ line: [UInt8]) throws -> SMTPReply? {
        let digits = line.prefix(3)
        let separator = line.count > 3 ? line[3] : UInt8(ascii: " ")
        guard digits.count == 3, digits.allSatisfy({ (0x30...0x39).contains($0) }),
              separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-")
        else {
            throw SMTPProtocolViolation(description: "the server sent a malformed reply line \(String(reflecting: String(decoding: line, as: UTF8.self)))")
        }
        let lineCode = Int(String(decoding: digits, as: UTF8.self))!
        if let code, code != lineCode {
            throw SMTPProtocolViolation(description: "the server mixed reply codes \(code) and \(lineCode) in one reply")
        }
        code = lineCode
        lines.append(line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : "")
        guard separator == UInt8(ascii: " ") else { return nil }
        let reply = SMTPReply(code: lineCode, lines: lines)
        lines = []
        code = nil
        collectedBytes = 0
        return reply
    }
}
