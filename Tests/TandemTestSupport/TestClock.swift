import Foundation
import Synchronization

/// A clock tests move by hand: lockouts, link expiry and job backoff are tested at
/// their exact boundaries without sleeping.
public final class TestClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func advance(by interval: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(interval) }
    }

    public var function: @Sendable () -> Date { { [self] in self.now } }
}
