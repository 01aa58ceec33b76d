import Foundation

/// Reads a message back the way a mail reader would (unfolding, RFC 2047, quoted-printable),
/// written independently of the client's encoder so the tests check the wire format, not the code.
struct ReceivedMessage {
    struct Malformed: Error, CustomStringConvertible { var description: String }

    var headers: [(name: String, value: String)] = []
    var body: String

    init(_ raw: String) throws {
        guard let split = raw.range(of: "\r\n\r\n") else { throw Malformed(description: "no blank line after headers") }
        var unfolded: [String] = []
        for line in raw[..<split.lowerBound].components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !unfolded.isEmpty {
                unfolded[unfolded.count - 1] += line
            } else {
                unfolded.append(line)
            }
        }
        for line in unfolded {
            guard let colon = line.firstIndex(of: ":") else { throw Malformed(description: "header without colon: \(line)") }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        body = try Self.decodeQuotedPrintable(String(raw[split.upperBound...]))
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Subject as the reader displays it: encoded-words decoded, the space between them dropped.
    func decodedSubject() throws -> String? {
        guard let value = header("Subject") else { return nil }
        let tokens = value.split(separator: " ", omittingEmptySubsequences: true)
        let encoded = tokens.filter { $0.hasPrefix("=?") }
        if encoded.isEmpty { return value }
        guard encoded.count == tokens.count else { throw Malformed(description: "mixed encoded and plain words: \(value)") }
        var bytes = Data()
        for token in tokens {
            guard token.uppercased().hasPrefix("=?UTF-8?B?"), token.hasSuffix("?="), token.count <= 75,
                  let chunk = Data(base64Encoded: String(token.dropFirst(10).dropLast(2)))
            else { throw Malformed(description: "bad encoded word \(token)") }
            // Each word must decode on its own, as readers decode them one by one.
            guard String(data: chunk, encoding: .utf8) != nil else { throw Malformed(description: "word splits a character: \(token)") }
            bytes += chunk
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func decodeQuotedPrintable(_ text: String) throws -> String {
        let input = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "=") {
                if index + 2 < input.count + 0, input[index + 1] == 13, input[index + 2] == 10 {
                    index += 3
                    continue
                }
                guard index + 2 < input.count, let value = UInt8(String(decoding: input[index + 1...index + 2], as: UTF8.self), radix: 16) else {
                    throw Malformed(description: "bad quoted-printable escape at byte \(index)")
                }
                output.append(value)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
