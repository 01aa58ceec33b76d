import Hummingbird
import Synchronization

/// An address that exists but not for this method answers 405 with `Allow` (RFC 9110
/// 15.5.6), not 404: TRACE, OPTIONS, or a PUT where only GET is served. The router only
/// knows "no route", so this looks the path up in the table of every registered route
/// when the answer would be a 404. A 404 from a handler (an unknown id) stays a 404,
/// because its method is among the path's.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            guard response.status == .notFound, let allow = allowed(request) else { return response }
            throw notAllowed(request, allow: allow)
        } catch let error as any HTTPResponseError where error.status == .notFound {
            guard let allow = allowed(request) else { throw error }
            throw notAllowed(request, allow: allow)
        }
    }

    func allowed(_ request: Request) -> [String]? {
        let methods = table.methods(forPath: request.uri.path)
        guard !methods.isEmpty, !methods.contains(request.method.rawValue) else { return nil }
        return methods.sorted()
    }

    func notAllowed(_ request: Request, allow: [String]) -> any Error {
        let value = allow.joined(separator: ", ")
        if request.uri.path.hasPrefix("/api/") {
            var error = APIError(status: .methodNotAllowed, message: "\(request.method.rawValue) is not allowed here; use \(value).")
            error.extraHeaders[.allow] = value
            return error
        }
        return HTTPError(.methodNotAllowed, headers: [.allow: value])
    }
}

/// Every registered route's path pattern and methods, filled once the routes are added.
final class RouteTable: Sendable {
    struct Entry: Sendable {
        let segments: [Segment]
        var methods: Set<String>
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter
        case rest
    }

    private let entries = Mutex<[Entry]>([])

    /// Reads the router's routes (`/api/v1/programs/{slug}`, `/r/:key`), GET routes also answering HEAD.
    func fill<C: RequestContext>(from router: Router<C>) {
        var byPath: [String: Entry] = [:]
        for route in router.routes {
            let path = route.path.description
            var entry = byPath[path] ?? Entry(segments: Self.segments(path), methods: [])
            entry.methods.insert(route.method.rawValue)
            if route.method == .get { entry.methods.insert("HEAD") }
            byPath[path] = entry
        }
        entries.withLock { $0 = Array(byPath.values) }
    }

    static func segments(_ path: String) -> [Segment] {
        path.split(separator: "/").map { part in
            if part == "**" { return .rest }
            if part == "*" || part.hasPrefix(":") || (part.hasPrefix("{") && part.hasSuffix("}")) { return .parameter }
            return .literal(String(part))
        }
    }

    /// The methods of every pattern that `path` matches.
    func methods(forPath path: String) -> Set<String> {
        let parts = path.split(separator: "/").map(String.init)
        return entries.withLock { entries in
            entries.reduce(into: Set<String>()) { methods, entry in
                if Self.matches(entry.segments, parts) { methods.formUnion(entry.methods) }
            }
        }
    }

    static func matches(_ segments: [Segment], _ parts: [String]) -> Bool {
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .rest: return true
            case .parameter: guard index < parts.count else { return false }
            case .literal(let text): guard index < parts.count, parts[index] == text else { return false }
            }
        }
        return segments.count == parts.count
    }
}
