import Foundation
import NIOCore
import NIOPosix

/// A scripted SMTP server on 127.0.0.1 that records what clients say, for exercising
/// `SMTPClient` over a real socket without a mail server.
final class FakeSMTPServer: Sendable {
    struct Behaviour: Sendable {
        var greeting = "220 fake.test ESMTP ready"
        var extensions = ["PIPELINING", "SIZE 10240000", "8BITMIME"]
        var refuseEHLO = false
        var rcptReply = "250 2.1.5 Ok"
        /// Accept the connection but never say anything.
        var silent = false
    }

    let recording: FakeSMTPRecording
    let port: Int
    private let channel: any Channel

    private init(channel: any Channel, port: Int, recording: FakeSMTPRecording) {
        self.channel = channel
        self.port = port
        self.recording = recording
    }

    static func start(_ behaviour: Behaviour = Behaviour()) async throws -> FakeSMTPServer {
        let recording = FakeSMTPRecording()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FakeSMTPSession(behaviour: behaviour, recording: recording))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return FakeSMTPServer(channel: channel, port: channel.localAddress!.port!, recording: recording)
    }

    func stop() async {
        try? await channel.close()
    }
}

/// What the fake server saw, readable from any thread.
final class FakeSMTPRecording: @unchecked Sendable {
    struct Credentials: Equatable, Sendable {
        var mechanism: String
        var username: String
        var password: String
    }

    private let lock = NSLock()
    private var _connections = 0
    private var _commands: [String] = []
    private var _credentials: [Credentials] = []
    /// DATA as it crossed the wire (still dot-stuffed, terminators included).
    private var _rawData: [String] = []
    /// DATA after undoing dot-stuffing: the message as the client composed it.
    private var _messages: [String] = []

    var connections: Int { lock.withLock { _connections } }
    var commands: [String] { lock.withLock { _commands } }
    var credentials: [Credentials] { lock.withLock { _credentials } }
    var rawData: [String] { lock.withLock { _rawData } }
    var messages: [String] { lock.withLock { _messages } }

    fileprivate func connected() { lock.withLock { _connections += 1 } }
    fileprivate func command(_ line: String) { lock.withLock { _commands.append(line) } }
    fileprivate func credentials(_ value: Credentials) { lock.withLock { _credentials.append(value) } }
    fileprivate func message(raw: String, decoded: String) {
        lock.withLock {
            _rawData.append(raw)
            _messages.append(decoded)
        }
    }
}

private final class FakeSMTPSession: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Mode {
        case command
        case data(raw: String, decoded: String)
        case authLoginUser
        case authLoginPassword(user: String)
    }

    private let behaviour: FakeSMTPServer.Behaviour
    private let recording: FakeSMTPRecording
    private var buffer = ByteBuffer()
    private var mode = Mode.command

    init(behaviour: FakeSMTPServer.Behaviour, recording: FakeSMTPRecording) {
        self.behaviour = behaviour
        self.recording = recording
    }

    func channelActive(context: ChannelHandlerContext) {
        recording.connected()
        if !behaviour.silent { reply(context, behaviour.greeting) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = buffer.readableBytesView.distance(from: buffer.readableBytesView.startIndex, to: newline) + 1
            let raw = buffer.readString(length: length)!
            handle(raw, context: context)
        }
        buffer.discardReadBytes()
    }

    private func handle(_ raw: String, context: ChannelHandlerContext) {
        let line = String(raw.unicodeScalars.filter { $0 != "\r" && $0 != "\n" })
        switch mode {
        case .data(let rawSoFar, let decoded):
            if line == "." {
                recording.message(raw: rawSoFar, decoded: decoded)
                mode = .command
                reply(context, "250 2.0.0 Ok: queued as FAKE1")
            } else {
                let unstuffed = line.hasPrefix(".") ? String(line.dropFirst()) : line
                mode = .data(raw: rawSoFar + raw, decoded: decoded + unstuffed + "\r\n")
            }
        case .authLoginUser:
            mode = .authLoginPassword(user: Self.base64(line))
            reply(context, "334 UGFzc3dvcmQ6")
        case .authLoginPassword(let user):
            recording.credentials(.init(mechanism: "LOGIN", username: user, password: Self.base64(line)))
            mode = .command
            reply(context, "235 2.7.0 Authentication successful")
        case .command:
            recording.command(line)
            command(line, context: context)
        }
    }

    private func command(_ line: String, context: ChannelHandlerContext) {
        let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
        switch verb {
        case "EHLO" where behaviour.refuseEHLO:
            reply(context, "502 5.5.2 Error: command not recognized")
        case "EHLO":
            let lines = ["fake.test greets \(line.dropFirst(5))"] + behaviour.extensions
            let text = lines.enumerated().map { index, text in
                "250\(index == lines.count - 1 ? " " : "-")\(text)"
            }
            reply(context, text.joined(separator: "\r\n"))
        case "HELO":
            reply(context, "250 fake.test")
        case "AUTH" where line.uppercased().hasPrefix("AUTH PLAIN "):
            let parts = Self.base64(String(line.dropFirst("AUTH PLAIN ".count))).split(separator: "\0", omittingEmptySubsequences: false)
            recording.credentials(.init(mechanism: "PLAIN", username: parts.count > 1 ? String(parts[1]) : "", password: parts.count > 2 ? String(parts[2]) : ""))
            reply(context, "235 2.7.0 Authentication successful")
        case "AUTH" where line.uppercased() == "AUTH LOGIN":
            mode = .authLoginUser
            reply(context, "334 VXNlcm5hbWU6")
        case "MAIL", "RSET", "NOOP":
            reply(context, "250 2.1.0 Ok")
        case "RCPT":
            reply(context, behaviour.rcptReply)
        case "DATA":
            mode = .data(raw: "", decoded: "")
            reply(context, "354 End data with <CR><LF>.<CR><LF>")
        case "QUIT":
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "221 2.0.0 Bye\r\n"))).whenComplete { _ in
                channel.close(promise: nil)
            }
        default:
            reply(context, "502 5.5.2 Error: command not recognized")
        }
    }

    private func reply(_ context: ChannelHandlerContext, _ text: String) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text + "\r\n")), promise: nil)
    }

    private static func base64(_ text: String) -> String {
        Data(base64Encoded: text).map { String(decoding: $0, as: UTF8.self) } ?? "<not base64: \(text)>"
    }
}
