import Foundation
import Hummingbird

/// The API's error answer: `{"error": {"code": "snake_case", "message": "sentence", "field": "optional"}}`.
public struct APIError: HeaderCarryingError, HTTPResponseError {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    /// Headers the answer carries besides its content type (`Retry-After`, `Allow`, `RateLimit-*`).
    public var extraHeaders: HTTPFields = [:]
    public var headers: HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers.append(contentsOf: extraHeaders)
        return headers
    }

    public init(status: HTTPResponse.Status, code: String? = nil, message: String? = nil, field: String? = nil) {
        self.status = status
        self.code = code ?? APIError.defaultCode(status)
        self.message = message ?? APIError.defaultMessage(status)
        self.field = field
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response { response() }

    var jsonString: String {
        var error: [String: String] = ["code": code, "message": message]
        if let field { error["field"] = field }
        let data = (try? JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    func response() -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: jsonString)))
    }

    static func defaultCode(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "invalid_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 413: "body_too_large"
        case 429: "rate_limited"
        case 503: "overloaded"
        default: "internal_error"
        }
    }

    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "The request is not valid."
        case 401: "Send a valid API key as `Authorization: Bearer KEY`."
        case 403: "This key may not do that."
        case 404: "Nothing was found at this address."
        case 405: "This method is not allowed here."
        case 409: "This conflicts with the current state."
        case 413: "The body is too large."
        case 429: "Too many requests; retry later."
        case 503: "The server is busy; retry after the number of seconds in Retry-After."
        default: "Something went wrong on our side. It has been logged."
        }
    }
}
