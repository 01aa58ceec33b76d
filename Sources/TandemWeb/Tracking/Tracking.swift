import Foundation
import TandemStore

/// The tracking machinery shared by the redirect, the event API and the pages:
/// the link directory (cache) and the batching click writer.
public struct Tracking: Sendable {
    public let links: LinkDirectory
    public let recorder: ClickRecorder

    public init(store: Store, flushInterval: Duration = .milliseconds(1000), spool: ClickSpool? = nil) {
        links = LinkDirectory(store: store)
        recorder = ClickRecorder(store: store, interval: flushInterval, spool: spool)
    }
}
