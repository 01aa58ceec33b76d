import Foundation
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which addresses an outbound request (a webhook, a postback) may reach. A user's URL must
/// not become a way into the network Tandem runs in: loopback, private, link-local (the cloud
/// metadata service at 169.254.169.254 among them), CGNAT, multicast, unspecified and reserved
/// addresses are refused, IPv4 written inside IPv6 included.
public enum OutboundAddress {
    /// The bytes of a literal IPv4 (4) or IPv6 (16) address, or nil when `host` is a name.
    public static func literal(_ host: String) -> [UInt8]? {
        var text = host
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// Why the address may not be reached, or nil when it may.
    public static func refusal(_ bytes: [UInt8]) -> String? {
        if bytes.count == 4 { return refusalV4(bytes[0], bytes[1], bytes[2], bytes[3]) }
        guard bytes.count == 16 else { return "not an IP address" }
        if bytes.allSatisfy({ $0 == 0 }) { return "the unspecified address" }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return "a loopback address" }
        // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible) and 64:ff9b::a.b.c.d (NAT64) reach IPv4.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && ((bytes[10] == 0xff && bytes[11] == 0xff) || (bytes[10] == 0 && bytes[11] == 0)) {
            return refusalV4(bytes[12], bytes[13], bytes[14], bytes[15])
        }
        if bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes[4..<12].allSatisfy({ $0 == 0 }) {
            return refusalV4(bytes[12], bytes[13], bytes[14], bytes[15])
        }
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return "a link-local address" }
        if bytes[0] & 0xfe == 0xfc { return "a private address" }
        if bytes[0] == 0xff { return "a multicast address" }
        return nil
    }

    static func refusalV4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> String? {
        switch (a, b) {
        case (0, _): return "the unspecified address"
        case (127, _): return "a loopback address"
        case (10, _), (172, 16...31), (192, 168): return "a private address"
        case (169, 254): return a == 169 && b == 254 && c == 169 && d == 254 ? "the cloud metadata address" : "a link-local address"
        case (100, 64...127): return "a shared (CGNAT) address"
        case (192, 0) where c == 0: return "a reserved address"
        case (224...239, _): return "a multicast address"
        case (240...255, _): return "a reserved address"
        default: return nil
        }
    }

    static let resolverThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    /// Every address `host` resolves to (literal addresses resolve to themselves).
    public static func resolve(_ host: String) async throws -> [[UInt8]] {
        if let literal = literal(host) { return [literal] }
        // getaddrinfo blocks (seconds, for a name whose resolver does not answer): on threads of
        // its own, never on those Swift's concurrency runs requests on, nor on NIO's shared pool,
        // where SQLite's queries run.
        return try await resolverThreads.runIfActive {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            #else
            hints.ai_socktype = SOCK_STREAM
            #endif
            var result: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, nil, &hints, &result)
            guard status == 0, let first = result else { throw OutboundRefusal("\(host) does not resolve") }
            defer { freeaddrinfo(first) }
            var addresses: [[UInt8]] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let info = cursor {
                if let address = info.pointee.ai_addr {
                    if info.pointee.ai_family == AF_INET {
                        var v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                        addresses.append(withUnsafeBytes(of: &v4) { Array($0) })
                    } else if info.pointee.ai_family == AF_INET6 {
                        var v6 = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                        addresses.append(withUnsafeBytes(of: &v6) { Array($0) })
                    }
                }
                cursor = info.pointee.ai_next
            }
            return addresses
        }
    }

    /// Text of an address for a message.
    public static func text(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: bytes.count, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
    }
}

/// Why an outbound request was not made.
public struct OutboundRefusal: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What outbound URLs may be: `https://` (and `http://` with `OUTBOUND_ALLOW_HTTP=true`) to a
/// public address (and any with `OUTBOUND_ALLOW_PRIVATE=true`, for tests and local development).
public struct OutboundPolicy: Sendable, Equatable {
    public var allowHTTP: Bool
    public var allowPrivate: Bool

    public init(allowHTTP: Bool = false, allowPrivate: Bool = false) {
        self.allowHTTP = allowHTTP
        self.allowPrivate = allowPrivate
    }

    public static let strict = OutboundPolicy()

    /// Checks a URL as written (at creation): scheme, host, and a literal address. Names are
    /// checked when a request is made, since what they resolve to can change.
    public func check(_ raw: String) -> Result<URLComponents, OutboundRefusal> {
        guard let url = URLComponents(string: raw), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return .failure(OutboundRefusal("Enter a full URL such as https://example.com/webhooks."))
        }
        guard scheme == "https" || (scheme == "http" && allowHTTP) else {
            return .failure(OutboundRefusal(allowHTTP ? "The URL must start with https:// or http://." : "The URL must start with https://."))
        }
        guard url.user == nil, url.password == nil else { return .failure(OutboundRefusal("The URL may not carry a user name or password.")) }
        if !allowPrivate {
            let name = host.lowercased()
            if name == "localhost" || name.hasSuffix(".localhost") { return .failure(OutboundRefusal("The URL may not point at this server (localhost).")) }
            if let bytes = OutboundAddress.literal(host), let reason = OutboundAddress.refusal(bytes) {
                return .failure(OutboundRefusal("The URL may not point at \(reason).")) 
            }
        }
        return .success(url)
    }

    /// Checks every address the host resolves to now (at delivery) and returns the one to
    /// connect to: the first IPv4 address, else the first (a pinned connection has no fallback
    /// between families, and an IPv4 address is the likelier to answer).
    public func checkedAddress(
        host: String, resolve: @Sendable (String) async throws -> [[UInt8]] = OutboundAddress.resolve
    ) async throws -> String {
        let addresses = try await resolve(host)
        if !allowPrivate {
            for address in addresses {
                if let reason = OutboundAddress.refusal(address) {
                    throw OutboundRefusal("refused: \(host) resolves to \(OutboundAddress.text(address)), \(reason)")
                }
            }
        }
        guard let chosen = addresses.first(where: { $0.count == 4 }) ?? addresses.first else { throw OutboundRefusal("\(host) does not resolve") }
        return OutboundAddress.text(chosen)
    }
}
