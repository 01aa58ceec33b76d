import Foundation
import Testing
@testable import TandemDomain

@Suite struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    @Test func locksAfterTheSixthFailureForFifteenMinutes() {
        var throttle = LoginThrottle()
        for attempt in 1...5 {
            throttle = throttle.recordingFailure(at: start)
            #expect(!throttle.isLocked(at: start), "locked after only \(attempt) failures")
        }
        throttle = throttle.recordingFailure(at: start)
        #expect(throttle.isLocked(at: start))
        #expect(throttle.isLocked(at: start.addingTimeInterval(15 * 60 - 1)))
        #expect(!throttle.isLocked(at: start.addingTimeInterval(15 * 60)))
    }

    @Test func countsAgainFromZeroAfterALockRunsOut() {
        var throttle = LoginThrottle()
        for _ in 1...6 { throttle = throttle.recordingFailure(at: start) }
        let later = start.addingTimeInterval(16 * 60)
        throttle = throttle.recordingFailure(at: later)
        #expect(throttle.failures == 1)
        #expect(!throttle.isLocked(at: later))
    }
}

@Suite struct BackoffTests {
    @Test func doublesUpToTheCap() {
        let backoff = Backoff(base: 10, cap: 100)
        #expect(backoff.delay(afterAttempt: 1) == 10)
        #expect(backoff.delay(afterAttempt: 2) == 20)
        #expect(backoff.delay(afterAttempt: 4) == 80)
        #expect(backoff.delay(afterAttempt: 5) == 100)
        #expect(backoff.delay(afterAttempt: 500) == 100)
    }
}
