import AsyncHTTPClient
import NIOCore
import Synchronization

/// HTTP clients that connect a host's requests to one address, the one its delivery was
/// checked against. Left to itself the client would look the name up again when it connects,
/// and a name can answer differently the second time (DNS rebinding: public for the check,
/// the metadata address for the connection). TLS still asks for and verifies the host's
/// certificate, and the `Host` header is the URL's (AsyncHTTPClient's `dnsOverride`).
final class PinnedClients: Sendable {
    /// One client per (host, address), kept for its connections; past this many, all are let go
    /// and made again as needed (a name that keeps moving costs new connections, never a wrong one).
    static let capacity = 64

    private let clients = Mutex<[String: HTTPClient]>([:])
    private let timeout: HTTPClient.Configuration.Timeout

    init(timeout: HTTPClient.Configuration.Timeout) {
        self.timeout = timeout
    }

    func client(host: String, address: String) -> HTTPClient {
        let key = host + " " + address
        let (client, retired) = clients.withLock { clients -> (HTTPClient, [HTTPClient]) in
            if let client = clients[key] { return (client, []) }
            var retired: [HTTPClient] = []
            if clients.count >= Self.capacity {
                retired = Array(clients.values)
                clients.removeAll()
            }
            var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: timeout, decompression: .disabled)
            configuration.dnsOverride = [host: address]
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[key] = client
            return (client, retired)
        }
        if !retired.isEmpty {
            // Requests still running on them finish first: an answer takes at most 10 s.
            Task {
                try? await Task.sleep(for: .seconds(30))
                for client in retired { try? await client.shutdown() }
            }
        }
        return client
    }
}
