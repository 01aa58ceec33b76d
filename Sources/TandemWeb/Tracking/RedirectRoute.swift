import Crypto
import Foundation
import Hummingbird
import NIOCore
import TandemDomain
import TandemStore

/// `GET /r/{key}` (and `/r/{program}/{slug}` for custom links): answers 302 to the
/// link's destination with `tdm_click` added, sets the `tdm_vid` visitor cookie, and
/// hands counted clicks to the batching writer. Nothing here waits on the database
/// unless the link is not in the directory's memory.
struct RedirectRoute {
    static let visitorCookie = "tdm_vid"
    static let visitorCookieAge = 365 * 24 * 3600

    let tracking: Tracking
    let visitorKey: VisitorID
    /// "; Max-Age=…; Path=/; HttpOnly; SameSite=Lax" as Hummingbird writes it, formatted once.
    let cookieAttributes: String
    let now: @Sendable () -> Date

    init(tracking: Tracking, secretKey: String, secureCookies: Bool, now: @escaping @Sendable () -> Date) {
        self.tracking = tracking
        self.visitorKey = VisitorID(key: secretKey)
        let template = Cookie(
            name: Self.visitorCookie, value: "", maxAge: Self.visitorCookieAge, path: "/",
            secure: secureCookies, httpOnly: true, sameSite: .lax
        ).description
        self.cookieAttributes = String(template.dropFirst(Self.visitorCookie.count + 1))
        self.now = now
    }

    init(env: WebEnvironment, tracking: Tracking) {
        self.init(tracking: tracking, secretKey: env.config.secretKey, secureCookies: env.config.secureCookies, now: env.now)
    }

    func addRoutes(to router: Router<AppRequestContext>, benchmarkRoute: Bool) {
        router.on("r/:key", method: .get) { request, context in
            try await redirect(request, context, target: tracking.links.target(forKey: context.parameters.get("key") ?? ""), record: true)
        }
        router.on("r/:key", method: .head) { request, context in
            try await redirect(request, context, target: tracking.links.target(forKey: context.parameters.get("key") ?? ""), record: true)
        }
        // The trie wants one parameter name per position: here `key` is the program's slug.
        router.get("r/:key/:slug") { request, context in
            let target = try await tracking.links.target(program: context.parameters.get("key") ?? "", slug: context.parameters.get("slug") ?? "")
            return try await redirect(request, context, target: target, record: true)
        }
        if benchmarkRoute {
            // The benchmark's baseline: the same lookup and the same answer, nothing recorded.
            router.get("bench/bare/:key") { request, context in
                try await redirect(request, context, target: tracking.links.target(forKey: context.parameters.get("key") ?? ""), record: false)
            }
        }
    }

    func redirect(_ request: Request, _ context: AppRequestContext, target: LinkTarget?, record: Bool) throws -> Response {
        guard let target else { throw HTTPError(.notFound) }
        return redirect(request, context, target: target, record: record)
    }

    func redirect(_ request: Request, _ context: AppRequestContext, target: LinkTarget, record: Bool) -> Response {
        let userAgent = request.headers[.userAgent]
        let counted = ClickPolicy.counts(method: request.method.rawValue, userAgent: userAgent)
        let cookieVisitor = request.cookies[Self.visitorCookie]?.value
        let knownVisitor = cookieVisitor.flatMap { ClickPolicy.isValidVisitorID($0) ? $0 : nil }
        // Without a cookie the visitor is a keyed hash of IP and user agent, and that same
        // value becomes the cookie: the next click counts as the same visitor either way.
        let visitor = knownVisitor ?? visitorKey.derive(ip: context.remoteAddress?.ipAddress ?? "", userAgent: userAgent ?? "")

        let location: String
        if counted {
            let clickedAt = now()
            let clickID = ClickID.make(at: clickedAt)
            if record {
                tracking.recorder.record(RecordedClick(
                    id: clickID, linkID: target.linkID, partnershipID: target.partnershipID, programID: target.programID,
                    visitor: visitor, at: clickedAt
                ))
            }
            location = Destination.withClickID(target.destination, clickID: clickID)
        } else {
            // Previews and bots get where they are going, with no click id to attribute.
            location = target.destination
        }
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        if knownVisitor == nil {
            headers[.setCookie] = Self.visitorCookie + "=" + visitor + cookieAttributes
        }
        return Response(status: .found, headers: headers)
    }
}

/// Click ids: 32 hex digits, cheap to make on the hot path. The first 12 are the time in
/// milliseconds, so new ids land at the end of the primary-key index instead of at
/// random places in it; the other 20 (80 bits) are random, so ids stay unguessable.
enum ClickID {
    static func make(at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        let random = generator.next() as UInt64
        let more = generator.next() as UInt64
        return LowerHex.string(count: 32) { digit in
            switch digit {
            case 0..<12: return UInt8((millis >> UInt64(4 * (11 - digit))) & 0xF)
            case 12..<28: return UInt8((random >> UInt64(4 * (27 - digit))) & 0xF)
            default: return UInt8((more >> UInt64(4 * (31 - digit))) & 0xF)
            }
        }
    }
}

/// Visitor ids for requests without the cookie: a keyed hash of IP and user agent.
struct VisitorID: Sendable {
    /// Keyed once: each derivation copies this state instead of hashing the key again,
    /// which showed in profiles of the redirect.
    let keyed: HMAC<SHA256>

    init(key: String) {
        self.keyed = HMAC<SHA256>(key: SymmetricKey(data: Data(key.utf8)))
    }

    /// 32 lower-case hex digits: the shape `ClickPolicy.isValidVisitorID` accepts. The raw IP is never stored.
    /// Equal to the first half of HMAC-SHA256(key, ip + "\n" + userAgent) in hex.
    func derive(ip: String, userAgent: String) -> String {
        var mac = keyed
        var ip = ip, userAgent = userAgent
        ip.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(ascii: "\n")) { mac.update(data: $0) }
        userAgent.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return mac.finalize().withUnsafeBytes { bytes in
            LowerHex.string(count: 32) { digit in
                let byte = bytes[digit / 2]
                return digit % 2 == 0 ? byte >> 4 : byte & 0xF
            }
        }
    }
}

/// Hex strings written straight into a String's storage: no intermediate strings.
enum LowerHex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `nibble(i)` is the value (0...15) of the i-th digit.
    static func string(count: Int, _ nibble: (Int) -> UInt8) -> String {
        String(unsafeUninitializedCapacity: count) { buffer in
            for i in 0..<count { buffer[i] = digits[Int(nibble(i))] }
            return count
        }
    }
}
