import AsyncHTTPClient
import Foundation
import NIOCore

/// The HTTP plumbing the payout clients share.
struct PayoutHTTP: Sendable {
    struct Answer: Sendable {
        var status: Int
        var body: Data
    }

    let provider: String
    let httpClient: HTTPClient
    /// How long one request may take before it is given up (and retried later with the same key).
    var timeout: TimeAmount = .seconds(30)
    /// Provider answers are small; anything bigger is not an answer we understand.
    let maxBody = 4 << 20

    /// Runs a request; network trouble and timeouts become a `PayoutError` without a status.
    func execute(_ request: HTTPClientRequest, operation: String) async throws -> Answer {
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: maxBody)
            return Answer(status: Int(response.status.code), body: Data(buffer.readableBytesView))
        } catch let error as CancellationError {
            throw error
        } catch {
            throw PayoutError(provider: provider, operation: operation, message: "no answer: \(error)")
        }
    }

    /// `scheme://host[:port]` without a trailing slash.
    static func trimmedBase(_ url: String) -> String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// A path segment with everything outside RFC 3986's unreserved set percent-encoded.
    static func pathSegment(_ value: String) -> String {
        percentEncode(value)
    }

    /// `application/x-www-form-urlencoded`, keys and values encoded, in the given order.
    static func formEncode(_ fields: [(String, String)]) -> String {
        fields.map { percentEncode($0.0) + "=" + percentEncode($0.1) }.joined(separator: "&")
    }

    static func percentEncode(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
