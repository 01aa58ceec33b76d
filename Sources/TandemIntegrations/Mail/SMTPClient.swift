import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Delivers mail over SMTP, one connection per message (volumes are low and it keeps
/// failure handling simple: nothing survives between sends).
public struct SMTPClient: MailTransport {
    public let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let timeout: TimeAmount

    public init(
        configuration: SMTPConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "tandem.smtp"),
        timeout: TimeAmount = .seconds(30)
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.timeout = timeout
    }

    /// Throws `SMTPError` naming the failed step; the channel is closed on every path.
    public func send(_ email: OutgoingEmail) async throws {
        let message = try MIMEMessage(email: email, defaultSender: configuration.from, messageID: email.messageID)
        let tlsContext = try makeTLSContext()
        let deadline = NIODeadline.now() + timeout
        let eventLoop = eventLoopGroup.next()
        let greeting = eventLoop.makePromise(of: SMTPReply.self)
        let channel = try await connect(on: eventLoop, tlsContext: tlsContext, greeting: greeting)

        // A deadline for the whole exchange, not per reply, so a server that trickles
        // answers cannot hold a job forever.
        let timeoutTask = eventLoop.scheduleTask(deadline: deadline) {
            channel.pipeline.fireErrorCaught(SMTPTimedOut())
        }
        let conversation = SMTPConversation(
            channel: channel, configuration: configuration, tlsContext: tlsContext, timeout: timeout, logger: logger
        )
        do {
            try await withTaskCancellationHandler {
                try await conversation.deliver(message, greeting: greeting.futureResult)
            } onCancel: {
                channel.close(promise: nil)
            }
            await conversation.quit()
        } catch {
            // After a refusal the session is still sound, so say goodbye properly.
            if let refusal = error as? SMTPError, refusal.code != nil {
                await conversation.quit()
            }
            timeoutTask.cancel()
            try? await channel.close()
            if Task.isCancelled { throw CancellationError() }
            logger.warning("SMTP delivery failed", metadata: ["to": "\(message.recipient)", "error": "\(error)"])
            throw error
        }
        timeoutTask.cancel()
        try? await channel.close()
        logger.info("SMTP delivered", metadata: ["to": "\(message.recipient)", "host": "\(configuration.host)"])
    }

    private func connect(
        on eventLoop: any EventLoop, tlsContext: NIOSSLContext?, greeting: EventLoopPromise<SMTPReply>
    ) async throws -> any Channel {
        let implicitTLS = configuration.security == .tls ? tlsContext : nil
        let host = configuration.host
        do {
            return try await ClientBootstrap(group: eventLoop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: implicitTLS, serverHostname: host)
                            )
                        }
                        try channel.pipeline.syncOperations.addHandler(SMTPClientHandler(greeting: greeting))
                    }
                }
                .connect(host: host, port: configuration.port)
                .get()
        } catch {
            greeting.fail(error)
            throw SMTPError(step: "connect", message: "could not reach \(host):\(configuration.port): \(error)")
        }
    }

    private func makeTLSContext() throws -> NIOSSLContext? {
        guard configuration.security != .plain || configuration.opportunisticStartTLS else { return nil }
        do {
            return try NIOSSLContext(configuration: .makeClientConfiguration())
        } catch {
            throw SMTPError(step: "TLS setup", message: "\(error)")
        }
    }
}
