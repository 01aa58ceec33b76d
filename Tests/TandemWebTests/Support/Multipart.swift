import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A multipart/form-data body as a browser's upload form or `curl -F` sends it.
enum Multipart {
    static let boundary = "----tandemTestBoundary7MA4YWxkTrZu0gW"

    static func body(_ fields: [(String, String)], file: (field: String, name: String, type: String, data: Data)?) -> ByteBuffer {
        var data = Data()
        for (name, value) in fields {
            data += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            data += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n".utf8)
            data += file.data + Data("\r\n".utf8)
        }
        data += Data("--\(boundary)--\r\n".utf8)
        return ByteBuffer(bytes: data)
    }

    static var contentType: String { "multipart/form-data; boundary=\(boundary)" }
}

extension Browser {
    /// Loads `page`, then sends its upload form to `action` with the page's CSRF token.
    @discardableResult
    func upload(_ page: String, to action: String, _ fields: [(String, String)], file: (field: String, name: String, type: String, data: Data)?) async throws -> Page {
        try await get(page)
        let all = fields + [("_csrf", csrfToken ?? "")]
        return try await send(action, method: .post, headers: [.contentType: Multipart.contentType], body: Multipart.body(all, file: file))
    }
}

extension APIClient {
    func upload(_ path: String, _ fields: [(String, String)], file: (field: String, name: String, type: String, data: Data)?) async throws -> Answer {
        var headers: HTTPFields = [.contentType: Multipart.contentType]
        if let key { headers[.authorization] = "Bearer \(key)" }
        let response = try await client.executeRequest(uri: path, method: .post, headers: headers, body: Multipart.body(fields, file: file))
        let text = String(buffer: response.body)
        return Answer(status: response.status, headers: response.headers, text: text, json: try? JSONSerialization.jsonObject(with: Data(text.utf8)))
    }
}
