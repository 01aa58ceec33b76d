import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A minimal browser over the test client: keeps cookies, remembers the CSRF token of
/// the last page it loaded, and submits forms the way a person's browser would.
final class Browser: Sendable {
    struct Page: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String

        var location: String? { headers[.location] }
        func contains(_ text: String) -> Bool { body.contains(text) }
        var setCookies: [String] { headers[values: .setCookie] }
    }

    let client: any TestClientProtocol
    private let state = Mutex<(cookies: [String: String], csrf: String?)>(([:], nil))

    init(_ client: any TestClientProtocol) { self.client = client }

    var cookies: [String: String] { state.withLock { $0.cookies } }
    var csrfToken: String? { state.withLock { $0.csrf } }

    func setCookie(_ name: String, _ value: String?) {
        state.withLock { $0.cookies[name] = value }
    }

    @discardableResult
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> Page {
        try await send(uri, method: .get, headers: headers, body: nil)
    }

    /// Posts a form with the CSRF token of the last page loaded (unless `csrf` says otherwise).
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)], csrf: String? = nil, includeCSRF: Bool = true) async throws -> Page {
        var all = fields
        if includeCSRF, let token = csrf ?? csrfToken { all.append(("_csrf", token)) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    /// Loads the page at `page`, then submits its form to `action`: what a person does.
    @discardableResult
    func submit(_ page: String, to action: String? = nil, _ fields: [(String, String)]) async throws -> Page {
        try await get(page)
        return try await post(action ?? page, fields)
    }

    func send(_ uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> Page {
        var headers = headers
        let jar = cookies
        if !jar.isEmpty {
            headers[.cookie] = jar.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
        }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        let page = Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        state.withLock { state in
            for header in page.setCookies {
                let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
                let expired = header.contains("Max-Age=0")
                state.cookies[name] = expired || value.isEmpty ? nil : value
            }
            if let token = Self.csrf(in: page.body) { state.csrf = token }
        }
        return page
    }

    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    /// Logs in through the login form; returns the answer to the POST.
    @discardableResult
    func logIn(_ email: String, _ password: String) async throws -> Page {
        try await submit("/login", [("email", email), ("password", password)])
    }
}
