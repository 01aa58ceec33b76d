import Crypto
import Foundation
import Testing
@testable import TandemWeb

@Suite struct ClickIdentifierTests {
    @Test func aVisitorIDIsTheFirstHalfOfTheKeyedHashInHex() {
        let visitors = VisitorID(key: "secret-key")
        let reference = HMAC<SHA256>.authenticationCode(for: Data("203.0.113.9\nMozilla/5.0 ü".utf8), using: SymmetricKey(data: Data("secret-key".utf8)))
        let expected = reference.map { String(format: "%02x", $0) }.joined().prefix(32)
        #expect(visitors.derive(ip: "203.0.113.9", userAgent: "Mozilla/5.0 ü") == String(expected))
        // The keyed state is copied, never consumed: the same input gives the same id again.
        #expect(visitors.derive(ip: "203.0.113.9", userAgent: "Mozilla/5.0 ü") == String(expected))
        #expect(visitors.derive(ip: "203.0.113.10", userAgent: "Mozilla/5.0 ü") != String(expected))
    }

    @Test func aClickIDStartsWithItsMillisecondAndEndsRandom() {
        let at = Date(timeIntervalSince1970: 1_795_318_829.5)
        let first = ClickID.make(at: at)
        let second = ClickID.make(at: at)
        #expect(first.count == 32)
        #expect(first.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(first.prefix(12) == "01a2015751bc", "1795318829500 ms in hex")
        #expect(first != second)
        #expect(ClickID.make(at: at.addingTimeInterval(0.001)) > first, "later ids sort later")
    }
}
