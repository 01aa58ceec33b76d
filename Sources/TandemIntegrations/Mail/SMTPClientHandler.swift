import NIOCore

/// A command line to send (or nil to only await the next reply, as for the greeting)
/// and the promise its reply completes.
struct SMTPRequest: Sendable {
    var line: ByteBuffer?
    var reply: EventLoopPromise<SMTPReply>
}

/// The server went away before answering.
struct SMTPConnectionClosed: Error {}

/// The whole exchange ran past its deadline.
struct SMTPTimedOut: Error {}

/// Pairs each request with the next reply. Every promise it holds is completed one way
/// or another (reply, error, close), so no caller can wait forever.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    private var decoder = SMTPReplyDecoder()
    private var received = ByteBuffer()
    private var waiting = CircularBuffer<EventLoopPromise<SMTPReply>>()

    init(greeting: EventLoopPromise<SMTPReply>) {
        waiting.append(greeting)
    }

    /// Bytes read but not yet a reply. Must be false when switching to TLS: anything
    /// buffered then arrived in plaintext and would be trusted as if it were encrypted.
    var hasUnreadInput: Bool {
        received.readableBytes > 0 || decoder.hasPartialReply
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        waiting.append(request.reply)
        if let line = request.line {
            context.write(wrapOutboundOut(line), promise: promise)
        } else {
            promise?.succeed()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        received.writeBuffer(&bytes)
        do {
            while let reply = try decoder.decode(&received) {
                guard let next = waiting.popFirst() else {
                    throw SMTPProtocolViolation(description: "the server sent \(reply.code) \(reply.text) without being asked")
                }
                next.succeed(reply)
            }
            received.discardReadBytes()
        } catch {
            failAll(error)
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(SMTPConnectionClosed())
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll(SMTPConnectionClosed())
    }

    private func failAll(_ error: any Error) {
        while let promise = waiting.popFirst() {
            promise.fail(error)
        }
    }
}

@available(*, unavailable)
extension SMTPClientHandler: Sendable {}
