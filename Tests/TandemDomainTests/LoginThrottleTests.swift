import Foundation
import Testing
@testable import TandemDomain

@Suite struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    @Test func onlyTheFirstSixAttemptsHaveTheirPasswordChecked() {
        #expect(LoginThrottle(failures: 1).mayCheckPassword)
        #expect(LoginThrottle(failures: 6).mayCheckPassword)
        #expect(!LoginThrottle(failures: 7).mayCheckPassword)
    }

    @Test func aLockLastsUntilItsEndAndTellsHowLongToWait() {
        let throttle = LoginThrottle(failures: 6, lockedUntil: start.addingTimeInterval(15 * 60))
        #expect(throttle.isLocked(at: start))
        #expect(throttle.isLocked(at: start.addingTimeInterval(15 * 60 - 1)))
        #expect(!throttle.isLocked(at: start.addingTimeInterval(15 * 60)))
        #expect(throttle.retryAfter(at: start) == 900)
        #expect(throttle.retryAfter(at: start.addingTimeInterval(899.5)) == 1)
        #expect(LoginThrottle(failures: 2).retryAfter(at: start) == 1)
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
