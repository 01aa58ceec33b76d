import Foundation
import Hummingbird
import NIOCore
import TandemOperations
import TandemStore

/// A resource's file as an answer: always a download (`attachment`), with a type from a
/// short list of safe ones (anything else, HTML and SVG included, is served as plain bytes)
/// and a sandboxing CSP, so an uploaded file can never act as a page of our origin.
enum ResourceDownload {
    static func response(_ resource: Resource, data: Data) -> Response {
        let name = resource.fileName ?? "file"
        // An ASCII fallback for old clients and the exact name for the rest (RFC 6266).
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 32 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? "file"
        var headers: HTTPFields = [
            .contentType: Resources.servedType(resource.contentType),
            .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)",
            .contentSecurityPolicy: "sandbox; default-src 'none'",
            .cacheControl: "private, no-store",
        ]
        headers[.contentLength] = String(data.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
