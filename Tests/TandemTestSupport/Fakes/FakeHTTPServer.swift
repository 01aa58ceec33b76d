import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A Hummingbird router served on 127.0.0.1 at a free port, in a background task, until `stop()`.
final class FakeHTTPServer: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    private init(port: Int, group: ServiceGroup, task: Task<Void, Never>) {
        self.port = port
        self.group = group
        self.task = task
    }

    var url: String { "http://127.0.0.1:\(port)" }

    static func start(name: String, router: Router<BasicRequestContext>) async throws -> FakeHTTPServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: name)
        logger.logLevel = .error
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: name),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            do { try await group.run() } catch { logger.error("\(name) stopped: \(error)") }
            continuation.finish()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            await task.value
            throw FakeServerError(message: "\(name) did not start")
        }
        return FakeHTTPServer(port: port, group: group, task: task)
    }

    /// Shuts the server down gracefully (open keep-alive connections are closed) and waits until it has.
    func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}

/// Lets routes built before the server starts reach the fake created once it listens.
final class FakeBox<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    func set(_ newValue: Value) { value.withLock { $0 = newValue } }

    func get() throws -> Value {
        guard let current = value.withLock({ $0 }) else { throw FakeServerError(message: "fake not ready") }
        return current
    }
}

extension Array {
    mutating func popFirst() -> Element? {
        isEmpty ? nil : removeFirst()
    }
}

public struct FakeServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// One request a fake received and the status it answered.
public struct RecordedRequest: Sendable {
    public var method: String
    public var path: String
    public var query: String?
    /// Header names lower-cased; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: String
    public var status: Int

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as a JSON object, when it is one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }

    /// The body as `application/x-www-form-urlencoded` fields (decoded; a repeated key keeps its last value).
    public var form: [String: String] { FakeHTTP.parseForm(body) }
}

/// Helpers the fakes share.
enum FakeHTTP {
    static func json(_ status: Int, _ object: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return raw(status, data)
    }

    static func raw(_ status: Int, _ data: Data, extraHeaders: [String: String] = [:]) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for (name, value) in extraHeaders {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Reads the request once: what to record and the body bytes.
    static func read(_ request: Request) async throws -> (RecordedRequest, Data) {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        let data = Data(buffer.readableBytesView)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let recorded = RecordedRequest(
            method: request.method.rawValue,
            path: request.uri.path,
            query: request.uri.query,
            headers: headers,
            body: String(decoding: data, as: UTF8.self),
            status: 0
        )
        return (recorded, data)
    }

    static func parseForm(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            fields[key] = value
        }
        return fields
    }

    private static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    static func randomID(length: Int, alphabet: String = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789") -> String {
        let letters = Array(alphabet)
        return String((0..<length).map { _ in letters.randomElement()! })
    }

    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// The value of `Authorization: Bearer …`, if that is what was sent.
    static func bearer(_ recorded: RecordedRequest) -> String? {
        guard let value = recorded.header("authorization"), value.lowercased().hasPrefix("bearer ") else { return nil }
        return String(value.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
    }

    /// `(user, password)` of `Authorization: Basic …`, if that is what was sent.
    static func basic(_ recorded: RecordedRequest) -> (String, String)? {
        guard let value = recorded.header("authorization"), value.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(value.dropFirst("basic ".count)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}

/// Starts a fake, runs `body`, and always stops the fake, whether `body` throws or not.
func withFake<Fake, T>(
    _ start: () async throws -> Fake, stop: (Fake) async -> Void, _ body: (Fake) async throws -> T
) async throws -> T {
    let fake = try await start()
    do {
        let result = try await body(fake)
        await stop(fake)
        return result
    } catch {
        await stop(fake)
        throw error
    }
}
